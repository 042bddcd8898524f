"""The chain's Z links, forged links, and anchors: a hash noted outside Brigade catches a
chain rewritten after an edit, or cut at its end (issue 12, item 6).

Tampering goes past the triggers and is rolled back, as in test_ledger_chain.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.chain import Anchor, verify_chain
from app.accounting.posting import CURRENT_DAY
from app.accounting.z_chain import link_z
from app.billing import drawers
from app.core.errors import BadInput
from tests.conftest import STAFF_IDS
from tests.integration.test_ledger_chain import busy_day, entry_of, link_of, tampered

MIA = STAFF_IDS["Mia"]


async def test_a_link_of_unknown_kind_is_a_break(uow_factory: Any, session: AsyncSession) -> None:
    await busy_day(uow_factory, session)
    last = (await verify_chain(session, 1)).last_hash
    await session.rollback()

    # A forged link, well chained on the last one, of a kind the chain does not have.
    result = await tampered(
        session,
        "INSERT INTO ledger_chain (location_id, kind, ref_id, prev_hash, hash) "
        "VALUES (1, 'note', 1, :last, repeat('f', 64))",
        last=last,
    )

    assert result.broken is not None
    assert (result.broken.kind, result.broken.reason) == ("note", "unknown")
    assert result.broken.record == "a link of kind 'note' to record 1"


async def a_z(session: AsyncSession, number: int = 1) -> tuple[int, int, date]:
    """Today's day close written directly (the day close service is another branch's),
    chained with z_chain.link_z as it will chain it; returns (its id, link seq, day)."""
    day = await session.scalar(CURRENT_DAY, {"location_id": 1})
    assert day is not None
    z_id = int(
        await session.scalar(
            text(
                "INSERT INTO day_close (location_id, business_day, z_number, grand_total, "
                "report, closed_by) VALUES (1, :day, :n, 123456, CAST(:report AS jsonb), :by) "
                "RETURNING id"
            ),
            {"day": day, "n": number, "report": '{"sales": 4200, "név": "é"}', "by": MIA},
        )
        or 0
    )
    await link_z(session, 1, z_id, day, number, 123456, {"sales": 4200, "név": "é"})
    seq = int(await session.scalar(text("SELECT max(seq) FROM ledger_chain")) or 0)
    await session.commit()
    return z_id, seq, day


async def test_a_z_link_verifies_and_its_edit_is_named(
    uow_factory: Any, session: AsyncSession
) -> None:
    await busy_day(uow_factory, session)
    z_id, seq, day = await a_z(session)
    # Postings after the Z go into the next day, and chain on from it.
    bar = await uow_factory(drawers.open_drawer, 1, "Bar", 10_000, MIA)
    await uow_factory(drawers.close_drawer, bar, 10_000, MIA)

    assert (await verify_chain(session, 1)).intact
    await session.rollback()
    result = await tampered(
        session, "UPDATE day_close SET grand_total = grand_total + 1 WHERE id = :z", z=z_id
    )

    assert result.broken is not None
    assert (result.broken.seq, result.broken.kind, result.broken.reason) == (seq, "z", "content")
    assert result.broken.record == f"Z report 1 (day close {z_id}, business day {day})"


async def test_a_z_with_its_link_deleted_is_named(uow_factory: Any, session: AsyncSession) -> None:
    await busy_day(uow_factory, session)
    z_id, _, _ = await a_z(session)
    bar = await uow_factory(drawers.open_drawer, 1, "Bar", 10_000, MIA)
    after = await link_of(session, await entry_of(session, "drawer_close"))

    result = await tampered(session, "DELETE FROM ledger_chain WHERE kind = 'z'")

    assert bar
    assert result.broken is not None
    assert (result.broken.kind, result.broken.reason, result.broken.after) == (
        "z",
        "missing",
        after,
    )
    assert result.broken.record.startswith(f"Z report 1 (day close {z_id}")


#: The gateway's formula for a link that is not a close's (as posting._POST makes it).
REHASH = """
    UPDATE ledger_chain c SET hash = encode(sha256(convert_to(concat_ws('|', c.prev_hash,
        e.kind, e.id, e.business_day, (SELECT string_agg(l.account_id || ':' || l.amount, ','
        ORDER BY l.account_id, l.amount) FROM journal_line l WHERE l.entry_id = e.id), ''),
        'UTF8')), 'hex')
    FROM journal_entry e WHERE c.kind = 'entry' AND c.ref_id = e.id AND e.id = :e
