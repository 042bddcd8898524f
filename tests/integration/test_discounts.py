"""Discounts, service charge and auto-gratuity on a real check: who may, what it costs the
guest to the cent, and that every refusal changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing import discounts
from app.billing.discounts import DiscountChoice
from app.billing.models import CheckDiscount, Discount
from app.billing.service import pay_cash
from app.core.errors import BadInput, Conflict, NotFound, Refused
from app.orders import corrections, firing, party
from app.orders import service as orders
from app.orders.models import Check, CheckLine
from app.orders.views import check_view
from app.platform.models import AuditEntry, Location
from tests.conftest import PINS, STAFF_IDS
from tests.demo_ids import item_id, table_id
from tests.integration.test_corrections import approval_by
from tests.integration.test_many_hands import kitchen

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]


async def _check(uow_factory, session: AsyncSession, *items: str, guests: int = 2) -> int:  # type: ignore[no-untyped-def]
    check = await uow_factory(orders.open_table, await table_id(session, "2"), guests, MARIA, 1)
    for name in items:
        await uow_factory(
            orders.add_line, check, orders.NewLine(await item_id(session, name)), MARIA
        )
    return int(check)


async def _line(session: AsyncSession, check: int, name: str) -> int:
    found = await session.scalar(
        select(CheckLine.id).where(CheckLine.check_id == check, CheckLine.name == name)
    )
    assert found
    return int(found)


async def _named(session: AsyncSession, name: str) -> DiscountChoice:
    found = await session.scalar(select(Discount.id).where(Discount.name == name))
    assert found
    return DiscountChoice(discount_id=int(found))


async def _state(session: AsyncSession, check: int) -> tuple[int, int, int]:
    """(check version, discount rows, audit rows): what a refusal must leave alone."""
    session.expire_all()
    version = await session.scalar(select(Check.version).where(Check.id == check))
    rows = await session.scalar(select(func.count()).select_from(CheckDiscount))
    audits = await session.scalar(select(func.count()).select_from(AuditEntry))
    await session.rollback()
    return int(version or 0), int(rows or 0), int(audits or 0)


STARTERS = ("Burrata", "Tuna Tartare", "Tiramisu")  # 14.00 + 16.00 + 9.00 of food


async def test_loyalty_ten_percent_comes_off_before_tax_without_a_manager(
    uow_factory, session
) -> None:
    check = await _check(uow_factory, session, *STARTERS)
    version = (await check_view(session, check)).version
    await uow_factory(
        discounts.apply_discount,
        check,
        None,
        await _named(session, "Loyalty 10 %"),
        "regular guest",
        MARIA,
    )
    view = await check_view(session, check)
    # 390 off, spread 140/160/90; tax per line on 1260, 1440, 810 = 112 + 128 + 72.
    assert (view.totals.discounts, view.totals.tax, view.totals.total) == (390, 312, 3822)
    assert view.version == version + 1
    assert [d.name for d in view.discounts] == ["Loyalty 10 %"]
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "apply_discount"))
    assert entry is not None and entry.actor_id == MARIA and entry.approver_id is None
    assert entry.detail["amount"] == 390 and entry.detail["reason"] == "regular guest"


async def test_a_big_discount_needs_another_manager_and_small_ones_add_up(
    uow_factory, sessionmaker_, session
) -> None:
    check = await _check(uow_factory, session, *STARTERS)
    await uow_factory(
        discounts.apply_discount,
        check,
        None,
        await _named(session, "Loyalty 10 %"),
        "regular",
        MARIA,
    )
    before = await _state(session, check)
    fifteen = DiscountChoice(kind="percent", value=150_000)
    # 10 % + 15 % = 25 % of the check: over the house's 20 %, so it cannot be cut in two.
    with pytest.raises(Refused, match="over 20 % of the check need a manager"):
        await uow_factory(discounts.apply_discount, check, None, fifteen, "long wait", MARIA)
    assert await _state(session, check) == before

    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    await uow_factory(discounts.apply_discount, check, None, fifteen, "long wait", MARIA, ok)
    row = await session.scalar(select(CheckDiscount).where(CheckDiscount.value == 150_000))
    assert row is not None and (row.applied_by, row.approved_by, row.name) == (
        MARIA,
        MIA,
        "15 % off",
    )
    view = await check_view(session, check)
    assert view.totals.discounts == 390 + 585


async def test_staff_meal_always_needs_a_manager(uow_factory, session) -> None:
    check = await _check(uow_factory, session, *STARTERS)
    with pytest.raises(Refused, match="Staff meal always needs a manager"):
        await uow_factory(
            discounts.apply_discount, check, None, await _named(session, "Staff meal"), "Sam", MARIA
        )


async def test_happy_hour_comes_off_one_line_and_shows_on_it(uow_factory, session) -> None:
    check = await _check(uow_factory, session, *STARTERS)
    burrata = await _line(session, check, "Burrata")
    happy = await _named(session, "Happy hour $2 off")
    with pytest.raises(BadInput, match="is for one item"):
        await uow_factory(discounts.apply_discount, check, None, happy, "5 pm", MARIA)
    with pytest.raises(BadInput, match="whole check, not one item"):
        await uow_factory(
            discounts.apply_discount,
            check,
            burrata,
            await _named(session, "Loyalty 10 %"),
            "x",
            MARIA,
        )
    await uow_factory(discounts.apply_discount, check, burrata, happy, "5 pm", MARIA)
    view = await check_view(session, check)
    line = next(ln for ln in view.lines if ln.id == burrata)
    assert (line.charged, line.discount) == (1400, 200)
    # Burrata taxed on 12.00: 106.5 -> 107; Tuna 142; Tiramisu 79.875 -> 80.
    assert (view.totals.discounts, view.totals.tax, view.totals.total) == (200, 329, 3700 + 329)


async def test_impossible_discounts_are_refused_and_change_nothing(
    uow_factory, sessionmaker_, session
) -> None:
    check = await _check(uow_factory, session, *STARTERS)
    burrata = await _line(session, check, "Burrata")
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    before = await _state(session, check)
    cases = [
        (
            burrata,
            DiscountChoice(kind="amount", value=1500),
            BadInput,
            r"only \$14.00 is left on Burrata",
        ),
        (None, DiscountChoice(kind="percent", value=1_200_000), BadInput, "more than 100 %"),
        (None, DiscountChoice(kind="amount", value=-500), BadInput, "more than zero"),
        (None, DiscountChoice(), BadInput, "Pick a discount"),
        (None, DiscountChoice(discount_id=999_999), NotFound, "not on the list"),
        (999_999, DiscountChoice(kind="amount", value=100), NotFound, "not on this check"),
    ]
    for line, choice, error, message in cases:
        with pytest.raises(error, match=message):
            await uow_factory(discounts.apply_discount, check, line, choice, "why", MARIA, ok)
    with pytest.raises(BadInput, match="Say why"):
        await uow_factory(
            discounts.apply_discount,
            check,
            None,
            DiscountChoice(kind="amount", value=100),
            " ",
            MARIA,
        )
    await uow_factory(corrections.comp_line, check, burrata, "birthday", ok)
    after_comp = await _state(session, check)
    with pytest.raises(BadInput, match="comped: it is already free"):
        await uow_factory(
            discounts.apply_discount,
            check,
            burrata,
            DiscountChoice(kind="amount", value=100),
            "x",
            MARIA,
        )
    assert before[1] == after_comp[1] == (await _state(session, check))[1]
    assert await _state(session, check) == after_comp


async def test_removing_a_discount_puts_the_price_back_and_is_audited(uow_factory, session) -> None:
    check = await _check(uow_factory, session, *STARTERS)
    applied = await uow_factory(
        discounts.apply_discount,
        check,
        None,
        await _named(session, "Loyalty 10 %"),
        "regular",
        MARIA,
    )
    await uow_factory(discounts.remove_discount, check, applied, MARIA, "wrong table")
    view = await check_view(session, check)
    assert (view.totals.discounts, view.totals.total, view.discounts) == (0, 3900 + 346, ())
    row = await session.get(CheckDiscount, applied)
    assert row is not None and row.removed_at is not None and row.removed_by == MARIA
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "remove_discount"))
    assert entry is not None and entry.detail["reason"] == "wrong table"
    with pytest.raises(NotFound, match="not on this check"):
        await uow_factory(discounts.remove_discount, check, applied, MARIA)


async def test_a_discount_after_a_payment_cannot_leave_the_guest_overpaid(
    uow_factory, sessionmaker_, session
) -> None:
    check = await _check(uow_factory, session, "Burrata", "Tuna Tartare")
    await uow_factory(firing.send_order, check, MARIA, kitchen())
    view = await check_view(session, check)
    await uow_factory(pay_cash, check, 3000, view.version, MARIA)  # of 32.66
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    before = await _state(session, check)
    with pytest.raises(Conflict, match="would need a refund"):
        await uow_factory(
            discounts.apply_discount,
            check,
            None,
            DiscountChoice(kind="percent", value=250_000),
            "complaint",
            MARIA,
            ok,
        )
    assert await _state(session, check) == before


async def test_party_of_eight_gets_the_auto_gratuity_when_seated(uow_factory, session) -> None:
    check = await _check(uow_factory, session, "Burrata", guests=8)
    session.expire_all()
    row = await session.get(Check, check)
    assert row is not None
    assert (row.service_charge_ppm, row.service_charge_reason) == (
        180_000,
        "Auto-gratuity (party of 8)",
    )
    view = await check_view(session, check)
    # 18 % of 14.00 = 2.52, untaxed; tax stays 8.875 % of 14.00 = 1.24.
    assert (view.totals.service_charge, view.totals.total) == (252, 1400 + 252 + 124)


async def test_a_growing_party_gets_it_and_only_a_manager_takes_it_off(
    uow_factory, sessionmaker_, session
) -> None:
    check = await _check(uow_factory, session, "Burrata", guests=4)
    assert (await check_view(session, check)).service_charge_ppm == 0
    await uow_factory(party.change_guests, check, 9, MARIA)
    view = await check_view(session, check)
    assert (view.service_charge_ppm, view.service_charge_reason) == (
        180_000,
        "Auto-gratuity (party of 9)",
    )
    await uow_factory(party.change_guests, check, 10, MARIA)
    assert (await check_view(session, check)).service_charge_reason == "Auto-gratuity (party of 10)"

    before = await _state(session, check)
    with pytest.raises(Refused, match="needs a manager"):
        await uow_factory(discounts.set_service_charge, check, 0, "two left early", MARIA)
    await uow_factory(party.change_guests, check, 5, MARIA)  # fewer guests: it stays
    assert (await check_view(session, check)).service_charge_ppm == 180_000
    assert (await _state(session, check))[0] == before[0] + 1
    await uow_factory(party.change_guests, check, 10, MARIA)

    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    await uow_factory(discounts.set_service_charge, check, 0, "house regulars", MARIA, ok)
    assert (await check_view(session, check)).totals.service_charge == 0
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "service_charge"))
    assert entry is not None and (entry.actor_id, entry.approver_id) == (MARIA, MIA)
    assert (entry.detail["before_ppm"], entry.detail["after_ppm"]) == (180_000, 0)
    # The manager's decision stands when an eleventh guest sits down.
    await uow_factory(party.change_guests, check, 11, MARIA)
    assert (await check_view(session, check)).service_charge_ppm == 0


async def test_a_server_can_add_a_service_charge_but_not_a_silly_one(uow_factory, session) -> None:
    check = await _check(uow_factory, session, "Burrata")
    await uow_factory(discounts.set_service_charge, check, 125_000, "private room", MARIA)
    assert (await check_view(session, check)).totals.service_charge == 175  # 12.5 % of 14.00
    with pytest.raises(BadInput, match="more than 100 %"):
        await uow_factory(discounts.set_service_charge, check, 1_500_000, "typo", MARIA)
    with pytest.raises(BadInput, match=r"already 12\.5 %"):
        await uow_factory(discounts.set_service_charge, check, 125_000, "again", MARIA)


async def test_the_locations_tax_rounding_decides_the_checks_tax(uow_factory, session) -> None:
    # Two 10.00 fondants and two 9.00 tiramisus: per line 89 + 89 + 80 + 80 = 338;
    # per check 38.00 x 8.875 % = 337.25 -> 337.
    check = await _check(
        uow_factory, session, "Chocolate Fondant", "Chocolate Fondant", "Tiramisu", "Tiramisu"
    )
    assert (await check_view(session, check)).totals.tax == 338
    await session.execute(update(Location).values(tax_rounding="check"))
    await session.commit()
    session.expire_all()
    assert (await check_view(session, check)).totals.tax == 337
