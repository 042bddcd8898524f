"""What the Printers page shows: each printer and its trouble, failed jobs, recent jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from kds.models import Station, Ticket
from printers.models import Printer, PrintJob
from printers.tickets import label


@dataclass(frozen=True, slots=True)
class PrinterRow:
    id: int
    name: str
    kind: str
    address: str
    trouble: str | None
    trouble_since: datetime | None
    prints: list[str]
    backs_up: list[str]
    waiting: int


@dataclass(frozen=True, slots=True)
class JobRow:
    id: int
    ticket_id: int | None
    what: str
    kind: str
    status: str
    printer: str
    #: The printer it was meant for, when it went to the backup.
    meant_for: str | None
    error: str | None
    attempts: int
    created_at: datetime
    printed_at: datetime | None


async def printer_rows(session: AsyncSession, location_id: int) -> list[PrinterRow]:
    stations = (
        await session.scalars(select(Station).where(Station.location_id == location_id))
    ).all()
    counts = await session.execute(
        select(PrintJob.printer_id, func.count())
        .where(PrintJob.status.in_(("queued", "printing")))
        .group_by(PrintJob.printer_id)
    )
    waiting = {printer_id: int(n) for printer_id, n in counts.all()}
    printers = await session.scalars(
        select(Printer).where(Printer.location_id == location_id).order_by(Printer.name)
    )
    return [
        PrinterRow(
            p.id,
            label(p.name),
            p.kind,
            p.address,
            p.trouble,
            p.trouble_since,
            [s.name for s in stations if s.printer_id == p.id],
            [s.name for s in stations if s.backup_printer_id == p.id],
            waiting.get(p.id, 0),
        )
        for p in printers
    ]


async def job_rows(
    session: AsyncSession, location_id: int, *, failed: bool, limit: int = 30
) -> list[JobRow]:
    """Failed jobs (all of them: each one is food nobody was told to make), or recent ones."""
    meant = aliased(Printer)
    query = (
        select(PrintJob, Printer.name, meant.name, Station.name, Ticket.seq, Ticket.table_name)
        .join(Printer, Printer.id == PrintJob.printer_id)
        .outerjoin(meant, meant.id == PrintJob.original_printer_id)
        .outerjoin(Ticket, Ticket.id == PrintJob.ticket_id)
        .outerjoin(Station, Station.id == Ticket.station_id)
        .where(Printer.location_id == location_id)
        .order_by(PrintJob.id.desc())
    )
    if failed:
        query = query.where(PrintJob.status == "failed")
    else:
        query = query.where(PrintJob.status != "failed").limit(limit)
    return [
        JobRow(
            job.id,
            job.ticket_id,
            f"{station} ticket {seq} · Table {table}" if station else f"Job {job.id}",
            job.kind,
            job.status,
            label(printer),
            label(meant_for) if meant_for else None,
            job.error,
            job.attempts,
            job.created_at,
            job.printed_at,
        )
        for job, printer, meant_for, station, seq, table in (await session.execute(query)).all()
    ]


async def page(session: AsyncSession, location_id: int) -> dict[str, object]:
    return {
        "printers": await printer_rows(session, location_id),
        "failed": await job_rows(session, location_id, failed=True),
        "recent": await job_rows(session, location_id, failed=False),
    }
