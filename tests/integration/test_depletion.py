"""Stock drops when a check closes, by recipe and modifiers, in the close's transaction
(issue 13, LED-4): one insert-only move per ingredient; an item or priced option with no
recipe is flagged, never silently skipped; a shared line is used once; a comp still uses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing import splits
from app.billing.service import pay_cash
from app.inventory.models import Ingredient, OptionRecipe, RecipeLine, StockMove, UnrecipedSale
from app.inventory.stock import on_hand
from app.menu.models import ModifierGroup, ModifierOption
from app.orders import corrections, firing
from app.orders import service as orders
from app.orders.models import Check, CheckLine
from tests.conftest import PINS, STAFF_IDS
from tests.demo_ids import item_id, option_id
from tests.integration.test_card_payments import shown
from tests.integration.test_corrections import approval_by
from tests.integration.test_many_hands import kitchen

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]


async def ordered(uow_factory: Any, session: AsyncSession, *lines: tuple[str, list[str]]) -> int:
    """A bar-counter check with these items (and options), sent and fired."""
    check = await session.scalar(
        insert(Check).values(location_id=1, server_id=MARIA, guest_count=2).returning(Check.id)
    )
    await session.commit()
    assert check is not None
    for name, options in lines:
        chosen = [await option_id(session, o) for o in options]
        new = orders.NewLine(await item_id(session, name), option_ids=chosen)
        await uow_factory(orders.add_line, check, new, MARIA)
    await uow_factory(firing.send_order, check, MARIA, kitchen())
    held = await session.scalar(
        select(CheckLine.id).where(CheckLine.check_id == check, CheckLine.status == "held")
    )
    await session.rollback()
    if held:
        await uow_factory(firing.fire_all, check, MARIA, kitchen())
    return check


async def pay(uow_factory: Any, session: AsyncSession, check: int) -> None:
    version, balance = await shown(session, check)
    await uow_factory(pay_cash, check, balance, version, MARIA)


async def moves_of(session: AsyncSession, source: str) -> dict[str, Decimal]:
    rows = (
        await session.execute(
            select(Ingredient.name, StockMove.quantity, StockMove.kind)
            .join(Ingredient, Ingredient.id == StockMove.ingredient_id)
            .where(StockMove.source == source)
        )
    ).all()
    await session.rollback()
    assert {kind for _, _, kind in rows} <= {"sale"}
    names = [name for name, _, _ in rows]
    assert len(names) == len(set(names)), "one move per ingredient"
    return {name: quantity for name, quantity, _ in rows}


async def test_a_burger_with_fries_and_blue_cheese_takes_exactly_its_ingredients(
    uow_factory: Any, session: AsyncSession
) -> None:
    burger = ("Brigade Burger", ["Medium", "Fries", "Add blue cheese"])
    check = await ordered(uow_factory, session, burger, burger)
    await pay(uow_factory, session, check)

    assert await moves_of(session, f"check:{check}") == {
        "Ground beef": Decimal("-360"),
        "Burger buns": Decimal("-2"),
        "Cheese": Decimal("-60"),
        "Onions": Decimal("-60"),
        "Tomatoes": Decimal("-80"),
        "Potatoes": Decimal("-800"),  # the burger's own fries and the side of fries
        "Blue cheese": Decimal("-60"),
    }
    flagged = await session.scalar(select(UnrecipedSale.id).limit(1))
    assert flagged is None  # "Medium" changes nothing and is free: not a missing recipe


async def test_no_onions_takes_the_onions_off_and_never_below_none(
    uow_factory: Any, session: AsyncSession
) -> None:
    extras = await session.scalar(select(ModifierGroup.id).where(ModifierGroup.name == "Extras"))
    onions = await session.scalar(select(Ingredient.id).where(Ingredient.name == "Onions"))
    no_onions = await session.scalar(
        insert(ModifierOption)
        .values(group_id=extras, name="No onions")
        .returning(ModifierOption.id)
    )
    await session.execute(
        insert(OptionRecipe).values(option_id=no_onions, ingredient_id=onions, quantity=-50)
    )
    await session.commit()
    check = await ordered(uow_factory, session, ("Brigade Burger", ["Rare", "No onions"]))
    await pay(uow_factory, session, check)

    used = await moves_of(session, f"check:{check}")
    assert "Onions" not in used  # 30 g on the recipe, 50 g taken off: none, not +20
    assert used["Ground beef"] == Decimal("-180")


async def test_an_item_or_priced_option_with_no_recipe_is_flagged_not_skipped(
    uow_factory: Any, session: AsyncSession
) -> None:
    bread, bacon = await item_id(session, "Garlic Bread"), await option_id(session, "Add bacon")
    await session.execute(delete(RecipeLine).where(RecipeLine.item_id == bread))
    await session.execute(delete(OptionRecipe).where(OptionRecipe.option_id == bacon))
    await session.commit()
    check = await ordered(
        uow_factory,
        session,
        ("Garlic Bread", []),
        ("Garlic Bread", []),
        ("Caesar Salad", ["Add bacon"]),
    )
    await pay(uow_factory, session, check)

    flagged = (
        await session.execute(
            select(UnrecipedSale.item_id, UnrecipedSale.option_id, UnrecipedSale.quantity).where(
                UnrecipedSale.source == f"check:{check}"
            )
        )
    ).all()
    await session.rollback()
    salad = await item_id(session, "Caesar Salad")
    assert sorted(flagged, key=str) == sorted([(bread, None, 2), (salad, bacon, 1)], key=str)
    assert "Romaine" in await moves_of(session, f"check:{check}")  # the salad still depletes


async def test_a_shared_line_is_used_once_and_a_comp_still_uses(
    uow_factory: Any, session: AsyncSession, sessionmaker_: Any
) -> None:
    check = await ordered(uow_factory, session, ("Burrata", []), ("Calamari", []))
    calamari = await session.scalar(
        select(CheckLine.id).where(CheckLine.check_id == check, CheckLine.name == "Calamari")
    )
    await session.rollback()
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    await uow_factory(corrections.comp_line, check, calamari, "birthday", ok)
    version, _ = await shown(session, check)
    parts = await uow_factory(splits.split_evenly, check, 3, version, MARIA)
    for part in parts:
        await pay(uow_factory, session, part)

    sources = [f"check:{part}" for part in parts]
    used: dict[str, Decimal] = {}
    for source in sources:
        for name, quantity in (await moves_of(session, source)).items():
            used[name] = used.get(name, Decimal(0)) + quantity
    assert used["Burrata"] == Decimal("-1") and used["Squid"] == Decimal("-180")


async def test_a_stock_move_is_never_edited(uow_factory: Any, session: AsyncSession) -> None:
    check = await ordered(uow_factory, session, ("Espresso", []))
    await pay(uow_factory, session, check)
    with pytest.raises(DBAPIError, match="never edited"):
        await session.execute(text("UPDATE stock_move SET quantity = quantity - 1"))
    await session.rollback()


async def test_a_void_after_fire_is_waste_when_made_and_nothing_when_stopped_or_cleared(
    uow_factory: Any, session: AsyncSession, sessionmaker_: Any
) -> None:
    check = await ordered(
        uow_factory, session, ("Brigade Burger", ["Rare", "Add bacon"]), ("Calamari", [])
    )
    lines = dict(
        (
            await session.execute(
                select(CheckLine.name, CheckLine.id).where(CheckLine.check_id == check)
            )
        ).all()
    )
    await session.rollback()
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    await uow_factory(
        corrections.void_line, check, lines["Brigade Burger"], "dropped it", True, ok, kitchen()
    )
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    await uow_factory(
        corrections.void_line, check, lines["Calamari"], "kitchen stopped", False, ok, kitchen()
    )
    espresso = await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Espresso")), MARIA
    )
    await uow_factory(orders.clear_line, check, espresso, MARIA)

    wasted = (
        await session.execute(
            select(Ingredient.name, StockMove.quantity, StockMove.source, StockMove.reason)
            .join(Ingredient, Ingredient.id == StockMove.ingredient_id)
            .where(StockMove.kind == "waste")
        )
    ).all()
    await session.rollback()
    assert {name: q for name, q, _, _ in wasted} == {
        "Ground beef": Decimal("-180"),
        "Burger buns": Decimal("-1"),
        "Cheese": Decimal("-30"),
        "Onions": Decimal("-30"),
        "Tomatoes": Decimal("-40"),
        "Potatoes": Decimal("-200"),
        "Bacon": Decimal("-40"),
    }
    assert {(source, reason) for _, _, source, reason in wasted} == {
        (f"void:{lines['Brigade Burger']}", "dropped it")
    }
    moves = await session.scalar(select(StockMove.id).where(StockMove.kind == "sale").limit(1))
    assert moves is None  # nothing sold yet: the check is still open


async def test_on_hand_is_the_sum_of_the_moves(uow_factory: Any, session: AsyncSession) -> None:
    check = await ordered(uow_factory, session, ("Espresso", []), ("Cappuccino", []))
    await pay(uow_factory, session, check)
    stock = {row.name: row for row in await on_hand(session, 1)}
    await session.rollback()
    # The demo's opening count, less tonight's two coffees.
    assert stock["Espresso beans"].quantity == Decimal(5000 - 14)
    assert (stock["Milk"].quantity, stock["Milk"].base_unit, stock["Milk"].storage_area) == (
        Decimal(10_000 - 150),
        "ml",
        "Bar",
    )
    assert stock["Lobster"].quantity == 8
