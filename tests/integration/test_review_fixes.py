"""Regressions found in review: money that must still add up after corrections and merges."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.service import close_settled, pay_cash
from app.core.errors import Conflict
from app.orders import corrections, firing, moves, party
from app.orders import service as orders
from app.orders.models import Check, CheckLine
from app.platform.approvals import Approval
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id, table_id
from tests.integration.test_many_hands import kitchen

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]
OK = Approval(approver_id=MIA, proposer_id=MARIA)


async def _sent(uow_factory, session: AsyncSession, table: str, *items: str) -> int:  # type: ignore[no-untyped-def]
    check = await uow_factory(orders.open_table, await table_id(session, table), 2, MARIA, 1)
    for name in items:
        await uow_factory(
            orders.add_line, check, orders.NewLine(await item_id(session, name)), MARIA
        )
    await uow_factory(firing.send_order, check, MARIA, kitchen())
    return int(check)


async def _version(session: AsyncSession, check: int) -> int:
    session.expire_all()
    return int(await session.scalar(select(Check.version).where(Check.id == check)) or 0)


async def test_fully_comped_check_can_be_closed_and_frees_the_table(uow_factory, session) -> None:
    check = await _sent(uow_factory, session, "1", "Espresso")
    line = await session.scalar(select(CheckLine.id).where(CheckLine.check_id == check))
    await uow_factory(corrections.comp_line, check, line, "regular", OK)
    await uow_factory(close_settled, check, await _version(session, check), MARIA)
    session.expire_all()
    assert (await session.get(Check, check)).status == "closed"  # type: ignore[union-attr]
    await uow_factory(orders.open_table, await table_id(session, "1"), 2, MARIA, 1)


async def test_void_after_a_payment_cannot_leave_a_negative_balance(uow_factory, session) -> None:
    check = await _sent(uow_factory, session, "2", "Burrata", "Calamari")
    await uow_factory(pay_cash, check, 1000, await _version(session, check), MARIA)
    calamari = await session.scalar(select(CheckLine.id).where(CheckLine.name == "Calamari"))
    burrata = await session.scalar(select(CheckLine.id).where(CheckLine.name == "Burrata"))
    await uow_factory(corrections.void_line, check, calamari, "cold", True, OK, kitchen())
    with pytest.raises(Conflict, match="would need a refund"):
        await uow_factory(corrections.void_line, check, burrata, "cold", True, OK, kitchen())


async def test_lines_cannot_leave_a_check_that_took_money(uow_factory, session) -> None:
    paid = await _sent(uow_factory, session, "3", "Burrata")
    other = await _sent(uow_factory, session, "4", "Espresso")
    await uow_factory(pay_cash, paid, 500, await _version(session, paid), MARIA)
    line = await session.scalar(select(CheckLine.id).where(CheckLine.check_id == paid))
    with pytest.raises(Conflict, match="already has a payment"):
        await uow_factory(moves.move_lines, paid, [line], other, None, MARIA)


async def test_merge_keeps_the_other_partys_allergy(uow_factory, session) -> None:
    into = await _sent(uow_factory, session, "5", "Espresso")
    other = await _sent(uow_factory, session, "6", "Lemonade")
    await uow_factory(party.set_party_notes, other, "", "seat 1 peanuts", MARIA)
    await uow_factory(moves.merge_checks, into, other, MARIA)
    session.expire_all()
    assert "seat 1 peanuts" in (await session.get(Check, into)).allergies  # type: ignore[union-attr]


async def test_holding_one_starter_does_not_fire_the_mains(uow_factory, session) -> None:
    check = await uow_factory(orders.open_table, await table_id(session, "7"), 2, MARIA, 1)
    soup = await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Soup of the Day")), MARIA
    )
    await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Fish & Chips")), MARIA
    )
    await uow_factory(firing.hold_line, check, soup, MARIA, True, kitchen())
    await uow_factory(firing.send_order, check, MARIA, kitchen())
    session.expire_all()
    states = dict((await session.execute(select(CheckLine.name, CheckLine.status))).all())
    assert states == {"Soup of the Day": "held", "Fish & Chips": "held"}


async def test_double_tap_on_repeat_adds_one_line(uow_factory, session) -> None:
    check = await _sent(uow_factory, session, "8", "Negroni")
    line = await session.scalar(select(CheckLine.id).where(CheckLine.check_id == check))
    await asyncio.gather(
        *(uow_factory(party.repeat_line, check, line, MARIA, "tap") for _ in range(3))
    )
    session.expire_all()
    names = (await session.scalars(select(CheckLine.name).where(CheckLine.check_id == check))).all()
    assert names == ["Negroni", "Negroni"]
