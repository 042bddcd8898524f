"""``brigade printers set`` and ``brigade print-agent add``: printers set up from a shell,
stations named as staff name them (whatever their case, never as a wildcard)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.models import Device
from kds.models import Station
from printers.models import Printer
from tests.integration.test_staff_console import brigade


async def test_a_printer_is_set_on_a_station_named_in_any_case(
    db_url: str, session: AsyncSession
) -> None:
    done = await brigade(
        db_url, "printers", "set", "Pass", "10.0.0.9:9100", "--station", "grill", "--columns", "32"
    )
    wildcard = await brigade(db_url, "printers", "set", "Pass", "10.0.0.9:9100", "--station", "G%")

    assert done.returncode == 0, done.stderr
    assert "Pass" in done.stdout and "prints: Grill" in done.stdout
    assert wildcard.returncode != 0
    assert "No station called 'G%'." in wildcard.stderr
    printer = await session.scalar(select(Printer).where(Printer.name == "Pass"))
    assert printer is not None and printer.columns == 32
    grill = await session.scalar(select(Station).where(Station.name == "Grill"))
    assert grill is not None and grill.printer_id == printer.id


async def test_a_print_agent_gets_a_token_once_for_the_printers_it_prints(
    db_url: str, session: AsyncSession
) -> None:
    await brigade(db_url, "printers", "set", "Pass", "10.0.0.9:9100")
    added = await brigade(db_url, "print-agent", "add", "Kitchen PC", "--printer", "pass")
    unknown = await brigade(db_url, "print-agent", "add", "Bar PC", "--printer", "Nope")

    assert added.returncode == 0, added.stderr
    assert "Its token (shown once)" in added.stdout
    assert unknown.returncode != 0 and "No printer called 'Nope'." in unknown.stderr
    names = (await session.scalars(select(Device.name).where(Device.kind == "agent"))).all()
    assert "Kitchen PC" in names and "Bar PC" not in names
