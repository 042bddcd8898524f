"""The back office's inventory commands: ingredients and storage areas here, an item's
recipe and a modifier option's changes in ``app.inventory.recipes`` (re-exported: the
screens and the API call one module).

A recipe is written in the units a chef says ("4 oz", "2 cl", "1 each") and kept in the
ingredient's base unit, converted by pint: a unit that does not convert refuses the whole
recipe, and a saved recipe replaces the old one whole, in one transaction.

An ingredient a recipe uses is never archived from under it: the close would silently stop
taking it out. Every command writes an audit row with who changed what.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.inventory.models import BASE_UNITS, Ingredient, OptionRecipe, RecipeLine, StorageArea
from app.inventory.recipes import MAX_LINES, Amount, set_option_changes, set_recipe
from app.menu.models import MenuItem, ModifierOption
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork

__all__ = [
    "MAX_LINES",
    "Amount",
    "IngredientChange",
    "IngredientDraft",
    "add_ingredient",
    "add_storage_area",
    "archive_ingredient",
    "change_ingredient",
    "set_option_changes",
    "set_recipe",
    "users_of",
]


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
    try:
        area = await uow.session.scalar(
            insert(StorageArea).values(location_id=location_id, name=name).returning(StorageArea.id)
        )
    except IntegrityError:  # another manager added it in the same instant
        raise BadInput(f"There is already a storage area called {name}.") from None
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
    try:
        made = await uow.session.scalar(
            insert(Ingredient).values(location_id=location_id, **payload).returning(Ingredient.id)
        )
    except IntegrityError:  # another manager added it in the same instant
        raise BadInput(
            f"There is already an ingredient called {draft.name}: use that one."
        ) from None
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
    try:
        await uow.session.flush()  # a rename racing another: refused here, not at commit
    except IntegrityError:
        raise BadInput(f"There is already an ingredient called {change.name}.") from None
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
