"""The party sheet carries the check's version (issue 11; RELIABILITY.md ORD-5): a sheet drawn
before another tablet saved allergies is refused, never saved over them. Forced interleavings
on real PostgreSQL, each tablet in its own session and transaction."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict
from app.orders import party
from app.orders import service as orders
from app.orders.models import Check
from app.orders.party import PartySheet
from app.orders.views import check_view
from app.platform.db import UnitOfWork
from app.platform.models import AuditEntry
from tests.conftest import STAFF_IDS
from tests.demo_ids import table_id

MARIA, SAM = STAFF_IDS["Maria"], STAFF_IDS["Sam"]
PEANUTS = "seat 2 peanuts"


async def _seated(uow_factory, session: AsyncSession) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    check = await uow_factory(orders.open_table, await table_id(session, "6"), 2, MARIA, 1)
    return int(check), (await check_view(session, check)).version


async def _party(session: AsyncSession, check: int) -> tuple[int, str, str, int]:
    session.expire_all()
    row = (
        await session.execute(
            select(Check.guest_count, Check.notes, Check.allergies, Check.version).where(
                Check.id == check
            )
        )
    ).one()
    await session.rollback()
    return row.guest_count, row.notes, row.allergies, row.version


async def _blocked_on_a_lock(sessionmaker_) -> None:  # type: ignore[no-untyped-def]
    """Until some session of this database waits on a row lock (a fresh transaction per
    look: pg_stat_activity is read once per transaction)."""
    for _ in range(200):
        async with sessionmaker_() as look:
            waiting = await look.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        if waiting:
            return
        await asyncio.sleep(0.025)
    raise AssertionError("the second tablet never waited on the first one's lock")


async def test_sheet_drawn_before_another_tablet_saved_is_refused(
    uow_factory, session: AsyncSession
) -> None:
    check, drawn = await _seated(uow_factory, session)
    # Tablet A draws the sheet (version `drawn`); tablet B types the allergy and saves.
    await uow_factory(party.save_party, check, PartySheet(2, "", PEANUTS), drawn, SAM, "b")
    # A's sheet still shows no allergy: saving it would wipe B's. It is refused.
    with pytest.raises(Conflict, match="changed on another tablet"):
        await uow_factory(party.save_party, check, PartySheet(3, "birthday", ""), drawn, MARIA, "a")
    assert await _party(session, check) == (2, "", PEANUTS, drawn + 1)


async def test_two_tablets_saving_at_once_never_lose_the_allergy(
    sessionmaker_, uow_factory, session: AsyncSession
) -> None:
    """Both sheets drawn from one version; B's save holds the check's row lock, A's save
    waits on it; B commits; A then finds a newer version and changes nothing."""
    check, drawn = await _seated(uow_factory, session)
    async with sessionmaker_() as b_session:
        b = UnitOfWork(b_session)
        await party.save_party(b, check, PartySheet(2, "", PEANUTS), drawn, SAM, "b-tablet")

        async def tablet_a() -> None:
            await uow_factory(
                party.save_party, check, PartySheet(4, "window seat", ""), drawn, MARIA, "a"
            )

        a = asyncio.create_task(tablet_a())
        await _blocked_on_a_lock(sessionmaker_)
        assert not a.done()
        await b.commit()
    with pytest.raises(Conflict, match="nothing was saved"):
        await a
    assert await _party(session, check) == (2, "", PEANUTS, drawn + 1)
    saved = await session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "party_notes", AuditEntry.subject == f"check:{check}")
    )
    assert saved == 1  # B's save only; A wrote nothing, not even an audit row


async def test_a_fresh_sheet_saves_and_a_double_tap_saves_once(
    uow_factory, session: AsyncSession
) -> None:
    check, drawn = await _seated(uow_factory, session)
    sheet = PartySheet(4, "birthday", PEANUTS)
    await uow_factory(party.save_party, check, sheet, drawn, MARIA, "tap")
    # The answer was lost; the tablet sends the same form again: the first answer, no change.
    await uow_factory(party.save_party, check, sheet, drawn, MARIA, "tap")
    assert await _party(session, check) == (4, "birthday", PEANUTS, drawn + 1)
    # The same key with other words is another request: refused, nothing changes.
    with pytest.raises(Conflict, match="already used for a different action"):
        await uow_factory(
            party.save_party, check, PartySheet(4, "birthday", ""), drawn, MARIA, "tap"
        )
    assert await _party(session, check) == (4, "birthday", PEANUTS, drawn + 1)
