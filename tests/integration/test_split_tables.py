"""A split table on the floor plan: the parts sit at the table, the table stays taken until
the last part is paid, and the plan's total is the bill's total (discounts and all)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing import discounts, splits
from app.billing import service as billing
from app.core.errors import Conflict
from app.floor.models import DiningTable
from app.floor.views import table_view
from app.orders import firing
from app.orders import service as orders
from app.orders.models import Check
from app.orders.views import check_view
from kds.models import Ticket
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id, table_id
from tests.integration.test_many_hands import kitchen
from tests.integration.test_splits import TABLE_OF_FOUR, _table

MARIA, SAM = STAFF_IDS["Maria"], STAFF_IDS["Sam"]


async def _pay_in_full(uow_factory, session: AsyncSession, check_id: int) -> None:  # type: ignore[no-untyped-def]
    session.expire_all()
    view = await check_view(session, check_id)
    await uow_factory(billing.pay_cash, check_id, view.balance, view.version, MARIA)


async def test_parts_keep_the_table_until_the_last_is_paid(
    uow_factory, session: AsyncSession
) -> None:
    check = await _table(uow_factory, session, TABLE_OF_FOUR)
    table = await table_id(session, "3")
    version = (await check_view(session, check)).version
    parts = await uow_factory(splits.split_by_seat, check, version, MARIA, key="s")
    rows = (await session.scalars(select(Check).where(Check.id.in_(parts)))).all()
    assert {r.table_id for r in rows} == {table}

    # The original is paid first: the other seats are still eating at table 3.
    await _pay_in_full(uow_factory, session, check)
    session.expire_all()
    drawn = await table_view(session, table)
    assert drawn.check_id == min(parts[1:]) and drawn.state != "free"
    assert (await session.get_one(DiningTable, table)).bussing_since is None
    with pytest.raises(Conflict, match="already open"):
        await uow_factory(orders.open_table, table, 2, SAM, 1)

    for part in parts[1:]:
        await _pay_in_full(uow_factory, session, part)
    session.expire_all()
    assert (await session.get_one(DiningTable, table)).bussing_since is not None
    assert (await table_view(session, table)).check_id is None
    # The table can be seated again once the last guest has paid.
    assert await uow_factory(orders.open_table, table, 2, SAM, 1)


async def test_dessert_ordered_on_a_part_is_ticketed_to_the_table(
    uow_factory, session: AsyncSession
) -> None:
    check = await _table(uow_factory, session, TABLE_OF_FOUR)
    version = (await check_view(session, check)).version
    parts = await uow_factory(splits.split_evenly, check, 2, version, MARIA, key="e")
    new = orders.NewLine(await item_id(session, "Negroni"), seat=1)
    await uow_factory(orders.add_line, parts[1], new, MARIA)
    await uow_factory(firing.send_order, parts[1], MARIA, kitchen())
    tickets = (await session.scalars(select(Ticket).where(Ticket.check_id == parts[1]))).all()
    assert tickets and {t.table_name for t in tickets} == {"3"}


async def test_the_floor_shows_what_the_bill_says_after_a_discount(
    uow_factory, session: AsyncSession
) -> None:
    check = await _table(uow_factory, session, TABLE_OF_FOUR)
    table = await table_id(session, "3")
    before = (await table_view(session, table)).amount
    await uow_factory(
        discounts.apply_discount,
        check,
        None,
        discounts.DiscountChoice(kind="percent", value=100_000),
        "regulars",
        MARIA,
    )
    session.expire_all()
    bill = await check_view(session, check)
    drawn = await table_view(session, table)
    assert bill.totals.discounts > 0
    assert drawn.amount == bill.totals.total < before
