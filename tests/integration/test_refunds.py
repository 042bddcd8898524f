"""Refunds: linked to the payment, approved by another manager, never more than captured."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Refund, RefundLine
from app.billing.refunds import refund
from app.billing.service import pay_cash
from app.billing.terminal import SimulatedTerminal
from app.core.errors import BadInput, Refused
from app.orders.models import CheckLine
from app.platform.approvals import Approval
from app.platform.models import AuditEntry
from tests.conftest import STAFF_IDS
from tests.integration.test_card_payments import (
    card,
    check_row,
    counter_check,
    payments,
    shown,
)

MARIA, MIA, OLIVIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"], STAFF_IDS["Olivia"]
OK = Approval(approver_id=MIA, proposer_id=MARIA)


async def refunds_of(session: AsyncSession) -> list[Refund]:
    session.expire_all()
    rows = list((await session.scalars(select(Refund).order_by(Refund.id))).all())
    session.expunge_all()
    await session.rollback()
    return rows


async def test_card_refund_on_a_closed_check_goes_back_through_the_terminal(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata", "Calamari")
    terminal = SimulatedTerminal()
    _, balance = await shown(session, check)
    paid = await card(uow_factory, session, check, balance, terminal, "k", tip=400)
    burrata = await session.scalar(select(CheckLine.id).where(CheckLine.name == "Burrata"))
    assert burrata

    refund_id = await uow_factory(
        refund, paid.payment_id, 900, 100, [burrata], "cold", MARIA, OK, terminal, "r-1"
    )
    again = await uow_factory(
        refund, paid.payment_id, 900, 100, [burrata], "cold", MARIA, OK, terminal, "r-1"
    )

    assert again == refund_id
    [row] = await refunds_of(session)
    assert (row.payment_id, row.check_id, row.amount, row.tip) == (paid.payment_id, check, 900, 100)
    assert (row.refunded_by, row.approved_by) == (MARIA, MIA)
    assert row.processor_ref and row.processor_ref.startswith("SIM-R")
    assert row.drawer_session_id is None
    assert len(terminal.refunds) == 1
    lines = (await session.execute(select(RefundLine.line_id, RefundLine.amount))).all()
    assert lines == [(burrata, 900)]
    closed = await check_row(session, check)
    assert closed.status == "closed"  # a closed check stays closed; the refund corrects it
    audit = (
        await session.execute(
            select(AuditEntry.actor_id, AuditEntry.approver_id).where(AuditEntry.action == "refund")
        )
    ).all()
    assert audit == [(MARIA, MIA)]


async def test_cash_refund_comes_out_of_the_open_drawer_and_is_owed_again_on_an_open_check(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata", "Calamari")
    version, balance = await shown(session, check)
    await uow_factory(pay_cash, check, 1000, version, MARIA, amount=1000)
    [paid] = await payments(session, check)

    await uow_factory(refund, paid.id, 400, 0, [], "overpaid", MARIA, OK, SimulatedTerminal())

    [row] = await refunds_of(session)
    assert row.drawer_session_id is not None and row.processor_ref is None
    assert (await shown(session, check))[1] == balance - 1000 + 400


@pytest.mark.parametrize(
    ("amount", "tip", "reason", "message"),
    [
        (2000, 0, "too much", "more than is left to refund"),
        (0, 0, "nothing", "greater than zero"),
        (100, 999, "tip", "more tip than is left"),
        (100, -1, "tip", "cannot be negative"),
        (100, 0, "  ", "Say why"),
        (100, 0, "card 4111 1111 1111 1111", "card number"),
    ],
)
async def test_bad_refunds_are_refused_and_nothing_changes(
    uow_factory: Any, session: AsyncSession, amount: int, tip: int, reason: str, message: str
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    version, _ = await shown(session, check)
    await uow_factory(pay_cash, check, 1000, version, MARIA, amount=1000)
    [paid] = await payments(session, check)

    with pytest.raises(BadInput, match=message):
        await uow_factory(refund, paid.id, amount, tip, [], reason, MARIA, OK, SimulatedTerminal())
    assert await refunds_of(session) == []


async def test_nobody_approves_their_own_refund(uow_factory: Any, session: AsyncSession) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    version, _ = await shown(session, check)
    await uow_factory(pay_cash, check, 1000, version, MIA, amount=1000)
    [paid] = await payments(session, check)
    own = Approval(approver_id=MIA, proposer_id=MIA)

    with pytest.raises(Refused, match="other than you"):
        await uow_factory(refund, paid.id, 100, 0, [], "x", MIA, own, SimulatedTerminal())
    assert await refunds_of(session) == []


async def test_refund_lines_must_be_on_the_check(uow_factory: Any, session: AsyncSession) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    other = await counter_check(uow_factory, session, "Calamari")
    version, _ = await shown(session, check)
    await uow_factory(pay_cash, check, 1000, version, MARIA, amount=1000)
    [paid] = await payments(session, check)
    foreign = await session.scalar(select(CheckLine.id).where(CheckLine.check_id == other))
    assert foreign

    with pytest.raises(BadInput, match="lines of this check"):
        await uow_factory(refund, paid.id, 100, 0, [foreign], "x", MARIA, OK, SimulatedTerminal())


# PAY-2: whatever the sequence of payments and refunds, no payment ever gives back more
# than it captured, and every refund the model expects to fail is refused.
OPERATION = st.one_of(
    st.tuples(st.just("cash"), st.integers(1, 1500)),
    st.tuples(st.just("card"), st.integers(1, 1500), st.integers(0, 300)),
    st.tuples(st.just("refund"), st.integers(0, 3), st.integers(-5, 1600), st.integers(0, 400)),
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATION, min_size=1, max_size=8))
async def test_refunds_never_exceed_what_each_payment_captured(
    uow_factory: Any, session: AsyncSession, operations: list[tuple[Any, ...]]
) -> None:
    check = await counter_check(uow_factory, session, "Burrata", "Calamari", "IPA Draft")
    terminal = SimulatedTerminal()
    run = uuid.uuid4().hex  # examples share one database: keys must not collide
    captured: list[tuple[int, int, int]] = []  # (payment id, amount, tip)
    back: dict[int, tuple[int, int]] = {}
    closed = False  # a check paid in full is closed for good: a refund does not reopen it
    for n, op in enumerate(operations):
        version, balance = await shown(session, check)
        if op[0] in ("cash", "card"):
            amount = min(op[1], balance)
            if amount <= 0:
                continue
            if closed:
                with pytest.raises(Refused, match="is closed"):
                    await uow_factory(pay_cash, check, amount, version, MARIA, amount=amount)
                continue
            closed = amount == balance
            if op[0] == "cash":
                await uow_factory(pay_cash, check, amount, version, MARIA, amount=amount)
                paid = (await payments(session, check))[-1]
                captured.append((paid.id, amount, 0))
            else:
                result = await card(
                    uow_factory, session, check, amount, terminal, f"{run}-c{n}", op[2]
                )
                captured.append((result.payment_id, amount, op[2]))
            continue
        if not captured:
            continue
        payment_id, amount, tip = captured[op[1] % len(captured)]
        done_amount, done_tip = back.get(payment_id, (0, 0))
        fits = 0 < op[2] <= amount - done_amount and op[3] <= tip - done_tip
        try:
            await uow_factory(
                refund, payment_id, op[2], op[3], [], "why", MARIA, OK, terminal, f"{run}-r{n}"
            )
        except BadInput:
            assert not fits, f"refund {op} refused though it fits"
        else:
            assert fits, f"refund {op} accepted though it does not fit"
            back[payment_id] = (done_amount + op[2], done_tip + op[3])
    for payment_id, amount, tip in captured:
        refunded = (
            await session.execute(
                select(
                    func.coalesce(func.sum(Refund.amount), 0),
                    func.coalesce(func.sum(Refund.tip), 0),
                ).where(Refund.payment_id == payment_id)
            )
        ).one()
        await session.rollback()
        assert tuple(refunded) == back.get(payment_id, (0, 0))
        assert refunded[0] <= amount and refunded[1] <= tip


async def test_the_bill_owes_what_the_check_owes_after_a_refund_on_an_open_check(
    uow_factory: Any, session: AsyncSession
) -> None:
    from app.billing.presentation import bill_view
    from app.orders.views import check_view

    check = await counter_check(uow_factory, session, "Burrata", "Calamari")
    terminal = SimulatedTerminal()
    _, balance = await shown(session, check)
    paid = await card(uow_factory, session, check, balance - 500, terminal, "part")
    await uow_factory(refund, paid.payment_id, 300, 0, [], "wrong amount", MARIA, OK, terminal, "r")
    session.expire_all()
    view = await check_view(session, check)
    bill = await bill_view(session, check)
    # Money given back is owed again, on the printed bill as on the check.
    assert view.balance == 800
    assert (bill.paid, bill.balance) == (view.paid, view.balance)