"""


async def test_a_rewritten_chain_is_caught_by_a_noted_hash(
    uow_factory: Any, session: AsyncSession
) -> None:
    await busy_day(uow_factory, session)
    noted = await verify_chain(session, 1)
    await session.rollback()
    anchor = Anchor(noted.last_seq, noted.last_hash)
    last = await entry_of(session, "drawer_close")
    edit = "UPDATE journal_entry SET business_day = business_day - 1 WHERE id = :e"

    # The attacker knows the formula: the edited entry's link is hashed again.
    rewritten = await tampered(session, edit, REHASH, e=last)
    caught = await tampered(session, edit, REHASH, e=last, anchor=anchor)
    cut = await tampered(
        session,
        "DELETE FROM ledger_chain WHERE kind = 'entry' AND ref_id = :e",
        "DELETE FROM outbox_event WHERE (payload->>'entry_id')::bigint = :e",
        "DELETE FROM journal_line WHERE entry_id = :e",
        "DELETE FROM journal_entry WHERE id = :e",
        e=last,
        anchor=anchor,
    )

    assert rewritten.intact  # the chain alone cannot tell
    assert caught.broken is not None and cut.broken is not None
    assert (caught.broken.seq, caught.broken.reason) == (anchor.seq, "rewritten")
    assert (cut.broken.seq, cut.broken.reason) == (anchor.seq, "cut")
    assert caught.sentence() == (
        f"The ledger's chain is broken at link {anchor.seq}, the link noted with hash "
        f"{anchor.hash}: its hash is not the one noted: the chain was rewritten at or before it."
    )
    with pytest.raises(BadInput, match="its number and its hash"):
        Anchor.parse("12:abc")
    assert Anchor.parse(f" 12:{'A' * 64}") == Anchor(12, "a" * 64)


async def test_a_copied_link_is_named(uow_factory: Any, session: AsyncSession) -> None:
    await busy_day(uow_factory, session)
    cash_in = await entry_of(session, "cash_in")
    noted = await verify_chain(session, 1)
    await session.rollback()

    # A second link for the cash in, well chained on the last one.
    result = await tampered(
        session,
        "INSERT INTO ledger_chain (location_id, kind, ref_id, prev_hash, hash) "
        "SELECT 1, 'entry', ref_id, :last, hash FROM ledger_chain WHERE ref_id = :e "
        "AND kind = 'entry'",
        last=noted.last_hash,
        e=cash_in,
    )

    assert result.broken is not None
    assert (result.broken.seq, result.broken.reason) == (
        await last_seq_after(session, noted.last_seq),
        "duplicate",
    )
    assert result.broken.record.startswith(f"journal entry {cash_in} (cash_in, ")


async def test_a_deleted_closed_check_is_named_at_its_close(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await busy_day(uow_factory, session)
    close = await entry_of(session, "close", f"check:{check}")

    # Foreign keys are triggers too: with them off, the check goes and its rows stay.
    result = await tampered(session, "DELETE FROM guest_check WHERE id = :c", c=check)

    assert result.broken is not None
    assert (result.broken.seq, result.broken.reason) == (
        await link_of(session, close),
        "check_gone",
    )
    assert "the closed check it covers no longer exists" in result.sentence()


async def last_seq_after(session: AsyncSession, seq: int) -> int:
    """The seq the next link gets (the sequence's next value, as the forged insert took)."""
    found = await session.scalar(text("SELECT last_value FROM ledger_chain_seq_seq"))
    await session.rollback()
    assert found is not None and found > seq
    return int(found)
