"""The demo restaurant's printers: one per station, a backup at the pass and the receipt
printer at the front (with the cash drawer), all of them fake printers on 127.0.0.1 that
``brigade serve --demo`` starts, writing var/printed/*.txt."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from kds.models import Station
from printers.models import Printer

#: The receipt printer: guest checks, receipts, card slips and the drawer kick.
RECEIPT_PRINTER = "Front"
#: (printer name, port). The last one is every station's backup.
DEMO_PRINTERS = [
    ("Grill", 9101),
    ("Cold", 9102),
    ("Pastry", 9103),
    ("Bar", 9104),
    (RECEIPT_PRINTER, 9106),
    ("Pass", 9105),
]


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
            address=f"127.0.0.1:{port}",
            prints_receipts=name == RECEIPT_PRINTER,
        )
        for name, port in DEMO_PRINTERS
    }
    session.add_all(printers.values())
    await session.flush()
    backup = printers[DEMO_PRINTERS[-1][0]]
    for station in stations.values():
        own = printers.get(station.name)
        station.printer_id = own.id if own else backup.id
        station.backup_printer_id = backup.id if own else None


@contextlib.contextmanager
def fake_printers_running(out: Path) -> Iterator[None]:
    """Run the demo's fake printers beside the server (their own process: the server may
    fork workers), printing to ``out``/<station>.txt; stopped when the server stops."""
    print(f"Fake printers print to {out}/ (ports 9101-9106; receipts: front.txt)", flush=True)
    process = subprocess.Popen(  # noqa: S603 - our own module, no user input
        [sys.executable, "-m", "printers.fake", "serve", "--demo", "--out", str(out)]
    )
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
