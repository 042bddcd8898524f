"""A second tap after a lost answer applies nothing twice (issue 11; RELIABILITY.md ORD-1):
each command on a check, sent twice with one idempotency key, changes the check once and
answers the same; the same key with another request is refused (409) and changes nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing import discounts
from app.billing.discounts import DiscountChoice
from app.billing.models import CheckDiscount
from app.core.errors import Conflict
from app.orders import corrections, firing, moves
from app.orders import service as orders
from app.orders.models import Check, CheckLine
from app.platform.models import AuditEntry
from kds.models import Ticket
from tests.conftest import PINS, STAFF_IDS
from tests.demo_ids import item_id, table_id
from tests.integration.test_corrections import _sent_check, approval_by
from tests.integration.test_many_hands import kitchen

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]
KEY = "tablet-7-tap-1"
TEN = DiscountChoice(kind="percent", value=100_000)


async def _marks(session: AsyncSession, checks: tuple[int, ...], action: str) -> tuple[Any, ...]:
    """What one run of a command changes: every check's version and the audit rows."""
    session.expire_all()
    versions = (
        await session.scalars(select(Check.version).where(Check.id.in_(checks)).order_by(Check.id))
    ).all()
    audits = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    )
    await session.rollback()
    return tuple(versions), audits


async def applies_once(
    session: AsyncSession,
    checks: tuple[int, ...],
    action: str,
    same: Callable[[], Awaitable[Any]],
    other: Callable[[], Awaitable[Any]],
) -> Any:
    """``same()`` twice (one key) is one change with one answer; ``other()`` (that key, another
    request) is refused and changes nothing. Returns the answer."""
    versions, audits = await _marks(session, checks, action)
    first = await same()
    assert await same() == first  # the replay answers as the first run did
    once = (tuple(v + 1 for v in versions), audits + 1)
    assert await _marks(session, checks, action) == once
    with pytest.raises(Conflict, match="already used for a different action"):
        await other()
    assert await _marks(session, checks, action) == once
    return first


async def _open(uow_factory, session, table: str, *items: str) -> int:  # type: ignore[no-untyped-def]
    check = await uow_factory(orders.open_table, await table_id(session, table), 2, MARIA, 1)
    for name in items:
        await uow_factory(
            orders.add_line, check, orders.NewLine(await item_id(session, name), seat=1), MARIA
        )
    return int(check)


async def _lines(session: AsyncSession, check: int) -> list[int]:
    session.expire_all()
    found = await session.scalars(
        select(CheckLine.id).where(CheckLine.check_id == check).order_by(CheckLine.id)
    )
    ids = [int(i) for i in found.all()]
    await session.rollback()
    return ids


async def test_discount_applied_twice_with_one_key_comes_off_once(uow_factory, session) -> None:
    check = await _open(uow_factory, session, "2", "Burrata", "Negroni")

    def apply(choice: DiscountChoice) -> Awaitable[int]:
        return uow_factory(
            discounts.apply_discount, check, None, choice, "regular", MARIA, None, KEY
        )

    five = DiscountChoice(kind="percent", value=50_000)
    await applies_once(session, (check,), "apply_discount", lambda: apply(TEN), lambda: apply(five))
    rows = await session.scalar(select(func.count()).select_from(CheckDiscount))
    assert rows == 1


async def test_discount_removed_twice_with_one_key_is_removed_once(uow_factory, session) -> None:
    check = await _open(uow_factory, session, "2", "Burrata")
    applied = await uow_factory(discounts.apply_discount, check, None, TEN, "regular", MARIA)

    def remove(why: str) -> Awaitable[None]:
        return uow_factory(discounts.remove_discount, check, applied, MARIA, why, KEY)

    # Without the key the second tap would say "not on this check (it may have been removed)".
    await applies_once(
        session, (check,), "remove_discount", lambda: remove("typo"), lambda: remove("other")
    )


async def test_service_charge_set_twice_with_one_key_is_set_once(uow_factory, session) -> None:
    check = await _open(uow_factory, session, "2", "Burrata")

    async def charge(ppm: int) -> int:
        view = await uow_factory(
            discounts.set_service_charge, check, ppm, "private event", MARIA, None, KEY
        )
        return int(view.service_charge_ppm)

    assert (
        await applies_once(
            session,
            (check,),
            "service_charge",
            lambda: charge(180_000),
            lambda: charge(200_000),
        )
        == 180_000
    )


