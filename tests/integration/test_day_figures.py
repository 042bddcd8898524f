"""The Z's figures through a real service: comps, voids and discounts as the books have them;
a refund after the close goes on the next day's Z; a day forgotten last night is closed
first, and a brunch check opened after the turnover does not block it."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.day_close import day_state
from app.accounting.models import JournalEntry
from app.accounting.z_reports import z_report
from app.billing import discounts
from app.billing.refunds import refund
from app.billing.service import pay_cash
from app.billing.terminal import SimulatedTerminal
from app.orders import corrections
from app.orders.models import CheckLine
from tests.conftest import PINS, STAFF_IDS
from tests.integration.test_card_payments import counter_check, shown
from tests.integration.test_corrections import approval_by
from tests.integration.test_day_close import CLOCKS, close, figures, paid_cash, set_clock, today
from tests.integration.test_discounts import _named
from tests.integration.test_many_hands import kitchen
from tests.integration.test_money_postings import payment_of
from tests.integration.test_refunds import OK

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]


async def line_of(session: AsyncSession, check: int, name: str) -> int:
    found = await session.scalar(
        select(CheckLine.id).where(CheckLine.check_id == check, CheckLine.name == name)
    )
    await session.rollback()
    assert found is not None
    return int(found)


async def test_comps_voids_and_discounts_reach_the_z_as_the_books_have_them(
    uow_factory: Any, sessionmaker_: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata", "Calamari", "Espresso")
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    calamari, espresso = (
        await line_of(session, check, "Calamari"),
        await line_of(session, check, "Espresso"),
    )
    await uow_factory(corrections.void_line, check, calamari, "dropped", True, ok, kitchen())
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    await uow_factory(corrections.comp_line, check, espresso, "birthday", ok)
    loyalty = await _named(session, "Loyalty 10 %")
    await uow_factory(discounts.apply_discount, check, None, loyalty, "regular", MARIA)
    version, balance = await shown(session, check)
    await uow_factory(pay_cash, check, balance, version, MARIA)
    day = await today(uow_factory)

    f = await figures(uow_factory, day)

    assert f["voids"]["lines"] == 1 and f["voids"]["wasted"] == 1 and f["voids"]["amount"] > 0
    assert f["comped_lines"] == 1 and f["comps"] == 350  # the espresso
    assert f["discounts"] > 0 and f["discounted_checks"] == 1
    assert f["net_sales"] == f["gross_sales"] - f["comps"] - f["discounts"]
    assert f["books"]["agree"]
    by_name = {c["name"]: c for c in f["categories"]}
    assert sum(c["comps"] for c in by_name.values()) == 350
    assert sum(p["amount"] for p in f["payments"]) == f["total"] == balance


async def test_a_refund_after_the_close_goes_on_the_next_days_z(
    uow_factory: Any, session: AsyncSession
) -> None:
    await set_clock(session, *CLOCKS[0])
    check = await paid_cash(uow_factory, session, "Burrata", "Calamari")
    day = await today(uow_factory)
    closed = await close(uow_factory, day)
    burrata = await line_of(session, check, "Burrata")
    paid = await payment_of(session, check)

    await uow_factory(refund, paid, 1000, 0, [burrata], "cold", MARIA, OK, SimulatedTerminal())

    refund_day = await session.scalar(
        select(func.max(JournalEntry.business_day)).where(JournalEntry.kind == "refund")
    )
    await session.rollback()
    assert refund_day is not None and refund_day.toordinal() == day.toordinal() + 1
    next_day = await figures(uow_factory, refund_day)
    assert next_day["refunded"] == 1000 and next_day["refunds"][0]["method"] == "cash"
    assert next_day["checks"] == 0
    z = await uow_factory(z_report, 1, day)
    assert z.report["refunded"] == 0 and z.z_number == closed.z_number  # frozen as closed


async def test_a_day_forgotten_last_night_is_closed_first_and_brunch_does_not_block_it(
    uow_factory: Any, session: AsyncSession
) -> None:
    await set_clock(session, *CLOCKS[0])
    await paid_cash(uow_factory, session, "Burrata")
    last_night = await today(uow_factory)
    # Morning comes (the clock's day moves on) and brunch opens a check before the close.
    await set_clock(session, *CLOCKS[1])
    brunch = await counter_check(uow_factory, session, "Espresso")

    state = await uow_factory(day_state, 1)
    assert state.day == last_night and state.clock_day.toordinal() == last_night.toordinal() + 1
    assert state.open_checks == () and state.can_close

    z = await close(uow_factory, last_night)

    assert z.business_day == last_night
    after = await uow_factory(day_state, 1)
    assert after.day.toordinal() == last_night.toordinal() + 1
    assert [c.id for c in after.open_checks] == [brunch]  # it belongs to today


async def test_a_check_paid_while_the_day_closes_is_on_the_z_or_holds_the_close_back(
    uow_factory: Any, session: AsyncSession
) -> None:
    """The close reads under the chain lock that every posting takes: a check whose payment
    races the close is either posted before it (and on the Z) or still open to it (and the
    close is refused); never posted into a day whose Z does not count it."""
    for zone, turnover in CLOCKS:
        await set_clock(session, zone, turnover)
        check = await counter_check(uow_factory, session, "Burrata")
        version, balance = await shown(session, check)
        day = await today(uow_factory)

        paid, closed = await asyncio.gather(
            uow_factory(pay_cash, check, balance, version, MARIA),
            close(uow_factory, day),
            return_exceptions=True,
        )

        assert not isinstance(paid, BaseException), paid
        posted_into = await session.scalar(
            select(JournalEntry.business_day).where(JournalEntry.source == f"check:{check}")
        )
        await session.rollback()
        assert posted_into == day
        if isinstance(closed, BaseException):
            assert "still open" in str(closed)
            closed = await close(uow_factory, day)
        z = await uow_factory(z_report, 1, day)
        assert z.report["checks"] == 1 and z.z_number == closed.z_number
