"""Splitting a check: by seat, by item, evenly, by amount, or one item across several parts.

Every split is described the same way: each line is shared among the parts with integer
weights (a seat's line goes wholly to that seat's part; a shared line to every part; half a
bottle of wine to two parts). From that, each part's *exact* share of the check is a
fraction, and the parts' totals are allocated from the check total by largest remainder:
they always sum exactly to the check, each is within one minor unit of its exact share, and
the same split always gives the same cents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from app.core.check_math import PricedLine, check_totals
from app.core.errors import BadInput
from app.core.money import split_evenly
from app.core.tax import taxed


@dataclass(frozen=True, slots=True)
class Part:
    total: int  # what this part pays
    tax: int  # the tax included in it (for the part's own receipt)


def _largest_remainder(total: int, exact: Sequence[Fraction]) -> list[int]:
    """Integers summing to ``total``, each the floor or ceiling of its exact fraction."""
    floors = [share.numerator // share.denominator for share in exact]
    left = total - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def split_lines(
    lines: Sequence[PricedLine],
    shares: Sequence[Mapping[int, int]],
    parts: int,
    *,
    prices_include_tax: bool,
) -> list[Part]:
    """Split a check whose line ``i`` is shared among parts by ``shares[i]`` (part -> weight)."""
    if parts < 1:
        raise BadInput("Split into at least one part.")
    if len(shares) != len(lines):
        raise BadInput("Every line must say which parts share it.")
    totals = check_totals(lines, prices_include_tax=prices_include_tax)
    owed = [Fraction(0)] * parts
    taxes = [Fraction(0)] * parts
    for line, share in zip(lines, shares, strict=True):
        if not share or any(w < 0 for w in share.values()) or sum(share.values()) == 0:
            raise BadInput("Every line must go to at least one part.")
        if any(not 0 <= p < parts for p in share):
            raise BadInput("A line was given to a part that does not exist.")
        tax = (
            0
            if line.comped
            else taxed(line.amount, line.tax_rate_ppm, inclusive=prices_include_tax).tax
        )
        due = 0 if line.comped else line.amount + (0 if prices_include_tax else tax)
        weight_sum = sum(share.values())
        for p, w in share.items():
            owed[p] += Fraction(due * w, weight_sum)
            taxes[p] += Fraction(tax * w, weight_sum)
    # Per-line tax rounding makes the check total the sum of the exact line dues.
    assert sum(owed) == totals.total
    paying = _largest_remainder(totals.total, owed)
    tax_parts = _largest_remainder(totals.tax, taxes)
    return [Part(total, tax) for total, tax in zip(paying, tax_parts, strict=True)]


def by_seat(
    lines: Sequence[PricedLine],
    seats: Sequence[int | None],
    guests: int,
    *,
    prices_include_tax: bool,
) -> list[Part]:
    """One part per seat; shared lines (seat None) are shared evenly by every seat."""
    if guests < 1:
        raise BadInput("Split into at least one part.")
    shares: list[dict[int, int]] = []
    for seat in seats:
        if seat is None:
            shares.append(dict.fromkeys(range(guests), 1))
        elif not 1 <= seat <= guests:
            raise BadInput(f"Seat {seat} is not at this table.")
        else:
            shares.append({seat - 1: 1})
    return split_lines(lines, shares, guests, prices_include_tax=prices_include_tax)


def evenly(total: int, parts: int) -> list[int]:
    """N equal parts of the total (the first ones carry the odd cents)."""
    return split_evenly(total, parts)


def by_amounts(total: int, amounts: Sequence[int]) -> list[int]:
    """Guests name what they pay; the last part is whatever is left (never negative)."""
    if any(a <= 0 for a in amounts):
        raise BadInput("Each amount must be more than zero.")
    if sum(amounts) > total:
        raise BadInput("Those amounts add up to more than the check.")
    rest = total - sum(amounts)
    return [*amounts, rest] if rest else list(amounts)