async def test_void_sent_twice_with_one_key_tells_the_kitchen_once(
    uow_factory, sessionmaker_, session
) -> None:
    check, burrata = await _sent_check(uow_factory, session)
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])

    def void(why: str) -> Awaitable[None]:
        return uow_factory(corrections.void_line, check, burrata, why, True, ok, kitchen(), KEY)

    await applies_once(
        session, (check,), "void_line", lambda: void("too salty"), lambda: void("cold")
    )
    voids = await session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.check_id == check, Ticket.kind == "void")
    )
    assert voids == 1  # one void ticket: the cooks are told to stop once


async def test_comp_sent_twice_with_one_key_comps_once(uow_factory, sessionmaker_, session) -> None:
    check = await _open(uow_factory, session, "2", "Espresso")
    (espresso,) = await _lines(session, check)
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])

    def comp(why: str) -> Awaitable[None]:
        return uow_factory(corrections.comp_line, check, espresso, why, ok, KEY)

    await applies_once(session, (check,), "comp_line", lambda: comp("birthday"), lambda: comp("x"))


async def test_clear_sent_twice_with_one_key_clears_once(uow_factory, session) -> None:
    check = await _open(uow_factory, session, "2", "Espresso", "Negroni")
    espresso, negroni = await _lines(session, check)

    def clear(line: int) -> Awaitable[None]:
        return uow_factory(orders.clear_line, check, line, MARIA, KEY)

    await applies_once(
        session, (check,), "clear_line", lambda: clear(espresso), lambda: clear(negroni)
    )
    assert await _lines(session, check) == [negroni]


async def test_hold_sent_twice_with_one_key_holds_once(uow_factory, session) -> None:
    check = await _open(uow_factory, session, "2", "Negroni")
    (negroni,) = await _lines(session, check)

    def hold(on: bool) -> Awaitable[None]:
        return uow_factory(firing.hold_line, check, negroni, MARIA, on, kitchen(), KEY)

    await applies_once(session, (check,), "hold_line", lambda: hold(True), lambda: hold(False))


async def test_seat_move_sent_twice_with_one_key_moves_once(uow_factory, session) -> None:
    check = await _open(uow_factory, session, "2", "Negroni")
    (negroni,) = await _lines(session, check)

    def seat(number: int) -> Awaitable[None]:
        return uow_factory(moves.move_to_seat, check, negroni, number, MARIA, KEY)

    await applies_once(session, (check,), "move_to_seat", lambda: seat(2), lambda: seat(1))


async def test_transfer_sent_twice_with_one_key_moves_the_party_once(uow_factory, session) -> None:
    check = await _open(uow_factory, session, "1", "Lemonade")
    p1, p2 = await table_id(session, "P1"), await table_id(session, "P2")

    def transfer(table: int) -> Awaitable[None]:
        return uow_factory(moves.transfer_check, check, table, MARIA, KEY)

    # Without the key the retry would answer "already at table P1", as if it had failed.
    await applies_once(
        session, (check,), "transfer_check", lambda: transfer(p1), lambda: transfer(p2)
    )
    assert await session.scalar(select(Check.table_id).where(Check.id == check)) == p1


async def test_lines_moved_twice_with_one_key_move_once(uow_factory, session) -> None:
    source = await _open(uow_factory, session, "3", "Negroni", "Prosecco")
    target = await _open(uow_factory, session, "4")
    negroni, _ = await _lines(session, source)

    def move(seat: int | None) -> Awaitable[int]:
        return uow_factory(moves.move_lines, source, [negroni], target, seat, MARIA, KEY)

    assert await applies_once(
        session, (source, target), "move_lines", lambda: move(1), lambda: move(None)
    )
    assert await _lines(session, target) == [negroni]


async def test_merge_sent_twice_with_one_key_merges_once(uow_factory, session) -> None:
    into = await _open(uow_factory, session, "3", "Negroni")
    other = await _open(uow_factory, session, "4", "Prosecco", "Lemonade")
    third = await _open(uow_factory, session, "5", "Espresso")

    def merge(source: int) -> Awaitable[int]:
        return uow_factory(moves.merge_checks, into, source, MARIA, KEY)

    # Without the key the retry would find the other check merged: "Check ... is closed".
    moved = await applies_once(
        session, (into, other), "merge_checks", lambda: merge(other), lambda: merge(third)
    )
    assert moved == 2 and len(await _lines(session, into)) == 3
