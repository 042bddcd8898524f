"""A cash receipt is printed from the check as the payment left it (not read again): its
bytes must be exactly those of a receipt printed from a fresh read of the check."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing import discounts
from app.billing import service as billing
from app.billing.models import Payment
from app.billing.presentation import bill_view
from app.menu.availability import zone_named
from app.orders import firing
from app.orders.models import Check
from app.platform.kitchen import KitchenBus
from app.platform.models import Location
from printers.models import Printer, PrintJob
from printers.receipt import render_receipt
from printers.receipts import _format_money
from tests.integration.test_discounts import _named
from tests.integration.test_receipts import MARIA, bus, dinner


async def _fresh_receipt(session: AsyncSession, check: int, job: PrintJob) -> bytes:
    """The receipt of ``job``'s payment as printed from a new read of the check."""
    printer = await session.get(Printer, job.printer_id)
    location = await session.scalar(select(Location))
    assert printer is not None and location is not None
    printed = job.created_at.astimezone(zone_named(location.timezone)).strftime("%Y-%m-%d %H:%M")
    bill = await bill_view(session, check)
    payment_id = await session.scalar(select(func.max(Payment.id)))  # the one just taken
    receipt = render_receipt(
        bill,
        lambda minor: _format_money(minor, location.currency, location.locale),
        printed=printed,
        columns=printer.columns,
        payment_id=payment_id,
    )
    await session.rollback()
    return receipt


async def _receipts(session: AsyncSession) -> list[PrintJob]:
    session.expire_all()
    found = await session.scalars(
        select(PrintJob).where(PrintJob.kind == "receipt").order_by(PrintJob.id)
    )
    jobs = list(found.all())
    for job in jobs:  # plain values from here on: the comparisons roll the session back
        session.expunge(job)
    return jobs


async def test_cash_receipts_match_a_fresh_read_through_split_tender_and_a_discount(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await dinner(uow_factory, session)
    await uow_factory(firing.send_order, check, MARIA, KitchenBus())
    loyalty = await _named(session, "Loyalty 10 %")
    await uow_factory(discounts.apply_discount, check, None, loyalty, "regular", MARIA)

    async def version() -> int:
        session.expire_all()
        found = await session.scalar(select(Check.version).where(Check.id == check))
        await session.rollback()
        return int(found or 0)

    # Part in cash (the check stays open), then the rest in cash with change and a tip.
    first = await uow_factory(
        billing.pay_cash, check, 2000, await version(), MARIA, amount=1500, receipts=bus()
    )
    assert not first.closed and first.change == 500
    (part,) = await _receipts(session)
    assert part.payload == await _fresh_receipt(session, check, part)
    assert b"Balance due" in part.payload
    last = await uow_factory(
        billing.pay_cash, check, 10_000, await version(), MARIA, tip=300, receipts=bus()
    )
    assert last.closed

    jobs = await _receipts(session)
    assert len(jobs) == 2
    # The last shows the check closed with both payments, as a fresh read of it does.
    assert jobs[-1].payload == await _fresh_receipt(session, check, jobs[-1])
    assert b"Loyalty" in jobs[-1].payload and b"PAID" in jobs[-1].payload
