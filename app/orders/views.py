"""The check as the order screen shows it: lines by course and seat, with running totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.discount_views import AppliedDiscount, applied_discounts, line_key
from app.core.check_math import CheckTotals, PricedLine, check_totals, share_of
from app.core.discounts import total_off
from app.core.errors import NotFound
from app.floor.models import DiningTable
from app.menu.courses import CourseRule, course_sort
from app.orders.models import Check
from app.orders.view_queries import COURSES, HEAD, LINES, SPLIT_FAMILY
from app.platform.closing import ClosedPayment, ClosedRefund


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
    #: One item shared by several checks: the bill shows "1/3 Ribeye".
    share_index: int = 0
    share_count: int = 1
    #: This check's share of the discounts put on the line itself (not the whole-check ones).
    discount: int = 0
    #: Why the manager gave it away (shown on the line, as a void's reason is).
    comp_reason: str | None = None
    #: What the back office needs of it at close: the menu item, its category, the options.
    item_id: int = 0
    category_id: int = 0
    option_ids: tuple[int, ...] = ()

    @property
    def amount(self) -> int:
        """The whole line as priced (every share together)."""
        return self.quantity * self.unit_price

    @property
    def charged(self) -> int:
        """This check's share of the amount: what the bill shows on the line."""
        return share_of(self.amount, self.share_index, self.share_count)

    @property
    def shared(self) -> bool:
        return self.share_count > 1

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
class PartOf:
    """Where a check sits in its split: the original is part 1 (the split screen's order)."""

    number: int
    count: int

    def __str__(self) -> str:
        return f"part {self.number} of {self.count}"


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
    #: Discounts standing on the check and its lines (for the discount dialog and the bill).
    discounts: tuple[AppliedDiscount, ...] = ()
    service_charge_ppm: int = 0
    service_charge_reason: str = ""
    prices_include_tax: bool = False
    #: Card charges still waiting for the terminal's answer (no other payment until settled).
    cards_waiting: int = 0
    #: "line" or "check": how the location rounds tax.
    tax_rounding: str = "line"
    #: Part of a split check ("part 2 of 4"); None when the check is not split (or when
    #: read with ``courses=False``).
    part: PartOf | None = None
    location_id: int = 0
    server_id: int = 0
    #: The money on the check, as the books need it (read with the head, in the same trip).
    payments: tuple[ClosedPayment, ...] = ()
    refunds: tuple[ClosedRefund, ...] = ()

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


def _line(row: Any, discount: int = 0) -> LineView:
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
        row.share_index,
        row.share_count,
        discount,
        comp_reason=row.comp_reason if row.comped_at is not None else None,
        item_id=row.menu_item_id,
        category_id=row.category_id,
        option_ids=tuple(row.option_ids or ()),
    )


async def check_view(session: AsyncSession, check_id: int, *, courses: bool = True) -> CheckView:
    """The check now, priced as its location is set up (tax included or added, rounding):
    read with the check, so a manager's change to the location applies on the next read.
    ``courses=False``: lines grouped by course name only, without the menu's course order
    or fire times, nor where the check sits in a split (taking payment needs none of it;
    two reads fewer).

    Three round trips (four with discounts): the head, the lines, the courses.
    """
    check = (await session.execute(HEAD, {"check_id": check_id})).first()
    if check is None:
        raise NotFound("That check does not exist.")
    rows = (await session.execute(LINES, {"check_id": check_id})).all()
    keys = {ln.id: line_key(ln.id, ln.share_group, ln.share_count) for ln in rows}
    applied = (
        await applied_discounts(session, check.id, set(keys.values()))
        if check.has_discounts
        else []
    )
    # The whole item's discounts, worked out on the whole line (shares take their part).
    whole_off = {
        ln.id: total_off(
            ln.quantity * ln.unit_price,
            [a.adjustment for a in applied if a.line_id == keys[ln.id]],
        )
        for ln in rows
    }
    lines = [
        _line(ln, 0 if ln.comped_at else share_of(whole_off[ln.id], ln.share_index, ln.share_count))
        for ln in rows
    ]
    counted = [ln for ln in lines if ln.counts]
    totals = check_totals(
        [
            PricedLine(
                ln.quantity,
                ln.unit_price,
                ln.tax_rate_ppm,
                ln.comped,
                share_index=ln.share_index,
                share_count=ln.share_count,
                discount=whole_off[ln.id],
            )
            for ln in counted
        ],
        [a.adjustment for a in applied if a.on_check],
        check.service_charge_ppm,
        prices_include_tax=check.prices_include_tax,
        tax_rounding=check.tax_rounding,
        tax_adjustment=check.tax_adjustment,
        service_adjustment=check.service_adjustment,
    )
    standing = {keys[ln.id] for ln in counted if not ln.comped}
    shown = tuple(a for a in applied if a.on_check or a.line_id in standing)
    rules: dict[str, CourseRule] = {}
    fired: dict[str, datetime] = {}
    found = (
        await session.execute(COURSES, {"check_id": check_id, "location_id": check.location_id})
        if courses
        else ()
    )
    for course in found:
        if course.name is not None:
            rules[course.name] = CourseRule(course.name, course.sort, course.fires_immediately)
        if course.course is not None:
            fired[course.course] = course.fired_at
    ordered = sorted(
        lines, key=lambda ln: (course_sort(rules, ln.course), ln.course, ln.seat or 0, ln.id)
    )
    grouped = [
        CourseView(name, list(group), fired.get(name))
        for name, group in groupby(ordered, key=lambda ln: ln.course)
    ]
    part = await _part_of(session, check.id, check.split_from_id) if courses else None
    return CheckView(
        check.id,
        check.number,
        check.version,
        check.status,
        check.table_id,
        check.table_name or "Counter",
        check.server_name,
        check.guest_count,
        check.opened_at,
        check.closed_at,
        grouped,
        totals,
        # Money given back is owed again: paid is net of refunds (tips never count).
        int(check.paid) - int(check.refunded),
        int(check.change),
        check.notes,
        check.allergies,
        shown,
        check.service_charge_ppm,
        check.service_charge_reason,
        check.prices_include_tax,
        cards_waiting=int(check.cards_waiting),
        tax_rounding=check.tax_rounding,
        part=part,
        location_id=check.location_id,
        server_id=check.server_id,
        payments=tuple(
            ClosedPayment(p[0], p[1], p[2], p[3], p[4], p[5], p[6]) for p in check.payments
        ),
        refunds=tuple(ClosedRefund(*r) for r in check.refunds),
    )


async def _part_of(session: AsyncSession, check_id: int, split_from: int | None) -> PartOf | None:
    family = (await session.scalars(SPLIT_FAMILY, {"root": split_from or check_id})).all()
    if len(family) < 2 or check_id not in family:
        return None
    return PartOf(family.index(check_id) + 1, len(family))


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
