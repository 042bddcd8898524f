"""The floor plan as tablets see it: every table with its live state.

A read model: plain queries across the dining room's tables, checks and payments, like
``app/orders/views.py``. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.core.errors import NotFound
from app.floor.models import DiningTable, Floor
from app.floor.owed import parties
from app.orders.models import Check
from app.platform.models import Staff

#: The states a table is drawn in, in the order a shift goes through them ("ready": expo
#: passed the food and nobody has picked it up yet; "printed": the bill is on the table).
STATES = ("free", "seated", "ordered", "ready", "printed", "paying", "bussing")
#: Badge colours (floor.css ``.srv-0`` ...): the same server keeps one colour all night.
BADGE_COLOURS = 8


def table_state(
    has_check: bool,
    fired: bool,
    paid: int,
    bussing_since: datetime | None,
    *,
    food_ready: bool = False,
    presented: bool = False,
) -> str:
    """One word for the table, from what the floor needs to do next.

    Food ready outranks everything: plates dying under the heat lamp need a runner now,
    whatever else the table is doing (dessert passed while they pay). Then paying (money
    already taken: the guests are leaving), then check printed (the bill is on the table:
    watch for the card), then ordered and seated. A dirty table with nobody at it needs a
    busser, but once a party sits there the check is what matters.
    """
    if not has_check:
        return "bussing" if bussing_since is not None else "free"
    if food_ready:
        return "ready"
    if paid > 0:
        return "paying"
    if presented:
        return "printed"
    return "ordered" if fired else "seated"


def initials(name: str | None) -> str:
    """ "Maria" -> "Ma", "Maria Lopez" -> "ML": two letters, because Maria and Mia share one."""
    if not name:
        return ""
    words = name.split()
    if len(words) >= 2:
        return (words[0][0] + words[1][0]).upper()
    return words[0][:2].capitalize()


@dataclass(frozen=True, slots=True)
class TableView:
    id: int
    floor_id: int
    name: str
    shape: str
    seats: int
    x: int
    y: int
    width: int
    height: int
    #: one of STATES
    state: str
    check_id: int | None = None
    check_number: int | None = None
    guests: int | None = None
    #: The server of the open check (who is looking after the guests now).
    server: str | None = None
    #: When the party sat down (a split keeps the original check's time).
    opened_at: datetime | None = None
    #: What the table still owes, tax included: every open check's balance (a split
    #: table's parts together).
    amount: int = 0
    rotation: int = 0
    #: Some lines wait for their course to be fired: the server must not forget them.
    held: bool = False
    server_id: int | None = None
    #: Money taken at the table (a split's paid parts too), net of refunds.
    paid: int = 0
    #: The server whose section this table is in (a manager's plan for the night).
    section_id: int | None = None
    section: str | None = None
    bussing_since: datetime | None = None
    #: Expo passed the food (cleared by the next fire or the server's "Picked up").
    food_ready_at: datetime | None = None
    #: The bill was printed or shown to the guests.
    presented_at: datetime | None = None

    @property
    def server_initials(self) -> str:
        return initials(self.server)

    @property
    def section_initials(self) -> str:
        return initials(self.section)

    def belongs_to(self, staff_id: int | None) -> bool:
        """ "My tables": in my section, or a check I opened."""
        return staff_id is not None and staff_id in (self.section_id, self.server_id)


@dataclass(frozen=True, slots=True)
class FloorView:
    id: int
    name: str
    tables: list[TableView]


@dataclass(frozen=True, slots=True)
class FloorRef:
    id: int
    name: str


def _table_query() -> Select[*tuple[Any, ...]]:
    server = aliased(Staff)
    section = aliased(Staff)
    part = aliased(Check)
    return (
        select(
            DiningTable,
            Check.id,
            Check.number,
            Check.guest_count,
            Check.server_id,
            server.name,
            section.name,
        )
        .select_from(DiningTable)
        # One check per table: the original, or the first part still open after a split.
        # What the table owes, its state and its seating time are the whole party's (parties).
        .outerjoin(
            Check,
            Check.id
            == select(func.min(part.id))
            .where(part.table_id == DiningTable.id, part.status == "open")
            .correlate(DiningTable)
            .scalar_subquery(),
        )
        .outerjoin(server, server.id == Check.server_id)
        .outerjoin(section, section.id == DiningTable.server_id)
    )


async def _views(session: AsyncSession, rows: Sequence[Row[Any]]) -> list[TableView]:
    plain: list[tuple[Any, ...]] = [tuple(r) for r in rows]
    party = await parties(session, [(r[1], r[0].id) for r in plain if r[1] is not None])
    views = []
    for t, check_id, number, guests, server_id, server, section in plain:
        at = party.get(check_id) if check_id is not None else None
        views.append(
            TableView(
                id=t.id,
                floor_id=t.floor_id,
                name=t.name,
                shape=t.shape,
                seats=t.seats,
                x=t.x,
                y=t.y,
                width=t.width,
                height=t.height,
                rotation=t.rotation,
                state=table_state(
                    at is not None,
                    at is not None and at.fired,
                    at.paid if at else 0,
                    t.bussing_since,
                    food_ready=at is not None and at.food_ready_at is not None,
                    presented=at is not None and at.presented_at is not None,
                ),
                held=at is not None and at.held,
                check_id=check_id,
                check_number=number,
                guests=guests,
                server_id=server_id,
                server=server,
                opened_at=at.seated_at if at else None,
                amount=at.owed if at else 0,
                paid=at.paid if at else 0,
                section_id=t.server_id,
                section=section,
                bussing_since=t.bussing_since,
                food_ready_at=at.food_ready_at if at else None,
                presented_at=at.presented_at if at else None,
            )
        )
    return views


async def floors(session: AsyncSession, location_id: int) -> list[FloorRef]:
    rows = await session.execute(
        select(Floor.id, Floor.name)
        .where(Floor.location_id == location_id)
        .order_by(Floor.sort, Floor.id)
    )
    return [FloorRef(i, n) for i, n in rows.all()]


async def tables_on(session: AsyncSession, floor_id: int) -> list[TableView]:
    """One floor's tables as drawn now. Removed (archived) tables are never drawn."""
    rows = (
        await session.execute(
            _table_query()
            .where(DiningTable.floor_id == floor_id, DiningTable.archived_at.is_(None))
            .order_by(DiningTable.id)
        )
    ).all()
    return await _views(session, rows)


