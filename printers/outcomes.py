"""What happened to a claimed job: printed, or failed (retry, move to the backup, give up).

Each outcome is one transaction that locks the job row first, then its printer row, always
in that order, so a worker and an agent settling jobs at once never deadlock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db import UnitOfWork
from kds.models import Ticket
from kds.service import EXPO_CHANNEL, station_channel
from printers.models import Printer, PrintJob
from printers.service import PRINTERS_CHANNEL, RetryPolicy
from printers.tickets import label, render_job, station_printers

#: Where staff look: the floor (servers, managers) and the station's own screens.
FLOOR_CHANNEL = "floor"


def alert(uow: UnitOfWork, station_id: int, message: str) -> None:
    uow.announce(FLOOR_CHANNEL, {"alert": message})
    uow.announce(station_channel(station_id), {"alert": message})


async def _locked_job(uow: UnitOfWork, job_id: int) -> PrintJob | None:
    return await uow.session.scalar(
        select(PrintJob)
        .where(PrintJob.id == job_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def record_printed(uow: UnitOfWork, job_id: int, agent_id: int | None = None) -> bool:
    """The printer confirmed (or the agent acknowledged): printed, and its trouble is over.

    An agent may only settle jobs of its own printers. A late acknowledgement still wins
    over a retry or a move to the backup: the paper exists, printing it again would make
    the kitchen cook it twice.
    """
    session = uow.session
    job = await _locked_job(uow, job_id)
    if job is None or job.status == "printed":
        return False
    printed_on = job.printer_id
    if agent_id is not None:
        mine = set(
            await session.scalars(
                select(Printer.id).where(
                    Printer.id.in_([job.printer_id, job.original_printer_id or 0]),
                    Printer.kind == "agent",
                    Printer.agent_device_id == agent_id,
                )
            )
        )
        if not mine:
            return False
        printed_on = job.printer_id if job.printer_id in mine else min(mine)
    await session.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id)
        .values(status="printed", printed_at=func.now(), error=None)
    )
    mended = await session.execute(
        update(Printer)
        .where(Printer.id == printed_on, Printer.trouble.is_not(None))
        .values(trouble=None, trouble_since=None)
        .returning(Printer.id)
    )
    if mended.first() is not None:
        uow.announce(FLOOR_CHANNEL, {"alerts": "printer back"})
    if job.ticket_id is not None:
        await _paper_is_seen(uow, job.ticket_id)
    uow.announce(PRINTERS_CHANNEL, {"printed": job_id})
    return True


async def _paper_is_seen(uow: UnitOfWork, ticket_id: int) -> None:
    """A printed ticket is in the kitchen's hands: it counts as acknowledged, as a screen
    showing it would, so a station with only a printer never raises "not seen" alerts."""
    seen = (
        await uow.session.execute(
            update(Ticket)
            .where(Ticket.id == ticket_id, Ticket.acknowledged_at.is_(None))
            .values(acknowledged_at=func.now())
            .returning(Ticket.station_id, Ticket.alerted_at)
        )
    ).first()
    if seen is not None and seen.alerted_at is not None:  # an alert stood: clear it
        uow.announce(EXPO_CHANNEL, {"acknowledged": seen.station_id})
        uow.announce(FLOOR_CHANNEL, {"alerts": "acknowledged"})


@dataclass(frozen=True, slots=True)
class PrinterAlert:
    """A printer problem as the floor plan's banner shows it (app.floor.alerts)."""

    key: str
    text: str
    since: datetime


async def printer_alerts(session: AsyncSession, location_id: int) -> list[PrinterAlert]:
    """Printers in trouble now, and prints that gave up (they wait for a retry)."""
    troubled = await session.execute(
        select(Printer.id, Printer.name, Printer.trouble, Printer.trouble_since).where(
            Printer.location_id == location_id, Printer.trouble_since.is_not(None)
        )
    )
    found = [
        PrinterAlert(
            f"printer-{p.id}-{p.trouble_since.timestamp():.0f}",
            f"{label(p.name)} is {p.trouble}",
            p.trouble_since,
        )
        for p in troubled
    ]
    failed = await session.execute(
        select(
            Printer.name,
            func.count(PrintJob.id).label("jobs"),
            func.max(PrintJob.id).label("last"),
            func.min(PrintJob.created_at).label("since"),
        )
        # Named after the printer it was meant for: the Grill's ticket, even if the backup
        # was the last to fail.
        .join(
            Printer, Printer.id == func.coalesce(PrintJob.original_printer_id, PrintJob.printer_id)
        )
        .where(PrintJob.status == "failed", Printer.location_id == location_id)
        .group_by(Printer.id, Printer.name)
    )
    for f in failed:
        what = "1 print" if f.jobs == 1 else f"{f.jobs} prints"
        found.append(
            PrinterAlert(
                f"failed-{f.last}",
                f"{what} did not come out on {label(f.name)}: retry on the Printers page",
                f.since,
            )
        )
    return found


