"""The books stay fast over a big range: a year of 20,000 entries (40,000 lines) reads as one
aggregate query per page, not one per line (issue 12, item 7)."""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting import books, exports
from app.accounting.books import DayRange

YEAR = DayRange(date(2025, 1, 1), date(2025, 12, 31))
ENTRIES = 20_000

#: Each entry moves cash to the safe and back, dated across 2025 (the triggers check each).
_BULK = text(
    """
    WITH entry AS (
        INSERT INTO journal_entry (location_id, business_day, kind, source, memo)
        SELECT 1, DATE '2025-01-01' + (n % 365), 'adjustment', 'bulk:' || n, 'Bulk ' || n
        FROM generate_series(1, :n) AS n
        RETURNING id
    )
    INSERT INTO journal_line (entry_id, account_id, amount)
    SELECT entry.id, a.id, CASE a.code WHEN '1000' THEN 100 + entry.id % 7
                                       ELSE -(100 + entry.id % 7) END
    FROM entry JOIN account a ON a.location_id = 1 AND a.code IN ('1000', '1050')
    """
)


async def test_a_year_of_entries_reads_in_well_under_a_second_a_page(
    session: AsyncSession,
) -> None:
    await session.execute(_BULK, {"n": ENTRIES})
    await session.commit()
    await session.execute(text("ANALYZE journal_entry"))
    await session.execute(text("ANALYZE journal_line"))
    await session.commit()

    started = time.perf_counter()
    chart = await books.balances(session, 1, YEAR)
    page = await books.journal(session, 1, YEAR, ENTRIES - 50, 50)
    cash = next(b for b in chart if b.account.code == "1000")
    last = await books.movements(session, cash.account.id, YEAR, cash.opening, ENTRIES - 200, 200)
    took = time.perf_counter() - started

    assert sum(b.debits for b in chart) == sum(b.credits for b in chart)
    assert cash.debits == cash.closing > 100 * ENTRIES
    assert len(page.entries) == 50 and page.total == ENTRIES and page.next_offset is None
    assert last[-1].running == cash.closing
    assert took < 1.0, f"a year of books took {took:.2f} s to read"  # ~0.07 s here

    started = time.perf_counter()
    body = await exports.journal_csv(session, 1, YEAR, 2)
    await session.rollback()
    assert body.count("\r\n") == 2 * ENTRIES + 1
    assert time.perf_counter() - started < 10.0  # ~1 s here
