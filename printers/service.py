"""The print queue: jobs are rows, claimed with SKIP LOCKED, settled only by the printer.

A job is created in the same transaction as its ticket (one per ticket, for the station's
printer) with its bytes rendered once. A worker (or a print agent) claims it, and it becomes
``printed`` only on a confirmed print or an agent's acknowledgement. A failure is retried
with backoff; after ``RetryPolicy.attempts`` failures the job moves to the station's backup
printer, re-rendered "BACKUP FROM <printer>", and staff are alerted; when the backup fails
too the job is ``failed``: listed on /printers, where staff retry it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, func, insert, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork
from kds.models import Ticket
from printers.models import Printer, PrintJob
from printers.tickets import REPRINT, TICKET, VOID, print_ticket, render_job
from printers.tickets import station_printers as stations_of

#: Announced after commit whenever there is something to print (workers and agents wake up).
PRINTERS_CHANNEL = "printers"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    #: Wait before the 1st, 2nd, ... retry: a printer reloading paper gets a moment.
    backoff_s: tuple[float, ...] = (2.0, 5.0, 15.0)
    #: Failures on one printer before the job moves to the backup (or fails).
    attempts: int = 3

    def delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=self.backoff_s[min(attempts, len(self.backoff_s)) - 1])


@dataclass(frozen=True, slots=True)
class Claim:
    """A job taken by one worker or agent: send ``payload`` to ``address``."""

    job_id: int
    printer_id: int
    printer: str
    address: str
    payload: bytes


async def _add_job(session: AsyncSession, printer_id: int, ticket_id: int, kind: str) -> int:
    printer = await session.get(Printer, printer_id)
    assert printer is not None
    payload = await render_job(session, ticket_id, kind, printer)
    job_id = await session.scalar(
        insert(PrintJob)
        .values(printer_id=printer_id, ticket_id=ticket_id, kind=kind, payload=payload)
        .returning(PrintJob.id)
    )
    return int(job_id or 0)


async def jobs_for_tickets(uow: UnitOfWork, ticket_ids: list[int]) -> None:
    """The kitchen's ticket listener: one job per new ticket whose station has a printer.

    Runs inside the send's transaction, so a job exists exactly when its ticket does; a
    second send makes a second ticket and so prints only what is new.
    """
    session = uow.session
    made = []
    for ticket_id in ticket_ids:
        row = (
            await session.execute(
                select(Ticket.station_id, Ticket.kind).where(Ticket.id == ticket_id)
            )
        ).one()
        printers = await stations_of(session, row.station_id)
        if printers.printer_id is not None:
            kind = VOID if row.kind == "void" else TICKET
            made.append(await _add_job(session, printers.printer_id, ticket_id, kind))
    if made:
        uow.announce(PRINTERS_CHANNEL, {"jobs": made})


async def reprint_ticket(
    uow: UnitOfWork, ticket_id: int, staff_id: int | None, key: str | None = None
) -> int:
    """Print a ticket again, headed REPRINT so nobody cooks it twice. Audited. One tap is
    one reprint: a second paper ticket on the pass is a second plate."""
    session = uow.session
    claim = await idempotency.claim(session, key, "reprint_ticket", {"ticket": ticket_id})
    if claim.replay is not None:
        return int(claim.replay["job"])
    if await session.get(Ticket, ticket_id) is None:
        raise NotFound("That ticket does not exist.")
    _, printers = await print_ticket(session, ticket_id)
    if printers.printer_id is None:
        raise BadInput(f"{printers.station} has no printer to reprint on.")
    job_id = await _add_job(session, printers.printer_id, ticket_id, REPRINT)
    await audit.record(session, "reprint_ticket", f"ticket:{ticket_id}", actor_id=staff_id)
    uow.announce(PRINTERS_CHANNEL, {"jobs": [job_id]})
    await idempotency.remember(session, claim, {"job": job_id})
    return job_id


async def retry_ticket(uow: UnitOfWork, ticket_id: int, staff_id: int | None) -> int:
    """Send a ticket's failed jobs again, to their own printer first (it may be back)."""
    session = uow.session
    jobs = (
        await session.scalars(
            select(PrintJob)
            .where(PrintJob.ticket_id == ticket_id, PrintJob.status == "failed")
            .order_by(PrintJob.id)
            .with_for_update()
        )
    ).all()
    if not jobs:
        raise BadInput("Nothing to retry: that ticket has no failed print.")
    for job in jobs:
        home = job.original_printer_id or job.printer_id
        payload = job.payload
        if job.original_printer_id is not None and job.ticket_id is not None:
            # Back to its own printer, without the "BACKUP FROM" header.
            printer = await session.get(Printer, home)
            assert printer is not None
            payload = await render_job(session, job.ticket_id, job.kind, printer)
        await session.execute(
            update(PrintJob)
            .where(PrintJob.id == job.id)
            .values(
                printer_id=home,
                original_printer_id=None,
                payload=payload,
                status="queued",
                attempts=0,
                next_attempt_at=func.now(),
                error=None,
            )
        )
    await audit.record(session, "retry_print", f"ticket:{ticket_id}", actor_id=staff_id)
    uow.announce(PRINTERS_CHANNEL, {"jobs": [job.id for job in jobs]})
    uow.announce("floor", {"alerts": "retried"})  # "did not print" leaves the floor's banner
    return len(jobs)


