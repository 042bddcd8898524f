"""What a station screen shows, read straight from the tables (read models, no writes).

Pending lines are read from the dining room's check lines: the kitchen wants to see what is
coming before the server fires it, and no order-side service offers that list yet.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound
from app.floor.models import DiningTable
from app.orders.models import Check, CheckLine
from kds.models import Ticket, TicketItem
from kds.stations import routing_map

RECENT = 10


@dataclass(frozen=True, slots=True)
class TicketItemView:
    name: str
    quantity: int
    modifiers: str
    note: str
    seat: int | None
    course: str
    line_id: int = 0
    #: Bumped on its own while the rest of the ticket cooks: shown struck.
    bumped_at: datetime | None = None
    #: A void ticket for this line reached the station: stop making it.
    voided: bool = False


@dataclass(frozen=True, slots=True)
class TicketView:
    id: int
    station_id: int
    seq: int
    check_number: int
    table_name: str
    server_name: str
    fired_at: datetime
    bumped_at: datetime | None
    items: list[TicketItemView]
    kind: str = "fire"
    allergies: str = ""
    check_id: int = 0
    allergy_acked_at: datetime | None = None
    acknowledged_at: datetime | None = None
    expo_at: datetime | None = None

    @property
    def allergy_open(self) -> bool:
        """An allergy no cook has confirmed reading (a void makes nothing, so needs none)."""
        return bool(self.allergies) and self.allergy_acked_at is None and self.kind == "fire"

    @property
    def courses(self) -> list[str]:
        return list(dict.fromkeys(item.course for item in self.items))


async def _voided_lines(session: AsyncSession, tickets: list[Ticket]) -> set[tuple[int, int]]:
    """(station, line) pairs that a void ticket has reached."""
    stations = {t.station_id for t in tickets if t.kind == "fire"}
    if not stations:
        return set()
    rows = await session.execute(
        select(Ticket.station_id, TicketItem.line_id)
        .join(TicketItem, TicketItem.ticket_id == Ticket.id)
        .where(Ticket.kind == "void", Ticket.station_id.in_(stations))
    )
    return {(station, line) for station, line in rows}


async def views_of(session: AsyncSession, tickets: list[Ticket]) -> list[TicketView]:
    items: dict[int, list[TicketItem]] = defaultdict(list)
    if tickets:
        for item in await session.scalars(
            select(TicketItem)
            .where(TicketItem.ticket_id.in_([t.id for t in tickets]))
            .order_by(TicketItem.id)
        ):
            items[item.ticket_id].append(item)
    voided = await _voided_lines(session, tickets)
    return [
        TicketView(
            t.id,
            t.station_id,
            t.seq,
            t.check_number,
            t.table_name,
            t.server_name,
            t.fired_at,
            t.bumped_at,
            [
                TicketItemView(
                    i.name,
                    i.quantity,
                    i.modifiers,
                    i.note,
                    i.seat,
                    i.course,
                    i.line_id,
                    i.bumped_at,
                    t.kind == "fire" and (t.station_id, i.line_id) in voided,
                )
                for i in items[t.id]
            ],
            t.kind,
            t.allergies,
            t.check_id,
            t.allergy_acked_at,
            t.acknowledged_at,
            t.expo_at,
        )
        for t in tickets
    ]


async def open_tickets(session: AsyncSession, station_id: int) -> list[TicketView]:
    tickets = await session.scalars(
        select(Ticket)
        .where(Ticket.station_id == station_id, Ticket.bumped_at.is_(None))
        .order_by(Ticket.seq)
    )
    return await views_of(session, list(tickets))


async def tickets_after(
    session: AsyncSession, station_id: int, after_seq: int, limit: int | None = None
) -> list[TicketView]:
    """Everything a screen missed since the last number it saw, in order."""
    query = (
        select(Ticket)
        .where(Ticket.station_id == station_id, Ticket.seq > after_seq)
        .order_by(Ticket.seq)
    )
    if limit is not None:
        query = query.limit(limit)
    return await views_of(session, list(await session.scalars(query)))


async def ticket(session: AsyncSession, ticket_id: int) -> TicketView:
    row = await session.get(Ticket, ticket_id)
    if row is None:
        raise NotFound("That ticket does not exist.")
    return (await views_of(session, [row]))[0]


@dataclass(frozen=True, slots=True)
class BumpedView:
    id: int
    seq: int
    table_name: str
    kind: str
    bumped_at: datetime | None


async def recently_bumped(session: AsyncSession, station_id: int) -> list[BumpedView]:
    """The last tickets off the screen, newest first: the ones a cook may want back."""
    rows = await session.execute(
        select(Ticket.id, Ticket.seq, Ticket.table_name, Ticket.kind, Ticket.bumped_at)
        .where(Ticket.station_id == station_id, Ticket.bumped_at.is_not(None))
        .order_by(Ticket.bumped_at.desc(), Ticket.seq.desc())
        .limit(RECENT)
    )
    return [BumpedView(r.id, r.seq, r.table_name, r.kind, r.bumped_at) for r in rows]


def all_day(tickets: list[TicketView]) -> list[tuple[str, int]]:
    """How many of each item are still to make across the open tickets, most first."""
    counts: Counter[str] = Counter()
    for t in tickets:
        if t.kind != "fire":
            continue
        for item in t.items:
            if item.bumped_at is None and not item.voided:
                counts[item.name] += item.quantity
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


@dataclass(frozen=True, slots=True)
class PendingLine:
    name: str
    quantity: int
    modifiers: str
    seat: int | None
    course: str
    category_id: int
    item_id: int


@dataclass(slots=True)
class PendingCheck:
    check_number: int
    table_name: str
    lines: list[PendingLine] = field(default_factory=list)

    @property
    def courses(self) -> list[str]:
        return list(dict.fromkeys(line.course for line in self.lines))


async def pending(session: AsyncSession, location_id: int, station_id: int) -> list[PendingCheck]:
    """Held lines of open checks that will come to this station when their course fires."""
    rows = await session.execute(
        select(
            Check.id,
            Check.number,
            DiningTable.name,
            CheckLine.name,
            CheckLine.quantity,
            CheckLine.modifiers,
            CheckLine.seat,
            CheckLine.course,
            CheckLine.category_id,
            CheckLine.menu_item_id,
        )
        .join(Check, Check.id == CheckLine.check_id)
        .outerjoin(DiningTable, DiningTable.id == Check.table_id)
        .where(CheckLine.status == "held", Check.status == "open", Check.location_id == location_id)
        .order_by(Check.opened_at, Check.id, CheckLine.id)
    )
    routing = await routing_map(session)
    checks: dict[int, PendingCheck] = {}
    for check_id, number, table, *line in rows:
        held = PendingLine(*line)
        if station_id not in routing.stations_for(held.category_id, held.item_id):
            continue
        checks.setdefault(check_id, PendingCheck(number, table or "Counter")).lines.append(held)
    return list(checks.values())
