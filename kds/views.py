"""What a station screen shows, read straight from the tables (read models, no writes).

Pending lines are read from the dining room's check lines: the kitchen wants to see what is
coming before the server fires it, and no order-side service offers that list yet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound
from app.floor.models import DiningTable
from app.orders.models import Check, CheckLine
from kds.models import Ticket
from kds.reads import TicketItemView as TicketItemView  # the views, for other modules
from kds.reads import TicketView as TicketView
from kds.reads import load_tickets
from kds.routing import RoutingMap
from kds.stations import routing_map

RECENT = 10


async def views_of(session: AsyncSession, tickets: list[Ticket]) -> list[TicketView]:
    """These ticket rows as views, in the order given."""
    read = {t.id: t for t in await load_tickets(session, Ticket.id.in_([t.id for t in tickets]))}
    return [read[t.id] for t in tickets] if tickets else []


async def open_tickets(session: AsyncSession, station_id: int) -> list[TicketView]:
    return await load_tickets(
        session, (Ticket.station_id == station_id) & Ticket.bumped_at.is_(None)
    )


async def tickets_after(
    session: AsyncSession, station_id: int, after_seq: int, limit: int | None = None
) -> list[TicketView]:
    """Everything a screen missed since the last number it saw, in order."""
    query = (
        select(Ticket.id)
        .where(Ticket.station_id == station_id, Ticket.seq > after_seq)
        .order_by(Ticket.seq)
    )
    if limit is not None:
        query = query.limit(limit)
    return await load_tickets(session, Ticket.id.in_(query.scalar_subquery()))


async def ticket(session: AsyncSession, ticket_id: int) -> TicketView:
    found = await load_tickets(session, Ticket.id == ticket_id)
    if not found:
        raise NotFound("That ticket does not exist.")
    return found[0]


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


@dataclass(frozen=True, slots=True)
class HeldRow:
    """One held line of an open check, with what the pending panel needs to place it."""

    opened_at: datetime
    check_id: int
    line_id: int
    check_number: int
    table_id: int | None
    table_name: str
    line: PendingLine


async def held_lines(
    session: AsyncSession, location_id: int, table_ids: Iterable[int] | None = None
) -> list[HeldRow]:
    """Held lines of the open checks (of these tables only, when given), for every station:
    a screen filters them with the routing map it keeps."""
    query = (
        select(
            Check.opened_at,
            Check.id,
            CheckLine.id,
            Check.number,
            Check.table_id,
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
    )
    if table_ids is not None:
        query = query.where(Check.table_id.in_(list(table_ids)))
    return [
        HeldRow(opened, check_id, line_id, number, table_id, table or "Counter", PendingLine(*line))
        for opened, check_id, line_id, number, table_id, table, *line in await session.execute(
            query
        )
    ]


def pending_from(
    rows: Iterable[HeldRow], routing: RoutingMap, station_id: int
) -> list[PendingCheck]:
    """The pending panel of one station: its held lines, grouped by check, oldest check first."""
    checks: dict[int, PendingCheck] = {}
    for row in sorted(rows, key=lambda r: (r.opened_at, r.check_id, r.line_id)):
        held = row.line
        if station_id not in routing.stations_for(held.category_id, held.item_id):
            continue
        checks.setdefault(
            row.check_id, PendingCheck(row.check_number, row.table_name)
        ).lines.append(held)
    return list(checks.values())


async def pending(session: AsyncSession, location_id: int, station_id: int) -> list[PendingCheck]:
    """Held lines of open checks that will come to this station when their course fires."""
    rows = await held_lines(session, location_id)
    return pending_from(rows, await routing_map(session), station_id)
