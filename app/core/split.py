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
from dataclasses import dataclass, replace
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


def amount_parts(total: int, tax: int, amounts: Sequence[int], *, paid: int = 0) -> list[Part]:
    """Split the payment, not the items: what is still owed (``total - paid``) in the
    amounts guests name, the last part being whatever is left (``by_amounts``).

    Each part's tax is its exact share of the check's ``tax`` (its amount / ``total``),
    allocated by largest remainder together with the share of what was already paid. With
    nothing paid the parts' taxes sum exactly to ``tax``; after a payment they sum to what
    the paid share leaves; either way each is within one minor unit of its exact share,
    and a plan whose first part was paid keeps the other parts' cents.
    """
    if paid < 0:
        raise BadInput("What was paid cannot be less than nothing.")
    owed = total - paid
    if owed <= 0:
        raise BadInput("Nothing is owed on this check: there is nothing to split.")
    if sum(amounts) > owed:
        raise BadInput("Those amounts add up to more than is owed.")
    paying = by_amounts(owed, amounts)
    if len(paying) > MAX_PARTS:
        raise BadInput(f"Split into at most {MAX_PARTS} parts.")
    shares = _largest_remainder(tax, [Fraction(tax * w, total) for w in (paid, *paying)])
    return [Part(amount, part_tax) for amount, part_tax in zip(paying, shares[1:], strict=True)]


# Splitting a check into real checks ("parts"). Part 0 is the check being split; the others are
# new checks. A plan gives, for every line, the parts holding it in share order: ``(2,)`` moves
# the line wholly to part 2; ``(1, 0, 2)`` shares it three ways, share 0 on part 1, share 1 on
# part 0, share 2 on part 2. A shared line's amount and tax are the largest-remainder shares of
# the whole line (app.core.check_math), so the parts always sum exactly to the check.

Holders = tuple[int, ...]

#: More parts than this is a mistyped number, not a table of guests paying separately.
MAX_PARTS = 20


def check_part_count(parts: int) -> None:
    if parts < 2:
        raise BadInput("Split into at least 2 parts.")
    if parts > MAX_PARTS:
        raise BadInput(f"Split into at most {MAX_PARTS} parts.")


def _share_dues(line: PricedLine, count: int, prices_include_tax: bool) -> list[int]:
    return [
        check_totals(
            [replace(line, share_index=i, share_count=count)],
            prices_include_tax=prices_include_tax,
        ).total
        for i in range(count)
    ]


def balanced_holders(
    lines: Sequence[PricedLine],
    parts_of_line: Sequence[Sequence[int]],
    *,
    prices_include_tax: bool,
) -> list[Holders]:
    """Which part takes which share of each shared line, so the odd cents go round.

    Largest remainder gives a line's odd cents to its first shares. Were share 0 always on
    the same part, that part would collect an odd cent from every line; instead each line's
    bigger shares go to the parts that have had the fewest extra cents so far.
    """
    extra: dict[int, int] = {}
    plan: list[Holders] = []
    for line, holders in zip(lines, parts_of_line, strict=True):
        if len(holders) == 1:
            plan.append(tuple(holders))
            continue
        dues = _share_dues(line, len(holders), prices_include_tax)
        low = min(dues)
        takers = sorted(holders, key=lambda p: (extra.get(p, 0), p))
        by_size = sorted(range(len(dues)), key=lambda i: (-dues[i], i))
        assigned = [0] * len(dues)
        for share, part in zip(by_size, takers, strict=True):
            assigned[share] = part
            extra[part] = extra.get(part, 0) + dues[share] - low
        plan.append(tuple(assigned))
    return plan


def seat_plan(
    lines: Sequence[PricedLine], seats: Sequence[int | None], *, prices_include_tax: bool
) -> tuple[list[int], list[Holders]]:
    """By seat: one part per seat with items, the check keeping the lowest seat.

    Items on no seat ("Shared" on the order screen: the bottle, the fries for the table) are
    shared evenly by every seat's part. Returns the seat of each part and the plan.
    """
    seated = sorted({seat for seat in seats if seat is not None})
    if len(seated) < 2:
        raise BadInput("Only one seat has items: put items on seats, or split evenly.")
    check_part_count(len(seated))
    part_of = {seat: part for part, seat in enumerate(seated)}
    everyone = list(range(len(seated)))
    holders = [everyone if seat is None else [part_of[seat]] for seat in seats]
    return seated, balanced_holders(lines, holders, prices_include_tax=prices_include_tax)


def even_plan(
    lines: Sequence[PricedLine], parts: int, *, prices_include_tax: bool
) -> list[Holders]:
    """Evenly: every line shared by every part."""
    check_part_count(parts)
    if not lines:
        raise BadInput("There is nothing on this check to split.")
    everyone = list(range(parts))
    return balanced_holders(lines, [everyone] * len(lines), prices_include_tax=prices_include_tax)


def part_lines(
    lines: Sequence[PricedLine], plan: Sequence[Holders], parts: int
) -> list[list[PricedLine]]:
    """Each part's lines as the arithmetic sees them (shares carry their index and count)."""
    out: list[list[PricedLine]] = [[] for _ in range(parts)]
    for line, holders in zip(lines, plan, strict=True):
        if not holders or len(set(holders)) != len(holders):
            raise BadInput("Every item must go to one or more different parts.")
        if any(not 0 <= p < parts for p in holders):
            raise BadInput("An item was given to a part that does not exist.")
        if len(holders) == 1:
            out[holders[0]].append(line)
            continue
        if line.share_count > 1:
            raise BadInput("That item is already shared; undo the split to share it again.")
        for index, part in enumerate(holders):
            out[part].append(replace(line, share_index=index, share_count=len(holders)))
    return out
