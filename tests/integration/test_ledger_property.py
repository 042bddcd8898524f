"""LED-1 over random checks: whatever a check goes through, the books agree with the money.

Hypothesis builds checks with comps, discounts, service charges, both tax modes, even splits
paid part by part in cash or on a card with tips, then refunds and slip tips after the close.
After each, every entry balances and the ledger tells what the operational rows tell:
cash and card taken, tax owed, card tips owed, revenue. The expected figures come from the
checks, payments and refunds, never from the entries themselves.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing import discounts, splits
from app.billing.discounts import DiscountChoice
from app.billing.models import Payment, Refund, RefundLine
from app.billing.refunds import refund
from app.billing.service import pay_cash
from app.billing.terminal import SimulatedTerminal
from app.billing.tips import adjust_tip
from app.core.errors import BadInput, Refused
from app.core.tax import tax_inclusive
from app.orders import corrections, firing
from app.orders.models import Check, CheckLine
from app.platform.models import Location
from tests.conftest import PINS, STAFF_IDS
from tests.integration.test_card_payments import card, counter_check, shown
from tests.integration.test_corrections import approval_by
from tests.integration.test_many_hands import kitchen

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]
ITEMS = ["Burrata", "Calamari", "IPA Draft", "Fish & Chips", "Tiramisu"]

#: Each account with the generic purpose it serves ("sales" for "Sales - Starters").
HEADS = (
    "SELECT account_id, min(split_part(purpose, ':', 1)) AS head FROM account_purpose "
    "GROUP BY account_id"
)
FLOAT = 20_000  # the demo's Main drawer, counted in when it opened

A_CHECK = st.fixed_dictionaries(
    {
        "items": st.lists(st.sampled_from(ITEMS), min_size=1, max_size=4),
        "inclusive": st.booleans(),
        "comp": st.booleans(),
        "discount": st.one_of(
            st.none(),
            st.tuples(st.just("amount"), st.integers(1, 900)),
            st.tuples(st.just("percent"), st.integers(1, 500_000)),
        ),
        "service_ppm": st.sampled_from([0, 180_000, 123_457]),
        "parts": st.integers(1, 3),
        "methods": st.lists(st.sampled_from(["cash", "card"]), min_size=3, max_size=3),
        "tips": st.lists(st.integers(0, 900), min_size=3, max_size=3),
        "refund": st.one_of(st.none(), st.tuples(st.integers(1, 3000), st.booleans())),
        "slip_tip": st.one_of(st.none(), st.integers(0, 1500)),
    }
)


async def prepare(uow_factory: Any, sessionmaker_: Any, session: AsyncSession, c: Any) -> int:
    await session.execute(update(Location).values(prices_include_tax=c["inclusive"]))
    await session.commit()
    check = await counter_check(uow_factory, session, *c["items"])
    with contextlib.suppress(BadInput):  # mains and desserts too, when there are any
        await uow_factory(firing.fire_all, check, MARIA, kitchen())
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    first = await session.scalar(select(func.min(CheckLine.id)).where(CheckLine.check_id == check))
    await session.rollback()
    if c["comp"] and len(c["items"]) > 1:
        await uow_factory(corrections.comp_line, check, first, "birthday", ok)
    if c["parts"] == 1:  # a split refuses a whole-check discount: the part gets it then
        await discount(uow_factory, check, c, ok)
    if c["service_ppm"]:
        await uow_factory(discounts.set_service_charge, check, c["service_ppm"], "party", MARIA)
    return check


async def discount(uow_factory: Any, check: int, c: Any, ok: Any) -> None:
    if not c["discount"]:
        return
    kind, value = c["discount"]
    with contextlib.suppress(BadInput):  # more than is left on the check: refused, no change
        await uow_factory(
            discounts.apply_discount,
            check,
            None,
            DiscountChoice(kind=kind, value=value),
            "regular",
            MARIA,
            ok,
        )


async def pay_parts(
    uow_factory: Any, sessionmaker_: Any, session: AsyncSession, check: int, c: Any
) -> list[int]:
    """Pay the check (or each of its even parts); the ids of the card payments."""
    run = uuid.uuid4().hex  # examples share one database: keys must not collide
    parts = [check]
    if c["parts"] > 1:
        version, _ = await shown(session, check)
        parts = await uow_factory(splits.split_evenly, check, c["parts"], version, MARIA)
        await discount(uow_factory, parts[0], c, await approval_by(sessionmaker_, MIA, PINS["Mia"]))
    cards: list[int] = []
    for n, part in enumerate(parts):
        version, balance = await shown(session, part)
        if balance <= 0:
            continue
        if c["methods"][n] == "cash":
            await uow_factory(pay_cash, part, balance, version, MARIA)
        else:
            terminal = SimulatedTerminal()
            paid = await card(uow_factory, session, part, balance, terminal, f"{run}-{n}")
            if c["tips"][n]:
                await uow_factory(adjust_tip, paid.payment_id, c["tips"][n], MARIA, terminal)
            cards.append(paid.payment_id)
    return cards


async def after_close(
    uow_factory: Any,
    sessionmaker_: Any,
    session: AsyncSession,
    check: int,
    c: Any,
    cards: list[int],
) -> None:
    if c["slip_tip"] is not None and cards:
        await uow_factory(adjust_tip, cards[0], c["slip_tip"], MARIA, SimulatedTerminal())
    if c["refund"] is None:
        return
    amount, for_a_line = c["refund"]
    paid = (
        await session.execute(
            select(Payment.id, Payment.check_id, Payment.amount)
            .join(Check, Check.id == Payment.check_id)
            .where((Check.id == check) | (Check.split_from_id == check))
            .order_by(Payment.id)
            .limit(1)
        )
    ).first()
    await session.rollback()
    if paid is None:
        return
    line = await session.scalar(
        select(func.max(CheckLine.id)).where(CheckLine.check_id == paid.check_id)
    )
    await session.rollback()
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    with contextlib.suppress(BadInput, Refused):  # a line of another part, or nothing left
        await uow_factory(
            refund,
            paid.id,
            min(amount, paid.amount),
            0,
            [line] if for_a_line and line else [],
            "sent back",
            MARIA,
            ok,
            SimulatedTerminal(),
        )


def _sum(session: AsyncSession, sql: str) -> Any:
    return session.scalar(text(sql))


async def books_and_till(session: AsyncSession) -> tuple[dict[str, int], dict[str, int]]:
    """(what the ledger says, what the checks, payments and refunds say)."""
    ledger = dict(
        (
            await session.execute(
                text(
                    f"SELECT a.head, sum(l.amount) FROM journal_line l JOIN ({HEADS}) a "
                    "ON a.account_id = l.account_id GROUP BY a.head"
                )
            )
        ).all()
    )
    posted = "SELECT CAST(substr(source, 7) AS bigint) FROM journal_entry WHERE kind = 'close'"
    taken = await _sum(
        session,
        "SELECT coalesce(sum(amount + CASE WHEN method = 'card' THEN tip ELSE 0 END), 0) "
        f"FROM payment WHERE check_id IN ({posted})",
    )
    given_back = await _sum(
        session,
        "SELECT coalesce(sum(r.amount + CASE WHEN p.method = 'card' THEN r.tip ELSE 0 END), 0) "
        "FROM refund r JOIN payment p ON p.id = r.payment_id "
        f"WHERE r.check_id IN ({posted})",
    )
    card_tips = await _sum(
        session,
        "SELECT coalesce(sum(tip), 0) FROM payment "
        f"WHERE method = 'card' AND check_id IN ({posted})",
    )
    tax = await _sum(
        session, f"SELECT coalesce(sum(tax), 0) FROM guest_check WHERE id IN ({posted})"
    )
    totals = await _sum(
        session, f"SELECT coalesce(sum(total), 0) FROM guest_check WHERE id IN ({posted})"
    )
    refunded_lines = (
        await session.execute(
            select(RefundLine.amount, CheckLine.tax_rate_ppm)
            .join(CheckLine, CheckLine.id == RefundLine.line_id)
            .join(Refund, Refund.id == RefundLine.refund_id)
        )
    ).all()
    await session.rollback()
    tax_back = sum(tax_inclusive(amount, rate).tax for amount, rate in refunded_lines)
    till = {
        "money": int(taken) - int(given_back),
        "tax": int(tax) - tax_back,
        "tips": int(card_tips),
        "totals": int(totals),
    }
    charged = await _sum(
        session,
        "SELECT coalesce(-sum(l.amount), 0) FROM journal_line l "
        "JOIN journal_entry e ON e.id = l.entry_id "
        f"JOIN ({HEADS}) a ON a.account_id = l.account_id "
        "WHERE e.kind = 'close' AND a.head NOT IN ('cash', 'card', 'tips_payable')",
    )
    await session.rollback()
    books = {
        # The demo's float is the only cash that did not come from a guest.
        "money": int(ledger.get("cash", 0)) - FLOAT + int(ledger.get("card", 0)),
        "tax": -int(ledger.get("tax", 0)),
        "tips": -int(ledger.get("tips_payable", 0)),
        # What the guests were charged, on the other side of the closes: revenue net of
        # discounts and comps, service charge and tax.
        "totals": int(charged),
    }
    return books, till


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(a_check=A_CHECK)
async def test_the_books_agree_with_the_money_whatever_the_check_went_through(
    uow_factory: Any, sessionmaker_: Any, session: AsyncSession, a_check: Any
) -> None:
    check = await prepare(uow_factory, sessionmaker_, session, a_check)
    cards = await pay_parts(uow_factory, sessionmaker_, session, check, a_check)
    await after_close(uow_factory, sessionmaker_, session, check, a_check, cards)

    unbalanced = await session.scalar(
        text(
            "SELECT count(*) FROM (SELECT entry_id FROM journal_line GROUP BY entry_id "
            "HAVING sum(amount) <> 0) AS off"
        )
    )
    await session.rollback()
    assert unbalanced == 0
    books, till = await books_and_till(session)
    assert books["money"] == till["money"]
    assert books["tips"] == till["tips"]
    assert books["tax"] == till["tax"]
    assert books["totals"] == till["totals"]
