"""What a check adds up to: the arithmetic shared by the order screen, the bill and close."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.core.discounts import Adjustment, service_charge, total_off
from app.core.errors import BadInput
from app.core.money import allocate
from app.core.tax import taxed


@dataclass(frozen=True, slots=True)
class PricedLine:
    """One check line as the arithmetic needs it. Voided lines are simply not passed in."""

    quantity: int
    unit_price: int  # item price plus chosen modifier deltas, minor units
    tax_rate_ppm: int
    #: Given away by the house: it stays on the check, and is taken off again as a comp.
    comped: bool = False
    #: One item shared by several checks: this check holds share ``share_index`` of
    #: ``share_count``; its amount, discount and tax are that share of the whole line's.
    share_index: int = 0
    share_count: int = 1
    #: Discounts on the whole line (before sharing), minor units; see app.core.discounts.
    discount: int = 0

    @property
    def amount(self) -> int:
        """The whole line as priced on the menu (every share together)."""
        return self.quantity * self.unit_price

    @property
    def charged(self) -> int:
        """This check's share of the amount (the whole amount when the line is not shared)."""
        return share_of(self.amount, self.share_index, self.share_count)


def share_of(whole: int, index: int, count: int) -> int:
    """Share ``index`` of ``count`` equal shares of ``whole``: the shares sum exactly to it."""
    if count == 1 and index == 0:
        return whole
    if not 0 <= index < count:
        raise BadInput("A shared line's share does not exist.")
    return allocate(whole, [1] * count)[index]


@dataclass(frozen=True, slots=True)
class TaxLine:
    """One tax rate's line on the bill: what it was charged on (net of tax), and how much."""

    rate_ppm: int
    base: int
    tax: int


@dataclass(frozen=True, slots=True)
class LineCharge:
    """One line on this check: its share of the amount, what discounts took off, its tax."""

    charged: int
    discount: int  # the line's own discounts plus its part of the whole-check ones
    tax: int

    @property
    def due(self) -> int:
        """What the line adds to the check before tax is added (and before service charge)."""
        return self.charged - self.discount


@dataclass(frozen=True, slots=True)
class CheckTotals:
    """total = subtotal - comps - discounts + service_charge (+ tax when prices exclude it)."""

    subtotal: int  # sum of line amounts as priced on the menu
    tax: int
    total: int  # what the guest owes
    comps: int = 0  # what the house gave away (included in subtotal, taken off the total)
    discounts: int = 0  # named discounts on lines and on the whole check
    service_charge: int = 0  # service charge / auto-gratuity
    tax_lines: tuple[TaxLine, ...] = ()
    #: Per line, in the order the lines were given (comped lines are charged, at no tax).
    line_charges: tuple[LineCharge, ...] = ()


TAX_ROUNDING = ("line", "check")


