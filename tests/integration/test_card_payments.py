"""Cards through the terminal: charged exactly once, whatever the terminal does (PAY-1)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.cards import cancel_card, charge_card
from app.billing.models import DrawerSession, Payment, PaymentAttempt
from app.billing.service import pay_cash
from app.billing.terminal import SimulatedTerminal
from app.core.errors import BadInput, Conflict
from app.orders import firing
from app.orders import service as orders
from app.orders.models import Check
from app.orders.views import check_view
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id
from tests.integration.test_many_hands import kitchen

MARIA, SAM, MIA = STAFF_IDS["Maria"], STAFF_IDS["Sam"], STAFF_IDS["Mia"]


async def counter_check(uow_factory: Any, session: AsyncSession, *items: str) -> int:
    """A check at the bar counter (no table) with the items sent to the kitchen."""
    check = int(
        await session.scalar(
            insert(Check).values(location_id=1, server_id=MARIA, guest_count=2).returning(Check.id)
        )
        or 0
    )
    await session.commit()
    for name in items:
        await uow_factory(
            orders.add_line, check, orders.NewLine(await item_id(session, name)), MARIA
        )
    await uow_factory(firing.send_order, check, MARIA, kitchen())
    return check


async def shown(session: AsyncSession, check: int) -> tuple[int, int]:
    """(version, balance) as the payment screen shows them."""
    session.expire_all()
    view = await check_view(session, check)
    await session.rollback()
    return view.version, view.balance


async def payments(session: AsyncSession, check: int) -> list[Payment]:
    session.expire_all()
    rows = (
        await session.scalars(select(Payment).where(Payment.check_id == check).order_by(Payment.id))
    ).all()
    session.expunge_all()  # plain values for the test to read after the rollback
    await session.rollback()
    return list(rows)


async def check_row(session: AsyncSession, check: int) -> Check:
    session.expire_all()
    row = (await session.execute(select(Check).where(Check.id == check))).scalar_one()
    session.expunge_all()
    await session.rollback()
    return row


async def card(
    uow_factory: Any,
    session: AsyncSession,
    check: int,
    amount: int,
    terminal: SimulatedTerminal,
    key: str,
    tip: int = 0,
    **kw: Any,
) -> Any:
    version, _ = await shown(session, check)
    return await uow_factory(charge_card, check, amount, tip, version, MARIA, terminal, key, **kw)


async def test_card_pays_the_whole_check_and_it_closes_with_frozen_totals(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata", "IPA Draft")
    terminal = SimulatedTerminal()
    _, balance = await shown(session, check)

    result = await card(uow_factory, session, check, balance, terminal, "k-1", tip=300)

    assert result.status == "approved" and result.closed
    [paid] = await payments(session, check)
    assert (paid.method, paid.amount, paid.tip, paid.change) == ("card", balance, 300, 0)
    assert paid.processor_ref and paid.card_brand and paid.card_last4 == result.last4
    assert paid.server_id == MARIA
    assert paid.drawer_session_id is not None  # bounds the tip adjustment
    row = await check_row(session, check)
    assert row.status == "closed" and row.total == balance
    assert row.subtotal - row.comps - row.discounts + row.service_charge + row.tax == row.total


async def test_terminal_times_out_after_approving_then_retry_charges_exactly_once(
    uow_factory: Any, session: AsyncSession
) -> None:
    """PAY-1: the guest's card was charged but the answer was lost; the server taps Retry."""
    check = await counter_check(uow_factory, session, "Calamari")
    terminal = SimulatedTerminal("timeout_after_approve")
    _, balance = await shown(session, check)

    first = await card(uow_factory, session, check, balance, terminal, "tap-1")
    assert first.status == "timed_out"
    assert await payments(session, check) == []
    # Meanwhile nobody may take the money another way: the card may have gone through.
    version, _ = await shown(session, check)
    with pytest.raises(Conflict, match="no answer yet"):
        await uow_factory(pay_cash, check, 10_000, version, MARIA)

    terminal.set_outcome("approve")  # even a terminal now willing to charge again
    retried = await card(uow_factory, session, check, balance, terminal, "tap-1")
    again = await card(uow_factory, session, check, balance, terminal, "tap-1")

    assert retried.status == "approved" and retried.closed
    assert again == retried
    [paid] = await payments(session, check)
    assert paid.amount == balance
    assert terminal.charge_calls == 1
    assert len([c for c in terminal.charges.values() if c.status == "approved"]) == 1


