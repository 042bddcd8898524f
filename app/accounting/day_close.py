"""Closing the business day: the Z report. A manager closes the day; nothing is dated into it
afterwards (the database refuses it, and ``posting.BUSINESS_DAY_SQL`` moves on to the next).

Refused while a check of the day is still open (each is listed, to transfer or close), and,
unless the manager says so, while a cash drawer is still open: a drawer's count belongs on
the Z of the day it is counted, and a serious close counts the cash first. Refused, too, for
a day the clock has not reached yet: closing tomorrow tonight would push every later posting
a day ahead, for good.

The close runs under the location's chain lock from its first read: no check can post into
the day while its figures are read (a posting waits, then goes into the next day), and two
managers closing at once queue up: the second is told the day is already closed. A retry
with the same idempotency key gets the first close's answer. The Z number is the last one
plus one and the grand total the last one plus the day's net sales, read under that lock
(never a counter bumped per check: DESIGN.md, hot rows).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from app.accounting.day_paper import print_report, z_paper
from app.accounting.figures import day_figures
from app.accounting.models import DayClose, OutboxEvent
from app.accounting.posting import CHAIN_LOCK
from app.accounting.z_chain import link_z
from app.core.errors import BadInput, Conflict
from app.orders.views import check_view
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork
from app.platform.receipts import ReceiptBus

# The day to close is the oldest day with entries since the last Z (a day forgotten
# yesterday is closed before today), else the day postings go into now. It "has started"
# once the location's clock, less its turnover hour, has reached it.
_STATE = text(
    """
    SELECT l.name AS location, clock.day AS clock_day, last.day AS last_closed,
           last.z_number AS last_z, last.grand_total AS last_grand_total,
           (SELECT min(e.business_day) FROM journal_entry e WHERE e.location_id = l.id
              AND e.business_day > coalesce(last.day, '-infinity'::date)) AS first_open,
           l.timezone, l.day_starts_hour
    FROM location l
    CROSS JOIN LATERAL (SELECT (timezone(l.timezone, now())
                                - make_interval(hours => l.day_starts_hour))::date AS day) clock
    LEFT JOIN LATERAL (SELECT d.business_day AS day, d.z_number, d.grand_total
                       FROM day_close d WHERE d.location_id = l.id
                       ORDER BY d.z_number DESC LIMIT 1) last ON true
    WHERE l.id = :location_id
    """
)

# Checks opened before the day ends (its next turnover, on the location's clock) and not
# closed: they belong to this day and must be closed or moved first. One opened after the
# turnover (brunch, while last night is closed late) belongs to the next day.
_OPEN_CHECKS = text(
    """
    SELECT c.id, c.number, t.name AS table_name, s.name AS server
    FROM guest_check c JOIN location l ON l.id = c.location_id
    JOIN staff s ON s.id = c.server_id
    LEFT JOIN dining_table t ON t.id = c.table_id
    WHERE c.location_id = :location_id AND c.status = 'open'
      AND c.opened_at < ((CAST(:day AS date) + 1) + make_interval(hours => l.day_starts_hour))
                        AT TIME ZONE l.timezone
    ORDER BY c.number LIMIT 100
    """
)
_OPEN_DRAWERS = text(
    "SELECT drawer FROM drawer_session WHERE location_id = :location_id AND closed_at IS NULL "
    "ORDER BY drawer"
)
_CLOSED_BY = text(
    "SELECT d.z_number, d.closed_at, s.name FROM day_close d JOIN staff s ON s.id = d.closed_by "
    "WHERE d.location_id = :location_id AND d.business_day = :day"
)


@dataclass(frozen=True, slots=True)
class OpenCheck:
    id: int
    number: int
    table: str | None
    server: str
    balance: int


@dataclass(frozen=True, slots=True)
class DayState:
    """Where the location's days stand: the one to close, and what blocks it."""

    location_id: int
    location: str
    day: date
    clock_day: date
    last_closed: date | None
    last_z: int
    last_grand_total: int
    open_checks: tuple[OpenCheck, ...]
    open_drawers: tuple[str, ...]

    @property
    def started(self) -> bool:
        return self.day <= self.clock_day

    @property
    def can_close(self) -> bool:
        return self.started and not self.open_checks


@dataclass(frozen=True, slots=True)
class ClosedDay:
    z_id: int
    business_day: date
    z_number: int
    grand_total: int
    hash: str


async def day_state(uow: UnitOfWork, location_id: int) -> DayState:
    session = uow.session
    row = (await session.execute(_STATE, {"location_id": location_id})).one()
    current: date = row.clock_day
    if row.last_closed is not None:
        current = max(current, date.fromordinal(row.last_closed.toordinal() + 1))
    day = min(current, row.first_open) if row.first_open is not None else current
    found = (await session.execute(_OPEN_CHECKS, {"location_id": location_id, "day": day})).all()
    checks = []
    for c in found:
        view = await check_view(session, c.id, courses=False)
        checks.append(OpenCheck(c.id, c.number, c.table_name, c.server, view.balance))
    drawers = await session.scalars(_OPEN_DRAWERS, {"location_id": location_id})
    return DayState(
        location_id=location_id,
        location=row.location,
        day=day,
        clock_day=row.clock_day,
        last_closed=row.last_closed,
        last_z=int(row.last_z or 0),
        last_grand_total=int(row.last_grand_total or 0),
        open_checks=tuple(checks),
        open_drawers=tuple(drawers.all()),
    )


