"""Purchasing (issue 13, item 5): suppliers and their packs, purchase orders drafted by hand
or to par, sent, received in two parts at the invoice price, the moving average cost after
each receipt; every bad input a sentence with nothing half-written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, Conflict, NotFound
from app.inventory.models import Ingredient, StockMove
from app.inventory.purchase_models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseUnit,
)
from app.inventory.purchasing import Ordered, cancel_order, draft_order, fill_to_par, send_order
from app.inventory.receiving import Received, average, receive
from app.inventory.stock import on_hand
from app.inventory.suppliers import add_purchase_unit, add_supplier, set_par
from tests.conftest import STAFF_IDS
from tests.integration.test_counts_and_waste import ingredient, stock_of

MIA = STAFF_IDS["Mia"]


async def supplier(uow_factory: Any, name: str = "Metro") -> int:
    return int(await uow_factory(add_supplier, 1, MIA, name, "orders@metro.example", None))


async def pack(uow_factory: Any, sid: int, iid: int, name: str, size: str, price: int) -> int:
    return int(await uow_factory(add_purchase_unit, 1, MIA, sid, iid, name, size, price, None))


async def sent_order(uow_factory: Any, sid: int, *lines: Ordered) -> int:
    order_id = int(await uow_factory(draft_order, 1, MIA, sid, list(lines), None))
    await uow_factory(send_order, 1, MIA, order_id)
    return order_id


async def count(session: AsyncSession, model: Any) -> int:
    found = await session.scalar(select(func.count()).select_from(model))
    await session.rollback()
    return int(found or 0)


async def test_a_pack_size_is_converted_to_the_base_unit_once(
    uow_factory: Any, session: AsyncSession
) -> None:
    sid = await supplier(uow_factory)
    buns, flour = await ingredient(session, "Burger buns"), await ingredient(session, "Flour")
    case = await pack(uow_factory, sid, buns, "case of 24", "24 each", 1899)
    bag = await pack(uow_factory, sid, flour, "5 kg bag", "5kg", 650)
    sizes = dict((await session.execute(select(PurchaseUnit.id, PurchaseUnit.base_quantity))).all())
    await session.rollback()
    assert sizes == {case: Decimal(24), bag: Decimal(5000)}


async def test_an_order_received_in_two_parts_with_the_over_receipt_flagged(
    uow_factory: Any, session: AsyncSession
) -> None:
    sid = await supplier(uow_factory)
    buns, milk = await ingredient(session, "Burger buns"), await ingredient(session, "Milk")
    case = await pack(uow_factory, sid, buns, "case of 24", "24 each", 1800)
    carton = await pack(uow_factory, sid, milk, "1 l carton", "1 l", 120)
    buns_before, milk_before = (
        await stock_of(session, "Burger buns"),
        await stock_of(session, "Milk"),
    )
    order_id = await sent_order(uow_factory, sid, Ordered(case, 4), Ordered(carton, 10))
    line_of = dict(
        (
            await session.execute(
                select(PurchaseOrderLine.purchase_unit_id, PurchaseOrderLine.id).where(
                    PurchaseOrderLine.order_id == order_id
                )
            )
        ).all()
    )
    await session.rollback()

    first = await uow_factory(receive, 1, MIA, order_id, [Received(line_of[case], 2)], "delivery-1")
    again = await uow_factory(receive, 1, MIA, order_id, [Received(line_of[case], 2)], "delivery-1")
    assert again == first  # a retried delivery is written once
    assert first.order_status == "sent" and not first.over_received
    assert (first.lines[0].ordered, first.lines[0].received) == (4, 2)

    second = await uow_factory(
        receive,
        1,
        MIA,
        order_id,
        [Received(line_of[case], 2), Received(line_of[carton], 12, price=115)],
        "delivery-2",
    )
    assert second.order_status == "received"
    assert second.over_received
    assert [(x.ingredient, x.over) for x in second.lines] == [
        ("Burger buns", False),
        ("Milk", True),
    ]
    assert await stock_of(session, "Burger buns") == buns_before + 96
    assert await stock_of(session, "Milk") == milk_before + 12000
    moves = (
        await session.execute(
            select(StockMove.source, StockMove.ingredient_id, StockMove.quantity)
            .where(StockMove.kind == "receipt")
            .order_by(StockMove.id)
        )
    ).all()
    await session.rollback()
    assert moves == [
        (f"receipt:{first.receipt_id}", buns, Decimal(48)),
        (f"receipt:{second.receipt_id}", buns, Decimal(48)),
        (f"receipt:{second.receipt_id}", milk, Decimal(12000)),
    ]
    with pytest.raises(Conflict, match="received"):
        await uow_factory(receive, 1, MIA, order_id, [Received(line_of[case], 1)], None)


async def test_the_average_cost_after_two_receipts_at_different_prices(
    uow_factory: Any, session: AsyncSession
) -> None:
    sid = await supplier(uow_factory)
    truffle = await ingredient(session, "Truffle")
    jar = await pack(uow_factory, sid, truffle, "100 g jar", "100 g", 9000)
    before = await stock_of(session, "Truffle")
    order_id = await sent_order(uow_factory, sid, Ordered(jar, 2))
    line = await session.scalar(
        select(PurchaseOrderLine.id).where(PurchaseOrderLine.order_id == order_id)
    )
    await session.rollback()
    assert line is not None

    first = await uow_factory(receive, 1, MIA, order_id, [Received(line, 1)], None)
    # What was on hand before had no cost: the first delivery's cost is the average.
    assert Decimal(first.lines[0].avg_cost) == Decimal(90)
    second = await uow_factory(receive, 1, MIA, order_id, [Received(line, 1, 12000)], None)
    on_shelf = before + 100
    expected = average(on_shelf, Decimal(90), Decimal(100), 12000)
    assert Decimal(second.lines[0].avg_cost) == expected
    assert expected == ((on_shelf * 90 + 12000) / (on_shelf + 100)).quantize(Decimal("1e-8"))
    stored = await session.scalar(select(Ingredient.avg_cost).where(Ingredient.id == truffle))
    await session.rollback()
    assert stored == expected


def test_the_moving_average_by_hand() -> None:
    assert average(Decimal(0), None, Decimal(24), 1800) == Decimal(75)
    assert average(Decimal(24), Decimal(75), Decimal(24), 2400) == Decimal("87.5")
    # Sold past zero: the delivery's own cost, not an average with negative stock.
    assert average(Decimal(-5), Decimal(75), Decimal(24), 2400) == Decimal(100)
    assert average(Decimal(1), Decimal(1), Decimal(2), 1) == Decimal("0.66666667")


async def test_fill_to_par_rounds_packs_up_with_the_cheapest_pack(
    uow_factory: Any, session: AsyncSession
) -> None:
    sid = await supplier(uow_factory)
    flour, sugar = await ingredient(session, "Flour"), await ingredient(session, "Sugar")
    await pack(uow_factory, sid, flour, "1 kg bag", "1 kg", 200)  # 0.20 a kilo
    bag = await pack(uow_factory, sid, flour, "25 kg sack", "25 kg", 2500)  # 0.10 a kilo
    await pack(uow_factory, sid, sugar, "1 kg bag", "1 kg", 150)
    flour_now = await stock_of(session, "Flour")
    await uow_factory(set_par, 1, MIA, flour, (flour_now + 30000) / 1000, "kg")
    await uow_factory(set_par, 1, MIA, sugar, Decimal(0))  # at par: nothing to order

    order_id = await uow_factory(fill_to_par, 1, MIA, sid, None)

    lines = (
        await session.execute(
            select(
                PurchaseOrderLine.purchase_unit_id, PurchaseOrderLine.packs, PurchaseOrderLine.price
            ).where(PurchaseOrderLine.order_id == order_id)
        )
    ).all()
    status = await session.scalar(select(PurchaseOrder.status).where(PurchaseOrder.id == order_id))
    await session.rollback()
    assert lines == [(bag, 2, 2500)]  # 30 kg short: two 25 kg sacks
    assert status == "draft"
    # The draft already brings 50 kg: filling again orders nothing more.
    assert await uow_factory(fill_to_par, 1, MIA, sid, None) is None
    await uow_factory(cancel_order, 1, MIA, order_id)
    assert await uow_factory(fill_to_par, 1, MIA, sid, None) is not None
    other = await supplier(uow_factory, "Bakery Co")
    assert await uow_factory(fill_to_par, 1, MIA, other, None) is None


async def test_bad_input_is_a_sentence_and_nothing_is_half_written(
    uow_factory: Any, session: AsyncSession
) -> None:
    sid = await supplier(uow_factory)
    buns = await ingredient(session, "Burger buns")
    case = await pack(uow_factory, sid, buns, "case of 24", "24 each", 1800)
    units, orders = await count(session, PurchaseUnit), await count(session, PurchaseOrder)
    refusals: list[tuple[Any, tuple[Any, ...], type[Exception], str]] = [
        (
            add_purchase_unit,
            (1, MIA, sid, buns, "box", "2 kg", 100, None),
            BadInput,
            "does not convert",
        ),
        (
            add_purchase_unit,
            (1, MIA, sid, 999999, "box", "2 kg", 100, None),
            NotFound,
            "ingredient",
        ),
        (add_purchase_unit, (1, MIA, 999999, buns, "box", "2", 100, None), NotFound, "supplier"),
        (
            add_purchase_unit,
            (1, MIA, sid, buns, "box", "-2", 100, None),
            BadInput,
            "not a quantity",
        ),
        (add_purchase_unit, (1, MIA, sid, buns, "box", "2 furlongs", 100, None), BadInput, "unit"),
        (add_purchase_unit, (1, MIA, sid, buns, "box", "2", -1, None), BadInput, "price"),
        (add_supplier, (1, MIA, "metro", "", None), BadInput, "already"),
        (draft_order, (1, MIA, sid, [Ordered(case, -3)], None), BadInput, "1 to"),
        (draft_order, (1, MIA, sid, [], None), BadInput, "at least one"),
        (draft_order, (1, MIA, 999999, [Ordered(case, 1)], None), NotFound, "supplier"),
        (draft_order, (1, MIA, sid, [Ordered(999999, 1)], None), NotFound, "pack"),
    ]
    for command, args, error, sentence in refusals:
        with pytest.raises(error, match=sentence):
            await uow_factory(command, *args)
    assert (await count(session, PurchaseUnit), await count(session, PurchaseOrder)) == (
        units,
        orders,
    )

    order_id = int(await uow_factory(draft_order, 1, MIA, sid, [Ordered(case, 2)], None))
    line = await session.scalar(
        select(PurchaseOrderLine.id).where(PurchaseOrderLine.order_id == order_id)
    )
    await session.rollback()
    assert line is not None
    with pytest.raises(Conflict, match="draft: send it"):
        await uow_factory(receive, 1, MIA, order_id, [Received(line, 1)], None)
    await uow_factory(send_order, 1, MIA, order_id)
    for bad, sentence in (
        ([Received(line, -1)], "1 to"),
        ([Received(line, 0)], "1 to"),
        ([], "at least one"),
        ([Received(line, 1), Received(999999, 1)], "not on this purchase order"),
    ):
        with pytest.raises((BadInput, NotFound), match=sentence):
            await uow_factory(receive, 1, MIA, order_id, bad, None)
    await uow_factory(cancel_order, 1, MIA, order_id)
    with pytest.raises(Conflict, match="cancelled"):
        await uow_factory(receive, 1, MIA, order_id, [Received(line, 1)], None)
    receipts = await count(session, PurchaseReceipt)
    moves = await session.scalar(
        select(func.count()).select_from(StockMove).where(StockMove.kind == "receipt")
    )
    await session.rollback()
    assert (receipts, moves) == (0, 0)
    stock = {s.name: s.quantity for s in await on_hand(session, 1)}
    await session.rollback()
    assert "Burger buns" in stock
