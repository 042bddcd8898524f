"""``brigade verify-ledger`` on the server's console: exit 0 and the chain's size and last
hash when it is intact; exit 1 and the first broken link in a sentence when it is not."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.integration.test_ledger_chain import busy_day, entry_of, link_of
from tests.integration.test_staff_console import brigade


async def test_verify_ledger_says_intact_then_names_the_edited_entry(
    db_url: str, uow_factory: Any, session: AsyncSession
) -> None:
    await busy_day(uow_factory, session)
    links = await session.scalar(text("SELECT count(*) FROM ledger_chain"))
    last = await session.scalar(text("SELECT hash FROM ledger_chain ORDER BY seq DESC LIMIT 1"))
    await session.rollback()

    seq_now = await session.scalar(text("SELECT max(seq) FROM ledger_chain"))
    await session.rollback()

    intact = await brigade(db_url, "verify-ledger")
    anchored = await brigade(db_url, "verify-ledger", "--anchor", f"{seq_now}:{last}")
    mistyped = await brigade(db_url, "verify-ledger", "--anchor", f"{seq_now}-{last}")
    elsewhere = await brigade(db_url, "verify-ledger", "--anchor", f"{seq_now}:{'0' * 64}")

    assert intact.returncode == 0, intact.stderr
    assert intact.stdout == (
        f"The ledger's chain is intact: {links} links, last hash {last} (link {seq_now}).\n"
    )
    assert (anchored.returncode, anchored.stdout) == (0, intact.stdout)
    assert mistyped.returncode == 2 and "its number and its hash" in mistyped.stdout
    assert elsewhere.returncode == 1 and "the chain was rewritten" in elsewhere.stdout

    # An attacker with the superuser moves the cash in to the day before (the books still
    # balance, so only the chain can tell).
    cash_in = await entry_of(session, "cash_in")
    seq = await link_of(session, cash_in)
    await session.execute(text("SET LOCAL session_replication_role = replica"))
    await session.execute(
        text("UPDATE journal_entry SET business_day = business_day - 1 WHERE id = :e"),
        {"e": cash_in},
    )
    await session.commit()

    broken = await brigade(db_url, "verify-ledger", "--location", "1")

    assert broken.returncode == 1, broken.stderr
    assert broken.stdout.startswith(
        f"The ledger's chain is broken at link {seq}, journal entry {cash_in} (cash_in, "
    )
    assert broken.stdout.endswith(": its content changed since it was written.\n")


async def test_a_location_with_no_books_verifies_empty(db_url: str) -> None:
    empty = await brigade(db_url, "verify-ledger", "--location", "2")

    assert empty.returncode == 0, empty.stderr
    assert empty.stdout == f"The ledger's chain is intact: 0 links, last hash {'0' * 64}.\n"
