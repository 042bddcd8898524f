"""The books stay fast over a big range: a year of 20,000 entries (40,000 lines) reads as one
aggregate query per page, not one per line (issue 12, item 7). The statements sent are
counted, never the seconds (measured on the 2-core machine: ~0.07 s for the three pages,
~1 s for the CSV of 40,000 lines)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event, text
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


@contextmanager
def statements(session: AsyncSession) -> Iterator[list[str]]:
    """Every statement the session sends to PostgreSQL while the block runs."""
    sent: list[str] = []
    engine = session.bind.sync_engine  # type: ignore[union-attr]

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def test_a_year_of_entries_reads_in_a_few_statements_a_page(
    session: AsyncSession,
) -> None:
    await session.execute(_BULK, {"n": ENTRIES})
    await session.commit()
    await session.execute(text("ANALYZE journal_entry"))
    await session.execute(text("ANALYZE journal_line"))
    await session.commit()

    with statements(session) as reads:
        chart = await books.balances(session, 1, YEAR)
        page = await books.journal(session, 1, YEAR, ENTRIES - 50, 50)
        cash = next(b for b in chart if b.account.code == "1000")
        last = await books.movements(
            session, cash.account.id, YEAR, cash.opening, ENTRIES - 200, 200
        )

    assert sum(b.debits for b in chart) == sum(b.credits for b in chart)
    assert cash.debits == cash.closing > 100 * ENTRIES
    assert len(page.entries) == 50 and page.total == ENTRIES and page.next_offset is None
    assert last[-1].running == cash.closing
    assert len(reads) <= 8, reads  # a handful per page, whatever the range holds

    with statements(session) as exported:
        body = await exports.journal_csv(session, 1, YEAR, 2)
    await session.rollback()
    assert body.count("\r\n") == 2 * ENTRIES + 1
    # 500 entries at a time (a page of entries, their lines, the count), never one each
    assert len(exported) <= 3 * (ENTRIES // 500) + 5
