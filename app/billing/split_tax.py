"""With tax rounded per check, the parts of a split still add up to the check's tax.

Each part rounds its own tax once, so the parts' taxes summed can differ from the tax of the
check they came from by a cent or so. A split therefore hands the tax the checks had between
them back out by largest remainder on each part's exact (unrounded) tax, and keeps each part's
difference from its own rounding as its ``tax_adjustment``. With tax rounded per line the
shares of every line already add up, and nothing is adjusted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.check_math import TaxLine
from app.core.money import allocate
from app.core.tax import PPM
from app.orders.models import Check
from app.orders.views import CheckView, check_view


@dataclass(frozen=True, slots=True)
class Carried:
    """What the checks touched by a split carry between them before it."""

    tax: int
    service_charge: int
    tax_rounding: str


async def carried(session: AsyncSession, check_ids: Sequence[int]) -> Carried:
    """The tax and service charge the checks carry now (their adjustments included)."""
    views = [await check_view(session, c) for c in check_ids]
    return Carried(
        sum(v.totals.tax for v in views),
        sum(v.totals.service_charge for v in views),
        views[0].tax_rounding if views else "line",
    )


def service_adjustments(
    views: Sequence[CheckView], current: Sequence[int], total: int
) -> list[int]:
    """Each part's service charge adjustment so that they sum to ``total``, handed out by
    largest remainder on each part's exact charge (its discounted subtotal times the rate)."""
    exact = [
        (v.totals.subtotal - v.totals.comps - v.totals.discounts) * v.service_charge_ppm
        for v in views
    ]
    own = [v.totals.service_charge - adj for v, adj in zip(views, current, strict=True)]
    if not any(w > 0 for w in exact):
        return [0] * len(views)
    return [t - o for t, o in zip(allocate(total, [max(w, 0) for w in exact]), own, strict=True)]


def exact_tax(lines: Sequence[TaxLine], inclusive: bool) -> Fraction:
    """The tax before any rounding: on the net when tax is added, carved out of the gross
    when prices include it (the base + tax of a line is its gross, whatever was rounded)."""
    if inclusive:
        return sum(
            (Fraction((t.base + t.tax) * t.rate_ppm, PPM + t.rate_ppm) for t in lines),
            Fraction(0),
        )
    return sum((Fraction(t.base * t.rate_ppm, PPM) for t in lines), Fraction(0))


def _ints(weights: Sequence[Fraction]) -> list[int]:
    scale = lcm(*(w.denominator for w in weights)) if weights else 1
    return [int(w * scale) for w in weights]


def adjustments(
    views: Sequence[CheckView], current: Sequence[int], tax: int, even: bool = False
) -> list[int]:
    """Each part's adjustment so that the parts' taxes sum to ``tax``.

    With tax added on top, the guests' totals are what matter: the total the checks owe
    between them is handed out by largest remainder -- in equal shares for an even split,
    else on each part's exact (unrounded) total -- and each part's tax is what makes its
    total. With prices that include tax the totals do not move, and the tax is handed out on
    each part's exact tax."""
    exact = [exact_tax(v.totals.tax_lines, v.prices_include_tax) for v in views]
    own = [v.totals.tax - adj for v, adj in zip(views, current, strict=True)]
    if not any(_ints(exact)):
        return [0] * len(views)
    by_tax = [t - o for t, o in zip(allocate(tax, _ints(exact)), own, strict=True)]
    if views[0].prices_include_tax:
        return by_tax
    untaxed = [v.totals.total - v.totals.tax for v in views]
    owed = sum(untaxed) + tax
    exact_totals = [u + e for u, e in zip(untaxed, exact, strict=True)]
    weights = [Fraction(1)] * len(views) if even else exact_totals
    taxes = [t - u for t, u in zip(allocate(owed, _ints(weights)), untaxed, strict=True)]
    if any(t < 0 for t in taxes):  # a part with (almost) no tax: fall back to the tax alone
        return by_tax
    return [t - o for t, o in zip(taxes, own, strict=True)]


async def rebalance(
    session: AsyncSession, check_ids: Sequence[int], before: Carried, even: bool = False
) -> None:
    """After a split or merge: the checks touched carry exactly the service charge and tax
    they carried before between them (``even``: an even split, whose parts should owe the
    same to a unit)."""
    by_check = before.tax_rounding == "check"
    if not before.service_charge and not by_check:
        return  # shares of every line already add up: nothing to hand out
    ids = sorted(set(check_ids))
    now = {
        row.id: row
        for row in await session.execute(
            select(Check.id, Check.service_adjustment, Check.tax_adjustment).where(
                Check.id.in_(ids)
            )
        )
    }
    views = [await check_view(session, c) for c in ids]
    service = service_adjustments(
        views, [now[c].service_adjustment for c in ids], before.service_charge
    )
    changed = await _write(session, ids, "service_adjustment", service, now)
    if not by_check:
        return
    if changed:  # the service charge moved the totals the tax is balanced against
        views = [await check_view(session, c) for c in ids]
    tax = adjustments(views, [now[c].tax_adjustment for c in ids], before.tax, even)
    await _write(session, ids, "tax_adjustment", tax, now)


async def _write(
    session: AsyncSession, ids: list[int], column: str, wanted: list[int], now: dict[int, Any]
) -> bool:
    changed = False
    for check_id, adjustment in zip(ids, wanted, strict=True):
        if adjustment != getattr(now[check_id], column):
            changed = True
            await session.execute(
                update(Check).where(Check.id == check_id).values({column: adjustment})
            )
    return changed
