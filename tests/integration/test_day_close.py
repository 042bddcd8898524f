"""The day closes (issue 12, item 5): a Z per business day, numbered, with a grand total that
only grows; refused while checks are open; its figures agree with the checks and the books;
nothing posts into it afterwards; two managers closing at once make one Z."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.day_close import close_day, day_state
from app.accounting.figures import day_figures
from app.accounting.models import (
    DayClose,
    JournalEntry,
    JournalLine,
    LedgerLink,
    OutboxEvent,
)
from app.accounting.z_chain import z_content, z_hash
from app.accounting.z_reports import past_days, reprint_z, z_report
from app.billing import drawers
from app.billing.service import pay_cash
from app.billing.terminal import SimulatedTerminal
from app.core.errors import Conflict, NotFound
from app.platform.receipts import ReceiptBus
from tests.conftest import STAFF_IDS
from tests.integration.test_card_payments import card, counter_check, shown
from tests.integration.test_drawer_sessions import main_drawer
from tests.integration.test_money_postings import what_for

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]


async def today(uow_factory: Any) -> date:
    state = await uow_factory(day_state, 1)
    return state.day  # type: ignore[no-any-return]


async def figures(uow_factory: Any, day: date) -> dict[str, Any]:
    async def read(uow: Any) -> dict[str, Any]:
        return await day_figures(uow.session, 1, day)

    return await uow_factory(read)  # type: ignore[no-any-return]


async def paid_cash(uow_factory: Any, session: AsyncSession, *items: str, tip: int = 0) -> int:
    check = await counter_check(uow_factory, session, *items)
    version, balance = await shown(session, check)
    await uow_factory(pay_cash, check, balance + tip, version, MARIA, tip=tip)
    return check


async def count_out(uow_factory: Any, session: AsyncSession, counted_off: int = 0) -> None:
    drawer = await main_drawer(session)

    async def expected(uow: Any) -> int:
        from app.billing.drawer_counts import drawer_count

        return (await drawer_count(uow.session, drawer)).expected

    should = await uow_factory(expected)
    await uow_factory(drawers.close_drawer, drawer, should + counted_off, MIA)


async def close(uow_factory: Any, day: date, **kw: Any) -> Any:
    kw.setdefault("leave_drawers_open", True)
    return await uow_factory(close_day, 1, day, MIA, **kw)


async def test_close_is_refused_while_a_check_is_open_and_names_it(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    day = await today(uow_factory)
    state = await uow_factory(day_state, 1)
    [open_] = state.open_checks
    assert open_.id == check and open_.server == "Maria" and open_.balance > 0
    assert not state.can_close

    with pytest.raises(Conflict, match=r"1 check is still open: check \d+ \(Maria\)"):
        await close(uow_factory, day)

    assert await session.scalar(select(func.count()).select_from(DayClose)) == 0
    version, balance = await shown(session, check)
    await uow_factory(pay_cash, check, balance, version, MARIA)
    z = await close(uow_factory, day)
    assert z.z_number == 1


async def test_open_drawer_needs_the_managers_say_so(
    uow_factory: Any, session: AsyncSession
) -> None:
    day = await today(uow_factory)
    with pytest.raises(Conflict, match="Main drawer is still open"):
        await close(uow_factory, day, leave_drawers_open=False)
    z = await close(uow_factory, day, leave_drawers_open=True)
    assert (await uow_factory(z_report, 1, day)).report["open_drawers"] == ["Main"]
    assert z.z_number == 1


async def test_figures_agree_with_the_checks_and_the_books(
    uow_factory: Any, session: AsyncSession
) -> None:
    await paid_cash(uow_factory, session, "Burrata", "Calamari", tip=300)
    await paid_cash(uow_factory, session, "IPA Draft")
    carded = await counter_check(uow_factory, session, "Burrata", "IPA Draft")
    _, balance = await shown(session, carded)
    await card(uow_factory, session, carded, balance, SimulatedTerminal(), "k", tip=250)
    day = await today(uow_factory)

    f = await figures(uow_factory, day)

    checks = (
        await session.execute(
            text(
                "SELECT count(*), sum(subtotal), sum(tax), sum(total), sum(guest_count) "
                "FROM guest_check WHERE status = 'closed'"
            )
        )
    ).one()
    await session.rollback()
    assert (f["checks"], f["gross_sales"], f["tax"], f["total"], f["covers"]) == tuple(checks)
    assert f["net_sales"] == f["total"] - f["tax"] - f["service_charge"]
    assert sum(c["gross"] for c in f["categories"]) == f["gross_sales"]
    assert sum(t["amount"] for t in f["taxes"]) == f["tax"]
    assert sum(p["amount"] for p in f["payments"]) == f["total"]
    assert {t["method"]: t["amount"] for t in f["tips"]} == {"cash": 300, "card": 250}
    assert f["books"] == {"revenue": f["net_sales"] + f["service_charge"], "agree": True}
    assert f["average_check"] == f["net_sales"] // 3
    # Only integers, strings, booleans and nulls: the Z is frozen as JSON, never a float.
    assert not _floats(f)


def _floats(value: Any) -> list[Any]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _floats(v)]
    if isinstance(value, list):
        return [x for v in value for x in _floats(v)]
    return []


async def test_drawer_expected_against_counted_shows_over_short(
    uow_factory: Any, session: AsyncSession
) -> None:
    await paid_cash(uow_factory, session, "Burrata")
    drawer = await main_drawer(session)
    await uow_factory(drawers.move_cash, drawer, "cash_in", 5000, "change run", MIA)
    await uow_factory(drawers.move_cash, drawer, "cash_out", 1200, "ice delivery", MIA)
    day = await today(uow_factory)
    [open_] = (await figures(uow_factory, day))["drawers"]
    assert open_["open"] and open_["counted"] is None
    assert open_["expected"] == 20_000 + open_["cash_payments"] + 5000 - 1200

    await count_out(uow_factory, session, counted_off=-300)

    [counted] = (await figures(uow_factory, day))["drawers"]
    assert counted["open"] is False
    assert counted["expected"] == open_["expected"]
    assert (counted["counted"], counted["over_short"]) == (open_["expected"] - 300, -300)
    z = await close(uow_factory, day, leave_drawers_open=False)
    assert (await uow_factory(z_report, 1, day)).report["drawers"] == [counted]
    assert z.z_number == 1


#: The location's clock (time zone, turnover hour) set so its business day is now - 35 h,
#: now - 11 h and now + 13 h: three business days one after the other, whatever the hour.
CLOCKS = (("Etc/GMT+12", 23), ("UTC", 11), ("Etc/GMT-13", 0))


async def set_clock(session: AsyncSession, zone: str, turnover: int) -> None:
    await session.execute(
        text("UPDATE location SET timezone = :zone, day_starts_hour = :hour WHERE id = 1"),
        {"zone": zone, "hour": turnover},
    )
    await session.commit()


async def test_z_numbers_count_up_and_the_grand_total_only_grows(
    uow_factory: Any, session: AsyncSession
) -> None:
    totals, days = [], []
    for n, (zone, turnover) in enumerate(CLOCKS, start=1):
        await set_clock(session, zone, turnover)
        await paid_cash(uow_factory, session, "Burrata")
        day = await today(uow_factory)
        z = await close(uow_factory, day)
        totals.append(z.grand_total)
        days.append(day)
        assert z.z_number == n
        # The next day has not started on the clock: it cannot be closed tonight.
        with pytest.raises(Conflict, match="has not started yet"):
            await close(uow_factory, await today(uow_factory))
    assert 0 < totals[0] < totals[1] < totals[2]
    assert [d.toordinal() - days[0].toordinal() for d in days] == [0, 1, 2]
    zs = await uow_factory(past_days, 1)
    assert [z.z_number for z in zs] == [3, 2, 1]
    assert all(z.hash for z in zs)
    assert zs[0].grand_total == sum(z.net_sales for z in zs)


async def test_nothing_posts_into_a_closed_day_the_next_posting_goes_to_the_next(
    uow_factory: Any, session: AsyncSession
) -> None:
    await paid_cash(uow_factory, session, "Burrata")
    day = await today(uow_factory)
    await close(uow_factory, day)

    await paid_cash(uow_factory, session, "Calamari")

    last = await session.scalar(select(func.max(JournalEntry.business_day)))
    assert last == date.fromordinal(day.toordinal() + 1)
    await session.rollback()
    with pytest.raises(Exception, match="is closed: nothing is posted into it"):
        await session.execute(
            text(
                "INSERT INTO journal_entry (location_id, business_day, kind, source) "
                "VALUES (1, :day, 'adjustment', 'test')"
            ),
            {"day": day},
        )
    await session.rollback()
    assert (await figures(uow_factory, day))["checks"] == 1  # the Z's day keeps its one check


async def test_two_managers_closing_at_once_make_one_z(
    uow_factory: Any, session: AsyncSession
) -> None:
    await paid_cash(uow_factory, session, "Burrata")
    day = await today(uow_factory)

    results = await asyncio.gather(
        close(uow_factory, day, key="mia-1"),
        close(uow_factory, day, key="olivia-1"),
        close(uow_factory, day, key="mia-1"),  # a double tap: the same answer, once
        return_exceptions=True,
    )

    zs = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len({z.z_id for z in zs}) == 1
    assert all(isinstance(r, Conflict) and "already closed" in str(r) for r in refused)
    assert await session.scalar(select(func.count()).select_from(DayClose)) == 1


async def test_the_zs_link_of_the_chain_covers_its_frozen_report(
    uow_factory: Any, session: AsyncSession
) -> None:
    await paid_cash(uow_factory, session, "Burrata")
    day = await today(uow_factory)
    z = await close(uow_factory, day)

    link = (await session.execute(select(LedgerLink).where(LedgerLink.kind == "z"))).scalar_one()
    row = (await session.execute(select(DayClose))).scalar_one()
    assert link.ref_id == z.z_id and link.hash == z.hash
    content = z_content(row.id, row.business_day, row.z_number, row.grand_total, row.report)
    assert z_hash(link.prev_hash, content) == link.hash
    previous = await session.scalar(
        select(LedgerLink.hash).where(LedgerLink.seq < link.seq).order_by(LedgerLink.seq.desc())
    )
    assert link.prev_hash == previous  # after the day's last entry, on the same chain
    event = await session.scalar(select(OutboxEvent).where(OutboxEvent.type == "day.closed"))
    assert event is not None and event.payload["z_number"] == 1
    await session.rollback()


async def test_a_z_without_a_receipt_printer_is_saved_and_reprints_later(
    uow_factory: Any, session: AsyncSession
) -> None:
    """No printer listening (or none set up) never fails the close; the page reprints it."""
    await paid_cash(uow_factory, session, "Burrata")
    day = await today(uow_factory)
    z = await close(uow_factory, day, receipts=ReceiptBus())
    assert z.z_number == 1
    assert await uow_factory(reprint_z, 1, day, MIA, ReceiptBus(), "r-1") == 0
    with pytest.raises(NotFound, match="has no Z report"):
        await uow_factory(z_report, 1, date(2001, 1, 1))


async def test_the_books_per_business_day_equal_the_z(
    uow_factory: Any, session: AsyncSession
) -> None:
    """LED-1 and the Z: what the close entries posted to revenue is the Z's net sales."""
    await paid_cash(uow_factory, session, "Burrata", "Calamari", "IPA Draft")
    day = await today(uow_factory)
    await close(uow_factory, day)
    z = await uow_factory(z_report, 1, day)
    head = what_for()
    sales = await session.scalar(
        select(-func.sum(JournalLine.amount))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(head, head.c.account_id == JournalLine.account_id)
        .where(JournalEntry.business_day == day, JournalEntry.kind == "close")
        .where(head.c.head.in_(("sales", "discounts", "comps")))
    )
    await session.rollback()
    assert sales == z.report["net_sales"]


async def test_the_chain_verifies_across_a_real_day_close(
    uow_factory: Any, session: AsyncSession
) -> None:
    """The Z's link as the day close writes it is the link the verifier recomputes."""
    from app.accounting.chain import verify_chain

    await paid_cash(uow_factory, session, "Burrata")
    await close(uow_factory, await today(uow_factory))
    await paid_cash(uow_factory, session, "Calamari")  # posts into the next day, after the Z

    result = await verify_chain(session, 1)
    kinds = list(await session.scalars(select(LedgerLink.kind).order_by(LedgerLink.seq)))
    await session.rollback()
    assert result.intact, result
    assert kinds[-2:] == ["z", "entry"]  # one chain: the Z between the days' entries
