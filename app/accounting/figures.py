"""The figures of one business day: the X report while it is open, the Z report's content
when it closes. Read-only SQL over the journal and the checks it posted; no aggregate is
loaded as Python objects, so a day of 10,000 checks is a handful of set-based queries.

Which checks belong to the day is the journal's answer, not the clock's: a check belongs to
the day its close entry is dated into (``posting.BUSINESS_DAY_SQL``), so the Z and the books
can never disagree about where a check went.

The result is plain JSON (``day_figures``): integers in minor units, strings, booleans and
nulls, never a float. It is frozen as it is into ``day_close.report`` and the hash chain
covers it, so a printed Z and its page always show the same numbers.

    net sales = what guests paid for food and drink: total - tax - service charge
              = gross sales - comps - discounts (- tax when prices include it)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

#: The checks the day's close entries posted: read once (``source`` is "check:<id>" for a
#: close, app/accounting/service.py), then every query starts from their ids, so each reads
#: the day's rows by index and never a year of checks.
_CLOSED_IDS = text(
    """
    SELECT CAST(split_part(e.source, ':', 2) AS bigint) FROM journal_entry e
    WHERE e.location_id = :location_id AND e.business_day = :day AND e.kind = 'close'
    """
)
_CLOSED = """
    closed AS (SELECT c.* FROM guest_check c WHERE c.id = ANY(CAST(:ids AS bigint[])))
