"""Money and stock invariants checked on every test database before it is dropped (MNY-4,
PAY-2, LED-1, LED-2, LED-4).

Whatever a test did, through whichever door, the books it leaves behind must add up.
"""

from __future__ import annotations

import asyncpg

#: A check closed behind the app's back (a test's shortcut past paying): what ``_close``
#: would also write, so the rules below still hold for it.
CLOSED = {"status": "closed", "prices_include_tax": False, "tax_rounding": "line"}

#: Each query returns the rows that break the rule; the rule's name says what was broken.
RULES = {
    "closed check: total = subtotal - comps - discounts + service charge (+ tax when added)": """
        SELECT c.id, c.subtotal, c.comps, c.discounts, c.service_charge, c.tax, c.total
        FROM guest_check c JOIN location l ON l.id = c.location_id
        WHERE c.status = 'closed' AND c.total <> c.subtotal - c.comps - c.discounts
            + c.service_charge
            + CASE WHEN coalesce(c.prices_include_tax, l.prices_include_tax) THEN 0 ELSE c.tax END
    """,
    # A refund before the close put money owing again; one after it is a correction of a
    # closed check (never an edit of it), so it does not count here.
    "closed check: payments less refunds made while it was open = its total": """
        SELECT c.id, c.total, p.paid, coalesce(r.refunded, 0) AS refunded
        FROM guest_check c
        JOIN LATERAL (SELECT coalesce(sum(amount), 0) AS paid FROM payment
                      WHERE check_id = c.id) p ON true
        LEFT JOIN LATERAL (SELECT sum(amount) AS refunded FROM refund
                           WHERE check_id = c.id AND created_at <= c.closed_at) r ON true
        WHERE c.status = 'closed' AND p.paid - coalesce(r.refunded, 0) <> c.total
    """,
    "refunds never exceed what the payment captured": """
        SELECT p.id, p.amount, p.tip, sum(r.amount) AS refunded, sum(r.tip) AS tip_refunded
        FROM payment p JOIN refund r ON r.payment_id = p.id
        GROUP BY p.id HAVING sum(r.amount) > p.amount OR sum(r.tip) > p.tip
    """,
    # ORD-4: a check that has ended is never repriced by a later change of the location.
    "a check that is not open keeps the tax mode it ended under": """
        SELECT id, status FROM guest_check
        WHERE status <> 'open' AND (prices_include_tax IS NULL OR tax_rounding IS NULL)
    """,
    # LED-1: every entry sums to zero in minor units.
    "every journal entry balances": """
        SELECT entry_id, sum(amount) AS total FROM journal_line
        GROUP BY entry_id HAVING sum(amount) <> 0
    """,
    # LED-2: a check closed through the app is posted exactly once (a test's shortcut that
    # only sets the status, with no closing time, is not a close).
    "every closed check is posted exactly once": """
        SELECT c.id, count(e.id) AS entries FROM guest_check c
        LEFT JOIN journal_entry e ON e.kind = 'close' AND e.source = 'check:' || c.id
        WHERE c.status = 'closed' AND c.closed_at IS NOT NULL
        GROUP BY c.id HAVING count(e.id) <> 1
    """,
    "no close entry without its closed check": """
        SELECT e.id, e.source FROM journal_entry e
        LEFT JOIN guest_check c ON 'check:' || c.id = e.source AND c.status = 'closed'
        WHERE e.kind = 'close' AND c.id IS NULL
    """,
    # LED-4: stock leaves with a close (once per ingredient) or as the waste of a void.
    "stock is sold only by a closed check, once per ingredient": """
        SELECT m.source, m.ingredient_id, count(*) AS moves FROM stock_move m
        LEFT JOIN guest_check c ON 'check:' || c.id = m.source AND c.status = 'closed'
        WHERE m.kind = 'sale' AND m.source NOT LIKE 'refund:%'
        GROUP BY m.source, m.ingredient_id HAVING count(*) > 1 OR count(c.id) = 0
    """,
    "stock comes back only with a refund of a closed check marked not made": """
        SELECT m.id, m.source FROM stock_move m
        LEFT JOIN refund r ON 'refund:' || r.id = m.source
        LEFT JOIN guest_check c ON c.id = r.check_id AND c.status = 'closed'
        WHERE m.kind = 'sale'
            AND (m.quantity > 0) <> (m.source LIKE 'refund:%' AND c.id IS NOT NULL)
    """,
    "a void's waste is only for a line voided as waste": """
        SELECT m.id, m.source FROM stock_move m
        LEFT JOIN check_line l ON 'void:' || l.id = m.source
            AND l.status = 'void' AND l.void_waste
        WHERE m.kind = 'waste' AND m.source LIKE 'void:%' AND l.id IS NULL
    """,
    "a refund is on the check of its payment": """
        SELECT r.id FROM refund r JOIN payment p ON p.id = r.payment_id
        WHERE r.check_id <> p.check_id
    """,
}


async def broken_money_rules(dsn: str) -> list[str]:
    conn = await asyncpg.connect(dsn.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        broken = []
        for rule, query in RULES.items():
            rows = await conn.fetch(query)
            if rows:
                broken.append(f"{rule}: {[dict(r) for r in rows[:5]]}")
        return broken
    finally:
        await conn.close()
