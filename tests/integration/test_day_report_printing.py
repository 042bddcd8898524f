"""The Z on the receipt printer, for real: over TCP to a fake ESC/POS printer, decoded back.
A printer that is off fails the paper, never the close: the Z is saved and prints again."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.models import DayClose
from app.accounting.z_reports import print_x, reprint_z
from app.platform.receipts import ReceiptBus
from printers.fake import FakePrinter
from printers.models import Printer, PrintJob
from printers.receipts import receipt_jobs
from printers.worker import PrintWorker
from tests.conftest import STAFF_IDS
from tests.integration.test_day_close import close, paid_cash, today
from tests.integration.test_print_queue import FAST, Announced

MIA = STAFF_IDS["Mia"]


def receipts() -> ReceiptBus:
    bus = ReceiptBus()
    bus.subscribe(receipt_jobs)  # as app/main.py wires it
    return bus


async def point_front_at(session: AsyncSession, address: str) -> None:
    await session.execute(
        update(Printer).where(Printer.prints_receipts.is_(True)).values(address=address)
    )
    await session.commit()


async def report_jobs(session: AsyncSession) -> list[str]:
    found = (
        await session.scalars(
            select(PrintJob.status).where(PrintJob.kind == "report").order_by(PrintJob.id)
        )
    ).all()
    await session.rollback()
    return list(found)


async def test_printer_off_the_day_still_closes_and_the_z_prints_once_it_is_back(
    uow_factory: Any, session: AsyncSession, sessionmaker_: Any
) -> None:
    await paid_cash(uow_factory, session, "Burrata", "IPA Draft")
    day = await today(uow_factory)
    await point_front_at(session, "127.0.0.1:1")  # nothing listens there: the printer is off

    z = await close(uow_factory, day, receipts=receipts())
    await PrintWorker(sessionmaker_, Announced(), policy=FAST, timeout_s=0.3).drain()

    assert await session.scalar(select(func.count()).select_from(DayClose)) == 1
    await session.rollback()
    assert await report_jobs(session) == ["failed"]  # listed on the Printers page

    fake = FakePrinter("Front")
    await fake.start()
    try:
        await point_front_at(session, fake.address)
        assert await uow_factory(reprint_z, 1, day, MIA, receipts(), "again") == 1
        await PrintWorker(sessionmaker_, Announced(), policy=FAST, timeout_s=0.5).drain()
    finally:
        await fake.stop()

    [paper] = fake.printed
    assert f"Z REPORT #{z.z_number} REPRINT" in " ".join(paper)
    assert any(line.startswith("NET SALES") for line in paper)
    assert any(line.startswith("Chain") and z.hash[:16] in line for line in paper)
    assert await report_jobs(session) == ["failed", "printed"]


async def test_the_x_prints_the_day_so_far(
    uow_factory: Any, session: AsyncSession, sessionmaker_: Any
) -> None:
    await paid_cash(uow_factory, session, "Burrata")
    fake = FakePrinter("Front")
    await fake.start()
    try:
        await point_front_at(session, fake.address)
        assert await uow_factory(print_x, 1, MIA, receipts(), "x-1") == 1
        assert await uow_factory(print_x, 1, MIA, receipts(), "x-1") == 1  # a double tap
        await PrintWorker(sessionmaker_, Announced(), policy=FAST, timeout_s=0.5).drain()
    finally:
        await fake.stop()

    [paper] = fake.printed
    assert "X REPORT" in paper and "Nothing is closed: figures so far." in paper
    assert await session.scalar(select(func.count()).select_from(DayClose)) == 0
