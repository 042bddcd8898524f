"""86 and countdowns: the kitchen's commands, and the board of what is on and off tonight.

The state lives on the item's row (``available``, ``unavailable_until``, ``countdown``); what it
means right now is ``app.core.availability``'s rule applied with the clock. Each command
writes an audit row and announces ``{"item": id}`` on the "menu" channel after commit, and
every screen redraws that item from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, case, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.availability import availability
from app.core.errors import BadInput, NotFound
from app.menu.models import Category, MenuItem
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork
from app.platform.models import Location

#: A countdown is tonight's portions; more than this is a typo, not a prep list.
MAX_COUNTDOWN = 999


def zone_named(name: str | None) -> tzinfo:
    """The restaurant's time zone; UTC if the name is unknown (a typo must not stop service)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def announce_item(uow: UnitOfWork, item_id: int) -> None:
    """Every tablet and kitchen screen redraws this item (they read its state themselves)."""
    uow.announce("menu", {"item": item_id})


async def _change_item(uow: UnitOfWork, item_id: int, **values: object) -> str:
    name = await uow.session.scalar(
        update(MenuItem).where(MenuItem.id == item_id).values(**values).returning(MenuItem.name)
    )
    if name is None:
        raise NotFound("That item is not on the menu.")
    return str(name)


async def eighty_six(
    uow: UnitOfWork,
    item_id: int,
    staff_id: int | None,
    until: datetime | None,
    *,
    device_id: int | None = None,
    minutes: int | None = None,
    key: str | None = None,
) -> None:
    """Take an item off: until someone brings it back (``until=None``), until a time, or for
    ``minutes`` from now (counted here, so a retry of "30 minutes" is the same request).
    ``staff_id`` is None when a paired kitchen screen does it (then ``device_id`` says which).
    """
    asked = {"item": item_id, "until": until, "minutes": minutes}
    claim = await idempotency.claim(uow.session, key, "eighty_six", asked)
    if claim.replay is not None:
        return
    if minutes is not None:
        until = datetime.now(UTC) + timedelta(minutes=minutes)
    if until is not None:
        if until.tzinfo is None:
            raise ValueError("until must be timezone-aware")
        if until <= datetime.now(UTC):
            raise BadInput("That time has already passed. Pick a time still ahead.")
    name = await _change_item(uow, item_id, available=False, unavailable_until=until)
    await audit.record(
        uow.session,
        "eighty_six",
        f"menu_item:{item_id}",
        actor_id=staff_id,
        item=name,
        until=until.isoformat() if until else None,
        device=device_id,
    )
    announce_item(uow, item_id)
    await idempotency.remember(uow.session, claim, {})


async def bring_back(
    uow: UnitOfWork,
    item_id: int,
    staff_id: int | None,
    *,
    device_id: int | None = None,
    key: str | None = None,
) -> None:
    """Put an item back on. A countdown that ran out is cleared too (otherwise it stays 86'd);
    a countdown with portions left is kept."""
    claim = await idempotency.claim(uow.session, key, "bring_back", {"item": item_id})
    if claim.replay is not None:
        return
    name = await _change_item(
        uow,
        item_id,
        available=True,
        unavailable_until=None,
        countdown=case((MenuItem.countdown == 0, None), else_=MenuItem.countdown),
    )
    await audit.record(
        uow.session,
        "bring_back",
        f"menu_item:{item_id}",
        actor_id=staff_id,
        item=name,
        device=device_id,
    )
    announce_item(uow, item_id)
    await idempotency.remember(uow.session, claim, {})


async def set_countdown(
    uow: UnitOfWork,
    item_id: int,
    count: int | None,
    staff_id: int | None,
    *,
    device_id: int | None = None,
    key: str | None = None,
) -> None:
    """How many are left tonight (None: no limit). 0 86s the item. A count above zero means
    "we have N", so it also lifts an 86 made by hand."""
    asked = {"item": item_id, "count": count}
    claim = await idempotency.claim(uow.session, key, "set_countdown", asked)
    if claim.replay is not None:  # a send may have counted down since: keep its count
        return
    if count is not None and not 0 <= count <= MAX_COUNTDOWN:
        raise BadInput(f"Portions left must be between 0 and {MAX_COUNTDOWN}.")
    values: dict[str, object] = {"countdown": count}
    if count:
        values.update(available=True, unavailable_until=None)
    name = await _change_item(uow, item_id, **values)
    await audit.record(
        uow.session,
        "set_countdown",
        f"menu_item:{item_id}",
        actor_id=staff_id,
        item=name,
        count=count,
        device=device_id,
    )
    announce_item(uow, item_id)
    await idempotency.remember(uow.session, claim, {})


