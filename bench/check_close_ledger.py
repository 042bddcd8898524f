"""The raw side's posting: the journal entry the app's close writes, as raw asyncpg would.

Since issue 12 every close posts its entry, lines, outbox event and hash-chain link in the
close's transaction, under the location's chain lock. The raw side does the same two
statements (the lock, then the gateway's one write statement, its SQL taken from
``app.accounting.posting`` and bound positionally), so the ratio app/raw still compares the
same work.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import asyncpg

from app.accounting import posting
from app.accounting.entries import Leg, cash, check_fingerprint, sales, tax
from app.core.check_math import CheckTotals


def _positional(sql: str) -> tuple[str, list[str]]:
    """``:name`` binds as asyncpg's ``$n`` (casts like ``::date`` are left alone)."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match[1] not in names:
            names.append(match[1])
        return f"${names.index(match[1]) + 1}"

    return re.sub(r"(?<![:\w]):(\w+)", number, sql), names


POST, POST_NAMES = _positional(str(posting._POST))  # the gateway's own statement
LOCK, LOCK_NAMES = _positional(str(posting.CHAIN_LOCK))


def close_legs(
    categories: Sequence[int], rates: Sequence[int], totals: CheckTotals, drawer: str
) -> tuple[Leg, ...]:
    """Revenue per category, tax per rate, the cash into the drawer (no comps, no tips)."""
    legs = [cash(drawer, totals.total)]
    for category, rate, charge in zip(categories, rates, totals.line_charges, strict=True):
        legs += [sales(category, -charge.charged), tax(rate, -charge.tax)]
    legs.append(Leg("discounts", totals.discounts))
    legs.append(Leg("service_charge", -totals.service_charge))
    return posting.balanced(legs)


async def post_raw_close(
    conn: asyncpg.Connection,
    location: int,
    check: asyncpg.Record,
    legs: tuple[Leg, ...],
    totals: CheckTotals,
    staff_id: int,
) -> None:
    values = {
        "location_id": location,
        "kind": "close",
        "source": f"check:{check['id']}",
        "memo": f"Check {check['number']}",
        "corrects_id": None,
        "staff_id": staff_id,
        "purposes": [leg.purpose for leg in legs],
        "fallbacks": [leg.fallback or leg.purpose for leg in legs],
        "amounts": [leg.amount for leg in legs],
        "event_type": "check.closed",
        "payload": json.dumps(
            {"kind": "close", "source": f"check:{check['id']}", "total": totals.total}
        ),
        "fingerprint": check_fingerprint(
            check["id"],
            check["number"],
            totals.subtotal,
            totals.comps,
            totals.discounts,
            totals.service_charge,
            totals.tax,
            totals.total,
        ),
    }
    await conn.execute(LOCK, *(values[n] for n in LOCK_NAMES))
    await conn.fetchrow(POST, *(values[n] for n in POST_NAMES))
