"""Expo: the pass. Every open ticket grouped by check, which stations are done, and "food
ready", which the floor plan shows on the table.

Food ready is written on the check itself (``guest_check.food_ready_at``) because that is what
the floor reads; it is cleared again when more food fires (``service.create_tickets``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, NotFound
from app.orders.models import Check
from app.platform import audit
from app.platform.db import UnitOfWork
from kds.models import Station, Ticket
from kds.service import EXPO_CHANNEL
from kds.views import TicketView, views_of


@dataclass(frozen=True, slots=True)
class StationTicket:
    station: str
    ticket: TicketView

    @property
    def done(self) -> bool:
        return self.ticket.bumped_at is not None


@dataclass(slots=True)
class ExpoCheck:
    check_id: int
    check_number: int
    table_name: str
    server_name: str
    first_fired: datetime
    tickets: list[StationTicket] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(t.done for t in self.tickets)

    @property
    def waiting_on(self) -> list[str]:
        return list(dict.fromkeys(t.station for t in self.tickets if not t.done))


async def expo_board(session: AsyncSession, location_id: int) -> list[ExpoCheck]:
    """Open checks with food not yet passed, oldest first; each station's ticket and state."""
    rows = (
        await session.execute(
            select(Ticket, Station.name)
            .join(Station, Station.id == Ticket.station_id)
            .join(Check, Check.id == Ticket.check_id)
            .where(
                Station.location_id == location_id,
                ~Station.is_expo,
                Ticket.kind == "fire",
                Ticket.expo_at.is_(None),
                Check.status == "open",
            )
            .order_by(Ticket.fired_at, Ticket.id)
        )
    ).all()
    views = await views_of(session, [row[0] for row in rows])
    checks: dict[int, ExpoCheck] = {}
    for (_, station), view in zip(rows, views, strict=True):
        check = checks.setdefault(
            view.check_id,
            ExpoCheck(
                view.check_id, view.check_number, view.table_name, view.server_name, view.fired_at
            ),
        )
        check.tickets.append(StationTicket(station, view))
    return list(checks.values())


async def food_ready(
    uow: UnitOfWork, location_id: int, check_id: int, staff_id: int | None
) -> int | None:
    """Expo passed the check's food: its tickets leave expo and the floor shows the table as
    food ready. Returns the check's table (None at the counter)."""
    session = uow.session
    check = await session.get(Check, check_id)
    if check is None or check.location_id != location_id:
        raise NotFound("That check does not exist.")
    passed = (
        await session.scalars(
            update(Ticket)
            .where(Ticket.check_id == check.id, Ticket.kind == "fire", Ticket.expo_at.is_(None))
            .values(expo_at=func.now())
            .returning(Ticket.station_id)
        )
    ).all()
    if not passed:
        raise Conflict(f"Nothing for check {check.number} is waiting at expo.")
    await session.execute(
        update(Check).where(Check.id == check.id).values(food_ready_at=func.now())
    )
    await audit.record(
        session, "food_ready", f"check:{check.id}", actor_id=staff_id, tickets=len(passed)
    )
    uow.announce(EXPO_CHANNEL, {"food_ready": check.id})
    uow.announce(f"check:{check.id}", {"check": check.id, "food_ready": True})
    if check.table_id is not None:
        uow.announce("floor", {"table": check.table_id})
    return check.table_id