def check_totals(
    lines: Iterable[PricedLine],
    check_discounts: Sequence[Adjustment] = (),
    service_charge_ppm: int = 0,
    *,
    prices_include_tax: bool,
    tax_rounding: str = "line",
    tax_adjustment: int = 0,
    service_adjustment: int = 0,
) -> CheckTotals:
    """Everything the bill adds up to.

    Order of work: line discounts come off each line; whole-check discounts come off the rest
    and are spread over the sold lines by largest remainder, so tax is charged on what the
    guest really pays; the service charge is a share of that discounted subtotal and carries
    no tax (it is passed to the staff and stated on its own line of the bill). Tax is
    rounded on every line ("line") or summed exactly per rate and rounded once ("check"). A
    comped line carries no tax and no discount: nothing was sold.

    ``tax_adjustment`` (a split part's, with tax rounded per check) goes on the biggest taxed
    line, and ``service_adjustment`` on the service charge, so the parts' taxes and service
    charges add up to the check they came from.
    """
    if tax_rounding not in TAX_ROUNDING:
        raise BadInput("Tax is rounded per line or per check.")
    priced = list(lines)
    for line in priced:
        if line.quantity <= 0:
            raise BadInput("A line must have a quantity of at least 1.")
        if line.unit_price < 0:
            raise BadInput("A line cannot have a negative price.")
        if line.discount < 0:
            raise BadInput("A discount cannot be negative.")
    charged = [line.charged for line in priced]
    own = [
        0
        if line.comped
        else share_of(min(line.discount, line.amount), line.share_index, line.share_count)
        for line in priced
    ]
    after = [0 if line.comped else c - d for line, c, d in zip(priced, charged, own, strict=True)]
    check_off = total_off(sum(after), check_discounts)
    spread = allocate(check_off, after) if check_off else [0] * len(priced)
    due = [a - s for a, s in zip(after, spread, strict=True)]
    inclusive = prices_include_tax
    if tax_rounding == "line":
        taxes = [
            _line_tax(line, s, d, inclusive) for line, s, d in zip(priced, spread, due, strict=True)
        ]
    else:
        taxes = _check_rounded_taxes(priced, due, inclusive)
    taxed_lines = [i for i, line in enumerate(priced) if not line.comped and line.tax_rate_ppm]
    if tax_adjustment and taxed_lines:
        biggest = max(taxed_lines, key=lambda i: (due[i], -i))
        taxes[biggest] = max(0, taxes[biggest] + tax_adjustment)
    tax_lines = _tax_lines(priced, due, taxes, inclusive)
    tax = sum(taxes)
    subtotal = sum(charged)
    comps = sum(c for line, c in zip(priced, charged, strict=True) if line.comped)
    discounts = sum(own) + check_off
    service = service_charge(sum(due), service_charge_ppm)
    service = max(0, service + service_adjustment) if service_charge_ppm else service
    total = subtotal - comps - discounts + service + (0 if inclusive else tax)
    return CheckTotals(
        subtotal=subtotal,
        tax=tax,
        total=total,
        comps=comps,
        discounts=discounts,
        service_charge=service,
        tax_lines=tax_lines,
        line_charges=tuple(
            LineCharge(c, o + s, t) for c, o, s, t in zip(charged, own, spread, taxes, strict=True)
        ),
    )


def _line_tax(line: PricedLine, spread: int, due: int, inclusive: bool) -> int:
    """Tax rounded on this line. A share with no whole-check discount on it carries its
    share of the whole line's tax, so the shares' taxes add up to the unshared line's.

    With tax added on top, the share's tax is its share of the gross less its share of the
    net: the guest's part (net + tax) is then within a cent of its exact share, where
    sharing net and tax separately could put both odd cents on the same guest."""
    if line.comped:
        return 0
    if line.share_count > 1 and spread == 0:
        whole = line.amount - min(line.discount, line.amount)
        whole_tax = taxed(whole, line.tax_rate_ppm, inclusive=inclusive).tax
        if inclusive:
            return share_of(whole_tax, line.share_index, line.share_count)
        index, count = line.share_index, line.share_count
        return share_of(whole + whole_tax, index, count) - share_of(whole, index, count)
    return taxed(due, line.tax_rate_ppm, inclusive=inclusive).tax


def _check_rounded_taxes(priced: list[PricedLine], due: list[int], inclusive: bool) -> list[int]:
    """Tax per rate on the exact sum of its lines, rounded once, then allocated back to the
    lines (for receipts that show tax per line) so they sum to the rate's tax exactly."""
    taxes = [0] * len(priced)
    for rate in sorted({line.tax_rate_ppm for line in priced if not line.comped}):
        members = [
            i for i, line in enumerate(priced) if not line.comped and line.tax_rate_ppm == rate
        ]
        base = sum(due[i] for i in members)
        rate_tax = taxed(base, rate, inclusive=inclusive).tax
        if rate_tax:
            for i, part in zip(members, allocate(rate_tax, [due[i] for i in members]), strict=True):
                taxes[i] = part
    return taxes


def _tax_lines(
    priced: list[PricedLine], due: list[int], taxes: list[int], inclusive: bool
) -> tuple[TaxLine, ...]:
    """One line per taxed rate: base is the net it was charged on (gross less tax when
    prices include it), so base + tax is what the guest paid for those lines."""
    out = []
    for rate in sorted({line.tax_rate_ppm for line in priced if not line.comped}):
        if rate == 0:
            continue
        members = [
            i for i, line in enumerate(priced) if not line.comped and line.tax_rate_ppm == rate
        ]
        tax = sum(taxes[i] for i in members)
        gross_or_net = sum(due[i] for i in members)
        out.append(TaxLine(rate, gross_or_net - tax if inclusive else gross_or_net, tax))
    return tuple(out)


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
