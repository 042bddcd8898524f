"""The hash chain over the books is verified and names its first broken link (issue 12, item 6);
Z links, forged links and anchors are in test_ledger_chain_links.py.

The books are immutable by trigger; an attacker who holds the database's superuser can
still switch the triggers off (``session_replication_role = replica``) and edit a row. The
tests do exactly that, inside a transaction they roll back (the edited books would break
the money invariants checked after every test), and ask the verifier in that transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.chain import Anchor, ChainResult, verify_chain
from app.accounting.models import JournalEntry, LedgerLink
from app.billing import drawers, tip_payouts
from app.billing.refunds import refund
from app.billing.terminal import SimulatedTerminal
from app.billing.tips import adjust_tip
from app.demo_service import PARTIES, play_earlier_tonight
from app.orders.models import CheckLine
from tests.conftest import STAFF_IDS
from tests.integration.test_card_payments import card, counter_check, shown
from tests.integration.test_drawer_sessions import main_drawer
from tests.integration.test_money_postings import paid_in_cash, payment_of
from tests.integration.test_refunds import OK

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]


async def busy_day(uow_factory: Any, session: AsyncSession) -> int:
    """Closes in cash and by card, a tip changed on the slip and paid out, a refund after a
    close, a drawer's float, cash in and count: returns the cash check."""
    check = await paid_in_cash(uow_factory, session, "Burrata", "Calamari")
    other = await counter_check(uow_factory, session, "IPA Draft")
    _, balance = await shown(session, other)
    terminal = SimulatedTerminal()
    slip = await card(uow_factory, session, other, balance, terminal, "k-1", tip=200)
    await uow_factory(adjust_tip, slip.payment_id, 500, MARIA, terminal)  # after the close
    main = await main_drawer(session)
    await uow_factory(tip_payouts.pay_out_card_tips, main, MARIA, 300, MIA, "pay-1")
    burrata = await session.scalar(select(CheckLine.id).where(CheckLine.name == "Burrata"))
    paid = await payment_of(session, check)
    await uow_factory(refund, paid, 1000, 0, [burrata], "cold", MARIA, OK, SimulatedTerminal())
    bar = await uow_factory(drawers.open_drawer, 1, "Bar", 10_000, MIA)
    await uow_factory(drawers.move_cash, bar, "cash_in", 5_000, "change run", MIA)
    await uow_factory(drawers.close_drawer, bar, 15_000, MIA)
    return check


async def tampered(
    session: AsyncSession, *statements: str, anchor: Anchor | None = None, **params: Any
) -> ChainResult:
    """The verifier's answer once ``statements`` ran past the triggers (then rolled back)."""
    await session.execute(text("SET LOCAL session_replication_role = replica"))
    for statement in statements:
        await session.execute(text(statement), params)
    await session.execute(text("SET LOCAL session_replication_role = origin"))
    try:
        return await verify_chain(session, 1, anchor)
    finally:
        await session.rollback()


async def link_of(session: AsyncSession, entry_id: int) -> int:
    seq = await session.scalar(
        select(LedgerLink.seq).where(LedgerLink.kind == "entry", LedgerLink.ref_id == entry_id)
    )
    await session.rollback()
    assert seq is not None
    return int(seq)


async def entry_of(session: AsyncSession, kind: str, source: str | None = None) -> int:
    query = select(JournalEntry.id).where(JournalEntry.kind == kind).order_by(JournalEntry.id)
    if source is not None:
        query = query.where(JournalEntry.source == source)
    found = await session.scalar(query)
    await session.rollback()
    assert found is not None
    return int(found)


async def last_seq(session: AsyncSession) -> int:
    seq = await session.scalar(text("SELECT max(seq) FROM ledger_chain"))
    await session.rollback()
    return int(seq or 0)


async def test_the_chain_of_a_busy_day_is_intact(uow_factory: Any, session: AsyncSession) -> None:
    await busy_day(uow_factory, session)
    result = await verify_chain(session, 1)
    entries = await session.scalar(text("SELECT count(*) FROM journal_entry"))
    last = await session.scalar(text("SELECT hash FROM ledger_chain ORDER BY seq DESC LIMIT 1"))
    await session.rollback()

    assert result.broken is None, result.sentence()
    assert result.intact and result.links == entries and result.links >= 7
    assert result.last_hash == last
    seq = await last_seq(session)
    assert result.last_seq == seq
    assert result.sentence() == (
        f"The ledger's chain is intact: {entries} links, last hash {last} (link {seq})."
    )


async def test_the_demos_evening_verifies(db_url: str, session: AsyncSession) -> None:
    """Every way the demo's parties pay (cash, card with tips, a split in parts) chains."""
    await play_earlier_tonight(db_url)
    result = await verify_chain(session, 1)
    closes = await session.scalar(text("SELECT count(*) FROM journal_entry WHERE kind = 'close'"))
    await session.rollback()

    assert result.broken is None, result.sentence()
    assert closes is not None and closes >= len(PARTIES)


