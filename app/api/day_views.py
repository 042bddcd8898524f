"""What the days API answers: the X or Z figures as typed fields (amounts in minor units), so
the OpenAPI document shows every figure an integrator reads. The same JSON as the frozen
``day_close.report`` (app/accounting/figures.py), converted field for field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import msgspec

from app.accounting.day_close import DayState
from app.accounting.z_reports import ZReport


@dataclass
class CategorySales:
    name: str
    items: int
    #: Menu price of the lines, before discounts (comped lines included).
    gross: int
    comps: int
    comped_lines: int


@dataclass
class Voids:
    lines: int
    amount: int
    #: Voided after the kitchen made them (counted as waste).
    wasted: int


@dataclass
class TaxFigure:
    #: The tax account's name in the chart of accounts.
    name: str
    #: The rate in parts per million, when the account holds exactly one rate.
    rate_ppm: int | None
    amount: int


@dataclass
class PaymentFigure:
    #: cash or card
    method: str
    brand: str
    count: int
    #: Less what was refunded while the check was open.
    amount: int
    tip: int


@dataclass
class TipFigure:
    method: str
    amount: int


@dataclass
class RefundFigure:
    method: str
    count: int
    amount: int
    tip: int


@dataclass
class DrawerFigure:
    session_id: int
    name: str
    open: bool
    float: int
    cash_payments: int
    cash_refunds: int
    cash_in: int
    cash_out: int
    tips_paid_out: int
    #: float + cash payments - cash refunds + cash in - cash out - tips paid out
    expected: int
    #: None while the drawer is not counted.
    counted: int | None
    #: counted - expected: positive over, negative short.
    over_short: int | None


@dataclass
class Books:
    #: Revenue the close entries posted (revenue accounts less comps).
    revenue: int
    #: revenue = net sales + service charges.
    agree: bool


@dataclass
class DayFigures:
    """One business day in figures (every amount in minor units)."""

    business_day: date
    checks: int
    covers: int
    gross_sales: int
    comps: int
    comped_lines: int
    discounts: int
    discounted_checks: int
    service_charge: int
    tax: int
    total: int
    #: total - tax - service charge: what the grand total adds up.
    net_sales: int
    average_check: int
    average_cover: int
    categories: list[CategorySales]
    voids: Voids
    taxes: list[TaxFigure]
    payments: list[PaymentFigure]
    tips: list[TipFigure]
    tips_paid_out: int
    #: Refunds of closed checks posted into this day.
    refunds: list[RefundFigure]
    refunded: int
    drawers: list[DrawerFigure]
    books: Books
    #: Drawers still open when the day was closed (a Z only).
    open_drawers: list[str] = field(default_factory=list)


@dataclass
class OpenCheckOut:
    id: int
    number: int
    table: str | None
    server: str
    balance: int


@dataclass
class DayOut:
    """A business day: the open one (its X report: figures so far) or a closed one (its Z)."""

    business_day: date
    closed: bool
    figures: DayFigures
    #: The Z's number, grand total (net sales since the first Z), who closed it and when,
    #: and its link in the hash chain; None while the day is open.
    z_number: int | None = None
    grand_total: int | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    hash: str | None = None
    #: The open day only: whether it can be closed now, and what is in the way.
    can_close: bool = False
    open_checks: list[OpenCheckOut] = field(default_factory=list)
    open_drawers: list[str] = field(default_factory=list)

    @classmethod
    def of_z(cls, z: ZReport) -> DayOut:
        return cls(
            business_day=z.business_day,
            closed=True,
            figures=figures_of(z.report),
            z_number=z.z_number,
            grand_total=z.grand_total,
            closed_by=z.closed_by,
            closed_at=z.closed_at,
            hash=z.hash,
        )

    @classmethod
    def of_open(cls, state: DayState, figures: dict[str, Any]) -> DayOut:
        return cls(
            business_day=state.day,
            closed=False,
            figures=figures_of(figures),
            can_close=state.can_close,
            open_checks=[
                OpenCheckOut(c.id, c.number, c.table, c.server, c.balance)
                for c in state.open_checks
            ],
            open_drawers=list(state.open_drawers),
        )


@dataclass
class DaySummary:
    business_day: date
    z_number: int
    net_sales: int
    grand_total: int
    closed_by: str
    closed_at: datetime


def figures_of(report: dict[str, Any]) -> DayFigures:
    return msgspec.convert(report, DayFigures)