async def _claimed(session: AsyncSession, ids: Sequence[int]) -> list[Claim]:
    if not ids:
        return []
    rows = await session.execute(
        update(PrintJob)
        .where(PrintJob.id.in_(ids))
        .values(status="printing", claimed_at=func.now())
        .returning(PrintJob.id, PrintJob.printer_id, PrintJob.payload)
    )
    jobs = sorted(rows.all())
    printers = {
        p.id: p
        for p in await session.scalars(
            select(Printer).where(Printer.id.in_({job.printer_id for job in jobs}))
        )
    }
    return [
        Claim(
            job.id,
            job.printer_id,
            printers[job.printer_id].name,
            printers[job.printer_id].address,
            job.payload,
        )
        for job in jobs
    ]


async def claim_due(
    session: AsyncSession, *, limit: int = 8, skip_printers: Collection[int] = ()
) -> list[Claim]:
    """Due jobs for printers the server reaches itself, oldest first. ``FOR UPDATE SKIP
    LOCKED``: two workers (or two server processes) never take the same job. The caller
    commits before printing, so the row lock lasts milliseconds, not a print."""
    due = (
        select(PrintJob.id)
        .join(Printer, Printer.id == PrintJob.printer_id)
        .where(
            PrintJob.status == "queued",
            PrintJob.next_attempt_at <= func.now(),
            Printer.kind == "network",
            Printer.id.not_in(skip_printers) if skip_printers else true(),
        )
        .order_by(PrintJob.next_attempt_at, PrintJob.id)
        .limit(limit)
        .with_for_update(of=PrintJob, skip_locked=True)
    )
    return await _claimed(session, (await session.scalars(due)).all())


async def claim_for_agent(
    session: AsyncSession, device_id: int, sent: Collection[int], limit: int = 20
) -> list[Claim]:
    """Jobs for a print agent's printers: due ones, and ones it was sent but never
    acknowledged (a reconnecting agent gets them again and skips what it printed)."""
    due = (
        select(PrintJob.id)
        .join(Printer, Printer.id == PrintJob.printer_id)
        .where(
            Printer.kind == "agent",
            Printer.agent_device_id == device_id,
            or_(
                and_(PrintJob.status == "queued", PrintJob.next_attempt_at <= func.now()),
                and_(PrintJob.status == "printing", PrintJob.id.not_in(sent)),
            ),
        )
        .order_by(PrintJob.id)
        .limit(limit)
        .with_for_update(of=PrintJob, skip_locked=True)
    )
    return await _claimed(session, (await session.scalars(due)).all())
