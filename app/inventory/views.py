"""What the inventory pages and the API read: ingredients, recipes per item and per option,
what has no recipe yet, and what the close flagged. Plain reads, one statement each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.models import (
    Ingredient,
    OptionRecipe,
    RecipeLine,
    StockMove,
    StorageArea,
    UnrecipedSale,
)
from app.menu.models import Category, MenuItem, ModifierGroup, ModifierOption


@dataclass(frozen=True, slots=True)
class Shelf:
    id: int
    name: str
    base_unit: str
    storage_area_id: int | None
    storage_area: str
    tracked: bool
    archived: bool
    #: How many live items and options use it.
    used_by: int


@dataclass(frozen=True, slots=True)
class Line:
    ingredient_id: int
    name: str
    quantity: Decimal
    base_unit: str


@dataclass(slots=True)
class Dish:
    """An item, or a modifier option, with its recipe lines."""

    id: int
    name: str
    group: str
    archived: bool
    price: int = 0
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Flag:
    """What closes sold with no recipe: how many, since when. The flags stay after a recipe
    is written: those sales were never taken out of stock, so the shelf needs a count."""

    item_id: int
    option_id: int | None
    item: str
    option: str | None
    sold: int
    since: datetime
    last: datetime
    #: A recipe (or the option's changes) has been written since.
    written: bool


async def storage_areas(session: AsyncSession, location_id: int) -> list[tuple[int, str]]:
    rows = await session.execute(
        select(StorageArea.id, StorageArea.name)
        .where(StorageArea.location_id == location_id)
        .order_by(StorageArea.name)
    )
    return [(r.id, r.name) for r in rows]


async def shelves(session: AsyncSession, location_id: int) -> list[Shelf]:
    items = (
        select(func.count())
        .select_from(RecipeLine)
        .join(MenuItem, MenuItem.id == RecipeLine.item_id)
        .where(RecipeLine.ingredient_id == Ingredient.id, MenuItem.archived_at.is_(None))
        .scalar_subquery()
    )
    options = (
        select(func.count())
        .select_from(OptionRecipe)
        .join(ModifierOption, ModifierOption.id == OptionRecipe.option_id)
        .where(OptionRecipe.ingredient_id == Ingredient.id, ModifierOption.archived_at.is_(None))
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            Ingredient,
            func.coalesce(StorageArea.name, "").label("area"),
            (items + options).label("used"),
        )
        .outerjoin(StorageArea, StorageArea.id == Ingredient.storage_area_id)
        .where(Ingredient.location_id == location_id)
        .order_by(Ingredient.archived_at.is_not(None), "area", Ingredient.name)
    )
    return [
        Shelf(
            i.id,
            i.name,
            i.base_unit,
            i.storage_area_id,
            area,
            i.tracked,
            i.archived_at is not None,
            used,
        )
        for i, area, used in rows
    ]


async def _lines(
    session: AsyncSession, table: type[RecipeLine] | type[OptionRecipe]
) -> dict[int, list[Line]]:
    owner = RecipeLine.item_id if table is RecipeLine else OptionRecipe.option_id
    rows = await session.execute(
        select(
            owner.label("owner"),
            Ingredient.id,
            Ingredient.name,
            table.quantity,
            Ingredient.base_unit,
        )
        .join(Ingredient, Ingredient.id == table.ingredient_id)
        .order_by(Ingredient.name)
    )
    found: dict[int, list[Line]] = defaultdict(list)
    for r in rows:
        found[r.owner].append(Line(r.id, r.name, r.quantity, r.base_unit))
    return found


async def dishes(session: AsyncSession, location_id: int) -> list[Dish]:
    """Every item on the menu with its recipe, by category (archived items last)."""
    lines = await _lines(session, RecipeLine)
    rows = await session.execute(
        select(
            MenuItem.id,
            MenuItem.name,
            Category.name.label("category"),
            MenuItem.archived_at,
            MenuItem.price,
        )
        .join(Category, Category.id == MenuItem.category_id)
        .where(Category.location_id == location_id)
        .order_by(
            MenuItem.archived_at.is_not(None),
            Category.sort,
            Category.name,
            MenuItem.sort,
            MenuItem.name,
        )
    )
    return [
        Dish(r.id, r.name, r.category, r.archived_at is not None, r.price, lines.get(r.id, []))
        for r in rows
    ]


async def options(session: AsyncSession, location_id: int) -> list[Dish]:
    """Every live modifier option with what it changes, by group."""
    lines = await _lines(session, OptionRecipe)
    rows = await session.execute(
        select(
            ModifierOption.id,
            ModifierOption.name,
            ModifierGroup.name.label("group"),
            ModifierOption.price_delta,
        )
        .join(ModifierGroup, ModifierGroup.id == ModifierOption.group_id)
        .where(
            ModifierGroup.location_id == location_id,
            ModifierOption.archived_at.is_(None),
            ModifierGroup.archived_at.is_(None),
        )
        .order_by(ModifierGroup.name, ModifierOption.sort, ModifierOption.name)
    )
    return [Dish(r.id, r.name, r.group, False, r.price_delta, lines.get(r.id, [])) for r in rows]


async def flags(session: AsyncSession, location_id: int) -> list[Flag]:
    """The close's flags, grouped by item and option: unwritten first, then most sold."""
    item_written = select(RecipeLine.item_id).where(RecipeLine.item_id == UnrecipedSale.item_id)
    option_written = select(OptionRecipe.option_id).where(
        OptionRecipe.option_id == UnrecipedSale.option_id
    )
    written = case(
        (UnrecipedSale.option_id.is_(None), item_written.exists()), else_=option_written.exists()
    )
    rows = await session.execute(
        select(
            UnrecipedSale.item_id,
            UnrecipedSale.option_id,
            written.label("written"),
            MenuItem.name.label("item"),
            ModifierOption.name.label("option"),
            func.sum(UnrecipedSale.quantity).label("sold"),
            func.min(UnrecipedSale.created_at).label("since"),
            func.max(UnrecipedSale.created_at).label("last"),
        )
        .join(MenuItem, MenuItem.id == UnrecipedSale.item_id)
        .outerjoin(ModifierOption, ModifierOption.id == UnrecipedSale.option_id)
        .where(UnrecipedSale.location_id == location_id)
        .group_by(
            UnrecipedSale.item_id, UnrecipedSale.option_id, MenuItem.name, ModifierOption.name
        )
        .order_by("written", func.sum(UnrecipedSale.quantity).desc(), MenuItem.name)
    )
    return [
        Flag(r.item_id, r.option_id, r.item, r.option, int(r.sold), r.since, r.last, r.written)
        for r in rows
    ]


