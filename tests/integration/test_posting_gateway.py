"""The one posting gateway, and the database behind it (issue 12, LED-2 and LED-3).

The gateway refuses what does not balance or has no account; the database refuses what the
gateway would never write: an edit of posted books, an unbalanced or empty entry, a second
close entry for a check, a posting into a closed day. Each refusal is a sentence, and
nothing is half-written.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.entries import Leg, cash, sales
from app.accounting.models import AccountPurpose, DayClose, JournalEntry, OutboxEvent
from app.accounting.posting import GENERIC_PURPOSES, Entry, post
from app.core.errors import BadInput
from app.platform.db import UnitOfWork
from app.platform.models import Location
from tests.conftest import STAFF_IDS

MIA = STAFF_IDS["Mia"]


async def post_entry(uow: UnitOfWork, entry: Entry) -> None:
    post(uow, entry)


def an_entry(*legs: Leg, source: str = "test:1", kind: str = "adjustment") -> Entry:
    return Entry(location_id=1, kind=kind, source=source, legs=legs, staff_id=MIA, memo="test")


async def count(session: AsyncSession, model: Any) -> int:
    found = await session.scalar(select(func.count()).select_from(model))
    await session.rollback()
    return int(found or 0)


async def test_an_entry_that_does_not_balance_is_refused_and_nothing_is_written(
    uow_factory: Any, session: AsyncSession
) -> None:
    before = await count(session, JournalEntry)
    with pytest.raises(BadInput, match="does not balance: its debits and credits differ by 1"):
        await uow_factory(post_entry, an_entry(cash("Main", 1_001), sales(1, -1_000)))
    with pytest.raises(BadInput, match="whole number of minor units"):
        await uow_factory(post_entry, an_entry(cash("Main", 10.5), sales(1, -10.5)))  # type: ignore[arg-type]
    with pytest.raises(BadInput, match="no account for 'marketing'"):
        await uow_factory(post_entry, an_entry(Leg("marketing", 500), sales(1, -500)))
    assert await count(session, JournalEntry) == before
    assert await count(session, OutboxEvent) == before


async def test_a_balanced_entry_posts_its_lines_its_event_and_its_link_together(
    uow_factory: Any, session: AsyncSession
) -> None:
    await uow_factory(post_entry, an_entry(cash("Main", 1_000), sales(1, -1_000)))
    entry = (
        await session.execute(select(JournalEntry).where(JournalEntry.source == "test:1"))
    ).scalar_one()
    lines = (
        await session.execute(
            text("SELECT sum(amount), count(*) FROM journal_line WHERE entry_id = :e"),
            {"e": entry.id},
        )
    ).one()
    event = await session.scalar(
        select(OutboxEvent.payload).where(OutboxEvent.payload["entry_id"].as_integer() == entry.id)
    )
    link = await session.scalar(
        text("SELECT hash FROM ledger_chain WHERE kind = 'entry' AND ref_id = :e"), {"e": entry.id}
    )
    await session.rollback()
    assert tuple(lines) == (0, 2)
    assert event is not None and event["kind"] == "adjustment" and len(event["lines"]) == 2
    assert link is not None and len(link) == 64


async def test_every_generic_purpose_has_an_account_in_a_new_locations_chart(
    session: AsyncSession,
) -> None:
    mapped = set(
        await session.scalars(
            select(AccountPurpose.purpose).where(
                AccountPurpose.location_id == 1, ~AccountPurpose.purpose.contains(":")
            )
        )
    )
    await session.rollback()
    assert mapped == GENERIC_PURPOSES


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE journal_line SET amount = amount + 1",
        "DELETE FROM journal_line",
        "UPDATE journal_entry SET business_day = business_day - 1",
        "DELETE FROM journal_entry",
        "UPDATE ledger_chain SET hash = repeat('0', 64)",
        "DELETE FROM outbox_event",
        "TRUNCATE journal_line CASCADE",
    ],
)
async def test_the_database_refuses_any_edit_of_posted_books(
    session: AsyncSession, edit: str
) -> None:
    assert await count(session, JournalEntry) >= 1  # the demo's float, counted in
    with pytest.raises(DBAPIError, match="posted books are never edited"):
        await session.execute(text(edit))
    await session.rollback()


async def test_the_database_refuses_an_unbalanced_or_empty_entry_and_a_second_close(
    sessionmaker_: Any,
) -> None:
    entry = (
        "INSERT INTO journal_entry (location_id, business_day, kind, source) "
        "VALUES (1, current_date, :kind, :source) RETURNING id"
    )
    async with sessionmaker_() as s:
        made = await s.scalar(text(entry), {"kind": "adjustment", "source": "raw:1"})
        with pytest.raises(DBAPIError, match="does not balance"):
            await s.execute(
                text(
                    "INSERT INTO journal_line (entry_id, account_id, amount) "
                    "SELECT :e, id, 100 FROM account WHERE location_id = 1 LIMIT 2"
                ),
                {"e": made},
            )
    async with sessionmaker_() as s:
        await s.execute(text(entry), {"kind": "adjustment", "source": "raw:2"})
        with pytest.raises(DBAPIError, match="has no lines"):
            await s.commit()
    async with sessionmaker_() as s:
        await s.execute(text(entry), {"kind": "close", "source": "check:99"})
        with pytest.raises(DBAPIError, match="uq_journal_entry_close"):
            await s.execute(text(entry), {"kind": "close", "source": "check:99"})


async def test_postings_are_dated_by_the_locations_clock_and_turnover_hour(
    uow_factory: Any, session: AsyncSession
) -> None:
    await session.execute(update(Location).values(timezone="Pacific/Auckland", day_starts_hour=23))
    await session.commit()
    expected = (datetime.now(ZoneInfo("Pacific/Auckland")) - timedelta(hours=23)).date()
    await uow_factory(post_entry, an_entry(cash("Main", 700), sales(1, -700)))
    day = await session.scalar(
        select(JournalEntry.business_day).where(JournalEntry.source == "test:1")
    )
    await session.rollback()
    assert day == expected


async def test_after_the_day_is_closed_postings_go_into_the_next_day_never_into_it(
    uow_factory: Any, session: AsyncSession, sessionmaker_: Any
) -> None:
    today = await session.scalar(
        select(func.max(JournalEntry.business_day))
    )  # the demo's float went into today's business day
    assert today is not None
    session.add(
        DayClose(
            location_id=1, business_day=today, z_number=1, grand_total=0, report={}, closed_by=MIA
        )
    )
    await session.commit()

    await uow_factory(post_entry, an_entry(cash("Main", 300), sales(1, -300), source="test:late"))
    late = await session.scalar(
        select(JournalEntry.business_day).where(JournalEntry.source == "test:late")
    )
    await session.rollback()
    assert late == today + timedelta(days=1)
    async with sessionmaker_() as s:
        with pytest.raises(DBAPIError, match=f"business day {today} is closed"):
            await s.execute(
                text(
                    "INSERT INTO journal_entry (location_id, business_day, kind, source) "
                    "VALUES (1, :day, 'adjustment', 'raw:late')"
                ),
                {"day": today},
            )
