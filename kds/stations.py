"""Stations and routing: managers decide which station makes what.

Routing is read on every send, so it lives in two small tables (category -> stations, item ->
stations); the rule that combines them is ``kds.routing``. The expo station is never a
routing target: it sees every ticket anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.menu.models import Category, MenuItem
from app.platform import audit
from app.platform.db import UnitOfWork
from kds.models import CategoryStation, ItemStation, Station
from kds.routing import RoutingMap

#: Announced when a manager changes the routing: station screens keep the map, and read it
#: again on this (and at their periodic re-check).
ROUTING_CHANNEL = "kds:routing"


async def stations(session: AsyncSession, location_id: int) -> list[Station]:
    return list(
        (
            await session.scalars(
                select(Station).where(Station.location_id == location_id).order_by(Station.id)
            )
        ).all()
    )


async def station(session: AsyncSession, location_id: int, station_id: int) -> Station:
    found = await session.get(Station, station_id)
    if found is None or found.location_id != location_id:
        raise NotFound("That station does not exist.")
    return found


async def routing_map(session: AsyncSession) -> RoutingMap:
    """The whole map: a few dozen rows in a restaurant, cheaper whole than filtered (and read
    in one round trip: every send reads it)."""
    by_category: dict[int, set[int]] = defaultdict(set)
    by_item: dict[int, set[int]] = defaultdict(set)
    rows = await session.execute(
        select(literal(False), CategoryStation.category_id, CategoryStation.station_id).union_all(
            select(literal(True), ItemStation.item_id, ItemStation.station_id)
        )
    )
    for is_item, target, station_id in rows:
        (by_item if is_item else by_category)[target].add(station_id)
    return RoutingMap(
        {k: frozenset(v) for k, v in by_category.items()},
        {k: frozenset(v) for k, v in by_item.items()},
    )


@dataclass(frozen=True, slots=True)
class RoutedItem:
    id: int
    name: str
    stations: frozenset[int]
    overridden: bool


@dataclass(frozen=True, slots=True)
class RoutedCategory:
    id: int
    name: str
    color: str
    stations: frozenset[int]
    items: list[RoutedItem]

    @property
    def overrides(self) -> int:
        return sum(1 for item in self.items if item.overridden)


async def routing_board(session: AsyncSession, location_id: int) -> list[RoutedCategory]:
    """Every category and item with the stations it goes to, for the manager's screen."""
    routing = await routing_map(session)
    items: dict[int, list[RoutedItem]] = defaultdict(list)
    for item in await session.scalars(
        select(MenuItem)
        .join(Category, Category.id == MenuItem.category_id)
        .where(Category.location_id == location_id, MenuItem.archived_at.is_(None))
        .order_by(MenuItem.sort, MenuItem.id)
    ):
        items[item.category_id].append(
            RoutedItem(
                item.id,
                item.name,
                routing.stations_for(item.category_id, item.id),
                item.id in routing.by_item,
            )
        )
    categories = await session.scalars(
        select(Category)
        .where(Category.location_id == location_id, Category.archived_at.is_(None))
        .order_by(Category.sort, Category.id)
    )
    return [
        RoutedCategory(
            c.id, c.name, c.color, routing.by_category.get(c.id, frozenset()), items[c.id]
        )
        for c in categories
    ]


async def _targets(session: AsyncSession, location_id: int, ids: Iterable[int]) -> list[Station]:
    """The stations named, checked: of this restaurant, and never expo."""
    wanted = set(ids)
    found = [s for s in await stations(session, location_id) if s.id in wanted and not s.is_expo]
    if len(found) != len(wanted):
        raise BadInput("Pick kitchen stations from the list (expo sees every ticket anyway).")
    return found


async def _category(session: AsyncSession, location_id: int, category_id: int) -> Category:
    category = await session.get(Category, category_id)
    if category is None or category.location_id != location_id:
        raise NotFound("That menu category does not exist.")
    return category


async def route_category(
    uow: UnitOfWork,
    location_id: int,
    category_id: int,
    station_ids: Iterable[int],
    staff_id: int | None,
) -> int:
    """Send a category's items to exactly these stations (none: it is not cooked, e.g. retail).

    The whole set is posted each time, so a double tap or a replay is harmless."""
    session = uow.session
    category = await _category(session, location_id, category_id)
    targets = await _targets(session, location_id, station_ids)
    before = (await routing_map(session)).by_category.get(category.id, frozenset())
    await session.execute(delete(CategoryStation).where(CategoryStation.category_id == category.id))
    if targets:
        await session.execute(
            insert(CategoryStation),
            [{"category_id": category.id, "station_id": s.id} for s in targets],
        )
    await audit.record(
        session,
        "route_category",
        f"category:{category.id}",
        actor_id=staff_id,
        before=sorted(before),
        after=sorted(s.id for s in targets),
    )
    uow.announce(ROUTING_CHANNEL, {"routing": category.id})
    return category.id


async def route_item(
    uow: UnitOfWork,
    location_id: int,
    item_id: int,
    station_ids: Iterable[int] | None,
    staff_id: int | None,
) -> int:
    """Override where one item goes; ``None`` (or its category's own set) follows the category.

    Returns the item's category, whose row the screen redraws."""
    session = uow.session
    item = await session.get(MenuItem, item_id)
    if item is None:
        raise NotFound("That menu item does not exist.")
    category = await _category(session, location_id, item.category_id)
    routing = await routing_map(session)
    wanted = (
        None
        if station_ids is None
        else {s.id for s in await _targets(session, location_id, station_ids)}
    )
    if wanted is not None and not wanted:
        raise BadInput(
            f"{item.name} would go to no station and never be made: tick one, "
            f"or tap “Follow {category.name}”."
        )
    if wanted == set(routing.by_category.get(category.id, frozenset())):
        wanted = None  # the same as its category: no override to keep in step by hand
    await session.execute(delete(ItemStation).where(ItemStation.item_id == item.id))
    if wanted:
        await session.execute(
            insert(ItemStation), [{"item_id": item.id, "station_id": s} for s in sorted(wanted)]
        )
    await audit.record(
        session,
        "route_item",
        f"item:{item.id}",
        actor_id=staff_id,
        before=sorted(routing.by_item.get(item.id, frozenset())),
        after=sorted(wanted or ()),
    )
    uow.announce(ROUTING_CHANNEL, {"routing": category.id})
    return category.id
