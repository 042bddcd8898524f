"""LED-4 over random recipes, modifiers and orders: what a close takes out of stock is
Σ recipe × quantity of the lines sold (their options' changes included, never below none per
ingredient), a void after the kitchen made it is waste of exactly that line, a void stopped in
time and a clear take nothing. The expected moves are computed here from the recipes, never
read back from the depletion's own SQL."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput
from app.inventory.models import Ingredient, OptionRecipe, RecipeLine, StockMove
from app.menu.models import MenuItem, ModifierOption
from app.orders import corrections, firing
from app.orders import service as orders
from app.orders.models import Check
from tests.conftest import PINS, STAFF_IDS
from tests.integration.test_corrections import approval_by
from tests.integration.test_depletion import pay
from tests.integration.test_many_hands import kitchen

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]
ITEMS = ("Caesar Salad", "Beet Salad", "Gnocchi")  # each asks Extras, none requires a choice
EXTRAS = ("Add bacon", "Add avocado", "Add blue cheese", "Add truffle")
INGREDIENTS = ("Cheese", "Onions", "Bacon", "Bread")

AMOUNT = st.decimals(min_value=1, max_value=500, places=1)
RECIPES = st.fixed_dictionaries(
    {item: st.dictionaries(st.sampled_from(INGREDIENTS), AMOUNT, max_size=3) for item in ITEMS}
)
CHANGES = st.fixed_dictionaries(
    {
        option: st.dictionaries(
            st.sampled_from(INGREDIENTS),
            st.one_of(AMOUNT, AMOUNT.map(lambda a: -a)),
            max_size=2,
        )
        for option in EXTRAS
    }
)
LINES = st.lists(
    st.tuples(
        st.sampled_from(ITEMS),
        st.integers(1, 3),
        st.sets(st.sampled_from(EXTRAS), max_size=2),
        st.sampled_from(["sold", "sold", "waste", "stopped", "clear"]),
    ),
    min_size=1,
    max_size=5,
)


async def ids(session: AsyncSession, model: Any, names: tuple[str, ...]) -> dict[str, int]:
    rows = (await session.execute(select(model.name, model.id).where(model.name.in_(names)))).all()
    return {name: id_ for name, id_ in rows}


async def write_recipes(session: AsyncSession, recipes: Any, changes: Any) -> dict[str, int]:
    items = await ids(session, MenuItem, ITEMS)
    options = await ids(session, ModifierOption, EXTRAS)
    stock = await ids(session, Ingredient, INGREDIENTS)
    await session.execute(delete(RecipeLine).where(RecipeLine.item_id.in_(items.values())))
    await session.execute(delete(OptionRecipe).where(OptionRecipe.option_id.in_(options.values())))
    for item, lines in recipes.items():
        for name, amount in lines.items():
            await session.execute(
                insert(RecipeLine).values(
                    item_id=items[item], ingredient_id=stock[name], quantity=amount
                )
            )
    for option, lines in changes.items():
        for name, amount in lines.items():
            await session.execute(
                insert(OptionRecipe).values(
                    option_id=options[option], ingredient_id=stock[name], quantity=amount
                )
            )
    await session.commit()
    return {**items, **options, **{f"stock:{k}": v for k, v in stock.items()}}


def used_by(line: Any, recipes: Any, changes: Any) -> dict[str, Decimal]:
    item, quantity, extras, _ = line
    used: dict[str, Decimal] = defaultdict(Decimal)
    for name, amount in recipes[item].items():
        used[name] += amount * quantity
    for option in extras:
        for name, amount in changes[option].items():
            used[name] += amount * quantity
    return used


def taken(lines: list[Any], recipes: Any, changes: Any) -> dict[str, Decimal]:
    """What the close must take: per ingredient over the sold lines, never below none."""
    total: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        for name, amount in used_by(line, recipes, changes).items():
            total[name] += amount
    return {name: -amount for name, amount in total.items() if amount > 0}


async def moves(session: AsyncSession, source: str) -> dict[str, Decimal]:
    rows = (
        await session.execute(
            select(Ingredient.name, StockMove.quantity)
            .join(Ingredient, Ingredient.id == StockMove.ingredient_id)
            .where(StockMove.source == source)
        )
    ).all()
    await session.rollback()
    return {name: Decimal(q) for name, q in rows}


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(recipes=RECIPES, changes=CHANGES, lines=LINES)
async def test_stock_taken_is_the_recipes_times_what_sold(
    uow_factory: Any,
    sessionmaker_: Any,
    session: AsyncSession,
    recipes: Any,
    changes: Any,
    lines: list[Any],
) -> None:
    assume(any(fate in ("sold", "stopped", "waste") for *_, fate in lines))
    assume(any(fate == "sold" for *_, fate in lines))
    named = await write_recipes(session, recipes, changes)
    check = await session.scalar(
        insert(Check).values(location_id=1, server_id=MARIA, guest_count=2).returning(Check.id)
    )
    await session.commit()
    line_ids = []
    for item, quantity, extras, _ in lines:
        new = orders.NewLine(named[item], quantity, [named[o] for o in sorted(extras)])
        line_ids.append(await uow_factory(orders.add_line, check, new, MARIA))
    for line_id, (*_, fate) in zip(line_ids, lines, strict=True):
        if fate == "clear":
            await uow_factory(orders.clear_line, check, line_id, MARIA)
    await uow_factory(firing.send_order, check, MARIA, kitchen())
    with contextlib.suppress(BadInput):  # the mains, when the starters went first
        await uow_factory(firing.fire_all, check, MARIA, kitchen())
    for line_id, (*_, fate) in zip(line_ids, lines, strict=True):
        if fate in ("waste", "stopped"):
            ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
            await uow_factory(
                corrections.void_line, check, line_id, "sent back", fate == "waste", ok, kitchen()
            )
    await pay(uow_factory, session, check)

    sold = [line for line in lines if line[3] == "sold"]
    assert await moves(session, f"check:{check}") == taken(sold, recipes, changes)
    for line_id, line in zip(line_ids, lines, strict=True):
        expected = taken([line], recipes, changes) if line[3] == "waste" else {}
        assert await moves(session, f"void:{line_id}") == expected
