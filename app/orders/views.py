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
from app.orders.models import Check, CheckLine
from app.platform.models import Staff

COURSE_ORDER = {"drinks": 0, "starters": 1, "mains": 2, "desserts": 3}


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
    status: str
    tax_rate_ppm: int

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True, slots=True)
class CourseView:
    name: str
    lines: list[LineView]


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

    @property
    def balance(self) -> int:
        return self.totals.total - self.paid

    @property
    def unsent(self) -> int:
        return sum(1 for c in self.courses for line in c.lines if line.status == "new")

    @property
    def has_lines(self) -> bool:
        return any(c.lines for c in self.courses)


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
        LineView(
            ln.id,
            ln.name,
            ln.quantity,
            ln.unit_price,
            ln.modifiers,
            ln.note,
            ln.seat,
            ln.course,
            ln.status,
            ln.tax_rate_ppm,
        )
        for ln in (
            await session.scalars(
                select(CheckLine).where(CheckLine.check_id == check.id).order_by(CheckLine.id)
            )
        ).all()
    ]
    live = [ln for ln in lines if ln.status != "void"]
    totals = check_totals(
        [PricedLine(ln.quantity, ln.unit_price, ln.tax_rate_ppm) for ln in live],
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
    ordered = sorted(
        live, key=lambda ln: (COURSE_ORDER.get(ln.course, 9), ln.course, ln.seat or 0, ln.id)
    )
    courses = [
        CourseView(name, list(group)) for name, group in groupby(ordered, key=lambda ln: ln.course)
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
        courses,
        totals,
        int(paid),
        int(change),
    )
