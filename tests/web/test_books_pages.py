"""The books pages and the ledger API (issue 12, item 7): managers and owners read the journal,
the general ledger, the trial balance and the P&L for a range of business days, and download
them; a bad range is a 400 with a sentence; nobody else gets in."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.entries import Leg
from app.accounting.models import JournalEntry
from app.accounting.posting import Entry, post
from app.platform.db import UnitOfWork
from tests.conftest import api_bearer, sign_in
from tests.integration.test_books import BEAN_CHECK, a_day_of_trade, bean_check

Client = AsyncTestClient[Litestar]


async def trade_day(uow_factory: Any, sessionmaker_: Any, session: AsyncSession) -> str:
    await a_day_of_trade(uow_factory, sessionmaker_, session)
    day = await session.scalar(select(JournalEntry.business_day).limit(1))
    await session.rollback()
    assert day
    return day.isoformat()


async def test_the_journal_opens_on_the_current_day_from_the_back_office(
    client: Client, session: AsyncSession
) -> None:
    await sign_in(client, "Mia")
    office = await client.get("/office")
    assert 'href="/office/books/"' in office.text
    page = await client.get("/office/books/")
    assert page.status_code == 200, page.text
    assert "Drawer float counted in" in page.text  # the demo's Main drawer, opened today
    assert "1010 Cash - Main drawer" in page.text and "$200.00" in page.text
    assert 'aria-current="page">Books' in page.text


async def test_every_page_of_the_books_for_a_day_of_trade(
    client: Client, uow_factory: Any, sessionmaker_: Any, session: AsyncSession
) -> None:
    day = await trade_day(uow_factory, sessionmaker_, session)
    await sign_in(client, "Olivia")
    query = f"?from={day}&to={day}"

    journal = await client.get(f"/office/books/{query}")
    assert journal.status_code == 200
    assert 'href="/checks/' in journal.text and "Refund: cold" in journal.text
    assert "Cash in: change &#34;run&#34;" in journal.text or "change &quot;run&quot;" in (
        journal.text
    )

    trial = await client.get(f"/office/books/trial-balance{query}")
    assert trial.status_code == 200
    assert 'class="balanced" id="tb-check">Balanced' in trial.text

    pnl = await client.get(f"/office/books/profit-and-loss{query}")
    assert pnl.status_code == 200
    assert "Less discounts and refunds" in pnl.text and "5900 Comps" in pnl.text
    assert 'id="net">$' in pnl.text

    ledger = await client.get(f"/office/books/ledger{query}")
    assert ledger.status_code == 200 and "2200 Tips payable" in ledger.text
    cash = ledger.text.split('id="account-')[1].split('"')[0]
    lines = await client.get(f"/office/books/ledger{query}&account={cash}")
    assert lines.status_code == 200
    assert "Opening balance" in lines.text and "Closing balance" in lines.text


async def test_the_downloads_are_files_of_the_range(
    client: Client, uow_factory: Any, sessionmaker_: Any, session: AsyncSession
) -> None:
    day = await trade_day(uow_factory, sessionmaker_, session)
    await sign_in(client, "Mia")
    got = await client.get(f"/office/books/journal.csv?from={day}&to={day}")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("text/csv")
    assert f'filename="books-{day}-to-{day}.csv"' in got.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert rows and {r["date"] for r in rows} == {day}

    bean = await client.get(f"/office/books/books.beancount?from={day}&to={day}")
    assert bean.status_code == 200
    assert f"{day} open Assets:1000-Cash-on-hand USD" in bean.text
    assert 'option "operating_currency" "USD"' in bean.text


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("?from=yesterday", "is not a date"),
        ("?from=2026-12-05&to=2026-12-01", "before it starts"),
        ("?to=2026-02-30", "is not a date"),
        ("?page=-1", "not a page number"),
        ("/ledger?account=999999", "no such account"),
        ("/ledger?account=cash", "no such account"),
        ("/trial-balance?from=2026-13-01", "is not a date"),
        ("/journal.csv?from=2026-12-05&to=2026-12-01", "before it starts"),
    ],
)
async def test_a_bad_range_is_a_400_with_a_sentence(client: Client, query: str, words: str) -> None:
    await sign_in(client, "Mia")
    got = await client.get(f"/office/books{'/' if query.startswith('?') else ''}{query}")
    assert got.status_code == 400, got.text
    assert words in got.text


async def test_a_server_cannot_read_the_books(client: Client) -> None:
    await sign_in(client, "Maria")
    for path in ("/office/books/", "/office/books/journal.csv", "/office/books/ledger"):
        assert (await client.get(path)).status_code == 403


async def test_the_api_lists_entries_by_business_day_a_page_at_a_time(
    client: Client, uow_factory: Any, sessionmaker_: Any, session: AsyncSession
) -> None:
    day = await trade_day(uow_factory, sessionmaker_, session)
    auth = await api_bearer(client, "Mia")
    first = await client.get(f"/api/v1/ledger/entries?day={day}&limit=2", headers=auth)
    assert first.status_code == 200, first.text
    body = first.json()
    assert len(body["entries"]) == 2 and body["next_offset"] == 2 and body["total"] > 2
    assert all(sum(ln["amount"] for ln in e["lines"]) == 0 for e in body["entries"])
    assert {e["business_day"] for e in body["entries"]} == {day}
    rest = await client.get(
        f"/api/v1/ledger/entries?from={day}&to={day}&offset=2&limit=500", headers=auth
    )
    assert rest.json()["next_offset"] is None
    assert len(rest.json()["entries"]) == body["total"] - 2
    today = await client.get("/api/v1/ledger/entries", headers=auth)
    assert today.status_code == 200 and today.json()["total"] >= 1

    trial = await client.get(f"/api/v1/ledger/trial-balance?from={day}&to={day}", headers=auth)
    assert trial.status_code == 200
    tb = trial.json()
    assert tb["balanced"] and tb["total_debits"] == tb["total_credits"] > 0
    assert sum(a["closing"] for a in tb["accounts"]) == 0

    exported = await client.get(f"/api/v1/ledger/export.beancount?from={day}", headers=auth)
    assert exported.status_code == 200 and "open Income:" in exported.text
    lines = await client.get(f"/api/v1/ledger/export.csv?from={day}", headers=auth)
    assert lines.status_code == 200 and lines.text.startswith("date,entry_id,kind")


@pytest.mark.parametrize(
    "query",
    [
        "entries?day=2026-12-01&from=2026-12-01",
        "entries?from=2026-12-05&to=2026-12-01",
        "entries?day=not-a-day",
        "entries?limit=0",
        "trial-balance?from=2026-12-05&to=2026-12-01",
    ],
)
async def test_the_api_refuses_a_bad_range_with_its_error_body(client: Client, query: str) -> None:
    auth = await api_bearer(client, "Mia")
    got = await client.get(f"/api/v1/ledger/{query}", headers=auth)
    assert got.status_code == 400, got.text
    assert got.json()["status"] == 400 and got.json()["error"]


async def test_the_api_books_are_for_managers(client: Client) -> None:
    auth = await api_bearer(client, "Maria")
    assert (await client.get("/api/v1/ledger/entries", headers=auth)).status_code == 403


async def test_a_reversal_shows_as_the_correction_of_its_entry(
    client: Client, uow_factory: Any, session: AsyncSession, tmp_path: Any
) -> None:
    """No screen reverses an entry yet; the gateway does, and the books show it as such."""
    [float_entry] = (await session.scalars(select(JournalEntry.id))).all()
    await session.rollback()

    async def reverse(uow: UnitOfWork) -> None:
        legs = (Leg("cash:drawer:Main", -20_000, "cash"), Leg("safe", 20_000))
        entry = Entry(1, "reversal", f"entry:{float_entry}", legs, memo="Float typed twice")
        post(uow, replace(entry, corrects_id=float_entry))

    await uow_factory(reverse)
    await sign_in(client, "Mia")
    page = await client.get("/office/books/")
    assert 'corrects <a href="/office/books/?' in page.text
    assert f'#entry-{float_entry}">entry #{float_entry}</a>' in page.text
    assert 'class="entry-head correction"' in page.text

    bean = await client.get("/office/books/books.beancount")
    assert f'corrects: "{float_entry}"' in bean.text
    if BEAN_CHECK.exists():
        checked = bean_check(tmp_path, bean.text)
        assert checked.returncode == 0, checked.stdout + checked.stderr
