"""The printers as the back office sets them up: where each one is, its paper width, which
one prints receipts (and opens the cash drawer), and which stations print where.

A printer is reached by the server itself (``host:port`` on the LAN, ``usb:VID:PID``,
``serial:/dev/...``) or by a print agent it was given to when the agent was paired; an
agent's printers stay the agent's when their address changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from sqlalchemy import select, update

from app.core import menu_rules
from app.core.errors import BadInput, NotFound
from app.core.inputs import clean_text, parse_whole
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork
from kds.models import Station
from printers.models import Printer

#: Characters per line: 58 mm paper, 80 mm paper, 80 mm in the small font.
WIDTHS = (32, 42, 48)
_HOST = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,252}", re.ASCII)
_USB = re.compile(r"usb:[0-9a-fA-F]{4}:[0-9a-fA-F]{4}", re.ASCII)
_SERIAL = re.compile(r"serial:/dev/[A-Za-z0-9._/\-]{1,60}", re.ASCII)


def printer_address(raw: str) -> str:
    """Where the printer is, as the transport reads it (``printers.transport.parse_address``)."""
    text = clean_text(raw, "The address", limit=200, lines=False).strip()
    if _USB.fullmatch(text) or _SERIAL.fullmatch(text):
        return text
    host, colon, port = text.rpartition(":") if ":" in text else (text, "", "")
    if not _HOST.fullmatch(host) or (colon and not port.isascii()):
        raise BadInput(
            "The address is the printer's network address and port (192.168.1.50:9100), "
            "usb:04b8:0202 or serial:/dev/ttyUSB0."
        )
    if colon:
        parse_whole(port, "The printer's port", low=1, high=65535)
    return text


@dataclass(frozen=True, slots=True)
class PrinterDraft:
    name: str
    address: str
    columns: int


def printer_draft(form: Mapping[str, str]) -> PrinterDraft:
    columns = parse_whole(form.get("columns", "") or "42", "Characters per line", low=1, high=99)
    if columns not in WIDTHS:
        raise BadInput("Characters per line is 32 (58 mm paper), 42 (80 mm) or 48 (80 mm small).")
    return PrinterDraft(
        name=menu_rules.menu_name(form.get("name", ""), "printer"),
        address=printer_address(form.get("address", "")),
        columns=columns,
    )


async def _printer(uow: UnitOfWork, location_id: int, printer_id: int) -> Printer:
    found = await uow.session.scalar(
        select(Printer)
        .where(Printer.id == printer_id, Printer.location_id == location_id)
        .with_for_update()
    )
    if found is None:
        raise NotFound("That printer is not one of this restaurant's.")
    return found


async def add_printer(
    uow: UnitOfWork, location_id: int, actor_id: int, draft: PrinterDraft, key: str | None
) -> int:
    claim = await idempotency.claim(uow.session, key, "add_printer", asdict(draft))
    if claim.replay is not None:
        return int(claim.replay["printer_id"])
    made = Printer(location_id=location_id, kind="network", **asdict(draft))
    uow.session.add(made)
    await uow.session.flush()
    await audit.record(
        uow.session, "add_printer", f"printer:{made.id}", actor_id=actor_id, **asdict(draft)
    )
    await idempotency.remember(uow.session, claim, {"printer_id": made.id})
    return made.id


async def change_printer(
    uow: UnitOfWork, location_id: int, actor_id: int, printer_id: int, draft: PrinterDraft
) -> None:
    printer = await _printer(uow, location_id, printer_id)
    before = {name: getattr(printer, name) for name in asdict(draft)}
    if before == asdict(draft):
        return
    for name, value in asdict(draft).items():
        setattr(printer, name, value)
    await audit.record(
        uow.session, "change_printer", f"printer:{printer_id}", actor_id=actor_id,
        before=before, after=asdict(draft),
    )  # fmt: skip


async def print_receipts_on(
    uow: UnitOfWork, location_id: int, actor_id: int, printer_id: int | None
) -> None:
    """One receipt printer a location: the one the cash drawer hangs on (None: none)."""
    if printer_id is not None:
        await _printer(uow, location_id, printer_id)
    await uow.session.execute(
        update(Printer)
        .where(Printer.location_id == location_id)
        .values(prints_receipts=Printer.id == printer_id if printer_id else False)
    )
    await audit.record(
        uow.session, "receipt_printer", f"location:{location_id}", actor_id=actor_id,
        printer=printer_id,
    )  # fmt: skip


async def print_station_on(
    uow: UnitOfWork,
    location_id: int,
    actor_id: int,
    station_id: int,
    printer_id: int | None,
    backup_id: int | None,
) -> None:
    """Which printer prints a station's tickets, and which takes over when that one fails."""
    for chosen in {printer_id, backup_id} - {None}:
        await _printer(uow, location_id, int(chosen or 0))
    if printer_id is not None and printer_id == backup_id:
        raise BadInput("A printer cannot back itself up: pick another backup, or none.")
    if backup_id is not None and printer_id is None:
        raise BadInput("Pick the station's printer before its backup.")
    changed = await uow.session.execute(
        update(Station)
        .where(Station.id == station_id, Station.location_id == location_id)
        .values(printer_id=printer_id, backup_printer_id=backup_id)
        .returning(Station.name)
    )
    station = changed.scalar_one_or_none()
    if station is None:
        raise NotFound("That station does not exist.")
    await audit.record(
        uow.session, "station_printer", f"station:{station_id}", actor_id=actor_id,
        station=station, printer=printer_id, backup=backup_id,
    )  # fmt: skip
