"""A kitchen ticket as printed paper: the ticket's data, its station's printers, the bytes."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.models import Location
from kds import service as kds
from kds.models import Station
from printers.models import Printer
from printers.render import PrintItem, PrintTicket, render_ticket

#: Job kinds (print_job.kind) and how each is rendered.
TICKET, VOID, REPRINT = "ticket", "void", "reprint"


@dataclass(frozen=True, slots=True)
class StationPrinters:
    station_id: int
    station: str
    printer_id: int | None
    backup_printer_id: int | None


async def station_printers(session: AsyncSession, station_id: int) -> StationPrinters:
    row = (
        await session.execute(
            select(Station.name, Station.printer_id, Station.backup_printer_id).where(
                Station.id == station_id
            )
        )
    ).one()
    return StationPrinters(station_id, row.name, row.printer_id, row.backup_printer_id)


async def _local_clock(session: AsyncSession, station_id: int) -> ZoneInfo:
    name = await session.scalar(
        select(Location.timezone)
        .join(Station, Station.location_id == Location.id)
        .where(Station.id == station_id)
    )
    return ZoneInfo(name or "UTC")


async def print_ticket(
    session: AsyncSession, ticket_id: int
) -> tuple[PrintTicket, StationPrinters]:
    """The ticket as the kitchen display shows it, fire time on the kitchen's clock; and
    the printers of its station."""
    view = await kds.ticket(session, ticket_id)
    stations = await station_printers(session, view.station_id)
    clock = await _local_clock(session, view.station_id)
    ticket = PrintTicket(
        station=stations.station,
        table=view.table_name,
        check_number=view.check_number,
        server=view.server_name,
        fired=view.fired_at.astimezone(clock).strftime("%H:%M"),
        seq=view.seq,
        items=tuple(
            PrintItem(i.name, i.quantity, i.modifiers, i.note, i.seat, i.course) for i in view.items
        ),
        allergies=view.allergies,
        void=view.kind == "void",
    )
    return ticket, stations


async def render_job(
    session: AsyncSession,
    ticket_id: int,
    kind: str,
    printer: Printer,
    backup_from: str | None = None,
) -> bytes:
    ticket, _ = await print_ticket(session, ticket_id)
    return render_ticket(
        ticket, columns=printer.columns, reprint=kind == REPRINT, backup_from=backup_from
    )


def label(printer_name: str) -> str:
    """ "Grill" -> "Grill printer"; a printer already called "Bar printer" stays so."""
    name = printer_name.strip()
    return name if name.lower().endswith("printer") else f"{name} printer"