def parse_day(raw: str) -> date:
    """A business day as a person or an integration writes it: 2026-12-04."""
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise BadInput(
            "That is not a business day: write it as year-month-day, 2026-12-04."
        ) from None


def _listed(checks: tuple[OpenCheck, ...]) -> str:
    shown = [
        f"check {c.number}" + (f" at table {c.table}" if c.table else "") + f" ({c.server})"
        for c in checks[:10]
    ]
    more = f" and {len(checks) - 10} more" if len(checks) > 10 else ""
    return ", ".join(shown) + more


async def _refuse_unless_ready(
    uow: UnitOfWork, state: DayState, day: date, leave_drawers_open: bool
) -> None:
    if day != state.day:
        closed = (
            await uow.session.execute(_CLOSED_BY, {"location_id": state.location_id, "day": day})
        ).first()
        if closed is not None:
            raise Conflict(
                f"Business day {day.isoformat()} is already closed: Z #{closed.z_number}, "
                f"closed by {closed.name}. Nothing was closed again."
            )
        raise Conflict(
            f"The business day open now is {state.day.isoformat()}, not {day.isoformat()}: "
            "reload the page and close the day it shows."
        )
    if not state.started:
        raise Conflict(
            f"Business day {day.isoformat()} has not started yet (the day before was closed "
            "early): it can be closed once the clock reaches it."
        )
    if state.open_checks:
        count = len(state.open_checks)
        raise Conflict(
            f"{count} check{'s are' if count > 1 else ' is'} still open: "
            f"{_listed(state.open_checks)}. Close or transfer "
            f"{'them' if count > 1 else 'it'}, then close the day."
        )
    if state.open_drawers and not leave_drawers_open:
        names = ", ".join(state.open_drawers)
        raise Conflict(
            f"The {names} drawer{'s are' if len(state.open_drawers) > 1 else ' is'} still "
            "open: count it out on the Drawers screen first, or confirm closing the day with "
            "it open (its count then goes on the Z of the day it is counted)."
        )


async def close_day(
    uow: UnitOfWork,
    location_id: int,
    business_day: date,
    staff_id: int,
    *,
    leave_drawers_open: bool = False,
    key: str | None = None,
    receipts: ReceiptBus | None = None,
) -> ClosedDay:
    """Close ``business_day`` (the day the manager saw on the page) and write its Z."""
    session = uow.session
    claim = await idempotency.claim(
        session,
        key,
        "close_day",
        {"location": location_id, "day": business_day.isoformat(), "drawers": leave_drawers_open},
    )
    if claim.replay is not None:
        r = claim.replay
        return ClosedDay(
            r["z_id"], date.fromisoformat(r["day"]), r["z_number"], r["grand_total"], r["hash"]
        )
    # First: from here on no posting commits into the day, and no other close runs.
    await session.execute(CHAIN_LOCK, {"location_id": location_id})
    state = await day_state(uow, location_id)
    await _refuse_unless_ready(uow, state, business_day, leave_drawers_open)
    report = await day_figures(session, location_id, business_day)
    report["open_drawers"] = list(state.open_drawers)
    z_number = state.last_z + 1
    grand_total = state.last_grand_total + report["net_sales"]
    try:
        async with session.begin_nested():
            row = (
                await session.execute(
                    insert(DayClose)
                    .values(
                        location_id=location_id,
                        business_day=business_day,
                        z_number=z_number,
                        grand_total=grand_total,
                        report=report,
                        closed_by=staff_id,
                    )
                    .returning(DayClose.id, DayClose.closed_at)
                )
            ).one()
    except IntegrityError:  # the unique indexes, should the lock ever be bypassed
        raise Conflict(f"Business day {business_day.isoformat()} was just closed.") from None
    z_id, closed_at = int(row.id), row.closed_at
    await audit.record(
        session,
        "close_day",
        f"day:{business_day.isoformat()}",
        actor_id=staff_id,
        z_number=z_number,
        net_sales=report["net_sales"],
        grand_total=grand_total,
    )
    await session.execute(
        insert(OutboxEvent).values(
            location_id=location_id,
            type="day.closed",
            payload=json.loads(
                json.dumps(
                    {
                        "z_id": z_id,
                        "z_number": z_number,
                        "business_day": business_day.isoformat(),
                        "grand_total": grand_total,
                        "report": report,
                    }
                )
            ),
        )
    )
    digest = await link_z(session, location_id, z_id, business_day, z_number, grand_total, report)
    if receipts is not None:
        await print_report(
            uow, receipts, location_id, z_paper(z_number, grand_total, digest, closed_at, report)
        )
    closed = ClosedDay(z_id, business_day, z_number, grand_total, digest)
    await idempotency.remember(
        session,
        claim,
        {
            "z_id": z_id,
            "day": business_day.isoformat(),
            "z_number": z_number,
            "grand_total": grand_total,
            "hash": digest,
        },
    )
    return closed
