"""A split table once one part is paid: the floor shows what the whole table still owes, and
the parts still open can be put back together even after the original check was paid."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing import service as billing
from app.billing import splits
from app.core.errors import BadInput
from app.floor.views import table_view
from app.orders.models import Check
from app.orders.views import check_view
from tests.conftest import STAFF_IDS
from tests.demo_ids import table_id
from tests.integration.test_splits import TABLE_OF_FOUR, _table, _version

MARIA, SAM = STAFF_IDS["Maria"], STAFF_IDS["Sam"]


async def _pay(uow_factory, session: AsyncSession, check_id: int, amount: int | None = None):  # type: ignore[no-untyped-def]
    session.expire_all()
    view = await check_view(session, check_id)
    await uow_factory(
        billing.pay_cash, check_id, amount or view.balance, view.version, MARIA, amount=amount
    )


async def _owed(session: AsyncSession, check_ids: list[int]) -> int:
    session.expire_all()
    return sum([(await check_view(session, c)).balance for c in check_ids])


async def test_split_table_shows_the_whole_tables_balance_and_turns_paying_after_one_part(
    uow_factory, session: AsyncSession
) -> None:
    check = await _table(uow_factory, session, TABLE_OF_FOUR)
    table = await table_id(session, "3")
    seated = (await table_view(session, table)).opened_at
    whole = (await check_view(session, check)).totals.total
    parts = await uow_factory(
        splits.split_evenly, check, 3, await _version(session, check), MARIA, key="e3"
    )
    session.expire_all()
    split = await table_view(session, table)
    # Split, nothing paid: the tile owes what the check owed, the party sat when it sat.
    assert (split.amount, split.state, split.opened_at) == (whole, "ordered", seated)

    await _pay(uow_factory, session, parts[0])  # the original check pays its third
    session.expire_all()
    after = await table_view(session, table)
    left = await _owed(session, parts[1:])
    assert after.check_id == parts[1]
    assert (after.amount, after.state, after.opened_at) == (left, "paying", seated)

    # A part paid in part counts too: the table owes the rest of it and the last part.
    await _pay(uow_factory, session, parts[1], 500)
    session.expire_all()
    partly = await table_view(session, table)
    assert (partly.amount, partly.state) == (left - 500, "paying")
    assert partly.amount == await _owed(session, parts[1:])


async def test_split_table_with_the_lowest_part_paid_first_keeps_its_seated_time(
    uow_factory, session: AsyncSession
) -> None:
    check = await _table(uow_factory, session, TABLE_OF_FOUR)
    table = await table_id(session, "3")
    seated = (await table_view(session, table)).opened_at
    parts = await uow_factory(splits.split_by_seat, check, await _version(session, check), MARIA)
    await _pay(uow_factory, session, parts[2])  # seat 3 leaves first; the original stays open
    session.expire_all()
    drawn = await table_view(session, table)
    assert (drawn.check_id, drawn.state, drawn.opened_at) == (check, "paying", seated)
    assert drawn.amount == await _owed(session, [parts[0], parts[1], parts[3]])


async def test_parts_left_after_the_original_is_paid_go_back_together_on_the_lowest_part(
    uow_factory, session: AsyncSession
) -> None:
    check = await _table(uow_factory, session, TABLE_OF_FOUR)
    parts = await uow_factory(splits.split_evenly, check, 3, await _version(session, check), MARIA)
    await _pay(uow_factory, session, check)
    left = await _owed(session, parts[1:])

    # Undo split from any part: the open parts go onto the lowest one still open.
    rejoined = await uow_factory(
        splits.undo_split, parts[2], await _version(session, parts[1]), SAM, key="undo"
    )
    assert rejoined == 0  # a third of each item was paid with the original: shares stay shares
    session.expire_all()
    home = await check_view(session, parts[1])
    assert home.status == "open" and home.balance == left
    assert sorted(ln.name for ln in home.lines) == sorted(n for n, _ in TABLE_OF_FOUR for _ in "12")
    gone = await session.get_one(Check, parts[2])
    assert (gone.status, gone.merged_into_id) == ("merged", parts[1])
    assert (await session.get_one(Check, check)).status == "closed"
    await session.rollback()

    # One open part left: nothing to put together, said plainly, nothing changed.
    with pytest.raises(BadInput, match="nothing to put back together"):
        await uow_factory(splits.undo_split, parts[1], await _version(session, parts[1]), SAM)


async def test_a_part_goes_back_onto_another_part_once_the_original_is_paid(
    uow_factory, session: AsyncSession
) -> None:
    check = await _table(uow_factory, session, TABLE_OF_FOUR)
    parts = await uow_factory(splits.split_by_seat, check, await _version(session, check), MARIA)
    await _pay(uow_factory, session, check)
    left = await _owed(session, parts[1:])
    await uow_factory(
        splits.merge_parts, parts[1], [parts[3]], await _version(session, parts[1]), SAM
    )
    session.expire_all()
    assert await _owed(session, [parts[1], parts[2]]) == left
    names = (await check_view(session, parts[1])).lines
    assert sorted(ln.name for ln in names) == ["IPA Draft", "Prosecco"]
    merged = await session.scalar(select(Check.status).where(Check.id == parts[3]))
    assert merged == "merged"
