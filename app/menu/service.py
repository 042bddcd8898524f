"""Reading the menu for the order screen, and pricing an item with its chosen modifiers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.menu.models import (
    Category,
    ItemModifierGroup,
    MenuItem,
    ModifierGroup,
    ModifierOption,
    TaxRate,
)


@dataclass(frozen=True, slots=True)
class OptionView:
    id: int
    name: str
    price_delta: int


@dataclass(frozen=True, slots=True)
class GroupView:
    id: int
    name: str
    min_choices: int
    max_choices: int
    options: tuple[OptionView, ...]

    @property
    def rule(self) -> str:
        """How a server reads the group's rule at a glance."""
        if self.min_choices == self.max_choices == 1:
            return "choose 1"
        if self.min_choices == 0:
            return f"up to {self.max_choices}"
        return f"choose {self.min_choices}–{self.max_choices}"


@dataclass(frozen=True, slots=True)
class ItemView:
    id: int
    name: str
    description: str
    price: int
    category_id: int
    available: bool
    groups: tuple[GroupView, ...] = ()

    @property
    def needs_choices(self) -> bool:
        return bool(self.groups)


@dataclass(slots=True)
class CategoryView:
    id: int
    name: str
    color: str
    course: str
    items: list[ItemView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OrderableItem:
    """An item priced with its modifiers, ready to become a check line."""

    item_id: int
    category_id: int
    name: str
    course: str
    unit_price: int
    tax_rate_ppm: int
    options: tuple[OptionView, ...]

    @property
    def modifiers_text(self) -> str:
        return ", ".join(option.name for option in self.options)


async def _groups_by_item(
    session: AsyncSession, item_ids: Sequence[int]
) -> dict[int, tuple[GroupView, ...]]:
    rows = (
        await session.execute(
            select(ItemModifierGroup.item_id, ModifierGroup, ModifierOption)
            .join(ModifierGroup, ModifierGroup.id == ItemModifierGroup.group_id)
            .join(ModifierOption, ModifierOption.group_id == ModifierGroup.id)
            .where(ItemModifierGroup.item_id.in_(item_ids))
            .order_by(
                ItemModifierGroup.item_id,
                ItemModifierGroup.sort,
                ModifierGroup.id,
                ModifierOption.sort,
                ModifierOption.id,
            )
        )
    ).all()
    grouped: dict[int, dict[int, tuple[ModifierGroup, list[OptionView]]]] = {}
    for item_id, group, option in rows:
        slot = grouped.setdefault(item_id, {}).setdefault(group.id, (group, []))
        slot[1].append(OptionView(option.id, option.name, option.price_delta))
    return {
        item_id: tuple(
            GroupView(g.id, g.name, g.min_choices, g.max_choices, tuple(opts))
            for g, opts in groups.values()
        )
        for item_id, groups in grouped.items()
    }


async def menu_for_ordering(session: AsyncSession, location_id: int) -> list[CategoryView]:
    """Categories in menu order with their items and modifier groups."""
    categories = (
        await session.scalars(
            select(Category).where(Category.location_id == location_id).order_by(Category.sort)
        )
    ).all()
    views = {c.id: CategoryView(c.id, c.name, c.color, c.course) for c in categories}
    items = (
        await session.scalars(
            select(MenuItem)
            .where(MenuItem.category_id.in_(views))
            .order_by(MenuItem.sort, MenuItem.id)
        )
    ).all()
    groups = await _groups_by_item(session, [i.id for i in items])
    for item in items:
        views[item.category_id].items.append(
            ItemView(
                item.id,
                item.name,
                item.description,
                item.price,
                item.category_id,
                item.available,
                groups.get(item.id, ()),
            )
        )
    return list(views.values())


async def item_with_choices(session: AsyncSession, item_id: int) -> ItemView:
    item = await session.get(MenuItem, item_id)
    if item is None:
        raise NotFound("That item is not on the menu.")
    groups = await _groups_by_item(session, [item.id])
    return ItemView(
        item.id,
        item.name,
        item.description,
        item.price,
        item.category_id,
        item.available,
        groups.get(item.id, ()),
    )


def _check_choices(groups: Sequence[GroupView], chosen: set[int]) -> list[OptionView]:
    """Each group's min/max rule, and no option from a group the item does not have."""
    picked: list[OptionView] = []
    known: set[int] = set()
    for group in groups:
        in_group = [o for o in group.options if o.id in chosen]
        known.update(o.id for o in group.options)
        if len(in_group) < group.min_choices:
            need = "a choice" if group.min_choices == 1 else f"{group.min_choices} choices"
            raise BadInput(f"{group.name}: pick {need}.")
        if len(in_group) > group.max_choices:
            raise BadInput(f"{group.name}: pick at most {group.max_choices}.")
        picked.extend(in_group)
    if chosen - known:
        raise BadInput("One of the chosen options does not belong to this item.")
    return picked


async def price_for_order(
    session: AsyncSession, item_id: int, option_ids: Sequence[int]
) -> OrderableItem:
    """Validate the choices and price the item: refuses 86'd items and broken choices."""
    row = (
        await session.execute(
            select(MenuItem, Category, TaxRate)
            .join(Category, Category.id == MenuItem.category_id)
            .join(TaxRate, TaxRate.id == MenuItem.tax_rate_id)
            .where(MenuItem.id == item_id)
        )
    ).first()
    if row is None:
        raise NotFound("That item is not on the menu.")
    item, category, tax_rate = row
    if not item.available:
        raise BadInput(f"{item.name} is 86'd (not available right now).")
    groups = (await _groups_by_item(session, [item.id])).get(item.id, ())
    options = _check_choices(groups, set(option_ids))
    return OrderableItem(
        item_id=item.id,
        category_id=category.id,
        name=item.name,
        course=category.course,
        unit_price=item.price + sum(o.price_delta for o in options),
        tax_rate_ppm=tax_rate.rate_ppm,
        options=tuple(options),
    )
