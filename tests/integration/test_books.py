"""The books for the accountant (issue 12, item 7): a day of closes (cash, card with a tip,
tax, a discount, a comp, a service charge), a refund, tip changes and drawer moves, exported as
beancount and checked by the real ``bean-check``; the CSV has one row per line and balances;
the trial balance and the P&L add up from SQL aggregates.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting import books, exports
from app.accounting.books import AccountRow, DayRange
from app.accounting.models import JournalEntry, JournalLine
from app.billing import discounts, drawers, tip_payouts
from app.billing.discounts import DiscountChoice
from app.billing.models import Discount
from app.billing.refunds import refund
from app.billing.service import pay_cash
from app.billing.terminal import SimulatedTerminal
from app.billing.tips import adjust_tip
from app.core.errors import BrigadeError
from app.orders import corrections
from app.orders.models import CheckLine
from tests.conftest import PINS, STAFF_IDS
from tests.integration.test_card_payments import card, counter_check, shown
from tests.integration.test_corrections import approval_by
from tests.integration.test_drawer_sessions import main_drawer
from tests.integration.test_money_postings import payment_of
from tests.integration.test_refunds import OK

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]
BEAN_CHECK = Path(sys.executable).with_name("bean-check")
EVER = DayRange(date(2000, 1, 1), date(2999, 12, 31))


async def line_of(session: AsyncSession, check: int, name: str) -> int:
    found = await session.scalar(
        select(CheckLine.id).where(CheckLine.check_id == check, CheckLine.name == name)
    )
    await session.rollback()
    assert found
    return int(found)


async def a_day_of_trade(uow_factory: Any, sessionmaker_: Any, session: AsyncSession) -> None:
    """Every kind of posting the point of sale makes, once."""
    # Cash, with a 10 % discount and a service charge.
    plain = await counter_check(uow_factory, session, "Burrata", "Calamari")
    loyalty = await session.scalar(select(Discount.id).where(Discount.name == "Loyalty 10 %"))
    await session.rollback()
    assert loyalty
    await uow_factory(
        discounts.apply_discount, plain, None, DiscountChoice(int(loyalty)), "regular", MARIA
    )
    await uow_factory(discounts.set_service_charge, plain, 125_000, "private room", MARIA)
    version, balance = await shown(session, plain)
    await uow_factory(pay_cash, plain, balance, version, MARIA)
    # A comped espresso, paid in cash; then part of it refunded.
    comped = await counter_check(uow_factory, session, "Burrata", "Espresso")
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    espresso = await line_of(session, comped, "Espresso")
    await uow_factory(corrections.comp_line, comped, espresso, "birthday", ok)
    version, balance = await shown(session, comped)
    await uow_factory(pay_cash, comped, balance, version, MARIA)
    burrata = await line_of(session, comped, "Burrata")
    paid = await payment_of(session, comped)
    await uow_factory(refund, paid, 1000, 0, [burrata], "cold", MARIA, OK, SimulatedTerminal())
    # By card with a tip, the tip changed on the slip, then paid out of the drawer.
    carded = await counter_check(uow_factory, session, "Calamari")
    terminal = SimulatedTerminal()
    _, balance = await shown(session, carded)
    charge = await card(uow_factory, session, carded, balance, terminal, "k1", tip=300)
    await uow_factory(adjust_tip, charge.payment_id, 450, MARIA, terminal)
    main = await main_drawer(session)
    await uow_factory(tip_payouts.pay_out_card_tips, main, MARIA, 450, MIA, "tips-1")
    # A second drawer: float, cash in and out, counted out short.
    bar = await uow_factory(drawers.open_drawer, 1, "Bar", 10_000, MIA)
    await uow_factory(drawers.move_cash, bar, "cash_in", 5_000, 'change "run"', MIA)
    await uow_factory(drawers.move_cash, bar, "cash_out", 1_200, "ice \\ delivery", MIA)
    await uow_factory(drawers.close_drawer, bar, 13_700, MIA)


def bean_check(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    # beancount is a dev dependency (`make test` installs it): never skip, fail loudly.
    assert BEAN_CHECK.exists(), f"bean-check is missing beside {sys.executable}"
    ledger = tmp_path / "books.beancount"
    ledger.write_text(text)
    return subprocess.run(
        [str(BEAN_CHECK), str(ledger)], capture_output=True, text=True, timeout=120, check=False
    )


async def test_the_beancount_export_of_a_whole_day_passes_bean_check(
    uow_factory: Any, sessionmaker_: Any, session: AsyncSession, tmp_path: Path
) -> None:
    await a_day_of_trade(uow_factory, sessionmaker_, session)
    text = await exports.beancount_text(session, 1, EVER, "USD", 2, 'Demo "bistro"')
    await session.rollback()
    kinds = {"close", "refund", "tip_adjust", "tip_payout", "drawer_open", "cash_in"}
    assert all(f'kind: "{kind}"' in text for kind in kinds | {"cash_out", "drawer_close"})

    checked = bean_check(tmp_path, text)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip() == "" and "error" not in checked.stderr.lower(), checked


async def test_a_later_range_brings_its_balances_forward_and_still_checks(
    uow_factory: Any, sessionmaker_: Any, session: AsyncSession, tmp_path: Path
) -> None:
    await a_day_of_trade(uow_factory, sessionmaker_, session)
    day = await session.scalar(select(func.max(JournalEntry.business_day)))
    await session.rollback()
    assert day
    later = DayRange(date.fromordinal(day.toordinal() + 1), date.fromordinal(day.toordinal() + 9))
    text = await exports.beancount_text(session, 1, later, "USD", 2, "Demo")
    await session.rollback()
    assert '"Balances brought forward"' in text
    assert "Assets:1000-Cash-on-hand" in text
    checked = bean_check(tmp_path, text)
    assert checked.returncode == 0, checked.stdout + checked.stderr


async def test_the_csv_has_one_row_per_line_and_its_debits_equal_its_credits(
    uow_factory: Any, sessionmaker_: Any, session: AsyncSession
) -> None:
    await a_day_of_trade(uow_factory, sessionmaker_, session)
    body = await exports.journal_csv(session, 1, EVER, 2)
    lines = await session.scalar(select(func.count()).select_from(JournalLine))
    await session.rollback()

    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == list(exports.CSV_HEADER)
    assert len(rows) == lines
    debits = sum(Decimal(r["debit"] or "0") for r in rows)
    credits = sum(Decimal(r["credit"] or "0") for r in rows)
    assert debits == credits > 0
    assert all(bool(r["debit"]) != bool(r["credit"]) for r in rows)
    assert any(r["memo"] == 'Cash in: change "run"' for r in rows)


async def test_trial_balance_and_profit_and_loss_add_up(
    uow_factory: Any, sessionmaker_: Any, session: AsyncSession
) -> None:
    await a_day_of_trade(uow_factory, sessionmaker_, session)
    chart = await books.balances(session, 1, EVER)
    contra = await books.contra_accounts(session, 1)
    await session.rollback()
    assert sum(b.debits for b in chart) == sum(b.credits for b in chart) > 0
    assert sum(b.closing for b in chart) == 0
    pnl = books.profit_and_loss(chart, contra)
    named = {a.name: amount for a, amount in pnl.contra + pnl.expenses}
    # The refund was for a line: it gave back that line's sales, not "Refunds" (goodwill).
    assert named["Discounts"] > 0 and "Refunds" not in named and named["Comps"] == 350
    assert named["Cash over and short"] == 100 and named["Paid outs"] == 1_200
    moved = sum(b.debits - b.credits for b in chart if b.account.kind in ("revenue", "expense"))
    assert pnl.net == -moved


async def test_the_journal_pages_and_the_running_balance_continues(
    uow_factory: Any, sessionmaker_: Any, session: AsyncSession
) -> None:
    await a_day_of_trade(uow_factory, sessionmaker_, session)
    first = await books.journal(session, 1, EVER, 0, 3)
    rest = await books.journal(session, 1, EVER, 3, 1000)
    assert first.next_offset == 3 and rest.next_offset is None
    assert len(first.entries) + len(rest.entries) == first.total
    assert all(sum(ln.amount for ln in e.lines) == 0 for e in first.entries + rest.entries)
    cash = next(b for b in await books.balances(session, 1, EVER) if b.account.code == "1000")
    every = await books.movements(session, cash.account.id, EVER, cash.opening)
    later = await books.movements(session, cash.account.id, EVER, cash.opening, 2, 100)
    await session.rollback()
    assert every[-1].running == cash.closing
    assert [m.running for m in later] == [m.running for m in every[2:]]


def test_amounts_leave_as_exact_decimals() -> None:
    assert exports.decimal_text(1234, 2) == "12.34"
    assert exports.decimal_text(-5, 2) == "-0.05"
    assert exports.decimal_text(1234, 0) == "1234"
    assert exports.decimal_text(-1_000_001, 3) == "-1000.001"
    assert exports.decimal_text(10**20 + 1, 2) == "1000000000000000000.01"


def test_account_names_are_valid_for_beancount() -> None:
    def name(code: str, text: str, kind: str) -> str:
        return exports.beancount_name(AccountRow(9, code, text, kind))

    assert name("3000", "Owner's equity", "equity") == "Equity:3000-Owners-equity"
    assert name("4010", "Sales - Entrées & Plats", "revenue") == "Income:4010-Sales-Entrees-Plats"
    assert name("x 1", "???", "expense") == "Expenses:X-1"
    assert name("", "Cash", "asset") == "Assets:9-Cash"


def test_a_range_is_two_dates_in_order() -> None:
    today = date(2026, 12, 4)
    assert books.day_range(None, "", today, today) == DayRange(today, today)
    with pytest.raises(BrigadeError, match="not a date") as bad:
        books.day_range("yesterday", None, today, today)
    assert bad.value.status == 400
    with pytest.raises(BrigadeError, match=r"ends .* before it starts"):
        books.day_range("2026-12-05", "2026-12-01", today, today)
