"""Kitchen tickets: created when lines fire, shown per station, bumped by the cook."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound, Refused
from app.platform import audit
from app.platform.db import UnitOfWork
from app.platform.kitchen import FiredLine, FiredOrder, KitchenListener
from kds.events import TicketBus
from kds.models import CategoryStation, Station, Ticket, TicketItem


def station_channel(station_id: int) -> str:
    return f"kds:{station_id}"


async def route_lines(
    session: AsyncSession, lines: tuple[FiredLine, ...]
) -> dict[int, list[FiredLine]]:
    """Which station makes which line, by the line's menu category."""
    pairs = (
        await session.execute(
            select(CategoryStation.category_id, CategoryStation.station_id).where(
                CategoryStation.category_id.in_({line.category_id for line in lines})
            )
        )
    ).all()
    stations_of: dict[int, list[int]] = defaultdict(list)
    for category_id, station_id in pairs:
        stations_of[category_id].append(station_id)
    routed: dict[int, list[FiredLine]] = defaultdict(list)
    for line in lines:
        for station_id in stations_of.get(line.category_id, []):
            routed[station_id].append(line)
    return dict(routed)


def ticket_maker(bus: TicketBus) -> KitchenListener:
    """The kitchen's answer to fired lines: tickets, then whoever listens for tickets."""

    async def make(uow: UnitOfWork, order: FiredOrder) -> None:
        await bus.created(uow, await create_tickets(uow, order))

    return make


async def create_tickets(uow: UnitOfWork, order: FiredOrder) -> list[int]:
    """One ticket per routed station, numbered in that station's gapless sequence."""
    session = uow.session
    created: list[int] = []
    routed = await route_lines(session, order.lines)
    # Stations are locked in id order so two sends never deadlock on each other's counters.
    for station_id in sorted(routed):
        seq = await session.scalar(
            update(Station)
            .where(Station.id == station_id)
            .values(last_seq=Station.last_seq + 1)
            .returning(Station.last_seq)
        )
        ticket_id = await session.scalar(
            insert(Ticket)
            .values(
                station_id=station_id,
                seq=seq,
                check_id=order.check_id,
                check_number=order.check_number,
                table_name=order.table_name,
                server_name=order.server_name,
                kind=order.kind,
                allergies=order.allergies,
            )
            .returning(Ticket.id)
        )
        await session.execute(
            insert(TicketItem),
            [
                {
                    "ticket_id": ticket_id,
                    "line_id": line.line_id,
                    "name": line.name,
                    "quantity": line.quantity,
                    "modifiers": line.modifiers,
                    "note": line.note,
                    "seat": line.seat,
                    "course": line.course,
                }
                for line in routed[station_id]
            ],
        )
        uow.announce(station_channel(station_id), {"ticket": ticket_id})
        created.append(int(ticket_id or 0))
    return created


@dataclass(frozen=True, slots=True)
class TicketItemView:
    name: str
    quantity: int
    modifiers: str
    note: str
    seat: int | None
    course: str


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


async def _views(session: AsyncSession, tickets: list[Ticket]) -> list[TicketView]:
    items: dict[int, list[TicketItemView]] = defaultdict(list)
    if tickets:
        for item in (
            await session.scalars(
                select(TicketItem)
                .where(TicketItem.ticket_id.in_([t.id for t in tickets]))
                .order_by(TicketItem.id)
            )
        ).all():
            items[item.ticket_id].append(
                TicketItemView(
                    item.name, item.quantity, item.modifiers, item.note, item.seat, item.course
                )
            )
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
            items[t.id],
            t.kind,
            t.allergies,
        )
        for t in tickets
    ]


async def open_tickets(session: AsyncSession, station_id: int) -> list[TicketView]:
    tickets = (
        await session.scalars(
            select(Ticket)
            .where(Ticket.station_id == station_id, Ticket.bumped_at.is_(None))
            .order_by(Ticket.seq)
        )
    ).all()
    return await _views(session, list(tickets))


async def tickets_after(session: AsyncSession, station_id: int, after_seq: int) -> list[TicketView]:
    """Everything a screen missed since the last number it saw, in order."""
    tickets = (
        await session.scalars(
            select(Ticket)
            .where(Ticket.station_id == station_id, Ticket.seq > after_seq)
            .order_by(Ticket.seq)
        )
    ).all()
    return await _views(session, list(tickets))


async def ticket(session: AsyncSession, ticket_id: int) -> TicketView:
    row = await session.get(Ticket, ticket_id)
    if row is None:
        raise NotFound("That ticket does not exist.")
    return (await _views(session, [row]))[0]


async def stations(session: AsyncSession, location_id: int) -> list[Station]:
    return list(
        (
            await session.scalars(
                select(Station).where(Station.location_id == location_id).order_by(Station.id)
            )
        ).all()
    )


async def bump_ticket(
    uow: UnitOfWork, station_id: int, ticket_id: int, staff_id: int | None
) -> None:
    """The cook is done with the ticket: off every screen of the station."""
    session = uow.session
    row = await session.scalar(select(Ticket).where(Ticket.id == ticket_id).with_for_update())
    if row is None or row.station_id != station_id:
        raise NotFound("That ticket is not at this station.")
    if row.bumped_at is not None:
        raise Refused(f"Ticket {row.seq} was already bumped.")
    await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id)
        .values(bumped_at=func.now(), bumped_by=staff_id)
    )
    await audit.record(session, "bump_ticket", f"ticket:{ticket_id}", actor_id=staff_id)
    uow.announce(station_channel(station_id), {"bumped": ticket_id})