async def test_time_out_that_never_reached_the_card_is_charged_on_retry_under_one_reference(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    terminal = SimulatedTerminal("timeout")
    _, balance = await shown(session, check)

    assert (await card(uow_factory, session, check, balance, terminal, "k")).status == "timed_out"
    terminal.set_outcome("approve")
    retried = await card(uow_factory, session, check, balance, terminal, "k")

    assert retried.status == "approved"
    assert len(await payments(session, check)) == 1
    assert len(terminal.charges) == 1  # one reference, charged on the second ask
    assert terminal.charge_calls == 2


async def test_double_tap_on_charge_card_makes_one_charge(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    terminal = SimulatedTerminal()
    terminal.delay = 0.3  # the guest takes a moment to tap
    version, balance = await shown(session, check)

    results = await asyncio.gather(
        uow_factory(charge_card, check, balance, 0, version, MARIA, terminal, "same"),
        uow_factory(charge_card, check, balance, 0, version, MARIA, terminal, "same"),
    )

    assert {r.status for r in results} <= {"approved", "pending"}
    assert "approved" in {r.status for r in results}
    assert len(await payments(session, check)) == 1
    assert terminal.charge_calls == 1


async def test_declined_card_changes_nothing_and_another_card_can_pay(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    terminal = SimulatedTerminal("decline")
    version, balance = await shown(session, check)

    declined = await card(uow_factory, session, check, balance, terminal, "first")
    replay = await card(uow_factory, session, check, balance, terminal, "first")
    terminal.set_outcome("approve")
    approved = await card(uow_factory, session, check, balance, terminal, "second")

    assert declined.status == "declined" and replay.status == "declined"
    assert (await shown(session, check))[1] == 0
    assert approved.status == "approved"
    assert len(await payments(session, check)) == 1
    assert version < (await shown(session, check))[0]


async def test_split_tender_cash_part_then_two_cards_closes_at_zero(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Calamari", "Burrata", "IPA Draft")
    terminal = SimulatedTerminal()
    version, balance = await shown(session, check)

    half = balance // 2
    cash = await uow_factory(pay_cash, check, half + 1000, version, MARIA, amount=half)
    assert (cash.applied, cash.change, cash.closed) == (half, 1000, False)
    first = await card(uow_factory, session, check, 300, terminal, "c1")
    rest = (await shown(session, check))[1]
    second = await card(uow_factory, session, check, rest, terminal, "c2")

    assert not first.closed and second.closed
    paid = await payments(session, check)
    assert [p.method for p in paid] == ["cash", "card", "card"]
    assert sum(p.amount for p in paid) == balance
    assert paid[0].drawer_session_id is not None and paid[0].server_id == MARIA


async def test_tip_typed_on_the_terminal_lands_on_the_payment_not_the_check(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    terminal = SimulatedTerminal("approve", tip_on_terminal=250)
    _, balance = await shown(session, check)

    result = await card(uow_factory, session, check, balance, terminal, "t", tip_prompt=True)

    assert result.status == "approved" and result.tip == 250 and result.closed
    [paid] = await payments(session, check)
    assert (paid.amount, paid.tip) == (balance, 250)


@pytest.mark.parametrize(
    ("amount", "tip", "message"),
    [
        (0, 0, "more than zero"),
        (10**9, 0, "more than the balance"),
        (100, -1, "cannot be negative"),
    ],
)
async def test_bad_card_amounts_are_refused_and_nothing_changes(
    uow_factory: Any, session: AsyncSession, amount: int, tip: int, message: str
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    terminal = SimulatedTerminal()

    with pytest.raises(BadInput, match=message):
        await card(uow_factory, session, check, amount, terminal, "bad", tip=tip)

    assert terminal.charge_calls == 0
    session.expire_all()
    assert await session.scalar(select(func.count()).select_from(PaymentAttempt)) == 0


async def test_stale_screen_and_reused_key_are_refused(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata", "IPA Draft")
    terminal = SimulatedTerminal()
    version, balance = await shown(session, check)
    await card(uow_factory, session, check, 500, terminal, "used")

    with pytest.raises(Conflict, match="changed on another tablet"):
        await uow_factory(charge_card, check, 500, 0, version, MARIA, terminal, "fresh")
    with pytest.raises(Conflict, match="different payment"):
        await card(uow_factory, session, check, 600, terminal, "used")
    assert len(await payments(session, check)) == 1
    assert terminal.charge_calls == 1
    assert (await shown(session, check))[1] == balance - 500


async def test_cancelling_a_charge_with_no_answer_frees_the_check_for_cash(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    terminal = SimulatedTerminal("timeout")
    _, balance = await shown(session, check)
    await card(uow_factory, session, check, balance, terminal, "lost")

    cancelled = await uow_factory(cancel_card, check, "lost", MARIA, terminal)
    version, _ = await shown(session, check)
    cash = await uow_factory(pay_cash, check, balance, version, MARIA)

    assert cancelled.status == "cancelled"
    assert cash.closed
    assert [p.method for p in await payments(session, check)] == ["cash"]


async def test_cash_needs_an_open_drawer(uow_factory: Any, session: AsyncSession) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    await session.execute(
        DrawerSession.__table__.update().values(closed_at=func.now(), closed_by=MIA)
    )
    await session.commit()
    version, balance = await shown(session, check)

    with pytest.raises(BadInput, match="No cash drawer is open"):
        await uow_factory(pay_cash, check, balance, version, MARIA)
    assert await payments(session, check) == []