async def record_failure(
    uow: UnitOfWork,
    job_id: int,
    reason: str,
    policy: RetryPolicy | None = None,
    *,
    give_up: bool = False,
) -> str | None:
    """Count a failed attempt; returns the job's new status (None: already settled).

    A printer already known to be in trouble before this job was created hands the job
    straight to its backup after one try (``give_up`` does the same): in a rush, every new
    ticket should not wait out the whole backoff on a printer everyone knows is off.
    """
    policy = policy or RetryPolicy()
    session = uow.session
    job = await _locked_job(uow, job_id)
    if job is None or job.status not in ("printing", "queued"):
        return None
    # populate_existing: rows this session saw earlier were changed by UPDATEs since.
    printer = await session.get(
        Printer, job.printer_id, with_for_update=True, populate_existing=True
    )
    assert printer is not None
    # In trouble before this job even existed: the job never saw the printer working.
    known_down = printer.trouble_since is not None and printer.trouble_since < job.created_at
    await session.execute(
        update(Printer)
        .where(Printer.id == printer.id)
        .values(trouble=reason, trouble_since=func.coalesce(Printer.trouble_since, func.now()))
    )
    attempts = job.attempts + 1
    if attempts < policy.attempts and not known_down and not give_up:
        await session.execute(
            update(PrintJob)
            .where(PrintJob.id == job_id)
            .values(
                status="queued",
                attempts=attempts,
                error=reason,
                next_attempt_at=func.now() + policy.delay(attempts),
            )
        )
        return "queued"
    return await _move_to_backup_or_fail(uow, job, printer, reason, attempts)


async def _move_to_backup_or_fail(
    uow: UnitOfWork, job: PrintJob, printer: Printer, reason: str, attempts: int
) -> str:
    session = uow.session
    if job.ticket_id is None:  # not a kitchen ticket (a receipt): no station, no backup
        await session.execute(
            update(PrintJob)
            .where(PrintJob.id == job.id)
            .values(status="failed", attempts=attempts, error=f"{label(printer.name)} is {reason}")
        )
        return "failed"
    ticket = (
        await session.execute(
            select(Ticket.station_id, Ticket.seq).where(Ticket.id == job.ticket_id)
        )
    ).one()
    printers = await station_printers(session, ticket.station_id)
    backup_id = printers.backup_printer_id
    if job.original_printer_id is None and backup_id not in (None, job.printer_id):
        backup = await session.get(Printer, backup_id)
        assert backup is not None
        assert job.ticket_id is not None
        payload = await render_job(session, job.ticket_id, job.kind, backup, printer.name)
        await session.execute(
            update(PrintJob)
            .where(PrintJob.id == job.id)
            .values(
                printer_id=backup.id,
                original_printer_id=printer.id,
                payload=payload,
                status="queued",
                attempts=0,
                error=reason,
                next_attempt_at=func.now(),
                claimed_at=None,
            )
        )
        alert(
            uow,
            ticket.station_id,
            f"{label(printer.name)} is {reason}: printing on {label(backup.name)}",
        )
        uow.announce(PRINTERS_CHANNEL, {"jobs": [job.id]})
        return "moved"
    await session.execute(
        update(PrintJob)
        .where(PrintJob.id == job.id)
        .values(status="failed", attempts=attempts, error=f"{label(printer.name)} is {reason}")
    )
    alert(
        uow,
        ticket.station_id,
        f"{printers.station} ticket {ticket.seq} did not print: {label(printer.name)} is "
        f"{reason}. Retry it on the Printers page.",
    )
    return "failed"


async def sweep(
    uow: UnitOfWork,
    policy: RetryPolicy | None = None,
    *,
    agent_timeout_s: float = 20.0,
    stale_s: float = 120.0,
) -> int:
    """Jobs nobody is settling. Returns how many it touched.

    - An agent job claimed but not acknowledged in time counts as a failed attempt (it is
      sent again; the agent skips it if it did print). One queued that long means no
      agent is connected: it goes straight to the backup.
    - A network job left ``printing`` by a server that died mid-print is queued again:
      a ticket printed twice is better than a ticket lost.
    """
    session = uow.session
    late = func.now() - timedelta(seconds=agent_timeout_s)
    unanswered = (
        await session.execute(
            select(PrintJob.id, PrintJob.status)
            .join(Printer, Printer.id == PrintJob.printer_id)
            .where(
                Printer.kind == "agent",
                or_(
                    and_(PrintJob.status == "printing", PrintJob.claimed_at < late),
                    and_(PrintJob.status == "queued", PrintJob.next_attempt_at < late),
                ),
            )
            .with_for_update(of=PrintJob, skip_locked=True)
        )
    ).all()
    for job_id, status in unanswered:
        reason = "not answering (print agent)" if status == "printing" else "offline (no agent)"
        await record_failure(uow, job_id, reason, policy, give_up=status == "queued")
    stale = await uow.session.execute(
        update(PrintJob)
        .where(
            PrintJob.status == "printing",
            PrintJob.claimed_at < func.now() - timedelta(seconds=stale_s),
            PrintJob.printer_id.in_(select(Printer.id).where(Printer.kind == "network")),
        )
        .values(status="queued", next_attempt_at=func.now())
        .returning(PrintJob.id)
    )
    return len(unanswered) + len(stale.all())
