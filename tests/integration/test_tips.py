"""Tips: on the terminal, on the slip afterwards, from the cash; and who earned them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import DrawerSession, Payment
from app.billing.service import pay_cash
from app.billing.terminal import SimulatedTerminal
from app.billing.tips import adjust_tip, tips_by_server
from app.core.errors import BadInput, Refused
from app.orders.models import Check
from app.platform.models import AuditEntry
from tests.conftest import STAFF_IDS
from tests.integration.test_card_payments import card, counter_check, payments, shown

MARIA, SAM, MIA = STAFF_IDS["Maria"], STAFF_IDS["Sam"], STAFF_IDS["Mia"]


async def test_slip_tip_entered_later_goes_to_the_server_and_through_the_terminal(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    terminal = SimulatedTerminal()
    _, balance = await shown(session, check)
    paid = await card(uow_factory, session, check, balance, terminal, "k")

    adjusted = await uow_factory(adjust_tip, paid.payment_id, 450, MARIA, terminal, "tip-1")
    replay = await uow_factory(adjust_tip, paid.payment_id, 450, MARIA, terminal, "tip-1")

    assert adjusted == replay and adjusted.tip == 450
    [row] = await payments(session, check)
    assert (row.amount, row.tip, row.tip_adjusted_by) == (balance, 450, MARIA)
    assert row.tip_adjusted_at is not None
    assert next(iter(terminal.charges.values())).tip == 450  # the processor was told
    # The check is untouched: a tip is never part of what was owed.
    assert (await shown(session, check))[1] == 0
    audit = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "adjust_tip")
    )
    assert audit == 1


async def test_negative_tip_is_refused_with_a_clear_message(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    terminal = SimulatedTerminal()
    _, balance = await shown(session, check)
    paid = await card(uow_factory, session, check, balance, terminal, "k", tip=100)

    with pytest.raises(BadInput, match="A tip cannot be negative"):
        await uow_factory(adjust_tip, paid.payment_id, -50, MARIA, terminal)
    assert (await payments(session, check))[0].tip == 100


async def test_tip_cannot_change_once_the_drawer_is_counted(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    terminal = SimulatedTerminal()
    _, balance = await shown(session, check)
    paid = await card(uow_factory, session, check, balance, terminal, "k")
    await session.execute(update(DrawerSession).values(closed_at=func.now(), closed_by=MIA))
    await session.commit()

    with pytest.raises(Refused, match="drawer has been counted"):
        await uow_factory(adjust_tip, paid.payment_id, 300, MARIA, terminal)
    assert (await payments(session, check))[0].tip == 0


async def test_without_a_drawer_a_tip_can_change_on_the_day_only(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    terminal = SimulatedTerminal()
    _, balance = await shown(session, check)
    paid = await card(uow_factory, session, check, balance, terminal, "k")
    await session.execute(
        update(Payment)
        .where(Payment.id == paid.payment_id)
        .values(drawer_session_id=None, taken_at=datetime.now(UTC) - timedelta(days=2))
    )
    await session.commit()

    with pytest.raises(Refused, match="day of the payment"):
        await uow_factory(adjust_tip, paid.payment_id, 300, MARIA, terminal)


async def test_cash_tip_is_never_given_back_as_change(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    version, balance = await shown(session, check)

    # The guest hands over balance + $10 and says "keep $4".
    result = await uow_factory(pay_cash, check, balance + 1000, version, MARIA, tip=400)

    assert (result.applied, result.change, result.tip, result.closed) == (balance, 600, 400, True)
    [row] = await payments(session, check)
    assert (row.amount, row.change, row.tip) == (balance, 600, 400)


async def test_tips_by_server_for_the_day_and_for_the_drawer(
    uow_factory: Any, session: AsyncSession
) -> None:
    terminal = SimulatedTerminal()
    marias = await counter_check(uow_factory, session, "Burrata")
    sams = await counter_check(uow_factory, session, "Calamari")
    await session.execute(update(Check).where(Check.id == sams).values(server_id=SAM))
    await session.commit()
    _, owed = await shown(session, marias)
    await card(uow_factory, session, marias, owed, terminal, "m", tip=500)
    version, owed = await shown(session, sams)
    await uow_factory(pay_cash, sams, owed + 300, version, SAM, tip=300)

    today = await tips_by_server(session, 1)
    drawer = await session.scalar(select(DrawerSession.id))
    by_drawer = await tips_by_server(session, 1, drawer_session_id=drawer)
    yesterday = await tips_by_server(session, 1, day=datetime.now(UTC).date() - timedelta(days=2))

    assert [(r.name, r.card, r.cash, r.total) for r in today] == [
        ("Maria", 500, 0, 500),
        ("Sam", 0, 300, 300),
    ]
    assert by_drawer == today
    assert yesterday == []