async def test_a_changed_line_amount_is_named(uow_factory: Any, session: AsyncSession) -> None:
    check = await busy_day(uow_factory, session)
    close = await entry_of(session, "close", f"check:{check}")
    seq = await link_of(session, close)

    # Money moved between two of the entry's lines: it still balances, the chain knows.
    result = await tampered(
        session,
        "UPDATE journal_line SET amount = amount + 100 WHERE id = "
        "(SELECT min(id) FROM journal_line WHERE entry_id = :e)",
        "UPDATE journal_line SET amount = amount - 100 WHERE id = "
        "(SELECT max(id) FROM journal_line WHERE entry_id = :e)",
        e=close,
    )

    assert result.broken is not None
    assert (result.broken.seq, result.broken.kind, result.broken.reason) == (
        seq,
        "entry",
        "content",
    )
    assert result.broken.record == f"journal entry {close} (close, check:{check})"
    assert result.sentence() == (
        f"The ledger's chain is broken at link {seq}, journal entry {close} (close, "
        f"check:{check}): its content changed since it was written."
    )


async def test_a_changed_business_day_is_named(uow_factory: Any, session: AsyncSession) -> None:
    await busy_day(uow_factory, session)
    cash_in = await entry_of(session, "cash_in")

    result = await tampered(
        session, "UPDATE journal_entry SET business_day = business_day - 1 WHERE id = :e", e=cash_in
    )

    assert result.broken is not None
    assert result.broken.seq == await link_of(session, cash_in)
    assert result.broken.reason == "content"
    assert result.broken.record.startswith(f"journal entry {cash_in} (cash_in, ")


async def test_a_closed_checks_changed_total_is_named(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await busy_day(uow_factory, session)
    close = await entry_of(session, "close", f"check:{check}")

    # The frozen totals are the close's fingerprint; the lines are untouched.
    result = await tampered(
        session,
        "UPDATE guest_check SET total = total - 500, tax = tax - 500 WHERE id = :c",
        c=check,
    )

    assert result.broken is not None
    assert (result.broken.seq, result.broken.reason) == (await link_of(session, close), "content")


async def test_a_deleted_link_is_named_as_the_entry_it_covered(
    uow_factory: Any, session: AsyncSession
) -> None:
    await busy_day(uow_factory, session)
    refunded = await entry_of(session, "refund")
    seq = await link_of(session, refunded)
    before = await session.scalar(
        text("SELECT max(seq) FROM ledger_chain WHERE seq < :s"), {"s": seq}
    )
    await session.rollback()

    result = await tampered(session, "DELETE FROM ledger_chain WHERE seq = :s", s=seq)

    assert result.broken is not None
    assert (result.broken.seq, result.broken.reason) == (None, "missing")
    assert result.broken.record.startswith(f"journal entry {refunded} (refund, ")
    assert result.broken.after == before
    assert f"has no link in the chain (it belongs after link {before})" in result.sentence()


async def test_a_deleted_last_link_is_named(uow_factory: Any, session: AsyncSession) -> None:
    await busy_day(uow_factory, session)
    last = await entry_of(session, "drawer_close")

    result = await tampered(
        session, "DELETE FROM ledger_chain WHERE kind = 'entry' AND ref_id = :e", e=last
    )

    assert result.broken is not None and result.broken.reason == "missing"
    assert result.broken.record.startswith(f"journal entry {last} (drawer_close, ")


async def test_a_deleted_entry_is_named_at_its_link(
    uow_factory: Any, session: AsyncSession
) -> None:
    await busy_day(uow_factory, session)
    cash_in = await entry_of(session, "cash_in")

    result = await tampered(
        session,
        "DELETE FROM outbox_event WHERE (payload->>'entry_id')::bigint = :e",
        "DELETE FROM journal_line WHERE entry_id = :e",
        "DELETE FROM journal_entry WHERE id = :e",
        e=cash_in,
    )

    assert result.broken is not None
    assert (result.broken.seq, result.broken.reason) == (await link_of(session, cash_in), "gone")
    assert result.broken.record == f"journal entry {cash_in}"


async def test_reordered_links_are_named_at_the_first_swapped(
    uow_factory: Any, session: AsyncSession
) -> None:
    await busy_day(uow_factory, session)
    first, second = (
        (
            await session.execute(
                text("SELECT seq FROM ledger_chain ORDER BY seq DESC LIMIT 3 OFFSET 1")
            )
        )
        .scalars()
        .all()[::-1][:2]
    )
    await session.rollback()

    # Two links swap places in the chain (their seq numbers trade).
    result = await tampered(
        session,
        "UPDATE ledger_chain SET seq = -seq WHERE seq IN (:a, :b)",
        "UPDATE ledger_chain SET seq = CASE WHEN -seq = :a THEN :b ELSE :a END WHERE seq < 0",
        a=first,
        b=second,
    )

    assert result.broken is not None
    assert (result.broken.seq, result.broken.reason) == (first, "prev")
    assert "its previous hash does not match the link before it" in result.sentence()


async def test_an_entry_posted_behind_the_gateway_is_named(
    uow_factory: Any, session: AsyncSession
) -> None:
    await busy_day(uow_factory, session)

    result = await tampered(
        session,
        "INSERT INTO journal_entry (id, location_id, business_day, kind, source) "
        "VALUES (900001, 1, current_date, 'adjustment', 'forged')",
        "INSERT INTO journal_line (entry_id, account_id, amount) "
        "SELECT 900001, id, CASE code WHEN '1000' THEN 5000 ELSE -5000 END "
        "FROM account WHERE location_id = 1 AND code IN ('1000', '4000')",
    )

    assert result.broken is not None and result.broken.reason == "missing"
    assert result.broken.record == "journal entry 900001 (adjustment, forged)"


async def test_a_location_with_no_books_has_an_empty_chain(session: AsyncSession) -> None:
    result = await verify_chain(session, 2)
    await session.rollback()
    assert (result.intact, result.links, result.last_hash) == (True, 0, "0" * 64)
