"""Counting the shelves and logging waste (issue 13): a count after sales finds the right
variance and leaves on hand at what was counted; waste is logged with a reason; every bad
input is a sentence and nothing is half-written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.inventory.counts import Counted, count_stock
from app.inventory.models import Ingredient, StockCount, StockMove
from app.inventory.stock import on_hand
from app.inventory.waste import log_waste
from tests.conftest import STAFF_IDS
from tests.integration.test_depletion import ordered, pay

MIA = STAFF_IDS["Mia"]


async def ingredient(session: AsyncSession, name: str) -> int:
    found = await session.scalar(select(Ingredient.id).where(Ingredient.name == name))
    await session.rollback()
    assert found is not None
    return found


async def stock_of(session: AsyncSession, name: str) -> Decimal:
    stock = {row.name: row.quantity for row in await on_hand(session, 1)}
    await session.rollback()
    return stock[name]


async def test_a_count_after_sales_finds_the_variance_and_sets_on_hand(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await ordered(uow_factory, session, ("Espresso", []), ("Espresso", []))
    await pay(uow_factory, session, check)
    beans, milk = await ingredient(session, "Espresso beans"), await ingredient(session, "Milk")

    result = await uow_factory(
        count_stock,
        1,
        [Counted(beans, Decimal("4.9"), "kg"), Counted(milk, Decimal("10000"))],
        MIA,
        None,
        "count-1",
    )
    again = await uow_factory(
        count_stock,
        1,
        [Counted(beans, Decimal("4.9"), "kg"), Counted(milk, Decimal("10000"))],
        MIA,
        None,
        "count-1",
    )

    assert again == result  # a retry gets the first count, writes nothing more
    lines = {line.name: line for line in result.lines}
    assert (lines["Espresso beans"].expected, lines["Espresso beans"].counted) == (
        Decimal(5000 - 14),
        Decimal(4900),
    )
    assert lines["Espresso beans"].variance == Decimal(-86)  # 86 g the sales do not explain
    assert lines["Milk"].variance == 0
    assert await stock_of(session, "Espresso beans") == Decimal(4900)
    moves = (
        await session.execute(
            select(StockMove.ingredient_id, StockMove.quantity).where(
                StockMove.source == f"count:{result.count_id}"
            )
        )
    ).all()
    await session.rollback()
    assert moves == [(beans, Decimal(-86))]  # milk was right: no move for it


@pytest.mark.parametrize(
    ("lines", "error", "says"),
    [
        ([], BadInput, "at least one"),
        ([("Milk", "-1", "")], BadInput, "cannot be negative"),
        ([("Milk", "1", ""), ("Milk", "2", "")], BadInput, "once per count"),
        ([("Milk", "1", "kg")], BadInput, "kg does not convert to ml"),
        ([("Milk", "1", "bottle")], BadInput, "does not know the unit 'bottle'"),
        ([(999_999, "1", "")], NotFound, "Ingredient 999999 does not exist"),
    ],
)
async def test_a_wrong_count_is_refused_and_nothing_is_written(
    uow_factory: Any, session: AsyncSession, lines: list[Any], error: type, says: str
) -> None:
    counted = [
        Counted(
            name if isinstance(name, int) else await ingredient(session, name), Decimal(n), unit
        )
        for name, n, unit in lines
    ]
    with pytest.raises(error, match=says):
        await uow_factory(count_stock, 1, counted, MIA)
    counts = await session.scalar(select(func.count()).select_from(StockCount))
    await session.rollback()
    assert counts == 0


async def test_waste_is_logged_with_a_reason_in_the_units_it_was_weighed(
    uow_factory: Any, session: AsyncSession
) -> None:
    salmon = await ingredient(session, "Salmon fillet")
    await uow_factory(log_waste, 1, salmon, Decimal("0.5"), "kg", "spoiled", MIA, "", "w-1")
    await uow_factory(log_waste, 1, salmon, Decimal("0.5"), "kg", "spoiled", MIA, "", "w-1")
    with pytest.raises(BadInput, match="Say why"):
        await uow_factory(log_waste, 1, salmon, Decimal(1), "g", "cat", MIA)
    with pytest.raises(BadInput, match="Say what happened"):
        await uow_factory(log_waste, 1, salmon, Decimal(1), "g", "other", MIA)
    with pytest.raises(BadInput, match="more than nothing"):
        await uow_factory(log_waste, 1, salmon, Decimal(0), "g", "burnt", MIA)

    assert await stock_of(session, "Salmon fillet") == Decimal(5000 - 500)
    reasons = list(await session.scalars(select(StockMove.reason).where(StockMove.kind == "waste")))
    await session.rollback()
    assert reasons == ["spoiled"]
