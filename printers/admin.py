"""``brigade printers ...`` and ``brigade print-agent add``: set printers up from a shell.

Kept out of the web UI for now: a printer is set up once, by whoever plugs it in.
"""

from __future__ import annotations

import argparse
import secrets
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.auth import token_digest
from app.platform.console import named, run_chore
from app.platform.models import Device
from kds.models import Station
from printers.models import Printer

COMMANDS = ("printers", "print-agent")


def add_commands(sub: Any) -> None:
    printers = sub.add_parser("printers", help="kitchen printers: list them, add or change one")
    what = printers.add_subparsers(dest="printers_command")
    what.add_parser("list", help="every printer, its stations and its trouble")
    put = what.add_parser("set", help="add a printer, or change one of that name")
    put.add_argument("name", help='what staff call it: "Grill"')
    put.add_argument("address", help="192.168.1.50:9100, usb:04b8:0202 or serial:/dev/ttyUSB0")
    put.add_argument("--station", action="append", default=[], help="prints this station")
    put.add_argument("--backup-for", action="append", default=[], help="backs this station up")
    put.add_argument("--columns", type=int, help="characters per line (42: 80 mm, 32: 58 mm)")
    agent = sub.add_parser("print-agent", help="print agents on the restaurant LAN")
    agent_what = agent.add_subparsers(dest="agent_command", required=True)
    add = agent_what.add_parser("add", help="issue an agent's token; it prints these printers")
    add.add_argument("name", help='where it runs: "Kitchen PC"')
    add.add_argument("--printer", action="append", required=True, help="a printer's name")


def run(args: argparse.Namespace, url: str) -> int:
    async def chore(session: AsyncSession, location: int) -> int:
        if args.command == "print-agent":
            return await _add_agent(session, location, args.name, args.printer)
        if getattr(args, "printers_command", None) == "set":
            await _set_printer(session, location, args)
        await _list(session, location)
        return 0

    return run_chore(url, chore)


async def _by_name(session: AsyncSession, model: Any, location: int, name: str) -> Any:
    found = await session.scalar(
        select(model).where(model.location_id == location, named(model.name, name))
    )
    if found is None:
        raise SystemExit(f"No {model.__tablename__} called {name!r}.")
    return found


async def _set_printer(session: AsyncSession, location: int, args: argparse.Namespace) -> None:
    printer = await session.scalar(
        select(Printer).where(Printer.location_id == location, named(Printer.name, args.name))
    )
    if printer is None:
        printer = Printer(location_id=location, name=args.name, kind="network")
        session.add(printer)
    printer.address = args.address
    if args.columns:
        printer.columns = args.columns
    await session.flush()
    for name in args.station:
        (await _by_name(session, Station, location, name)).printer_id = printer.id
    for name in args.backup_for:
        (await _by_name(session, Station, location, name)).backup_printer_id = printer.id


async def _add_agent(session: AsyncSession, location: int, name: str, printers: list[str]) -> int:
    token = secrets.token_urlsafe(32)
    device = Device(location_id=location, name=name, kind="agent", token_hash=token_digest(token))
    session.add(device)
    await session.flush()
    for printer_name in printers:
        printer = await _by_name(session, Printer, location, printer_name)
        await session.execute(
            update(Printer)
            .where(Printer.id == printer.id)
            .values(kind="agent", agent_device_id=device.id)
        )
    print(f"Print agent {name!r} prints {', '.join(printers)}. Its token (shown once):\n")
    print(f"  {token}\n")
    print("Run it on the LAN: brigade-print-agent --server ws://SERVER:8000 --token TOKEN")
    print("(Or skip this: brigade-print-agent --server ws://SERVER:8000 --pair shows a code")
    print(" for a manager to type on the back office's Devices screen.)")
    return 0


async def _list(session: AsyncSession, location: int) -> None:
    stations = (await session.scalars(select(Station).where(Station.location_id == location))).all()
    for printer in await session.scalars(
        select(Printer).where(Printer.location_id == location).order_by(Printer.id)
    ):
        prints = [s.name for s in stations if s.printer_id == printer.id]
        backs = [s.name for s in stations if s.backup_printer_id == printer.id]
        print(
            f"{printer.name:<12} {printer.kind:<8} {printer.address:<24}"
            f" prints: {', '.join(prints) or '-'}; backup for: {', '.join(backs) or '-'}"
            + (f"  TROUBLE: {printer.trouble}" if printer.trouble else "")
        )