async def consume_countdown(session: AsyncSession, counts: dict[int, int]) -> list[int]:
    """Count down the portions being sent (item id -> quantity); call it inside the send.

    Refuses the whole send, changing nothing, when any item has fewer left than asked; the
    last portion sets the countdown to 0, which 86s the item. Returns the ids whose countdown
    changed, for the caller to ``announce_item``. Rows are locked in id order, so two sends
    that share items wait for each other instead of deadlocking.
    """
    if any(quantity < 0 for quantity in counts.values()):
        raise ValueError("a quantity sent is never negative")
    wanted = {item_id: quantity for item_id, quantity in counts.items() if quantity}
    if not wanted:
        return []
    rows = (
        await session.execute(
            select(MenuItem.id, MenuItem.name, MenuItem.countdown)
            .where(MenuItem.id.in_(wanted), MenuItem.countdown.is_not(None))
            .order_by(MenuItem.id)
            .with_for_update()
        )
    ).all()
    for item_id, name, left in rows:
        if left is not None and wanted[item_id] > left:
            raise BadInput(f"{name} is 86'd." if left == 0 else f"Only {left} {name} left.")
    for item_id, _, _ in rows:
        await session.execute(
            update(MenuItem)
            .where(MenuItem.id == item_id)
            .values(countdown=MenuItem.countdown - wanted[item_id])
        )
    return [item_id for item_id, _, _ in rows]


async def give_back_portions(session: AsyncSession, counts: dict[int, int]) -> list[int]:
    """Portions ordered but never cooked (a held line cleared) go back on the countdown."""
    wanted = {item_id: quantity for item_id, quantity in counts.items() if quantity > 0}
    if not wanted:
        return []
    rows = (
        await session.scalars(
            select(MenuItem.id)
            .where(MenuItem.id.in_(wanted), MenuItem.countdown.is_not(None))
            .order_by(MenuItem.id)
            .with_for_update()
        )
    ).all()
    for item_id in rows:
        await session.execute(
            update(MenuItem)
            .where(MenuItem.id == item_id)
            .values(countdown=MenuItem.countdown + wanted[item_id])
        )
    return list(rows)


# --- the board: every item and its state, for the kitchen and the API -------------------------


@dataclass(frozen=True, slots=True)
class ItemState:
    id: int
    name: str
    category: str
    orderable: bool
    why: str | None
    left: int | None
    #: When a timed 86 lifts by itself; None for an 86 until brought back, or none at all.
    until: datetime | None
    #: Seconds until then, so a screen can redraw the item at that moment.
    back_in: int | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "orderable": self.orderable,
            "why": self.why,
            "left": self.left,
            "until": self.until.isoformat() if self.until else None,
        }


@dataclass(slots=True)
class BoardCategory:
    id: int
    name: str
    color: str
    items: list[ItemState] = field(default_factory=list)


def timed_86_ends(item: MenuItem, orderable: bool) -> datetime | None:
    """When a timed 86 that is in force lifts by itself; None if none is."""
    return item.unavailable_until if not orderable and not item.available else None


def seconds_until(moment: datetime | None, now: datetime) -> int | None:
    """Whole seconds until ``moment``, rounded up and at least one, for a screen's timer."""
    return max(1, int((moment - now).total_seconds()) + 1) if moment else None


def _state(item: MenuItem, category: str, zone: tzinfo, now: datetime) -> ItemState:
    state = availability(item.available, item.unavailable_until, item.countdown, now, zone)
    until = timed_86_ends(item, state.orderable)
    return ItemState(item.id, item.name, category, *state, until, seconds_until(until, now))


def _board_query() -> Select[MenuItem, Category, str]:
    return (
        select(MenuItem, Category, Location.timezone)
        .join(Category, Category.id == MenuItem.category_id)
        .join(Location, Location.id == Category.location_id)
        .where(MenuItem.archived_at.is_(None), Category.archived_at.is_(None))
        .order_by(Category.sort, Category.id, MenuItem.sort, MenuItem.id)
    )


async def availability_board(session: AsyncSession, location_id: int) -> list[BoardCategory]:
    """Every item by category, in menu order, with its state right now."""
    now = datetime.now(UTC)
    rows = (await session.execute(_board_query().where(Category.location_id == location_id))).all()
    board: dict[int, BoardCategory] = {}
    for item, category, zone in rows:
        shelf = board.setdefault(
            category.id, BoardCategory(category.id, category.name, category.color)
        )
        shelf.items.append(_state(item, category.name, zone_named(zone), now))
    return list(board.values())


async def item_state(session: AsyncSession, item_id: int) -> ItemState:
    """One item's state right now."""
    row = (await session.execute(_board_query().where(MenuItem.id == item_id))).first()
    if row is None:
        raise NotFound("That item is not on the menu.")
    item, category, zone = row
    return _state(item, category.name, zone_named(zone), datetime.now(UTC))


async def board_card(
    session: AsyncSession, location_id: int, item_id: int
) -> tuple[ItemState, str, list[ItemState]]:
    """One item's card (its state and category colour) and everything 86'd now with it."""
    board = await availability_board(session, location_id)
    off = [item for shelf in board for item in shelf.items if not item.orderable]
    for shelf in board:
        for item in shelf.items:
            if item.id == item_id:
                return item, shelf.color, off
    raise NotFound("That item is not on the menu.")
