"""The chef writes recipes in kitchen units and Brigade keeps them in each ingredient's base
unit; a recipe is replaced whole or not at all; an ingredient a recipe uses is never archived
from under it; every change is audited (issue 13, items 1 and 2)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput
from app.inventory import editor
from app.inventory.editor import Amount, IngredientChange, IngredientDraft
from app.inventory.models import Ingredient, OptionRecipe, RecipeLine
from app.menu.models import MenuItem, ModifierGroup, ModifierOption
from app.platform.models import AuditEntry
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id, option_id

MIA = STAFF_IDS["Mia"]
NOW = datetime.now(UTC)


async def shelf(session: AsyncSession, name: str) -> int:
    return int(await session.scalar(select(Ingredient.id).where(Ingredient.name == name)) or 0)


async def recipe_of(session: AsyncSession, item: int) -> dict[str, Decimal]:
    rows = await session.execute(
        select(Ingredient.name, RecipeLine.quantity)
        .join(Ingredient, Ingredient.id == RecipeLine.ingredient_id)
        .where(RecipeLine.item_id == item)
    )
    found = {name: quantity for name, quantity in rows}
    await session.rollback()
    return found


async def audited(session: AsyncSession, action: str) -> list[Any]:
    """(subject, actor, detail) of each audit row of ``action``, read now."""
    query = select(AuditEntry.subject, AuditEntry.actor_id, AuditEntry.detail)
    rows = (await session.execute(query.where(AuditEntry.action == action))).all()
    await session.rollback()
    return rows


async def test_a_chef_writes_the_ribeye_in_ounces_and_brigade_keeps_grams(
    uow_factory: Any, session: AsyncSession
) -> None:
    ribeye = await item_id(session, "Ribeye 12oz")
    beef, butter = await shelf(session, "Beef ribeye"), await shelf(session, "Butter")
    lines = [Amount(beef, Decimal("10"), "oz"), Amount(butter, Decimal("0.025"), "kg")]
    await uow_factory(editor.set_recipe, 1, MIA, ribeye, lines)

    assert await recipe_of(session, ribeye) == {
        "Beef ribeye": Decimal("283.4952"),  # 10 oz, by pint, to 4 places
        "Butter": Decimal("25.0000"),
    }
    ((subject, actor, detail),) = await audited(session, "set_recipe")
    assert subject == f"menu_item:{ribeye}" and actor == MIA
    assert detail["now"] == {str(beef): "283.4952", str(butter): "25.0000"}


async def test_a_unit_that_does_not_convert_refuses_the_whole_recipe(
    uow_factory: Any, session: AsyncSession
) -> None:
    burger = await item_id(session, "Brigade Burger")
    before = await recipe_of(session, burger)
    beef, buns = await shelf(session, "Ground beef"), await shelf(session, "Burger buns")
    lines = [Amount(beef, Decimal("6"), "oz"), Amount(buns, Decimal("80"), "g")]

    with pytest.raises(BadInput, match="g does not convert to each"):
        await uow_factory(editor.set_recipe, 1, MIA, burger, lines)
    with pytest.raises(BadInput, match="Ground beef: Brigade does not know the unit 'handful'"):
        await uow_factory(editor.set_recipe, 1, MIA, burger, [Amount(beef, Decimal(1), "handful")])

    assert await recipe_of(session, burger) == before  # nothing half-written
    assert await audited(session, "set_recipe") == []


async def test_saving_a_recipe_replaces_the_old_one_whole(
    uow_factory: Any, session: AsyncSession
) -> None:
    soup = await item_id(session, "Soup of the Day")
    stock, tomatoes = await shelf(session, "Stock"), await shelf(session, "Tomatoes")
    new = [Amount(stock, Decimal("25"), "cl"), Amount(tomatoes, Decimal("150"), "")]
    await uow_factory(editor.set_recipe, 1, MIA, soup, new)
    await uow_factory(editor.set_recipe, 1, MIA, soup, new)  # the same form sent again

    assert await recipe_of(session, soup) == {"Stock": Decimal(250), "Tomatoes": Decimal(150)}
    assert len(await audited(session, "set_recipe")) == 1  # the second save changed nothing


async def test_an_ingredient_twice_or_an_empty_amount_is_refused_with_its_name(
    uow_factory: Any, session: AsyncSession
) -> None:
    soup = await item_id(session, "Soup of the Day")
    onions = await shelf(session, "Onions")
    twice = [Amount(onions, Decimal(60), "g"), Amount(onions, Decimal(1), "oz")]
    with pytest.raises(BadInput, match="Onions is on the recipe twice"):
        await uow_factory(editor.set_recipe, 1, MIA, soup, twice)
    with pytest.raises(BadInput, match="is nothing"):
        await uow_factory(editor.set_recipe, 1, MIA, soup, [Amount(onions, Decimal(0), "g")])
    with pytest.raises(BadInput, match="only takes out"):
        await uow_factory(editor.set_recipe, 1, MIA, soup, [Amount(onions, Decimal(-5), "g")])


async def test_no_recipe_on_an_archived_item(uow_factory: Any, session: AsyncSession) -> None:
    bread = await item_id(session, "Garlic Bread")
    await session.execute(update(MenuItem).where(MenuItem.id == bread).values(archived_at=NOW))
    await session.commit()
    with pytest.raises(BadInput, match="Garlic Bread is archived"):
        await uow_factory(editor.set_recipe, 1, MIA, bread, [])


async def test_archiving_butter_is_refused_while_the_steaks_use_it(
    uow_factory: Any, session: AsyncSession
) -> None:
    butter = await shelf(session, "Butter")
    with pytest.raises(BadInput, match=r"Butter is in the recipe of .*Filet Mignon"):
        await uow_factory(editor.archive_ingredient, 1, MIA, butter, archived=True)

    shallots = await uow_factory(
        editor.add_ingredient, 1, MIA, IngredientDraft("Shallots", "g", None), None
    )
    await uow_factory(editor.archive_ingredient, 1, MIA, shallots, archived=True)
    gone = await session.get(Ingredient, shallots)
    assert gone is not None and gone.archived_at is not None
    assert [subject for subject, _, _ in await audited(session, "archive_ingredient")] == [
        f"ingredient:{shallots}"
    ]


async def test_one_name_per_restaurant_and_a_double_tap_adds_one(
    uow_factory: Any, session: AsyncSession
) -> None:
    draft = IngredientDraft("Shallots", "g", None)
    first = await uow_factory(editor.add_ingredient, 1, MIA, draft, "tap-1")
    again = await uow_factory(editor.add_ingredient, 1, MIA, draft, "tap-1")
    assert first == again
    with pytest.raises(BadInput, match="already an ingredient called onions"):
        await uow_factory(editor.add_ingredient, 1, MIA, IngredientDraft("onions", "g", None), None)
    with pytest.raises(BadInput, match="already an ingredient called Onions"):
        await uow_factory(editor.change_ingredient, 1, MIA, first, IngredientChange(name="Onions"))
    freezer = await uow_factory(editor.add_storage_area, 1, MIA, "Freezer", "area-1")
    changed = await uow_factory(
        editor.change_ingredient, 1, MIA, first, IngredientChange(storage_area_id=freezer)
    )
    assert changed == {"storage_area_id": [None, freezer]}
    assert len(await audited(session, "add_ingredient")) == 1


async def test_no_onions_is_saved_as_a_negative_change(
    uow_factory: Any, session: AsyncSession
) -> None:
    extras = await session.scalar(select(ModifierGroup.id).where(ModifierGroup.name == "Extras"))
    no_onions = await session.scalar(
        insert(ModifierOption)
        .values(group_id=extras, name="No onions")
        .returning(ModifierOption.id)
    )
    await session.commit()
    onions, bacon = await shelf(session, "Onions"), await shelf(session, "Bacon")
    lines = [Amount(onions, Decimal("-1"), "oz"), Amount(bacon, Decimal("20"), "g")]
    await uow_factory(editor.set_option_changes, 1, MIA, no_onions, lines)

    rows = await session.execute(
        select(OptionRecipe.ingredient_id, OptionRecipe.quantity).where(
            OptionRecipe.option_id == no_onions
        )
    )
    assert dict(rows.all()) == {onions: Decimal("-28.3495"), bacon: Decimal(20)}
    await session.rollback()
    assert len(await audited(session, "set_option_recipe")) == 1
    assert await option_id(session, "No onions") == no_onions


async def test_two_managers_add_shallots_at_once_one_is_added_the_other_told(
    uow_factory: Any, session: AsyncSession
) -> None:
    draft = IngredientDraft("Shallots", "g", None)
    results = await asyncio.gather(
        uow_factory(editor.add_ingredient, 1, MIA, draft, "office-1"),
        uow_factory(editor.add_ingredient, 1, STAFF_IDS["Olivia"], draft, "office-2"),
        return_exceptions=True,
    )
    added = [r for r in results if isinstance(r, int)]
    told = [r for r in results if isinstance(r, BadInput)]
    assert len(added) == 1 and len(told) == 1, results
    assert "already an ingredient called Shallots" in told[0].message
    assert await shelf(session, "Shallots") == added[0]
