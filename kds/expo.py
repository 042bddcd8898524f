"""Expo: the pass. Every course fired and not yet passed, one card per check and course,
which stations are done, and "food ready", which the floor plan shows on the table.

A check's courses are passed one by one: the starters go out when the cold station is done,
whatever the grill is still cooking for the same table. A ticket that carries two courses
(a starter and a main sent together to one station) is one card, "Starters + Mains": the
station makes them on one ticket, so they come to the pass together.

The food of a paid check still goes out (a bar tab settled while its burger cooks): its
tickets stay on the station screens until bumped and on expo, marked PAID, until passed, or
until ``PAID_FOOD_KEPT`` after they were fired (a kitchen that does not run expo would
otherwise find every paid check of the month on it the day it starts).

Food ready is written on the check itself (``guest_check.food_ready_at``) because that is what
the floor reads; it is cleared again when more food fires (``service.create_tickets``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, NotFound
from app.menu.courses import CourseRule, course_sort, courses
from app.orders.models import Check
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork
from kds.models import Station, Ticket, TicketItem
from kds.service import EXPO_CHANNEL
from kds.views import TicketView, views_of

#: How long a paid (or merged) check's food stays at the pass, unpassed, after it was fired.
PAID_FOOD_KEPT = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class StationTicket:
    station: str
    ticket: TicketView

    @property
    def done(self) -> bool:
        return self.ticket.bumped_at is not None


@dataclass(slots=True)
class ExpoCheck:
    """One card at the pass: a check's tickets of one course (or of one mix of courses)."""

    check_id: int
    check_number: int
    table_name: str
    server_name: str
    first_fired: datetime
    courses: tuple[str, ...] = ()
    #: The check's status: "closed" (paid) and "merged" checks' food still goes out.
    status: str = "open"
    tickets: list[StationTicket] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(t.done for t in self.tickets)

    @property
    def waiting_on(self) -> list[str]:
        return list(dict.fromkeys(t.station for t in self.tickets if not t.done))

    @property
    def course_label(self) -> str:
        return " + ".join(c.title() for c in self.courses) or "Food"

    @property
    def last_ticket_id(self) -> int:
        """What the Pass button names: this card's tickets up to this one (a ticket of the
        same course fired after expo looked is not passed unseen)."""
        return max(t.ticket.id for t in self.tickets)


def _course_key(rules: dict[str, CourseRule], ticket: TicketView) -> tuple[str, ...]:
    return tuple(sorted(ticket.courses, key=lambda c: (course_sort(rules, c), c)))


async def expo_board(session: AsyncSession, location_id: int) -> list[ExpoCheck]:
    """Food not yet passed, one card per check and course, oldest first."""
    rows = (
        await session.execute(
            select(Ticket, Station.name, Check.status)
            .join(Station, Station.id == Ticket.station_id)
            .join(Check, Check.id == Ticket.check_id)
            .where(
                Station.location_id == location_id,
                ~Station.is_expo,
                Ticket.kind == "fire",
                Ticket.expo_at.is_(None),
                or_(Check.status == "open", Ticket.fired_at > func.now() - PAID_FOOD_KEPT),
            )
            .order_by(Ticket.fired_at, Ticket.id)
        )
    ).all()
    if not rows:
        return []
    rules = await courses(session, location_id)
    views = await views_of(session, [row[0] for row in rows])
    cards: dict[tuple[int, tuple[str, ...]], ExpoCheck] = {}
    for (_, station, status), view in zip(rows, views, strict=True):
        key = _course_key(rules, view)
        card = cards.setdefault(
            (view.check_id, key),
            ExpoCheck(
                view.check_id,
                view.check_number,
                view.table_name,
                view.server_name,
                view.fired_at,
                key,
                status,
            ),
        )
        card.tickets.append(StationTicket(station, view))
    # Courses fired together (drinks and starters on Send) stand in serving order.
    return sorted(
        cards.values(),
        key=lambda c: (c.first_fired, c.check_id, [course_sort(rules, n) for n in c.courses]),
    )


