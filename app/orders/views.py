"""The check as the order screen shows it: lines by course and seat, with running totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment
from app.core.check_math import CheckTotals, PricedLine, check_totals
from app.core.errors import NotFound
from app.floor.models import DiningTable
from app.menu.courses import course_sort, courses
from app.orders.models import Check, CheckCourse, CheckLine
from app.platform.models import Staff


@dataclass(frozen=True, slots=True)
class LineView:
    id: int
    name: str
    quantity: int
    unit_price: int
    modifiers: str
    note: str
    seat: int | None
    course: str
    #: new (not sent), held (sent, course not fired), fired, void
    status: str
    tax_rate_ppm: int
    hold: bool = False
    comped: bool = False
    void_reason: str | None = None

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    @property
    def counts(self) -> bool:
        """On the bill: everything but voids (a comp is on it, at no charge)."""
        return self.status != "void"


@dataclass(frozen=True, slots=True)
class CourseView:
    name: str
    lines: list[LineView]
    fired_at: datetime | None

    @property
    def held(self) -> int:
        return sum(1 for line in self.lines if line.status == "held")

    @property
    def state(self) -> str:
        """What the course header says: fired, held (waiting for the server) or new."""
        if self.held:
            return "held"
        return "fired" if self.fired_at else "new"


@dataclass(frozen=True, slots=True)
class CheckView:
    id: int
    number: int
    version: int
    status: str
    table_id: int | None
    table_name: str
    server_name: str
    guest_count: int
    opened_at: datetime
    closed_at: datetime | None
    courses: list[CourseView]
    totals: CheckTotals
    paid: int
    change_given: int
    notes: str = ""
    allergies: str = ""

    @property
    def balance(self) -> int:
        return self.totals.total - self.paid

    @property
    def lines(self) -> list[LineView]:
        return [line for course in self.courses for line in course.lines]

    @property
    def unsent(self) -> int:
        return sum(1 for line in self.lines if line.status == "new")

    @property
    def held(self) -> int:
        return sum(1 for line in self.lines if line.status == "held")

    @property
    def has_lines(self) -> bool:
        return any(line.counts for line in self.lines)


def _line(row: CheckLine) -> LineView:
    return LineView(
        row.id,
        row.name,
        row.quantity,
        row.unit_price,
        row.modifiers,
        row.note,
        row.seat,
        row.course,
        row.status,
        row.tax_rate_ppm,
        row.hold,
        row.comped_at is not None,
        row.void_reason,
    )


async def check_view(session: AsyncSession, check_id: int, prices_include_tax: bool) -> CheckView:
    row = (
        await session.execute(
            select(Check, DiningTable.name, Staff.name)
            .outerjoin(DiningTable, DiningTable.id == Check.table_id)
            .join(Staff, Staff.id == Check.server_id)
            .where(Check.id == check_id)
        )
    ).first()
    if row is None:
        raise NotFound("That check does not exist.")
    check, table_name, server_name = row
    lines = [
        _line(ln)
        for ln in (
            await session.scalars(
                select(CheckLine).where(CheckLine.check_id == check.id).order_by(CheckLine.id)
            )
        ).all()
    ]
    totals = check_totals(
        [
            PricedLine(ln.quantity, ln.unit_price, ln.tax_rate_ppm, ln.comped)
            for ln in lines
            if ln.counts
        ],
        prices_include_tax=prices_include_tax,
    )
    paid, change = (
        await session.execute(
            select(
                func.coalesce(func.sum(Payment.amount), 0),
                func.coalesce(func.sum(Payment.change), 0),
            ).where(Payment.check_id == check.id)
        )
    ).one()
    fired = dict(
        (
            await session.execute(
                select(CheckCourse.course, CheckCourse.fired_at).where(
                    CheckCourse.check_id == check.id
                )
            )
        ).all()
    )
    rules = await courses(session, check.location_id)
    ordered = sorted(
        lines, key=lambda ln: (course_sort(rules, ln.course), ln.course, ln.seat or 0, ln.id)
    )
    grouped = [
        CourseView(name, list(group), fired.get(name))
        for name, group in groupby(ordered, key=lambda ln: ln.course)
    ]
    return CheckView(
        check.id,
        check.number,
        check.version,
        check.status,
        check.table_id,
        table_name or "Counter",
        server_name,
        check.guest_count,
        check.opened_at,
        check.closed_at,
        grouped,
        totals,
        int(paid),
        int(change),
        check.notes,
        check.allergies,
    )


@dataclass(frozen=True, slots=True)
class OtherCheck:
    id: int
    number: int
    table_name: str


async def other_open_checks(session: AsyncSession, check_id: int) -> list[OtherCheck]:
    """Where lines or a whole check can go: every other open check, by number."""
    rows = await session.execute(
        select(Check.id, Check.number, DiningTable.name)
        .outerjoin(DiningTable, DiningTable.id == Check.table_id)
        .where(Check.status == "open", Check.id != check_id)
        .order_by(Check.number)
    )
    return [OtherCheck(i, n, t or "Counter") for i, n, t in rows.all()]
