"""Kitchen tickets: created when lines fire, shown per station, bumped and recalled by cooks.

Every command locks the ticket row it changes and announces on the station's channel (and
expo's) after commit; screens then redraw from the database, so a lost announcement costs a
few seconds (the screens poll too), never a ticket.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, NotFound, Refused
from app.orders.models import Check
from app.platform import audit
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
    "ack_allergy",
    "acknowledge",
    "bump_item",
    "bump_ticket",
    "create_tickets",
    "open_tickets",
    "recall_last",
    "recall_ticket",
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


def _announce(uow: UnitOfWork, station_id: int, message: dict[str, int]) -> None:
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
        _announce(uow, station_id, {"ticket": int(ticket_id or 0)})
        created.append(int(ticket_id or 0))
    if created and order.kind == "fire":
        # More food is cooking: the table is no longer "food ready" on the floor.
        await session.execute(
            update(Check)
            .where(Check.id == order.check_id, Check.food_ready_at.is_not(None))
            .values(food_ready_at=None)
        )
    return created


async def _locked(session: AsyncSession, station_id: int, ticket_id: int) -> Ticket:
    row = await session.scalar(select(Ticket).where(Ticket.id == ticket_id).with_for_update())
    if row is None or row.station_id != station_id:
        raise NotFound("That ticket is not at this station.")
    return row


async def bump_ticket(
    uow: UnitOfWork, station_id: int, ticket_id: int, staff_id: int | None
) -> None:
    """The cook is done with the ticket: off every screen of the station."""
    session = uow.session
    row = await _locked(session, station_id, ticket_id)
    if row.bumped_at is not None:
        raise Conflict(f"Ticket #{row.seq} was already bumped.")
    if row.allergies and row.allergy_acked_at is None and row.kind == "fire":
        raise Refused(
            f"Ticket #{row.seq} has an allergy: tap the yellow banner to confirm you read it."
        )
    await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id)
        # A bumped ticket was seen, whichever way it got bumped.
        .values(
            bumped_at=func.now(),
            bumped_by=staff_id,
            acknowledged_at=func.coalesce(Ticket.acknowledged_at, func.now()),
        )
    )
    await audit.record(session, "bump_ticket", f"ticket:{ticket_id}", actor_id=staff_id)
    _announce(uow, station_id, {"bumped": ticket_id})


async def recall_ticket(
    uow: UnitOfWork, station_id: int, ticket_id: int, staff_id: int | None
) -> int:
    """Bring a bumped ticket back (undo a bump): it returns in its place by number."""
    session = uow.session
    row = await _locked(session, station_id, ticket_id)
    if row.bumped_at is None:
        raise Conflict(f"Ticket #{row.seq} is still on the screen.")
    await session.execute(
        update(Ticket).where(Ticket.id == ticket_id).values(bumped_at=None, bumped_by=None)
    )
    await audit.record(session, "recall_ticket", f"ticket:{ticket_id}", actor_id=staff_id)
    _announce(uow, station_id, {"recalled": ticket_id})
    return row.id


async def recall_last(uow: UnitOfWork, station_id: int, staff_id: int | None) -> int:
    """The bump bar's recall key: the ticket bumped most recently comes back."""
    last = await uow.session.scalar(
        select(Ticket.id)
        .where(Ticket.station_id == station_id, Ticket.bumped_at.is_not(None))
        .order_by(Ticket.bumped_at.desc(), Ticket.seq.desc())
        .limit(1)
    )
    if last is None:
        raise Conflict("Nothing to recall: no ticket has been bumped here yet.")
    return await recall_ticket(uow, station_id, last, staff_id)


async def bump_item(
    uow: UnitOfWork, station_id: int, ticket_id: int, line_id: int, staff_id: int | None
) -> bool:
    """Strike one item (or unstrike it: a wet finger hits the wrong line). When the last item
    is struck the whole ticket is bumped. Returns True when the ticket was bumped."""
    session = uow.session
    row = await _locked(session, station_id, ticket_id)
    if row.bumped_at is not None:
        raise Conflict(f"Ticket #{row.seq} was already bumped; recall it first.")
    item = await session.scalar(
        select(TicketItem).where(TicketItem.ticket_id == row.id, TicketItem.line_id == line_id)
    )
    if item is None:
        raise NotFound("That item is not on this ticket.")
    struck = item.bumped_at is None
    await session.execute(
        update(TicketItem)
        .where(TicketItem.id == item.id)
        .values(bumped_at=func.now() if struck else None)
    )
    await audit.record(
        session,
        "bump_item" if struck else "unbump_item",
        f"ticket:{row.id}",
        actor_id=staff_id,
        item=item.name,
    )
    left = await session.scalar(
        select(func.count())
        .select_from(TicketItem)
        .where(TicketItem.ticket_id == row.id, TicketItem.bumped_at.is_(None))
    )
    if struck and not left and not (row.allergies and row.allergy_acked_at is None):
        await bump_ticket(uow, station_id, row.id, staff_id)
        return True
    _announce(uow, station_id, {"changed": row.id})
    return False


async def ack_allergy(
    uow: UnitOfWork, station_id: int, ticket_id: int, staff_id: int | None
) -> None:
    """The cook tapped the allergy banner: they have read it (and we know who)."""
    session = uow.session
    row = await _locked(session, station_id, ticket_id)
    if not row.allergies:
        raise NotFound(f"Ticket #{row.seq} has no allergy to confirm.")
    if row.allergy_acked_at is not None:
        raise Conflict(f"The allergy on ticket #{row.seq} was already confirmed.")
    await session.execute(
        update(Ticket)
        .where(Ticket.id == row.id)
        .values(allergy_acked_at=func.now(), allergy_acked_by=staff_id)
    )
    await audit.record(
        session, "ack_allergy", f"ticket:{row.id}", actor_id=staff_id, allergies=row.allergies
    )
    _announce(uow, station_id, {"changed": row.id})


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