"""

_TOTALS = text(
    f"""WITH {_CLOSED}
    SELECT count(*) AS checks, coalesce(sum(guest_count), 0) AS covers,
           coalesce(sum(subtotal), 0) AS gross_sales, coalesce(sum(comps), 0) AS comps,
           coalesce(sum(discounts), 0) AS discounts,
           coalesce(sum(service_charge), 0) AS service_charge,
           coalesce(sum(tax), 0) AS tax, coalesce(sum(total), 0) AS total,
           count(*) FILTER (WHERE discounts > 0) AS discounted_checks
    FROM closed
    """  # noqa: S608 (constants, never input)
)

# A shared line's share is its part of ``quantity * unit_price`` by largest remainder over
# equal weights (app/core/check_math.share_of): the floor, and one more unit for the first
# ``amount % count`` shares. Its items are counted once, on share 0.
_SHARE = """(l.quantity * l.unit_price / l.share_count
             + CASE WHEN l.share_index < (l.quantity * l.unit_price) % l.share_count
                    THEN 1 ELSE 0 END)"""

_CATEGORIES = text(
    f"""
    SELECT cat.name, sum(l.quantity) FILTER (WHERE l.share_index = 0) AS items,
           sum({_SHARE}) AS gross,
           coalesce(sum({_SHARE}) FILTER (WHERE l.comped_at IS NOT NULL), 0) AS comps,
           count(*) FILTER (WHERE l.comped_at IS NOT NULL) AS comped_lines
    FROM check_line l JOIN menu_category cat ON cat.id = l.category_id
    WHERE l.check_id = ANY(CAST(:ids AS bigint[])) AND l.status <> 'void'
    GROUP BY cat.id, cat.name, cat.sort ORDER BY cat.sort, cat.name
    """  # noqa: S608 (constants, never input)
)

_VOIDS = text(
    f"""
    SELECT count(*) AS lines, coalesce(sum({_SHARE}), 0) AS amount,
           count(*) FILTER (WHERE l.void_waste) AS wasted
    FROM check_line l WHERE l.check_id = ANY(CAST(:ids AS bigint[])) AND l.status = 'void'
    """  # noqa: S608 (constants, never input)
)

# What stayed on each check: payments less what was given back while it was open (those
# refunds are inside the check's close; the ones after it are the day's refunds below).
_PAYMENTS = text(
    f"""WITH {_CLOSED},
    back AS (
        SELECT r.payment_id, sum(r.amount) AS amount, sum(r.tip) AS tip
        FROM refund r JOIN closed ON closed.id = r.check_id
        WHERE r.check_id = ANY(CAST(:ids AS bigint[])) AND r.created_at <= closed.closed_at
        GROUP BY r.payment_id
    )
    SELECT p.method, coalesce(p.card_brand, '') AS brand, count(*) AS times,
           sum(p.amount - coalesce(back.amount, 0)) AS amount,
           sum(p.tip - coalesce(back.tip, 0)) AS tip
    FROM payment p LEFT JOIN back ON back.payment_id = p.id
    WHERE p.check_id = ANY(CAST(:ids AS bigint[]))
    GROUP BY p.method, coalesce(p.card_brand, '') ORDER BY p.method, brand
    """  # noqa: S608 (constants, never input)
)

# Refunds of closed checks posted into this day (source "refund:<id>"), whatever day the
# check itself closed on.
_REFUNDS = text(
    """
    SELECT p.method, count(*) AS times, coalesce(sum(r.amount), 0) AS amount,
           coalesce(sum(r.tip), 0) AS tip
    FROM journal_entry e
    JOIN refund r ON r.id = CAST(split_part(e.source, ':', 2) AS bigint)
    JOIN payment p ON p.id = r.payment_id
    WHERE e.location_id = :location_id AND e.business_day = :day AND e.kind = 'refund'
    GROUP BY p.method ORDER BY p.method
    """
)

# Tax per rate as the books hold it: the close entries' lines on each tax account (a rate
# the chart does not map posts to the generic "tax" account and is shown under its name).
_TAXES = text(
    """
    WITH tax_accounts AS (
        SELECT account_id, min(purpose) AS purpose, count(*) AS purposes
        FROM account_purpose
        WHERE location_id = :location_id AND (purpose = 'tax' OR purpose LIKE 'tax:rate:%')
        GROUP BY account_id
    )
    SELECT a.name, t.purpose, t.purposes, -sum(jl.amount) AS amount
    FROM journal_entry e JOIN journal_line jl ON jl.entry_id = e.id
    JOIN tax_accounts t ON t.account_id = jl.account_id
    JOIN account a ON a.id = jl.account_id
    WHERE e.location_id = :location_id AND e.business_day = :day AND e.kind = 'close'
    GROUP BY a.id, a.code, a.name, t.purpose, t.purposes ORDER BY a.code
    """
)

# The revenue the close entries posted (revenue accounts less the comps expense): it must
# equal net sales plus service charges, or the books and the checks disagree.
_BOOKS = text(
    """
    SELECT coalesce(-sum(jl.amount), 0) AS revenue
    FROM journal_entry e JOIN journal_line jl ON jl.entry_id = e.id
    JOIN account a ON a.id = jl.account_id
    WHERE e.location_id = :location_id AND e.business_day = :day AND e.kind = 'close'
      AND a.kind IN ('revenue', 'expense')
    """
)

#: The drawers of the day: counted in or out on it (their entries are dated into it), or
#: still open. expected = float + cash taken - cash refunded + cash in - cash out - card
#: tips paid out (app/billing/drawer_counts.py), frozen at the count for a closed drawer.
_DRAWERS = text(
    """
    WITH drawers AS (
        SELECT s.* FROM drawer_session s
        WHERE s.location_id = :location_id AND (s.closed_at IS NULL OR EXISTS (
            SELECT 1 FROM journal_entry e
            WHERE e.location_id = :location_id AND e.business_day = :day
              AND e.kind IN ('drawer_open', 'drawer_close') AND e.source = 'drawer:' || s.id))
    ),
    taken AS (
        SELECT p.drawer_session_id AS id, sum(p.amount) AS amount FROM payment p
        WHERE p.method = 'cash' AND p.drawer_session_id IN (SELECT id FROM drawers)
        GROUP BY p.drawer_session_id
    ),
    given AS (
        SELECT r.drawer_session_id AS id, sum(r.amount) AS amount
        FROM refund r JOIN payment p ON p.id = r.payment_id
        WHERE p.method = 'cash' AND r.drawer_session_id IN (SELECT id FROM drawers)
        GROUP BY r.drawer_session_id
    ),
    moved AS (
        SELECT m.session_id AS id,
               coalesce(sum(m.amount) FILTER (WHERE m.kind = 'cash_in'), 0) AS cash_in,
               coalesce(sum(m.amount) FILTER (WHERE m.kind = 'cash_out'), 0) AS cash_out,
               coalesce(sum(m.amount) FILTER (WHERE m.kind = 'tip_payout'), 0) AS tips_paid_out
        FROM drawer_movement m WHERE m.session_id IN (SELECT id FROM drawers)
        GROUP BY m.session_id
    )
    SELECT d.id, d.drawer, d.closed_at IS NULL AS open, d.opening_float, d.expected AS frozen,
           d.counted, coalesce(taken.amount, 0) AS cash_payments,
           coalesce(given.amount, 0) AS cash_refunds, coalesce(moved.cash_in, 0) AS cash_in,
           coalesce(moved.cash_out, 0) AS cash_out,
           coalesce(moved.tips_paid_out, 0) AS tips_paid_out
    FROM drawers d LEFT JOIN taken ON taken.id = d.id LEFT JOIN given ON given.id = d.id
    LEFT JOIN moved ON moved.id = d.id
    ORDER BY d.drawer, d.id
    """
)


def _drawer(row: Any) -> dict[str, Any]:
    computed = (
        row.opening_float
        + row.cash_payments
        - row.cash_refunds
        + row.cash_in
        - row.cash_out
        - row.tips_paid_out
    )
    expected = int(row.frozen) if row.frozen is not None else int(computed)
    counted = None if row.counted is None else int(row.counted)
    return {
        "session_id": int(row.id),
        "name": row.drawer,
        "open": bool(row.open),
        "float": int(row.opening_float),
        "cash_payments": int(row.cash_payments),
        "cash_refunds": int(row.cash_refunds),
        "cash_in": int(row.cash_in),
        "cash_out": int(row.cash_out),
        "tips_paid_out": int(row.tips_paid_out),
        "expected": expected,
        "counted": counted,
        "over_short": None if counted is None else counted - expected,
    }


def _rate_ppm(purpose: str, purposes: int) -> int | None:
    """The rate an account holds, when it holds exactly one mapped rate."""
    if purposes == 1 and purpose.startswith("tax:rate:"):
        return int(purpose.rsplit(":", 1)[1])
    return None


async def day_figures(session: AsyncSession, location_id: int, day: date) -> dict[str, Any]:
    """Everything the X and Z reports show for ``day``, as plain JSON (see the docstring)."""
    params: dict[str, Any] = {"location_id": location_id, "day": day}
    params["ids"] = list((await session.scalars(_CLOSED_IDS, params)).all())
    t = (await session.execute(_TOTALS, params)).one()
    net_sales = int(t.total - t.tax - t.service_charge)
    categories = [
        {
            "name": r.name,
            "items": int(r.items or 0),
            "gross": int(r.gross),
            "comps": int(r.comps),
            "comped_lines": int(r.comped_lines),
        }
        for r in await session.execute(_CATEGORIES, params)
    ]
    v = (await session.execute(_VOIDS, params)).one()
    payments = [
        {
            "method": r.method,
            "brand": r.brand,
            "count": int(r.times),
            "amount": int(r.amount),
            "tip": int(r.tip),
        }
        for r in await session.execute(_PAYMENTS, params)
    ]
    refunds = [
        {"method": r.method, "count": int(r.times), "amount": int(r.amount), "tip": int(r.tip)}
        for r in await session.execute(_REFUNDS, params)
    ]
    taxes = [
        {"name": r.name, "rate_ppm": _rate_ppm(r.purpose, r.purposes), "amount": int(r.amount)}
        for r in await session.execute(_TAXES, params)
    ]
    revenue = int(await session.scalar(_BOOKS, params) or 0)
    drawers = [_drawer(r) for r in await session.execute(_DRAWERS, params)]
    checks, covers = int(t.checks), int(t.covers)
    tips: dict[str, int] = {}
    for p in payments:
        tips[p["method"]] = tips.get(p["method"], 0) + p["tip"]
    return {
        "business_day": day.isoformat(),
        "checks": checks,
        "covers": covers,
        "gross_sales": int(t.gross_sales),
        "comps": int(t.comps),
        "comped_lines": sum(c["comped_lines"] for c in categories),
        "discounts": int(t.discounts),
        "discounted_checks": int(t.discounted_checks),
        "service_charge": int(t.service_charge),
        "tax": int(t.tax),
        "total": int(t.total),
        "net_sales": net_sales,
        # Whole minor units, rounded down: an average is for reading, not for the books.
        "average_check": net_sales // checks if checks else 0,
        "average_cover": net_sales // covers if covers else 0,
        "categories": categories,
        "voids": {"lines": int(v.lines), "amount": int(v.amount), "wasted": int(v.wasted)},
        "taxes": taxes,
        "payments": payments,
        "tips": [{"method": m, "amount": a} for m, a in sorted(tips.items())],
        "tips_paid_out": sum(d["tips_paid_out"] for d in drawers),
        "refunds": refunds,
        "refunded": sum(r["amount"] for r in refunds),
        "drawers": drawers,
        "books": {"revenue": revenue, "agree": revenue == net_sales + int(t.service_charge)},
    }