async def _pass(
    uow: UnitOfWork, check: Check, tickets: list[int], staff_id: int | None, passed: list[str]
) -> None:
    """Mark these tickets passed; the table's food is ready (on an open check)."""
    session = uow.session
    await session.execute(update(Ticket).where(Ticket.id.in_(tickets)).values(expo_at=func.now()))
    # A closed check is terminal: its food still goes out, but nothing is written on it.
    if check.status == "open":
        await session.execute(
            update(Check).where(Check.id == check.id).values(food_ready_at=func.now())
        )
    await audit.record(
        session,
        "food_ready",
        f"check:{check.id}",
        actor_id=staff_id,
        tickets=len(tickets),
        courses=passed,
    )
    uow.announce(EXPO_CHANNEL, {"food_ready": check.id})
    if check.status == "open":
        uow.announce(f"check:{check.id}", {"check": check.id, "food_ready": True})
        if check.table_id is not None:
            uow.announce("floor", {"table": check.table_id})


async def _check_at(session: AsyncSession, location_id: int, check_id: int) -> Check:
    check = await session.get(Check, check_id)
    if check is None or check.location_id != location_id:
        raise NotFound("That check does not exist.")
    return check


async def pass_course(
    uow: UnitOfWork, location_id: int, ticket_id: int, staff_id: int | None, key: str | None = None
) -> int:
    """Expo passed one card: the tickets of this ticket's check and course, up to this one,
    leave expo, and the floor shows the table's food ready. Returns the check."""
    session = uow.session
    claim = await idempotency.claim(session, key, "pass_course", {"ticket": ticket_id})
    if claim.replay is not None:
        return int(claim.replay["check"])
    anchor = await session.scalar(
        select(Ticket)
        .join(Station, Station.id == Ticket.station_id)
        .where(Ticket.id == ticket_id, Station.location_id == location_id, Ticket.kind == "fire")
    )
    if anchor is None:
        raise NotFound("That ticket does not exist.")
    check = await _check_at(session, location_id, anchor.check_id)
    # The check's tickets are locked (in id order) so two expo taps pass a card once.
    waiting = (
        await session.scalars(
            select(Ticket)
            .where(
                Ticket.check_id == check.id,
                Ticket.kind == "fire",
                Ticket.expo_at.is_(None),
                Ticket.id <= anchor.id,
            )
            .order_by(Ticket.id)
            .with_for_update()
        )
    ).all()
    rules = await courses(session, location_id)
    items = await session.execute(
        select(TicketItem.ticket_id, TicketItem.course).where(
            TicketItem.ticket_id.in_([t.id for t in waiting])
        )
    )
    keys: dict[int, set[str]] = {}
    for owner, course in items:
        keys.setdefault(owner, set()).add(course)
    course_set = keys.get(anchor.id)
    same = [t.id for t in waiting if course_set is not None and keys.get(t.id) == course_set]
    if anchor.id not in same:
        raise Conflict(f"That food for check {check.number} was already passed.")
    ordered = sorted(course_set or (), key=lambda c: (course_sort(rules, c), c))
    await _pass(uow, check, same, staff_id, ordered)
    await idempotency.remember(session, claim, {"check": check.id})
    return check.id


async def food_ready(
    uow: UnitOfWork, location_id: int, check_id: int, staff_id: int | None, key: str | None = None
) -> int | None:
    """Expo passed all of the check's food at once: every ticket leaves expo and the floor
    shows the table as food ready. Returns the check's table (None at the counter)."""
    session = uow.session
    claim = await idempotency.claim(session, key, "food_ready", {"check": check_id})
    if claim.replay is not None:
        table = claim.replay["table"]
        return None if table is None else int(table)
    check = await _check_at(session, location_id, check_id)
    waiting = (
        await session.scalars(
            select(Ticket.id)
            .where(Ticket.check_id == check.id, Ticket.kind == "fire", Ticket.expo_at.is_(None))
            .order_by(Ticket.id)
            .with_for_update()
        )
    ).all()
    if not waiting:
        raise Conflict(f"Nothing for check {check.number} is waiting at expo.")
    await _pass(uow, check, list(waiting), staff_id, [])
    await idempotency.remember(session, claim, {"table": check.table_id})
    return check.table_id
