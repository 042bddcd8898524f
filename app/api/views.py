"""What the API answers with: typed dataclasses, so the OpenAPI schema shows real fields.

The check is the order screen's own read model (``app.orders.views``) with its balance; a
command on a check answers with the check as it is after the command, as the screens do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.billing.discount_views import AppliedDiscount
from app.core.check_math import CheckTotals
from app.orders.views import CheckView, CourseView


@dataclass
class CheckOut:
    """A check: every line by course, the totals, what was paid and what is still owed.

    Send ``version`` back with payments and splits: a check that moved since is refused."""

    id: int
    number: int
    version: int
    #: open, closed or merged
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
    #: What is still owed: total - paid (minor units).
    balance: int
    change_given: int
    notes: str
    allergies: str
    discounts: list[AppliedDiscount]
    service_charge_ppm: int
    prices_include_tax: bool
    #: Card charges still waiting for the terminal's answer: no other payment until settled.
    cards_waiting: int
    #: Lines ordered but not sent, and lines waiting for their course to be fired: a check
    #: with either cannot be paid (send, fire or clear them first).
    unsent: int
    held: int

    @classmethod
    def of(cls, check: CheckView) -> CheckOut:
        return cls(
            id=check.id,
            number=check.number,
            version=check.version,
            status=check.status,
            table_id=check.table_id,
            table_name=check.table_name,
            server_name=check.server_name,
            guest_count=check.guest_count,
            opened_at=check.opened_at,
            closed_at=check.closed_at,
            courses=check.courses,
            totals=check.totals,
            paid=check.paid,
            balance=check.balance,
            change_given=check.change_given,
            notes=check.notes,
            allergies=check.allergies,
            discounts=list(check.discounts),
            service_charge_ppm=check.service_charge_ppm,
            prices_include_tax=check.prices_include_tax,
            cards_waiting=check.cards_waiting,
            unsent=check.unsent,
            held=check.held,
        )


@dataclass
class Opened:
    check_id: int


@dataclass
class LineAdded:
    line_id: int


@dataclass
class Sent:
    #: Lines that went to the kitchen now (the others wait for their course: ``held``).
    sent: int


@dataclass
class Fired:
    #: Lines that went to the kitchen.
    fired: int
    check: CheckOut
