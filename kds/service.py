"""Kitchen tickets: created when lines fire, shown per station (bumped and recalled by cooks
in kds.bumps).

Every command locks the ticket row it changes and announces on the station's channel (and
expo's) after commit; screens then redraw from the database, so a lost announcement costs a
few seconds (the screens poll too), never a ticket.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import Check
from app.platform.db import UnitOfWork
from app.platform.kitchen import FiredLine, FiredOrder, KitchenListener
from kds.events import TicketBus
from kds.models import Station, Ticket, TicketItem
from kds.routing import route
from kds.stations import routing_map, stations
from kds.views import TicketView, open_tickets, ticket, tickets_after

__all__ = [
    "EXPO_CHANNEL",
    "TicketView",
    "acknowledge",
    "announce_station",
    "create_tickets",
    "open_tickets",
    "route_lines",
    "station_channel",
    "stations",
    "ticket",
    "ticket_maker",
    "tickets_after",
]

#: Expo redraws on any change at any station.
EXPO_CHANNEL = "kds:expo"
#: A screen acknowledges at most this many tickets per message (a bounded update).
MAX_ACKS = 200


def station_channel(station_id: int) -> str:
    return f"kds:{station_id}"


def announce_station(uow: UnitOfWork, station_id: int, message: dict[str, int]) -> None:
    """Every screen of the station, and expo, read the tickets named again."""
    uow.announce(station_channel(station_id), message)
    uow.announce(EXPO_CHANNEL, {"station": station_id})


async def route_lines(
    session: AsyncSession, lines: tuple[FiredLine, ...]
) -> dict[int, list[FiredLine]]:
    """Which station makes which line: the item's override, else its category's stations."""
    return route(lines, await routing_map(session))


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
    # Stations are locked in id order so two sends never deadlock on each other's counters;
    # the lock is held to commit, so a station's committed numbers never have a hole.
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
        announce_station(uow, station_id, {"ticket": int(ticket_id or 0)})
        created.append(int(ticket_id or 0))
    if created and order.kind == "fire":
        # More food is cooking: the table is no longer "food ready" on the floor.
        await session.execute(
            update(Check)
            .where(Check.id == order.check_id, Check.food_ready_at.is_not(None))
            .values(food_ready_at=None)
        )
    return created


async def acknowledge(uow: UnitOfWork, station_id: int, seqs: Iterable[int]) -> list[int]:
    """A screen of the station rendered these tickets. The first acknowledgement counts; an
    alert already raised for one of them is cleared on expo."""
    wanted = sorted({s for s in seqs if type(s) is int and s > 0})[:MAX_ACKS]
    if not wanted:
        return []
    rows = (
        await uow.session.execute(
            update(Ticket)
            .where(
                Ticket.station_id == station_id,
                Ticket.seq.in_(wanted),
                Ticket.acknowledged_at.is_(None),
            )
            .values(acknowledged_at=func.now())
            .returning(Ticket.seq, Ticket.alerted_at)
        )
    ).all()
    if any(alerted is not None for _, alerted in rows):
        uow.announce(EXPO_CHANNEL, {"acknowledged": station_id})
        uow.announce("floor", {"alerts": "acknowledged"})  # the floor's banner drops it
    return sorted(seq for seq, _ in rows)
