"""What a check adds up to: the arithmetic shared by the order screen, the bill and close."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.core.errors import BadInput
from app.core.tax import taxed


@dataclass(frozen=True, slots=True)
class PricedLine:
    """One check line as the arithmetic needs it. Voided lines are simply not passed in."""

    quantity: int
    unit_price: int  # item price plus chosen modifier deltas, minor units
    tax_rate_ppm: int
    #: Given away by the house: it stays on the check, and is taken off again as a comp.
    comped: bool = False

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True, slots=True)
class CheckTotals:
    subtotal: int  # sum of line amounts as priced on the menu
    tax: int
    total: int  # what the guest owes
    comps: int = 0  # what the house gave away (included in subtotal, taken off the total)


def check_totals(lines: Iterable[PricedLine], *, prices_include_tax: bool) -> CheckTotals:
    """Totals with tax rounded per line, so every line's tax is what its receipt shows.

    total = subtotal - comps + tax (exclusive prices) or subtotal - comps (inclusive). A comped
    line carries no tax: nothing was sold.
    """
    subtotal = tax = comps = 0
    for line in lines:
        if line.quantity <= 0:
            raise BadInput("A line must have a quantity of at least 1.")
        subtotal += line.amount
        if line.comped:
            comps += line.amount
            continue
        tax += taxed(line.amount, line.tax_rate_ppm, inclusive=prices_include_tax).tax
    total = subtotal - comps + (0 if prices_include_tax else tax)
    return CheckTotals(subtotal=subtotal, tax=tax, total=total, comps=comps)


@dataclass(frozen=True, slots=True)
class CashTender:
    applied: int  # what goes against the balance
    change: int  # what goes back to the guest


def tender_cash(balance: int, tendered: int) -> CashTender:
    """Cash handed over for a balance: never a negative balance, the rest is change."""
    if tendered <= 0:
        raise BadInput("Enter the cash the guest handed over.")
    if balance <= 0:
        raise BadInput("This check has nothing left to pay.")
    applied = min(balance, tendered)
    return CashTender(applied=applied, change=tendered - applied)
