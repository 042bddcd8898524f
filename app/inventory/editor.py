"""The back office's inventory commands: ingredients and storage areas, an item's recipe, and
what a modifier option adds or takes off.

A recipe is written in the units a chef says ("4 oz", "2 cl", "1 each") and kept in the
ingredient's base unit, converted by pint (``app.inventory.units``): a unit that does not
convert refuses the whole recipe, and a saved recipe replaces the old one whole, in one
transaction, so a close never depletes half of an old recipe and half of a new one.

An ingredient a recipe uses is never archived from under it: the close would silently stop
taking it out. Every command writes an audit row with who changed what.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.inventory.models import BASE_UNITS, Ingredient, OptionRecipe, RecipeLine, StorageArea
from app.inventory.units import to_base
from app.menu.models import Category, MenuItem, ModifierGroup, ModifierOption
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork

#: The most lines one recipe, or one option's changes, may have.
MAX_LINES = 40


@dataclass(frozen=True, slots=True)
class IngredientDraft:
    name: str
    base_unit: str
    storage_area_id: int | None
    tracked: bool = True


@dataclass(frozen=True, slots=True)
class IngredientChange:
    """A PATCH: None leaves a field as it is. The base unit never changes: the ledger's
    moves are in it (archive the ingredient and add it again in the other unit)."""

    name: str | None = None
    storage_area_id: int | None = None
    #: True: take it out of its storage area (storage_area_id None means "unchanged").
    no_area: bool = False
    tracked: bool | None = None


@dataclass(frozen=True, slots=True)
class Amount:
    """One line as typed: 4 oz of ingredient 12. ``amount`` is signed for an option."""

    ingredient_id: int
    amount: Decimal
    #: What the chef typed; empty means the ingredient's base unit.
    unit: str


async def ingredient_of(session: AsyncSession, location_id: int, ingredient_id: int) -> Ingredient:
    found = await session.scalar(
        select(Ingredient)
        .where(Ingredient.id == ingredient_id, Ingredient.location_id == location_id)
        .with_for_update()
    )
    if found is None:
        raise NotFound("That ingredient is not in this restaurant's stock.")
    return found


async def _check_area(session: AsyncSession, location_id: int, area_id: int | None) -> None:
    if area_id is None:
        return
    known = await session.scalar(
        select(StorageArea.id).where(
            StorageArea.id == area_id, StorageArea.location_id == location_id
        )
    )
    if known is None:
        raise BadInput("Pick a storage area from the list.")


async def _check_name(
    session: AsyncSession, location_id: int, name: str, but: int | None = None
) -> None:
    """One name per restaurant, whatever its capitals: "Onions" and "onions" are one shelf."""
    query = select(Ingredient.id).where(
        Ingredient.location_id == location_id, func.lower(Ingredient.name) == name.lower()
    )
    if but is not None:
        query = query.where(Ingredient.id != but)
    if await session.scalar(query) is not None:
        raise BadInput(f"There is already an ingredient called {name}: use that one.")


async def add_storage_area(
    uow: UnitOfWork, location_id: int, actor_id: int, name: str, key: str | None
) -> int:
    claim = await idempotency.claim(uow.session, key, "add_storage_area", {"name": name})
    if claim.replay is not None:
        return int(claim.replay["storage_area_id"])
    taken = await uow.session.scalar(
        select(StorageArea.id).where(
            StorageArea.location_id == location_id, func.lower(StorageArea.name) == name.lower()
        )
    )
    if taken is not None:
        raise BadInput(f"There is already a storage area called {name}.")
    area = await uow.session.scalar(
        insert(StorageArea).values(location_id=location_id, name=name).returning(StorageArea.id)
    )
    assert area is not None
    await audit.record(
        uow.session, "add_storage_area", f"storage_area:{area}", actor_id=actor_id, name=name
    )
    await idempotency.remember(uow.session, claim, {"storage_area_id": area})
    return int(area)


async def add_ingredient(
    uow: UnitOfWork, location_id: int, actor_id: int, draft: IngredientDraft, key: str | None
) -> int:
    payload: dict[str, Any] = asdict(draft)
    claim = await idempotency.claim(uow.session, key, "add_ingredient", payload)
    if claim.replay is not None:
        return int(claim.replay["ingredient_id"])
    if draft.base_unit not in BASE_UNITS:
        raise BadInput(f"{draft.base_unit[:20]!r} is not a base unit: use g, ml or each.")
    await _check_area(uow.session, location_id, draft.storage_area_id)
    await _check_name(uow.session, location_id, draft.name)
    made = await uow.session.scalar(
        insert(Ingredient).values(location_id=location_id, **payload).returning(Ingredient.id)
    )
    assert made is not None
    await audit.record(
        uow.session, "add_ingredient", f"ingredient:{made}", actor_id=actor_id, **payload
    )
    await idempotency.remember(uow.session, claim, {"ingredient_id": made})
    return int(made)


async def change_ingredient(
    uow: UnitOfWork, location_id: int, actor_id: int, ingredient_id: int, change: IngredientChange
) -> dict[str, Any]:
    """Rename it, move it to another storage area, start or stop counting it."""
    found = await ingredient_of(uow.session, location_id, ingredient_id)
    wanted: dict[str, Any] = {}
    if change.name is not None and change.name != found.name:
        await _check_name(uow.session, location_id, change.name, but=ingredient_id)
        wanted["name"] = change.name
    area = None if change.no_area else change.storage_area_id
    if (change.no_area or area is not None) and area != found.storage_area_id:
        await _check_area(uow.session, location_id, area)
        wanted["storage_area_id"] = area
    if change.tracked is not None and change.tracked != found.tracked:
        wanted["tracked"] = change.tracked
    changed = {name: [getattr(found, name), value] for name, value in wanted.items()}
    for name, value in wanted.items():
        setattr(found, name, value)
    if changed:
        await audit.record(
            uow.session, "change_ingredient", f"ingredient:{ingredient_id}", actor_id=actor_id,
            changed=changed,
        )  # fmt: skip
    return changed


async def users_of(session: AsyncSession, ingredient_id: int) -> list[str]:
    """The live items and options whose recipes take this ingredient, by name."""
    items = (
        select(MenuItem.name)
        .join(RecipeLine, RecipeLine.item_id == MenuItem.id)
        .where(RecipeLine.ingredient_id == ingredient_id, MenuItem.archived_at.is_(None))
    )
    options = (
        select(ModifierOption.name)
        .join(OptionRecipe, OptionRecipe.option_id == ModifierOption.id)
        .where(OptionRecipe.ingredient_id == ingredient_id, ModifierOption.archived_at.is_(None))
    )
    names = list(await session.scalars(items.order_by(MenuItem.name)))
    names += [
        f"the option {n}" for n in await session.scalars(options.order_by(ModifierOption.name))
    ]
    return names


async def archive_ingredient(
    uow: UnitOfWork, location_id: int, actor_id: int, ingredient_id: int, *, archived: bool
) -> None:
    found = await ingredient_of(uow.session, location_id, ingredient_id)
    if (found.archived_at is not None) == archived:
        return
    if archived:
        users = await users_of(uow.session, ingredient_id)
        if users:
            shown = ", ".join(users[:5]) + (f" and {len(users) - 5} more" if len(users) > 5 else "")
            raise BadInput(
                f"{found.name} is in the recipe of {shown}: take it out of those recipes "
                "first, or the close would stop taking it out of stock."
            )
    found.archived_at = datetime.now(UTC) if archived else None
    action = "archive_ingredient" if archived else "restore_ingredient"
    await audit.record(uow.session, action, f"ingredient:{ingredient_id}", actor_id=actor_id)


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
