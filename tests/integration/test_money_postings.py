"""Money that moves after a close posts to the books, in the same transaction (issue 12).

A refund of a closed check gives back its lines' revenue and tax and the money it went out
by; a card tip changed on the slip after the close posts the difference; the drawer's float,
cash in and out, card tips paid out and the count with its over/short each post. Cash tips
never post: they go to the server by hand.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.models import AccountPurpose, JournalEntry, JournalLine
from app.billing import drawers, tip_payouts
from app.billing.drawer_counts import drawer_count
from app.billing.models import Payment
from app.billing.refunds import refund
from app.billing.service import pay_cash
from app.billing.terminal import SimulatedTerminal
from app.billing.tips import adjust_tip
from app.core.errors import BadInput
from app.orders.models import CheckLine
from tests.conftest import STAFF_IDS
from tests.integration.test_card_payments import card, counter_check, shown
from tests.integration.test_drawer_sessions import main_drawer
from tests.integration.test_refunds import OK

MARIA, SAM, MIA = STAFF_IDS["Maria"], STAFF_IDS["Sam"], STAFF_IDS["Mia"]


async def posted(session: AsyncSession, kind: str) -> list[dict[str, int]]:
    """Each entry of ``kind``, as {what the account is for: signed amount}, oldest first."""
    head = what_for()
    rows = (
        await session.execute(
            select(JournalEntry.id, head.c.head, func.sum(JournalLine.amount))
            .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
            .join(head, head.c.account_id == JournalLine.account_id)
            .where(JournalEntry.kind == kind)
            .group_by(JournalEntry.id, head.c.head)
            .order_by(JournalEntry.id, head.c.head)
        )
    ).all()
    await session.rollback()
    entries: dict[int, dict[str, int]] = {}
    for entry_id, code, amount in rows:
        entries.setdefault(entry_id, {})[code] = int(amount)
    return list(entries.values())


def what_for() -> Any:
    """Each account with the generic purpose it serves ("sales" for "Sales - Starters",
    "cash" for "Cash - Main drawer"): the tests read the books the way the chart maps them."""
    return (
        select(
            AccountPurpose.account_id,
            func.min(func.split_part(AccountPurpose.purpose, ":", 1)).label("head"),
        )
        .group_by(AccountPurpose.account_id)
        .subquery()
    )


async def balance_of(session: AsyncSession, purpose: str) -> int:
    head = what_for()
    total = await session.scalar(
        select(func.coalesce(func.sum(JournalLine.amount), 0))
        .join(head, head.c.account_id == JournalLine.account_id)
        .where(head.c.head == purpose)
    )
    await session.rollback()
    return int(total or 0)


async def payment_of(session: AsyncSession, check: int) -> int:
    found = await session.scalar(select(func.min(Payment.id)).where(Payment.check_id == check))
    await session.rollback()
    assert found is not None
    return int(found)


async def paid_in_cash(uow_factory: Any, session: AsyncSession, *items: str) -> int:
    check = await counter_check(uow_factory, session, *items)
    version, balance = await shown(session, check)
    await uow_factory(pay_cash, check, balance, version, MARIA)
    return check


async def test_refund_of_a_closed_check_gives_back_revenue_tax_and_cash(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await paid_in_cash(uow_factory, session, "Burrata", "Calamari")
    [close] = await posted(session, "close")
    burrata = await session.scalar(select(CheckLine.id).where(CheckLine.name == "Burrata"))
    assert burrata
    paid = await payment_of(session, check)

    await uow_factory(refund, paid, 1000, 0, [burrata], "cold", MARIA, OK, SimulatedTerminal())

    [back] = await posted(session, "refund")
    assert sum(back.values()) == 0
    assert back["cash"] == -1000  # out of the drawer
    assert back["sales"] + back["tax"] == 1000  # the revenue and the tax it had
    assert back["sales"] > 0 and back["tax"] > 0
    assert close["cash"] > 0


async def test_a_refund_before_the_close_posts_nothing_of_its_own(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    version, balance = await shown(session, check)
    await uow_factory(pay_cash, check, 1000, version, MARIA, amount=1000)
    paid = await payment_of(session, check)
    await uow_factory(refund, paid, 400, 0, [], "overpaid", MARIA, OK, SimulatedTerminal())

    assert await posted(session, "refund") == []  # the close will post what stayed
    version, balance = await shown(session, check)
    await uow_factory(pay_cash, check, balance, version, MARIA)
    [close] = await posted(session, "close")
    assert close["cash"] == balance + 1000 - 400


async def test_card_tip_changed_after_the_close_posts_the_difference(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    terminal = SimulatedTerminal()
    _, balance = await shown(session, check)
    paid = await card(uow_factory, session, check, balance, terminal, "k", tip=300)

    await uow_factory(adjust_tip, paid.payment_id, 500, MARIA, terminal)
    await uow_factory(adjust_tip, paid.payment_id, 200, MARIA, terminal)
    await uow_factory(adjust_tip, paid.payment_id, 200, MARIA, terminal)  # no change

    assert await posted(session, "tip_adjust") == [
        {"card": 200, "tips_payable": -200},
        {"card": -300, "tips_payable": 300},
    ]
    assert await balance_of(session, "tips_payable") == -200  # owed to Maria: the tip on the slip


async def test_a_cash_tip_never_posts(uow_factory: Any, session: AsyncSession) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    version, balance = await shown(session, check)
    await uow_factory(pay_cash, check, balance + 500, version, MARIA, tip=500)
    paid = await payment_of(session, check)
    await uow_factory(adjust_tip, paid, 800, MARIA, SimulatedTerminal())

    assert await posted(session, "tip_adjust") == []
    assert await balance_of(session, "tips_payable") == 0


async def test_the_drawer_posts_its_float_its_moves_and_its_over_short(
    uow_factory: Any, session: AsyncSession
) -> None:
    bar = await uow_factory(drawers.open_drawer, 1, "Bar", 10_000, MIA)
    await uow_factory(drawers.move_cash, bar, "cash_in", 5_000, "change run", MIA)
    await uow_factory(drawers.move_cash, bar, "cash_out", 1_200, "ice delivery", MIA)
    await uow_factory(drawers.close_drawer, bar, 13_700, MIA)  # expected 13,800: 100 short

    demo_float, bar_float = await posted(session, "drawer_open")  # the demo's Main, then Bar
    assert demo_float == {"cash": 20_000, "safe": -20_000}
    assert bar_float == {"cash": 10_000, "safe": -10_000}
    assert await posted(session, "cash_in") == [{"cash": 5_000, "safe": -5_000}]
    assert await posted(session, "cash_out") == [{"cash": -1_200, "paid_outs": 1_200}]
    assert await posted(session, "drawer_close") == [
        {"cash": -13_800, "safe": 13_700, "over_short": 100}
    ]
    # Bar is counted out and holds nothing; Main still holds its float.
    assert await balance_of(session, "cash") == 20_000
    # The safe gave both floats and got Bar's count back: 100 short, 1,200 paid out.
    assert await balance_of(session, "safe") == -20_000 - 1_300


async def test_card_tips_paid_out_of_the_drawer_clear_what_is_owed(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    _, balance = await shown(session, check)
    await card(uow_factory, session, check, balance, SimulatedTerminal(), "k", tip=700)
    main = await main_drawer(session)
    [owed] = await tip_payouts.card_tips_owed(session, 1)
    await session.rollback()
    assert (owed.server_id, owed.owed) == (MARIA, 700)

    with pytest.raises(BadInput, match="owed less than that"):
        await uow_factory(tip_payouts.pay_out_card_tips, main, MARIA, 701, MIA)
    with pytest.raises(BadInput, match="owed less than that"):
        await uow_factory(tip_payouts.pay_out_card_tips, main, SAM, 100, MIA)
    await uow_factory(tip_payouts.pay_out_card_tips, main, MARIA, 500, MIA, "pay-1")
    await uow_factory(tip_payouts.pay_out_card_tips, main, MARIA, 500, MIA, "pay-1")  # retry

    assert await posted(session, "tip_payout") == [{"cash": -500, "tips_payable": 500}]
    assert await balance_of(session, "tips_payable") == -200
    count = await drawer_count(session, main)
    await session.rollback()
    assert (count.tips_paid_out, count.expected) == (500, 20_000 - 500)
    [owed] = await tip_payouts.card_tips_owed(session, 1)
    await session.rollback()
    assert owed.owed == 200


async def test_tips_are_not_paid_out_beyond_the_drawer(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    _, balance = await shown(session, check)
    await card(uow_factory, session, check, balance, SimulatedTerminal(), "k", tip=900)
    small = await uow_factory(drawers.open_drawer, 1, "Bar", 800, MIA)

    with pytest.raises(BadInput, match="should hold less cash"):
        await uow_factory(tip_payouts.pay_out_card_tips, small, MARIA, 900, MIA)
    with pytest.raises(BadInput, match="more than zero"):
        await uow_factory(tip_payouts.pay_out_card_tips, small, MARIA, 0, MIA)
    assert await posted(session, "tip_payout") == []
