"""An item's recipe and what a modifier option adds or takes off, in the units a chef says.

Each line is converted by pint to its ingredient's base unit (``app.inventory.units``); the
first line that does not convert refuses them all, and a saved recipe replaces the old one
whole in the command's transaction, so a close never depletes half of an old recipe and half
of a new one. Saving what is already there changes nothing and writes no audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.inventory.models import Ingredient, OptionRecipe, RecipeLine
from app.inventory.units import to_base
from app.menu.models import Category, MenuItem, ModifierGroup, ModifierOption
from app.platform import audit
from app.platform.db import UnitOfWork

#: The most lines one recipe, or one option's changes, may have.
MAX_LINES = 40


@dataclass(frozen=True, slots=True)
class Amount:
    """One line as typed: 4 oz of ingredient 12. ``amount`` is signed for an option."""

    ingredient_id: int
    amount: Decimal
    #: What the chef typed; empty means the ingredient's base unit.
    unit: str


async def _in_base_units(
    session: AsyncSession, location_id: int, lines: list[Amount], *, signed: bool
) -> dict[int, Decimal]:
    """Each line in its ingredient's base unit; the first wrong line refuses them all."""
    if len(lines) > MAX_LINES:
        raise BadInput(f"A recipe takes at most {MAX_LINES} ingredients.")
    ids = [line.ingredient_id for line in lines]
    rows = await session.scalars(
        select(Ingredient).where(Ingredient.id.in_(ids), Ingredient.location_id == location_id)
    )
    known = {i.id: i for i in rows}
    converted: dict[int, Decimal] = {}
    for line in lines:
        ingredient = known.get(line.ingredient_id)
        if ingredient is None:
            raise BadInput("Pick each ingredient from the list.")
        if ingredient.archived_at is not None:
            raise BadInput(f"{ingredient.name} is archived: restore it or pick another.")
        if line.ingredient_id in converted:
            raise BadInput(f"{ingredient.name} is on the recipe twice: write it once, in total.")
        if line.amount < 0 and not signed:
            raise BadInput(
                f"An item's recipe only takes out: {ingredient.name} cannot be negative."
            )
        unit = line.unit.strip() or ingredient.base_unit
        try:
            base = to_base(abs(line.amount), unit, ingredient.base_unit)
        except BadInput as refusal:  # which line, on a form of many
            raise BadInput(f"{ingredient.name}: {refusal.message}") from refusal
        if base == 0:
            raise BadInput(
                f"{line.amount} {unit} of {ingredient.name} is nothing: leave the line out instead."
            )
        converted[line.ingredient_id] = -base if line.amount < 0 else base
    return converted


def _shown(converted: dict[int, Decimal]) -> dict[str, str]:
    """For the audit row (JSON): ingredient id -> quantity in its base unit, as text."""
    return {str(k): str(v) for k, v in converted.items()}


async def set_recipe(
    uow: UnitOfWork, location_id: int, actor_id: int, item_id: int, lines: list[Amount]
) -> dict[int, Decimal]:
    """The item's whole recipe becomes these lines (none: it has no recipe yet)."""
    item = await uow.session.scalar(
        select(MenuItem)
        .join(Category, Category.id == MenuItem.category_id)
        .where(MenuItem.id == item_id, Category.location_id == location_id)
        .with_for_update(of=MenuItem)
    )
    if item is None:
        raise NotFound("That item is not on this menu.")
    if item.archived_at is not None:
        raise BadInput(
            f"{item.name} is archived: restore it on the menu before writing its recipe."
        )
    converted = await _in_base_units(uow.session, location_id, lines, signed=False)
    before = await uow.session.execute(
        select(RecipeLine.ingredient_id, RecipeLine.quantity).where(RecipeLine.item_id == item_id)
    )
    was = {row.ingredient_id: row.quantity for row in before}
    if was == converted:
        return converted
    await uow.session.execute(delete(RecipeLine).where(RecipeLine.item_id == item_id))
    if converted:
        await uow.session.execute(
            insert(RecipeLine),
            [{"item_id": item_id, "ingredient_id": k, "quantity": v} for k, v in converted.items()],
        )
    await audit.record(
        uow.session, "set_recipe", f"menu_item:{item_id}", actor_id=actor_id,
        was=_shown(was), now=_shown(converted),
    )  # fmt: skip
    return converted


async def set_option_changes(
    uow: UnitOfWork, location_id: int, actor_id: int, option_id: int, lines: list[Amount]
) -> dict[int, Decimal]:
    """What choosing the option does to stock: positive adds (extra cheese), negative takes
    off (no onions; the close never takes an item below none of it)."""
    option = await uow.session.scalar(
        select(ModifierOption)
        .join(ModifierGroup, ModifierGroup.id == ModifierOption.group_id)
        .where(ModifierOption.id == option_id, ModifierGroup.location_id == location_id)
        .with_for_update(of=ModifierOption)
    )
    if option is None:
        raise NotFound("That modifier option is not on this menu.")
    if option.archived_at is not None:
        raise BadInput(f"The option {option.name} is archived: restore it first.")
    converted = await _in_base_units(uow.session, location_id, lines, signed=True)
    before = await uow.session.execute(
        select(OptionRecipe.ingredient_id, OptionRecipe.quantity).where(
            OptionRecipe.option_id == option_id
        )
    )
    was = {row.ingredient_id: row.quantity for row in before}
    if was == converted:
        return converted
    await uow.session.execute(delete(OptionRecipe).where(OptionRecipe.option_id == option_id))
    if converted:
        await uow.session.execute(
            insert(OptionRecipe),
            [
                {"option_id": option_id, "ingredient_id": k, "quantity": v}
                for k, v in converted.items()
            ],
        )
    await audit.record(
        uow.session, "set_option_recipe", f"modifier_option:{option_id}", actor_id=actor_id,
        was=_shown(was), now=_shown(converted),
    )  # fmt: skip
    return converted