async def moves_from(
    session: AsyncSession, location_id: int, source: str
) -> list[tuple[StockMove, str, str]]:
    """The moves one close (``check:ID``), void or count wrote, with names and units."""
    rows = await session.execute(
        select(StockMove, Ingredient.name, Ingredient.base_unit)
        .join(Ingredient, Ingredient.id == StockMove.ingredient_id)
        .where(StockMove.location_id == location_id, StockMove.source == source)
        .order_by(StockMove.id)
    )
    return [(m, n, u) for m, n, u in rows]


def plain(quantity: Decimal) -> str:
    """A quantity as a form shows it back: no exponent, no grouping, no trailing zeros
    (Decimal's own str says 1E+4 for ten thousand, which no chef reads)."""
    text = f"{quantity:.4f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def shown(quantity: Decimal, unit: str) -> str:
    """A quantity as a chef reads it: grams and millilitres to a tenth, "each" to a
    hundredth, thousands grouped (12,500 g)."""
    places = 2 if unit == "each" else 1
    text = f"{quantity:,.{places}f}"
    return text.rstrip("0").rstrip(".")


def in_kitchen_units(quantity: Decimal, unit: str) -> str:
    """5,000 g is also 5 kg: how the walk-in's shelves are talked about."""
    bigger = {"g": "kg", "ml": "l"}.get(unit)
    if bigger is None or abs(quantity) < 1000:
        return ""
    return f"{shown(quantity / 1000, 'each')} {bigger}"
