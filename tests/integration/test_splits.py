"""Splitting checks on real PostgreSQL: parts add up to the check, the kitchen sees nothing
new, paid money never moves, and two tablets splitting one table never deadlock."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing import service as billing
from app.billing import splits
from app.core.errors import BadInput, Conflict, NotFound, Refused
from app.orders import firing
from app.orders import service as orders
from app.orders.models import Check, CheckLine
from app.orders.views import check_view
from app.platform.db import UnitOfWork
from app.platform.models import AuditEntry
from kds.models import TicketItem
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id, table_id
from tests.integration.test_many_hands import count, kitchen

MARIA, SAM = STAFF_IDS["Maria"], STAFF_IDS["Sam"]
# Seat 1 Negroni, seat 2 Prosecco, seat 3 Lemonade, seat 4 IPA, and a Sparkling Water for all.
TABLE_OF_FOUR = [("Negroni", 1), ("Prosecco", 2), ("Lemonade", 3), ("IPA Draft", 4)]


async def _table(uow_factory, session: AsyncSession, items, send=True) -> int:  # type: ignore[no-untyped-def]
    check = await uow_factory(orders.open_table, await table_id(session, "3"), 4, MARIA, 1)
    for name, seat in items:
        new = orders.NewLine(await item_id(session, name), seat=seat)
        await uow_factory(orders.add_line, check, new, MARIA)
    if send:
        await uow_factory(firing.send_order, check, MARIA, kitchen())
    return int(check)


async def _version(session: AsyncSession, check_id: int) -> int:
    session.expire_all()
    return int(await session.scalar(select(Check.version).where(Check.id == check_id)) or 0)


async def _total(session: AsyncSession, check_id: int) -> int:
    session.expire_all()
    return (await check_view(session, check_id)).totals.total


async def test_four_seats_split_by_seat_each_pays_their_own_and_shares_the_water(
    uow_factory, session: AsyncSession
) -> None:
    check = await _table(uow_factory, session, [*TABLE_OF_FOUR, ("Sparkling Water", None)])
    whole = await check_view(session, check)
    tickets = await count(session, TicketItem)
    parts = await uow_factory(splits.split_by_seat, check, whole.version, MARIA, key="split-1")
    assert len(parts) == 4 and parts[0] == check
    views = [await check_view(session, p) for p in parts]
    assert [sorted(ln.name for ln in v.lines) for v in views] == [
        ["Negroni", "Sparkling Water"],
        ["Prosecco", "Sparkling Water"],
        ["Lemonade", "Sparkling Water"],
        ["IPA Draft", "Sparkling Water"],
    ]
    assert sum(v.totals.total for v in views) == whole.totals.total
    assert sum(v.totals.tax for v in views) == whole.totals.tax
    assert sorted(ln.charged for v in views for ln in v.lines if ln.shared) == [100] * 4
    waters = (
        await session.scalars(select(CheckLine).where(CheckLine.name == "Sparkling Water"))
    ).all()
    assert {w.status for w in waters} == {"fired"} and {w.share_count for w in waters} == {4}
    # The kitchen made one water: no share is ever a new ticket.
    assert await count(session, TicketItem) == tickets
    rows = (await session.scalars(select(Check).where(Check.id.in_(parts[1:])))).all()
    assert {(r.split_from_id, r.guest_count, r.server_id) for r in rows} == {(check, 4, MARIA)}
    # A replay (the tablet's double tap) splits nothing twice.
    again = await uow_factory(splits.split_by_seat, check, whole.version, MARIA, key="split-1")
    assert again == parts and await count(session, Check, Check.split_from_id == check) == 3
    assert await count(session, AuditEntry, AuditEntry.action == "split_by_seat") == 1


async def test_split_evenly_then_undo_puts_every_item_back_whole(
    uow_factory, session: AsyncSession
) -> None:
    check = await _table(uow_factory, session, TABLE_OF_FOUR)
    whole = await check_view(session, check)
    parts = await uow_factory(splits.split_evenly, check, 3, whole.version, MARIA)
    views = [await check_view(session, p) for p in parts]
    assert all(len(v.lines) == 4 for v in views)
    assert sum(v.totals.total for v in views) == whole.totals.total
    assert max(v.totals.total for v in views) - min(v.totals.total for v in views) <= 2
    rejoined = await uow_factory(splits.undo_split, parts[2], await _version(session, check), SAM)
    assert rejoined == 4
    back = await check_view(session, check)
    assert back.totals == whole.totals
    assert sorted((ln.name, ln.share_count) for ln in back.lines) == sorted(
        (ln.name, 1) for ln in whole.lines
    )
    session.expire_all()
    merged = (await session.scalars(select(Check).where(Check.id.in_(parts[1:])))).all()
    assert {(m.status, m.merged_into_id) for m in merged} == {("merged", check)}


async def test_items_go_onto_new_parts_one_pick_at_a_time(
    uow_factory, session: AsyncSession
) -> None:
    check = await _table(uow_factory, session, TABLE_OF_FOUR, send=False)
    lines = {ln.name: ln.id for ln in (await check_view(session, check)).lines}
    whole = await _total(session, check)
    two = await uow_factory(
        splits.split_by_items,
        check,
        [lines["Negroni"], lines["Prosecco"]],
        await _version(session, check),
        MARIA,
    )
    three = await uow_factory(
        splits.split_by_items, check, [lines["IPA Draft"]], await _version(session, check), MARIA
    )
    names = {
        p: sorted(ln.name for ln in (await check_view(session, p)).lines)
        for p in (check, two, three)
    }
    assert names == {check: ["Lemonade"], two: ["Negroni", "Prosecco"], three: ["IPA Draft"]}
    assert sum([await _total(session, p) for p in (check, two, three)]) == whole
    # Unsent items move too: they are still new on their part, and nothing was sent.
    assert (await check_view(session, two)).unsent == 2
    with pytest.raises(BadInput, match="Leave at least one item"):
        await uow_factory(
            splits.split_by_items, check, [lines["Lemonade"]], await _version(session, check), MARIA
        )
    with pytest.raises(NotFound, match="not on this check"):
        await uow_factory(
            splits.split_by_items, check, [lines["Negroni"]], await _version(session, check), MARIA
        )


async def test_bad_splits_are_refused_and_change_nothing(
    uow_factory, session: AsyncSession
) -> None:
    check = await _table(
        uow_factory, session, [("Negroni", 1), ("Calamari", 1), ("Fish & Chips", 1)]
    )
    version = await _version(session, check)
    for parts in (0, 1, 21, -3):
        with pytest.raises(BadInput, match="2 to 20 parts"):
            await uow_factory(splits.split_evenly, check, parts, version, MARIA)
    with pytest.raises(BadInput, match="Only one seat"):
        await uow_factory(splits.split_by_seat, check, version, MARIA)
    with pytest.raises(BadInput, match="Tap the items"):
        await uow_factory(splits.split_by_items, check, [], version, MARIA)
    with pytest.raises(Conflict, match="changed on another tablet"):
        await uow_factory(splits.split_evenly, check, 2, version - 1, MARIA)
    # The main is held for its course: sharing it would cook it again on every part.
    with pytest.raises(BadInput, match="Fish & Chips is not fired yet"):
        await uow_factory(splits.split_evenly, check, 2, version, MARIA)
    assert await _version(session, check) == version
    assert await count(session, Check, Check.split_from_id == check) == 0


async def test_a_check_with_money_on_it_is_not_split(uow_factory, session: AsyncSession) -> None:
    check = await _table(uow_factory, session, TABLE_OF_FOUR)
    await uow_factory(billing.pay_cash, check, 1000, await _version(session, check), MARIA)
    with pytest.raises(Conflict, match="already has a payment"):
        await uow_factory(splits.split_evenly, check, 2, await _version(session, check), MARIA)


async def test_one_item_shared_by_two_parts_and_put_back(
    uow_factory, session: AsyncSession
) -> None:
    check = await _table(uow_factory, session, [*TABLE_OF_FOUR, ("Prosecco", None)])
    whole = await _total(session, check)
    lines = {ln.name + str(ln.seat): ln.id for ln in (await check_view(session, check)).lines}
    part = await uow_factory(
        splits.split_by_items, check, [lines["Negroni1"]], await _version(session, check), MARIA
    )
    bottle = lines["ProseccoNone"]
    holders = await uow_factory(
        splits.share_line, bottle, [part], await _version(session, check), MARIA
    )
    assert holders == [check, part]
    halves = [
        ln.charged for p in holders for ln in (await check_view(session, p)).lines if ln.shared
    ]
    assert halves == [600, 600]
    assert await _total(session, check) + await _total(session, part) == whole
    with pytest.raises(BadInput, match="already shared"):
        await uow_factory(splits.share_line, bottle, [part], await _version(session, check), MARIA)
    assert (
        await uow_factory(splits.merge_parts, check, [part], await _version(session, check), MARIA)
        == 1
    )
    assert await _total(session, check) == whole
    assert await count(session, CheckLine, CheckLine.share_group.is_not(None)) == 0


async def test_stale_tablet_gets_a_conflict_when_the_other_merges_first(
    sessionmaker_, uow_factory, session: AsyncSession
) -> None:
    """Tablet A puts the parts back while tablet B shares an item on the same split: B waits
    for A's locks (no deadlock), then is told the check changed; nothing is lost."""
    check = await _table(uow_factory, session, [*TABLE_OF_FOUR, ("Sparkling Water", None)])
    whole = await _total(session, check)
    parts = await uow_factory(splits.split_by_seat, check, await _version(session, check), MARIA)
    lemonade = await session.scalar(select(CheckLine.id).where(CheckLine.name == "Lemonade"))
    stale = await _version(session, parts[2])
    async with sessionmaker_() as a_session:
        tablet_a = UnitOfWork(a_session)
        await splits.undo_split(tablet_a, check, await _version(session, check), MARIA)
        tablet_b = asyncio.create_task(
            uow_factory(splits.share_line, lemonade, [parts[3]], stale, SAM)
        )
        await asyncio.sleep(0.3)
        assert not tablet_b.done()  # waiting on the split's lock, not deadlocked
        await tablet_a.commit()
    with pytest.raises((Conflict, NotFound, Refused)):
        await tablet_b
    assert await _total(session, check) == whole
    assert await count(session, Check, Check.status == "open", Check.split_from_id == check) == 0


async def test_two_tablets_merging_parts_in_opposite_directions_never_deadlock(
    uow_factory, session: AsyncSession
) -> None:
    check = await _table(uow_factory, session, TABLE_OF_FOUR)
    whole = await _total(session, check)
    parts = await uow_factory(splits.split_by_seat, check, await _version(session, check), MARIA)
    two, three = parts[1], parts[2]
    results = await asyncio.gather(
        uow_factory(splits.merge_parts, two, [three], await _version(session, two), MARIA),
        uow_factory(splits.merge_parts, three, [two], await _version(session, three), SAM),
        return_exceptions=True,
    )
    # One tablet wins; the other is told the part is gone (closed) or changed.
    assert sum(1 for r in results if isinstance(r, BaseException)) == 1
    assert all(isinstance(r, int | Conflict | NotFound) or "closed" in str(r) for r in results)
    opened = (
        await session.scalars(
            select(Check.id).where(
                Check.status == "open", Check.id.in_([check, two, three, parts[3]])
            )
        )
    ).all()
    assert sum([await _total(session, p) for p in opened]) == whole
