"""Comps, discounts and the service charge in a real browser, to the cent: a comped drink, an
amount off one dish and a percent off the check, a service charge put on by hand, the
auto-gratuity of a party that grows to eight, and discounts that make no sense refused.

Expected amounts are worked out here from the demo menu's prices and taxes (food 8.875 %,
alcohol 10.375 %, tax rounded half-up per line: app/core/check_math.py) and the demo's house
rules (auto-gratuity of 18 % from a party of 8, a manager above 20 % off: app/demo.py).
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.e2e.bill_steps import (
    bill_amount,
    discount_form,
    open_discounts,
    open_line,
    order_at_empty_patio_table,
    pay_by_card,
    service_charge_form,
    total_of,
    totals_row,
)
from tests.e2e.steps import PINS, TABLET, Device, has_class, sign_in


def test_a_spilled_negroni_is_comped_and_comes_off_with_its_tax(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = order_at_empty_patio_table(
        maria, 2, [("Drinks", "Negroni"), ("Starters", "Burrata")]
    )
    check = page.locator("#check")
    # Negroni 14.00 + 1.45 (10.375 %), Burrata 14.00 + 1.24 (8.875 %).
    expect(check.locator("dd.total")).to_have_text("$30.69")

    # The Negroni went over the guest's jacket: Mia comps it.
    sheet = open_line(page, "Negroni")
    form = sheet.locator("form.approval")
    form.get_by_label("Reason").fill("spilled on the guest")
    form.get_by_label("Mia").check()
    form.get_by_label("Manager PIN").fill(PINS["Mia"])
    form.get_by_role("button", name="Comp", exact=True).click()
    expect(sheet).to_have_count(0)
    expect(check.locator(".notice")).to_have_text("Comped.")

    negroni = check.locator(".line").filter(has_text="Negroni")
    expect(negroni).to_have_class(has_class("comped"))
    expect(negroni.locator(".amount")).to_have_text("$14.00 comp")
    expect(negroni.locator(".what .note")).to_have_text("Comp: spilled on the guest")
    expect(negroni.locator(".amount s")).to_have_text("$14.00")
    expect(totals_row(check, "Subtotal")).to_have_text("$28.00")
    expect(totals_row(check, "Comps")).to_have_text("−$14.00")
    # Down by exactly the drink and its tax: 30.69 − (14.00 + 1.45). No alcohol tax is left.
    expect(check.locator("dd.total")).to_have_text("$15.24")
    assert total_of(check) == 3069 - (1400 + 145)
    expect(check.locator("dt", has_text="Tax 10.375 %")).to_have_count(0)
    expect(totals_row(check, "Tax 8.875 %")).to_have_text("$1.24")

    # Its sheet now says comped, and a comped drink cannot be discounted or comped again.
    sheet = open_line(page, "Negroni")
    expect(sheet).to_contain_text("comped")
    expect(sheet.get_by_role("button", name="Comp", exact=True)).to_have_count(0)
    expect(sheet.get_by_role("button", name="Discount")).to_have_count(0)
    sheet.get_by_role("button", name="Close").click()

    # The guest check says so too.
    maria.goto(check_path + "/bill")
    expect(bill_amount(page, "1 Negroni")).to_have_text("Comp")
    expect(bill_amount(page, "Comps")).to_have_text("−$14.00")
    expect(page.locator("#bill-total")).to_have_text("$15.24")
    pay_by_card(maria, check_path, "$15.24")
    assert not maria.errors, maria.errors


def test_money_off_the_chipped_plate_and_ten_percent_off_for_a_regular(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = order_at_empty_patio_table(
        maria,
        3,
        [("Starters", "Burrata"), ("Starters", "Calamari"), ("Drinks", "Negroni")],
    )
    check = page.locator("#check")
    expect(totals_row(check, "Subtotal")).to_have_text("$41.00")

    # The Burrata came on a chipped plate: $3.50 off that dish alone.
    sheet = open_discounts(page, "Burrata")
    expect(sheet.locator("h2")).to_contain_text("Burrata")
    form = discount_form(sheet)
    form.get_by_label("or amount").fill("3.50")
    form.get_by_label("Reason").fill("chipped plate")
    form.get_by_role("button", name="Apply discount").click()
    expect(sheet).to_have_count(0)
    burrata = check.locator(".line").filter(has_text="Burrata")
    expect(burrata.locator(".amount")).to_have_text("$14.00−$3.50")
    expect(totals_row(check, "Discounts")).to_have_text("−$3.50")
    # 10.50 + 13.00 food: 0.93 + 1.15; 14.00 alcohol: 1.45.
    expect(check.locator("dd.total")).to_have_text("$41.03")

    # They are regulars: 10 % off the rest of the check, 37.50 → 3.75 (under the 20 % for
    # which a manager is needed: 3.50 + 3.75 of 41.00 is 17.7 %).
    sheet = open_discounts(page)
    form = discount_form(sheet)
    form.get_by_label("or percent").fill("10")
    form.get_by_label("Reason").fill("regulars")
    form.get_by_role("button", name="Apply discount").click()
    expect(sheet).to_have_count(0)
    expect(check.locator(".notice")).to_have_text("Discount applied.")

    # The 3.75 is spread over what is left of each line (10.50 : 13.00 : 14.00 → 1.05, 1.30,
    # 1.40), so tax is on 9.45 and 11.70 of food (0.84 + 1.04) and 12.60 of alcohol (1.31).
    expect(totals_row(check, "Subtotal")).to_have_text("$41.00")
    expect(totals_row(check, "Discounts")).to_have_text("−$7.25")
    expect(totals_row(check, "Tax 8.875 %")).to_have_text("$1.88")
    expect(totals_row(check, "Tax 10.375 %")).to_have_text("$1.31")
    expect(check.locator("dd.total")).to_have_text("$36.94")
    assert total_of(check) == 4100 - 725 + 188 + 131
    expect(check.locator("a.pay")).to_have_text("Pay $36.94")

    # Both discounts are on the guest check, with the same total.
    maria.goto(check_path + "/bill")
    expect(bill_amount(page, "$3.50 off, 10 % off")).to_have_text("−$7.25")
    expect(page.locator("#bill-total")).to_have_text("$36.94")
    pay_by_card(maria, check_path, "$36.94")
    assert not maria.errors, maria.errors


def test_a_private_party_gets_a_service_charge_on_the_bill(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = order_at_empty_patio_table(
        maria,
        4,
        [("Starters", "Charcuterie Board"), ("Starters", "Oysters (6)"), ("Drinks", "Prosecco")],
    )
    check = page.locator("#check")
    # 22.00 + 19.00 food (1.95 + 1.69), 12.00 alcohol (1.25: 1.245 rounds up).
    expect(check.locator("dd.total")).to_have_text("$57.89")

    # A private party: 15 % service, put on by the server (no manager to raise one).
    sheet = open_discounts(page)
    expect(sheet).to_contain_text("Service charge now 0 %")
    form = service_charge_form(sheet)
    form.get_by_label("Percent").fill("15")
    form.get_by_label("Reason").fill("private party")
    form.get_by_role("button", name="Set service charge").click()
    expect(sheet).to_have_count(0)
    expect(check.locator(".notice")).to_have_text("Service charge updated.")
    # 15 % of the 53.00 subtotal, untaxed: the tax stays what it was.
    expect(totals_row(check, "private party")).to_have_text("$7.95")
    expect(totals_row(check, "Tax 8.875 %")).to_have_text("$3.64")
    expect(totals_row(check, "Tax 10.375 %")).to_have_text("$1.25")
    expect(check.locator("dd.total")).to_have_text("$65.84")

    # The bill shows the service line and says it is included: no tips suggested on top.
    maria.goto(check_path + "/bill")
    expect(bill_amount(page, "private party 15%")).to_have_text("$7.95")
    expect(page.locator("#bill")).to_contain_text("private party 15% is included.")
    expect(page.locator("#bill .tips")).to_have_count(0)
    expect(page.locator("#bill-total")).to_have_text("$65.84")
    pay_by_card(maria, check_path, "$65.84")
    assert not maria.errors, maria.errors


def test_the_eighth_guest_brings_the_auto_gratuity_and_only_a_manager_takes_it_off(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = order_at_empty_patio_table(
        maria,
        7,
        [("Starters", "Prawn Cocktail"), ("Starters", "Calamari"), ("Drinks", "Lager Draft")],
    )
    check = page.locator("#check")
    # Seven guests: no gratuity. 15.00 + 13.00 food (1.33 + 1.15), 7.00 alcohol (0.73).
    expect(check.locator("dd.total")).to_have_text("$38.21")
    expect(check.locator("dt", has_text="Auto-gratuity")).to_have_count(0)

    # An eighth friend arrives: the party reaches the house's size.
    check.get_by_role("button", name="Table ⋯").click()
    party = page.locator("#modal .table-sheet")
    party.locator(".stepper button", has_text="+").click()
    expect(party.get_by_role("spinbutton", name="Guests")).to_have_value("8")
    party.get_by_role("button", name="Save").click()
    expect(party).to_have_count(0)
    expect(check.locator(".notice")).to_have_text("Party details saved.")
    expect(check.locator(".check-head")).to_contain_text("8 guests")
    # 18 % of the 35.00 subtotal, untaxed.
    expect(totals_row(check, "Auto-gratuity (party of 8)")).to_have_text("$6.30")
    expect(check.locator("dd.total")).to_have_text("$44.51")

    # Maria cannot take it off on her own; nothing changes.
    sheet = open_discounts(page)
    expect(sheet).to_contain_text("now 18 % · Auto-gratuity (party of 8)")
    form = service_charge_form(sheet)
    form.get_by_label("Percent").fill("0")
    form.get_by_label("Reason").fill("guests asked")
    form.get_by_role("button", name="Set service charge").click()
    expect(sheet.locator("#modal-error")).to_contain_text(
        "Lowering or removing the service charge needs a manager's approval."
    )
    sheet.get_by_role("button", name="Close").click()
    expect(totals_row(check, "Auto-gratuity (party of 8)")).to_have_text("$6.30")
    page.reload()
    expect(check.locator("dd.total")).to_have_text("$44.51")

    # The bill shows the gratuity and says it is included.
    maria.goto(check_path + "/bill")
    expect(bill_amount(page, "Auto-gratuity (party of 8) 18%")).to_have_text("$6.30")
    expect(page.locator("#bill")).to_contain_text("Auto-gratuity (party of 8) 18% is included.")
    expect(page.locator("#bill .tips")).to_have_count(0)
    expect(page.locator("#bill-total")).to_have_text("$44.51")
    pay_by_card(maria, check_path, "$44.51")
    assert not maria.errors, maria.errors


def test_a_discount_over_100_percent_or_over_the_dish_is_refused_and_changes_nothing(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = order_at_empty_patio_table(
        maria, 2, [("Starters", "Tuna Tartare"), ("Drinks", "Lemonade")]
    )
    check = page.locator("#check")
    # 16.00 + 5.00 food: 1.42 + 0.44.
    expect(check.locator("dd.total")).to_have_text("$22.86")

    # 150 % off the check: said plainly in the dialog, which stays open.
    sheet = open_discounts(page)
    form = discount_form(sheet)
    form.get_by_label("or percent").fill("150")
    form.get_by_label("Reason").fill("typo")
    form.get_by_role("button", name="Apply discount").click()
    expect(sheet.locator("#modal-error")).to_contain_text("A discount cannot be more than 100 %.")
    expect(sheet).to_be_visible()
    sheet.get_by_role("button", name="Close").click()

    # $25.00 off a $5.00 lemonade: the dialog says how much is left on it.
    sheet = open_discounts(page, "Lemonade")
    form = discount_form(sheet)
    form.get_by_label("or amount").fill("25.00")
    form.get_by_label("Reason").fill("too sour")
    form.get_by_role("button", name="Apply discount").click()
    expect(sheet.locator("#modal-error")).to_contain_text(
        "That takes off $25.00, but only $5.00 is left on Lemonade."
    )
    sheet.get_by_role("button", name="Close").click()

    # Nothing was taken off, as the server sees it.
    page.reload()
    expect(check.locator("dt", has_text="Discounts")).to_have_count(0)
    expect(check.locator("dd.total")).to_have_text("$22.86")
    sheet = open_discounts(page)
    expect(sheet.locator(".discount-list")).to_have_count(0)
    sheet.get_by_role("button", name="Close").click()
    pay_by_card(maria, check_path, "$22.86")
    assert not maria.errors, maria.errors
