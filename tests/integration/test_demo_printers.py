"""Two demo checkouts on one machine: each one's fake printers get their own free ports, the
printer rows say which, and a ticket prints into its own checkout's files, never the other's."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from subprocess import Popen

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from printers.demo import DEMO_PRINTERS, NOT_STARTED, record_ports, start_fake_printers
from printers.fake import control_port_in, send_command
from printers.models import Printer
from printers.render import PrintItem, PrintTicket, render_ticket
from printers.transport import PrintFailed, deliver

TICKET = render_ticket(
    PrintTicket("Grill", "4", 21, "Sam", "19:15", 2, (PrintItem("Pork Chop", 1, "Medium"),))
)


@pytest.fixture
def two_checkouts(tmp_path: Path) -> Iterator[tuple[dict[str, int], dict[str, int], Path, Path]]:
    started: list[Popen[bytes]] = []
    try:
        first, first_ports = start_fake_printers(tmp_path / "first" / "printed")
        started.append(first)
        second, second_ports = start_fake_printers(tmp_path / "second" / "printed")
        started.append(second)
        yield first_ports, second_ports, tmp_path / "first", tmp_path / "second"
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=5)


async def addresses(session: AsyncSession) -> dict[str, str]:
    rows = await session.execute(select(Printer.name, Printer.address))
    found = dict(rows.all())
    await session.rollback()
    return found


async def test_a_second_demo_checkout_never_prints_into_the_first_ones_files(
    session: AsyncSession, two_checkouts: tuple[dict[str, int], dict[str, int], Path, Path]
) -> None:
    first, second, first_dir, second_dir = two_checkouts
    assert set(first) == set(second) == set(DEMO_PRINTERS)
    assert not set(first.values()) & set(second.values())
    # Before its printers start, a demo printer points nowhere (a print fails loudly).
    assert set((await addresses(session)).values()) == {NOT_STARTED}

    await record_ports(session, first)

    grill = (await addresses(session))["Grill"]
    assert grill == f"127.0.0.1:{first['Grill']}"
    await asyncio.to_thread(deliver, grill, TICKET, 2.0)
    printed = (first_dir / "printed" / "grill.txt").read_text()
    assert "Pork Chop" in printed
    assert not (second_dir / "printed" / "grill.txt").exists()


async def test_switching_off_one_checkouts_fake_grill_leaves_the_others_printing(
    two_checkouts: tuple[dict[str, int], dict[str, int], Path, Path],
) -> None:
    first, second, first_dir, second_dir = two_checkouts
    control = control_port_in(first_dir / "printed")
    assert control != control_port_in(second_dir / "printed")

    assert await send_command("grill", "off", control) == "ok Grill off"

    with pytest.raises(PrintFailed):
        await asyncio.to_thread(deliver, f"127.0.0.1:{first['Grill']}", TICKET, 1.0)
    await asyncio.to_thread(deliver, f"127.0.0.1:{second['Grill']}", TICKET, 2.0)
    assert "Pork Chop" in (second_dir / "printed" / "grill.txt").read_text()
