"""The menu as the editor shows it: everything, archived too, with what each thing uses."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.menu.courses import courses
from app.menu.models import (
    Category,
    ItemModifierGroup,
    MenuItem,
    ModifierGroup,
    ModifierOption,
)
from app.menu.taxes import RateView, tax_rates


@dataclass(slots=True)
class EditedItem:
    id: int
    category_id: int
    name: str
    price: int
    tax_rate_id: int
    course: str | None
    kitchen_name: str
    description: str
    sort: int
    archived: bool
    group_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class EditedCategory:
    id: int
    name: str
    color: str
    course: str
    sort: int
    archived: bool
    items: list[EditedItem] = field(default_factory=list)

    @property
    def usual_rate(self) -> int | None:
        """The rate most of its items have: what a new item in it most likely takes."""
        rates = Counter(i.tax_rate_id for i in self.items if not i.archived)
        return rates.most_common(1)[0][0] if rates else None


@dataclass(slots=True)
class EditedOption:
    id: int
    name: str
    price_delta: int
    sort: int
    archived: bool


@dataclass(slots=True)
class EditedGroup:
    id: int
    name: str
    min_choices: int
    max_choices: int
    archived: bool
    options: list[EditedOption] = field(default_factory=list)
    #: How many items ask this group.
    items: int = 0


@dataclass(slots=True)
class MenuBook:
    categories: list[EditedCategory]
    groups: list[EditedGroup]
    rates: list[RateView]
    courses: list[str]

    def rate(self, rate_id: int) -> RateView | None:
        return next((r for r in self.rates if r.id == rate_id), None)

    def item(self, item_id: int) -> EditedItem | None:
        return next(
            (i for c in self.categories for i in c.items if i.id == item_id),
            None,
        )


def _item(item: MenuItem, group_ids: list[int]) -> EditedItem:
    return EditedItem(
        item.id, item.category_id, item.name, item.price, item.tax_rate_id, item.course,
        item.kitchen_name, item.description, item.sort, item.archived_at is not None, group_ids,
    )  # fmt: skip


async def menu_book(session: AsyncSession, location_id: int) -> MenuBook:
    """The whole menu in screen order: categories with their items, groups with options."""
    categories = [
        EditedCategory(c.id, c.name, c.color, c.course, c.sort, c.archived_at is not None)
        for c in await session.scalars(
            select(Category)
            .where(Category.location_id == location_id)
            .order_by(Category.sort, Category.id)
        )
    ]
    by_id = {c.id: c for c in categories}
    asked: dict[int, list[int]] = defaultdict(list)
    for item_id, group_id in await session.execute(
        select(ItemModifierGroup.item_id, ItemModifierGroup.group_id)
        .join(MenuItem, MenuItem.id == ItemModifierGroup.item_id)
        .where(MenuItem.category_id.in_(by_id))
        .order_by(ItemModifierGroup.item_id, ItemModifierGroup.sort)
    ):
        asked[item_id].append(group_id)
    for item in await session.scalars(
        select(MenuItem).where(MenuItem.category_id.in_(by_id)).order_by(MenuItem.sort, MenuItem.id)
    ):
        by_id[item.category_id].items.append(_item(item, asked[item.id]))
    return MenuBook(
        categories,
        await modifier_groups(session, location_id),
        await tax_rates(session, location_id),
        list(await courses(session, location_id)),
    )


async def modifier_groups(session: AsyncSession, location_id: int) -> list[EditedGroup]:
    used = (
        select(ItemModifierGroup.group_id, func.count().label("n"))
        .join(MenuItem, MenuItem.id == ItemModifierGroup.item_id)
        .where(MenuItem.archived_at.is_(None))
        .group_by(ItemModifierGroup.group_id)
        .subquery()
    )
    groups = {
        g.id: EditedGroup(
            g.id, g.name, g.min_choices, g.max_choices, g.archived_at is not None, items=int(n)
        )
        for g, n in await session.execute(
            select(ModifierGroup, func.coalesce(used.c.n, 0))
            .outerjoin(used, used.c.group_id == ModifierGroup.id)
            .where(ModifierGroup.location_id == location_id)
            .order_by(ModifierGroup.archived_at.is_not(None), ModifierGroup.name, ModifierGroup.id)
        )
    }
    for o in await session.scalars(
        select(ModifierOption)
        .where(ModifierOption.group_id.in_(groups))
        .order_by(ModifierOption.sort, ModifierOption.id)
    ):
        groups[o.group_id].options.append(
            EditedOption(o.id, o.name, o.price_delta, o.sort, o.archived_at is not None)
        )
    return list(groups.values())
