"""Reading the menu for the order screen, pricing an item, and the kitchen's 86 commands.

Whether an item can be ordered is worked out from its row and the clock every time it is
read (``app.core.availability``), so a timed 86 lifts at its hour with nothing running.
The 86 commands live in ``app.menu.availability`` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo

from sqlalchemy import select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.availability import availability
from app.core.errors import BadInput, NotFound
from app.menu.availability import (
    MAX_COUNTDOWN,
    announce_item,
    bring_back,
    consume_countdown,
    eighty_six,
    seconds_until,
    set_countdown,
    timed_86_ends,
    zone_named,
)
from app.menu.models import (
    Category,
    ItemModifierGroup,
    MenuItem,
    ModifierGroup,
    ModifierOption,
    TaxRate,
)
from app.platform.models import Location

__all__ = [
    "MAX_COUNTDOWN",
    "CategoryView",
    "GroupView",
    "ItemView",
    "OptionView",
    "OrderableItem",
    "announce_item",
    "bring_back",
    "consume_countdown",
    "eighty_six",
    "item_button_view",
    "item_with_choices",
    "kitchen_names",
    "menu_for_ordering",
    "price_for_order",
    "set_countdown",
]


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
    #: Orderable right now: the 86 flag, its end time and the countdown already applied.
    available: bool
    groups: tuple[GroupView, ...] = ()
    #: Why it cannot be ordered ("86'd until 9:30 PM"); None when it can.
    why: str | None = None
    #: Portions left tonight when the kitchen keeps a countdown; None means no limit.
    left: int | None = None
    #: Seconds until a timed 86 lifts by itself, so a screen can refresh the button then.
    back_in: int | None = None

    @property
    def orderable(self) -> bool:
        return self.available

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
            .where(
                ItemModifierGroup.item_id.in_(item_ids),
                ModifierGroup.archived_at.is_(None),
                ModifierOption.archived_at.is_(None),
            )
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


def _item_view(
    item: MenuItem, groups: tuple[GroupView, ...], zone: tzinfo, now: datetime
) -> ItemView:
    state = availability(item.available, item.unavailable_until, item.countdown, now, zone)
    back_in = seconds_until(timed_86_ends(item, state.orderable), now)
    return ItemView(
        item.id,
        item.name,
        item.description,
        item.price,
        item.category_id,
        state.orderable,
        groups,
        state.why,
        state.left,
        back_in,
    )


async def menu_for_ordering(session: AsyncSession, location_id: int) -> list[CategoryView]:
    """Categories in menu order with their items, modifier groups and availability now."""
    zone = zone_named(
        await session.scalar(select(Location.timezone).where(Location.id == location_id))
    )
    categories = (
        await session.scalars(
            select(Category)
            .where(Category.location_id == location_id, Category.archived_at.is_(None))
            .order_by(Category.sort, Category.id)
        )
    ).all()
    views = {c.id: CategoryView(c.id, c.name, c.color, c.course) for c in categories}
    items = (
        await session.scalars(
            select(MenuItem)
            .where(MenuItem.category_id.in_(views), MenuItem.archived_at.is_(None))
            .order_by(MenuItem.sort, MenuItem.id)
        )
    ).all()
    groups = await _groups_by_item(session, [i.id for i in items])
    now = datetime.now(UTC)
    for item in items:
        views[item.category_id].items.append(_item_view(item, groups.get(item.id, ()), zone, now))
    return list(views.values())


async def item_with_choices(session: AsyncSession, item_id: int) -> ItemView:
    view, _ = await item_button_view(session, item_id)
    return view


async def item_button_view(session: AsyncSession, item_id: int) -> tuple[ItemView, CategoryView]:
    """One item as the order screen draws it, with its category (for the colour)."""
    row = (
        await session.execute(
            select(MenuItem, Category, Location.timezone)
            .join(Category, Category.id == MenuItem.category_id)
            .join(Location, Location.id == Category.location_id)
            .where(MenuItem.id == item_id)
        )
    ).first()
    if row is None:
        raise NotFound("That item is not on the menu.")
    item, c, zone = row
    groups = (await _groups_by_item(session, [item.id])).get(item.id, ())
    view = _item_view(item, groups, zone_named(zone), datetime.now(UTC))
    if item.archived_at is not None or c.archived_at is not None:
        # An open order screen redraws an item archived since: it cannot be ordered now.
        view = replace(view, available=False, why="off the menu", back_in=None)
    return view, CategoryView(c.id, c.name, c.color, c.course)


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
    session: AsyncSession,
    item_id: int,
    option_ids: Sequence[int],
    quantity: int = 1,
    *,
    location_id: int | None = None,
) -> OrderableItem:
    """Validate the choices and price the item: refuses 86'd items, more than the kitchen
    has left, and broken choices."""
    row = (
        await session.execute(
            select(MenuItem, Category, TaxRate, Location.timezone)
            .join(Category, Category.id == MenuItem.category_id)
            .join(TaxRate, TaxRate.id == MenuItem.tax_rate_id)
            .join(Location, Location.id == Category.location_id)
            .where(
                MenuItem.id == item_id,
                Category.location_id == location_id if location_id else true(),
            )
        )
    ).first()
    if row is None:
        raise NotFound("That item is not on the menu.")
    item, category, tax_rate, zone = row
    if item.archived_at is not None or category.archived_at is not None:
        raise BadInput(f"{item.name} is no longer on the menu.")
    state = availability(
        item.available, item.unavailable_until, item.countdown, datetime.now(UTC), zone_named(zone)
    )
    if not state.orderable:
        raise BadInput(f"{item.name} is {state.why}.")
    if state.left is not None and quantity > state.left:
        raise BadInput(f"Only {state.left} {item.name} left.")
    groups = (await _groups_by_item(session, [item.id])).get(item.id, ())
    options = _check_choices(groups, set(option_ids))
    return OrderableItem(
        item_id=item.id,
        category_id=category.id,
        name=item.name,
        course=item.course or category.course,
        unit_price=item.price + sum(o.price_delta for o in options),
        tax_rate_ppm=tax_rate.rate_ppm,
        options=tuple(options),
    )


async def kitchen_names(session: AsyncSession, item_ids: Sequence[int]) -> dict[int, str]:
    """What the tickets call these items, where the menu gives a kitchen name."""
    rows = await session.execute(
        select(MenuItem.id, MenuItem.kitchen_name).where(
            MenuItem.id.in_(set(item_ids)), MenuItem.kitchen_name != ""
        )
    )
    return {item_id: name for item_id, name in rows.all()}
