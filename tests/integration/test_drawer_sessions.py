"""Cash drawers on real PostgreSQL: float, cash taken and given back, movements, the count.

Payments are written as the payment code records them (amount, tendered, change and the
drawer session), so the drawer's arithmetic is tested on the very rows it will read.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing import drawers
from app.billing.drawer_counts import drawer_count
from app.billing.models import DrawerMovement, DrawerSession, Payment, Refund
from app.core.errors import BadInput, Conflict
from app.orders import service as orders
from app.platform.db import UnitOfWork
from app.platform.models import AuditEntry
from app.platform.receipts import ReceiptBus
from printers.models import PrintJob
from printers.receipts import receipt_jobs
from tests.conftest import STAFF_IDS
from tests.demo_ids import table_id

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]


async def main_drawer(session: AsyncSession) -> int:
    """The demo's Main drawer, open with a $200 float."""
    found = await session.scalar(select(DrawerSession.id).where(DrawerSession.drawer == "Main"))
    assert found is not None
    await session.rollback()
    return int(found)


async def a_check(uow_factory: Any, session: AsyncSession, table: str = "5") -> int:
    return int(await uow_factory(orders.open_table, await table_id(session, table), 2, MARIA, 1))


async def pay(
    session: AsyncSession, check: int, drawer: int, method: str, amount: int, tendered: int
) -> int:
    """A payment as the payment code writes it: what stayed in the drawer is ``amount``."""
    payment = await session.scalar(
        insert(Payment)
        .values(
            check_id=check,
            method=method,
            amount=amount,
            tendered=tendered,
            change=tendered - amount,
            taken_by=MARIA,
            drawer_session_id=drawer,
            card_brand="visa" if method == "card" else None,
            card_last4="4242" if method == "card" else None,
        )
        .returning(Payment.id)
    )
    await session.commit()
    return int(payment or 0)


async def audit_actions(session: AsyncSession, subject: str) -> list[str]:
    rows = await session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject == subject).order_by(AuditEntry.id)
    )
    found = list(rows.all())
    await session.rollback()
    return found


async def test_drawer_expects_float_plus_cash_kept_less_refunds_plus_ins_less_outs(
    uow_factory: Any, session: AsyncSession
) -> None:
    main = await main_drawer(session)
    check = await a_check(uow_factory, session)
    cash = await pay(session, check, main, "cash", 4560, 5000)  # $4.40 change went back
    await pay(session, check, main, "cash", 1000, 1000)
    await pay(session, check, main, "card", 3000, 3000)  # a card never touches the drawer
    await session.execute(
        insert(Refund).values(
            payment_id=cash,
            check_id=check,
            amount=500,
            reason="cold soup",
            refunded_by=MARIA,
            approved_by=MIA,
            drawer_session_id=main,
        )
    )
    await session.commit()
    await uow_factory(drawers.move_cash, main, "cash_in", 5000, "change run", MIA)
    await uow_factory(drawers.move_cash, main, "cash_out", 2000, "paid the fishmonger", MIA)

    count = await uow_factory(drawers.close_drawer, main, 28_000, MIA)

    assert (count.opening_float, count.cash_payments, count.cash_refunds) == (20_000, 5560, 500)
    assert (count.cash_in, count.cash_out) == (5000, 2000)
    assert count.expected == 20_000 + 5560 - 500 + 5000 - 2000 == 28_060
    assert count.over_short == -60  # sixty cents short
    row = await session.get(DrawerSession, main)
    assert row is not None
    assert (row.expected, row.counted, row.closed_by) == (28_060, 28_000, MIA)
    assert row.closed_at is not None
    assert await audit_actions(session, f"drawer:{main}") == [
        "cash_in",
        "cash_out",
        "close_drawer",
    ]


