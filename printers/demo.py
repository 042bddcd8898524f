"""The demo restaurant's printers: one per station, a backup at the pass and the receipt
printer at the front (with the cash drawer), all of them fake printers on 127.0.0.1 that
``brigade serve --demo`` starts, writing var/printed/*.txt.

Their ports are chosen by the operating system each time they start (port 0) and written
into the printer rows before the server serves: two checkouts on one machine each print into
their own files, and ``/printers`` tells the truth about both. A fixed port would let the
second checkout's server print into the first one's printers while saying "OK".
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db import make_engine, make_sessionmaker
from kds.models import Station
from printers.models import Printer

#: The receipt printer: guest checks, receipts, card slips and the drawer kick.
RECEIPT_PRINTER = "Front"
#: The demo's printers by name. The last one is every station's backup.
DEMO_PRINTERS = ["Grill", "Cold", "Pastry", "Bar", RECEIPT_PRINTER, "Pass"]
#: Where the running fleet says which ports it got (in its output folder).
PORTS_FILE = "fake-printers.json"
#: A demo printer's address before its fake printer has started: nothing listens on port 0,
#: so a print fails loudly (the printer shows as off) instead of reaching someone else's.
NOT_STARTED = "127.0.0.1:0"
START_TIMEOUT_S = 15.0


async def add_demo_printers(
    session: AsyncSession, location_id: int, stations: Mapping[str, Station]
) -> None:
    """A network printer per station (by name), the Pass printer as everyone's backup, the
    Front printer for receipts."""
    printers = {
        name: Printer(
            location_id=location_id,
            name=name,
            kind="network",
            address=NOT_STARTED,
            prints_receipts=name == RECEIPT_PRINTER,
        )
        for name in DEMO_PRINTERS
    }
    session.add_all(printers.values())
    await session.flush()
    backup = printers[DEMO_PRINTERS[-1]]
    for station in stations.values():
        own = printers.get(station.name)
        station.printer_id = own.id if own else backup.id
        station.backup_printer_id = backup.id if own else None


async def record_ports(session: AsyncSession, ports: Mapping[str, int]) -> None:
    """Point the demo's printer rows at the ports their fake printers got. Only rows still
    on this machine are changed: a demo printer a manager moved to a real one keeps it."""
    for name, port in ports.items():
        await session.execute(
            update(Printer)
            .where(
                Printer.name == name,
                Printer.kind == "network",
                Printer.address.like("127.0.0.1:%"),
            )
            .values(address=f"127.0.0.1:{port}", trouble=None, trouble_since=None)
        )
    await session.commit()


async def _record_ports_at(url: str, ports: Mapping[str, int]) -> None:
    engine = make_engine(url, pool="null")
    try:
        async with make_sessionmaker(engine)() as session:
            await record_ports(session, ports)
    finally:
        await engine.dispose()


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def start_fake_printers(out: Path) -> tuple[subprocess.Popen[bytes], dict[str, int]]:
    """Start the demo's fake printers in their own process on free ports; return the process
    and each printer's port once they all listen. Raises SystemExit with one clear line when
    they cannot start."""
    ports_file = out / PORTS_FILE
    out.mkdir(parents=True, exist_ok=True)
    ports_file.unlink(missing_ok=True)  # a stale file from the last run must not be read
    process = subprocess.Popen(  # noqa: S603 - our own module, no user input
        [sys.executable, "-m", "printers.fake", "serve", "--demo", "--out", str(out)]
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while not ports_file.exists():
        if process.poll() is not None:
            raise SystemExit(
                f"The demo's fake printers did not start (exit code {process.returncode})."
            )
        if time.monotonic() > deadline:
            _stop(process)
            raise SystemExit(f"The demo's fake printers did not start in {START_TIMEOUT_S:.0f} s.")
        time.sleep(0.05)
    ports = json.loads(ports_file.read_text())["printers"]
    return process, {name: int(port) for name, port in ports.items()}


@contextlib.contextmanager
def fake_printers_running(out: Path, database_url: str) -> Iterator[dict[str, int]]:
    """Run the demo's fake printers beside the server (their own process: the server may
    fork workers), printing to ``out``/<printer>.txt, with their ports written into the
    printer rows; stopped when the server stops."""
    process, ports = start_fake_printers(out)
    try:
        asyncio.run(_record_ports_at(database_url, ports))
        listed = ", ".join(f"{name} {port}" for name, port in ports.items())
        print(f"Fake printers print to {out}/ (ports: {listed}; receipts: front.txt)", flush=True)
        yield ports
    finally:
        _stop(process)