async def floor_plan(session: AsyncSession, location_id: int) -> list[FloorView]:
    """Every floor with its tables (the API's floor plan, the transfer list)."""
    found = await floors(session, location_id)
    rows = (
        await session.execute(
            _table_query()
            .where(
                DiningTable.floor_id.in_([f.id for f in found]),
                DiningTable.archived_at.is_(None),
            )
            .order_by(DiningTable.id)
        )
    ).all()
    tables = await _views(session, rows)
    return [FloorView(f.id, f.name, [t for t in tables if t.floor_id == f.id]) for f in found]


async def table_view(session: AsyncSession, table_id: int) -> TableView:
    """One table as drawn now; a removed table is "not found", like one that never was."""
    rows = (
        await session.execute(
            _table_query().where(DiningTable.id == table_id, DiningTable.archived_at.is_(None))
        )
    ).all()
    if not rows:
        raise NotFound("That table does not exist.")
    return (await _views(session, rows))[0]


#: Who can have a section: the people who carry plates (a manager jumps on the floor too).
SECTION_ROLES = ("server", "bartender", "manager")


@dataclass(frozen=True, slots=True)
class SectionServer:
    id: int
    name: str
    role: str

    @property
    def initials(self) -> str:
        return initials(self.name)


async def section_staff(session: AsyncSession, location_id: int) -> list[SectionServer]:
    rows = await session.execute(
        select(Staff.id, Staff.name, Staff.role)
        .where(Staff.location_id == location_id, Staff.active, Staff.role.in_(SECTION_ROLES))
        # Servers first: they are who a manager is splitting the room between.
        .order_by(case({r: i for i, r in enumerate(SECTION_ROLES)}, value=Staff.role), Staff.name)
    )
    return [SectionServer(i, n, r) for i, n, r in rows.all()]