async def test_a_closed_drawer_takes_no_more_cash_and_a_new_one_opens_with_its_float(
    uow_factory: Any, session: AsyncSession
) -> None:
    main = await main_drawer(session)
    await uow_factory(drawers.close_drawer, main, 20_000, MIA)

    async def cash_drawer(uow: UnitOfWork) -> int:
        return await drawers.drawer_for_cash(uow.session, 1)

    with pytest.raises(BadInput, match="No cash drawer is open"):
        await uow_factory(cash_drawer)
    fresh = await uow_factory(drawers.open_drawer, 1, "Main", 15_000, MIA)

    assert await uow_factory(cash_drawer) == fresh != main
    assert (await drawer_count(session, fresh)).expected == 15_000
    assert await audit_actions(session, f"drawer:{fresh}") == ["open_drawer"]


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [
        (drawers.open_drawer, (1, "Bar", -1, MIA), "float cannot be negative"),
        (drawers.open_drawer, (1, "Main", 10_000, MIA), "Main drawer is already open"),
        (drawers.open_drawer, (1, "x" * 41, 100, MIA), "40 characters"),
        (drawers.move_cash, ("main", "cash_in", 0, "change", MIA), "more than zero"),
        (drawers.move_cash, ("main", "cash_out", -500, "change", MIA), "more than zero"),
        (drawers.move_cash, ("main", "cash_in", 500, "   ", MIA), "Say why"),
        (drawers.move_cash, ("main", "tip_out", 500, "tips", MIA), "cash in or cash out"),
        (drawers.move_cash, ("main", "cash_out", 20_001, "bank", MIA), "more cash than is in it"),
        (drawers.close_drawer, ("main", -1, MIA), "counted cash cannot be negative"),
    ],
)
async def test_bad_drawer_input_is_refused_clearly_and_changes_nothing(
    uow_factory: Any, session: AsyncSession, command: Any, args: tuple[Any, ...], message: str
) -> None:
    main = await main_drawer(session)
    args = tuple(main if a == "main" else a for a in args)
    before = await counts(session)

    with pytest.raises((BadInput, Conflict), match=message):
        await uow_factory(command, *args)

    assert await counts(session) == before


async def counts(session: AsyncSession) -> tuple[int, ...]:
    found = []
    for table in (DrawerSession, DrawerMovement, AuditEntry):
        found.append(int(await session.scalar(select(func.count()).select_from(table)) or 0))
    closed = await session.scalar(
        select(func.count()).select_from(DrawerSession).where(DrawerSession.closed_at.is_not(None))
    )
    await session.rollback()
    return (*found, int(closed or 0))


async def test_closing_twice_is_refused_and_keeps_the_first_count(
    uow_factory: Any, session: AsyncSession
) -> None:
    main = await main_drawer(session)
    await uow_factory(drawers.close_drawer, main, 19_900, MIA)
    before = await counts(session)

    with pytest.raises(Conflict, match="Main drawer is already closed"):
        await uow_factory(drawers.close_drawer, main, 20_000, MIA)
    with pytest.raises(Conflict, match="already closed"):
        await uow_factory(drawers.move_cash, main, "cash_in", 100, "late", MIA)

    assert await counts(session) == before
    assert (await drawer_count(session, main)).over_short == -100


async def test_a_double_tap_on_cash_in_records_it_once(
    uow_factory: Any, session: AsyncSession
) -> None:
    main = await main_drawer(session)
    for _ in range(3):
        await uow_factory(drawers.move_cash, main, "cash_in", 700, "coins", MIA, key="tap-1")
    assert (await drawer_count(session, main)).cash_in == 700


async def test_two_managers_opening_the_same_drawer_at_once_open_it_once(
    uow_factory: Any, session: AsyncSession
) -> None:
    results = await asyncio.gather(
        *(uow_factory(drawers.open_drawer, 1, "Bar", 10_000, MIA) for _ in range(4)),
        return_exceptions=True,
    )
    opened = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(opened) == 1 and len(refused) == 3, results
    bars = await session.scalar(
        select(func.count()).select_from(DrawerSession).where(DrawerSession.drawer == "Bar")
    )
    assert bars == 1


async def test_closing_waits_for_a_cash_payment_going_into_the_drawer(
    uow_factory: Any, session: AsyncSession, sessionmaker_: Any
) -> None:
    main = await main_drawer(session)
    check = await a_check(uow_factory, session)
    async with sessionmaker_() as paying:
        drawer = await drawers.drawer_for_cash(paying, 1)  # the cashier has the drawer
        await paying.execute(
            insert(Payment).values(
                check_id=check,
                method="cash",
                amount=1200,
                tendered=2000,
                change=800,
                taken_by=MARIA,
                drawer_session_id=drawer,
            )
        )
        closing = asyncio.create_task(uow_factory(drawers.close_drawer, main, 21_200, MIA))
        await asyncio.sleep(0.5)
        assert not closing.done()  # the count waits for the cash in the cashier's hand
        await paying.commit()
    count = await closing

    assert count.cash_payments == 1200
    assert count.over_short == 0


async def test_opening_and_moving_cash_pop_the_drawer_on_the_receipt_printer(
    uow_factory: Any, session: AsyncSession
) -> None:
    bus = ReceiptBus()
    bus.subscribe(receipt_jobs)
    main = await main_drawer(session)
    await uow_factory(drawers.move_cash, main, "cash_in", 1000, "change run", MIA, bus)
    await uow_factory(drawers.open_drawer, 1, "Bar", 5000, MIA, bus)

    kinds = (await session.scalars(select(PrintJob.kind).order_by(PrintJob.id))).all()
    assert kinds == ["kick", "kick"]
