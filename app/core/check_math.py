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

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True, slots=True)
class CheckTotals:
    subtotal: int  # sum of line amounts as priced on the menu
    tax: int
    total: int  # what the guest owes


def check_totals(lines: Iterable[PricedLine], *, prices_include_tax: bool) -> CheckTotals:
    """Totals with tax rounded per line, so every line's tax is what its receipt shows."""
    subtotal = tax = 0
    for line in lines:
        if line.quantity <= 0:
            raise BadInput("A line must have a quantity of at least 1.")
        part = taxed(line.amount, line.tax_rate_ppm, inclusive=prices_include_tax)
        subtotal += line.amount
        tax += part.tax
    total = subtotal if prices_include_tax else subtotal + tax
    return CheckTotals(subtotal=subtotal, tax=tax, total=total)


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
