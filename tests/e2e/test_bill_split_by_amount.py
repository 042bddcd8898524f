"""Split by amount in a real browser: the split screen splits the payment, not the items.

A table of three on the Patio: one guest puts $30 on a card, another $25 in cash, the third
pays the rest. The split screen lists each guest's part with the tax inside it; each Pay opens
the payment screen with that part filled in; after each payment the parts still to pay are
worked out again from what is left, and the check closes owing exactly $0.00.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from tests.e2e.bill_steps import (
    approve_next_charge,
    charge_card,
    open_pay,
    open_split,
    payment_rows,
)
from tests.e2e.steps import TABLET, Device, add_item, send_check, sign_in, table_tile, wait_live

#: No other browser test seats this table by name.
TABLE = "P7"


def seat_patio_table(screen: Device, table: str, guests: int) -> str:
    """From the Patio floor: tap the table (free, or left for the busser), tap the guests."""
    page = screen.page
    screen.goto("/floor")
    page.locator(".floor-tabs a.tab", has_text=re.compile(r"^\s*Patio\s*$")).click()
    expect(page.locator(".floor-tabs a.tab.active")).to_have_text("Patio")
    table_tile(page, table).click()
    page.locator(".guest-keys button", has_text=re.compile(rf"^\s*{guests}\s*$")).click()
    expect(page).to_have_url(re.compile(r"/checks/\d+$"))
    wait_live(page)
    return re.sub(r"^https?://[^/]+", "", page.url)


def guest_parts(page: Page) -> Locator:
    return page.locator("#by-amount section.amount-part")


def expect_parts(page: Page, parts: list[tuple[str, str]]) -> None:
    """Each guest's part as the split screen lists it: what they pay and the tax in it."""
    shown = guest_parts(page)
    expect(shown).to_have_count(len(parts))
    for index, (pays, tax) in enumerate(parts):
        part = shown.nth(index)
        expect(part.locator("h3")).to_have_text(f"Guest {index + 1}")
        expect(part.locator("dd.total")).to_have_text(pays)
        expect(part.locator("dd.tax")).to_have_text(tax)
        expect(part.locator("a.pay")).to_have_text(f"Pay {pays}")
    expect(shown.last).to_contain_text("pays the rest")


def pay_part(page: Page, guest: int) -> None:
    """Tap the guest's Pay: the payment screen opens with their part filled in."""
    guest_parts(page).nth(guest - 1).locator("a.pay").click()
    expect(page).to_have_url(re.compile(r"/checks/\d+/pay\?amount=\d+"))
    expect(page.locator("#balance")).to_be_visible()


def back_to_split(page: Page) -> None:
    page.get_by_role("link", name="Back to split by amount").click()
    expect(page).to_have_url(re.compile(r"/checks/\d+/split/amounts"))
    expect(page.locator("#by-amount")).to_have_attribute("open", "")


def test_three_guests_thirty_on_a_card_twenty_five_in_cash_and_the_rest(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = seat_patio_table(maria, TABLE, 3)
    for category, item in [
        ("Starters", "Prawn Cocktail"),
        ("Starters", "Charcuterie Board"),
        ("Drinks", "Negroni"),
        ("Drinks", "Prosecco"),
    ]:
        add_item(page, category, item)
    send_check(page)
    # 63.00, tax per line: 1.33 + 1.95 at 8.875 %, 1.45 + 1.25 at 10.375 % = 5.98.
    expect(page.locator("#check dd.total")).to_have_text("$68.98")
    open_pay(page)
    approve_next_charge(page)  # before a part is filled in: setting it redraws the screen
    maria.goto(check_path)
    open_split(page, check_path)

    # The split screen: By amount, a field for each guest who names an amount.
    panel = page.locator("#by-amount")
    panel.locator("summary", has_text="By amount").click()
    expect(panel).to_contain_text("Splits the payment, not the items")
    panel.get_by_label("Guest 1 pays").fill("30")
    panel.get_by_label("Guest 2 pays").fill("25")
    panel.get_by_role("button", name="Split the payment").click()
    # Tax shares of 5.98: 260.08, 216.73 and 121.20 cents; the odd cent goes to the .73.
    expect_parts(page, [("$30.00", "$2.60"), ("$25.00", "$2.17"), ("$13.98", "$1.21")])
    expect(page.locator("#by-amount .amount-owed")).to_have_text(
        "3 payments for the $68.98 still owed; tax in it $5.98."
    )
    expect(page).to_have_url(re.compile(r"/split/amounts\?amount=30&amount=25$"))
    expect(page.locator("section.part[data-check]")).to_have_count(1)  # the items stay put

    # Ana: $30 on her card. The card amount says 30.00, not the whole check.
    pay_part(page, 1)
    expect(page.locator(".prefill-note")).to_have_text(
        "This guest pays $30.00: it is filled in below."
    )
    expect(page.locator("section.tender.card").get_by_label("Amount on card")).to_have_value(
        "30.00"
    )
    charge_card(page)
    expect(page.locator(".card-result")).to_contain_text("Card approved")
    expect(page.locator("#balance")).to_have_text("$38.98")

    # Back on the split screen: the two parts still to pay, worked out from what is left.
    back_to_split(page)
    expect_parts(page, [("$25.00", "$2.17"), ("$13.98", "$1.21")])
    expect(page.locator("#by-amount .amount-owed")).to_have_text(
        "2 payments for the $38.98 still owed ($30.00 paid already); tax in it $3.38."
    )

    # Ben: $25 in cash, from two twenties.
    pay_part(page, 1)
    cash = page.locator("section.tender.cash")
    expect(cash.get_by_label("Amount on cash")).to_have_value("25.00")
    expect(cash.get_by_label("Amount on cash")).to_be_visible()
    cash.get_by_label("Cash tendered").fill("40")
    cash.get_by_role("button", name="Take cash").click()
    expect(page.locator("#change-due")).to_have_text("$15.00")
    expect(page.locator("#balance")).to_have_text("$13.98")

    # Chloe pays the rest.
    back_to_split(page)
    expect_parts(page, [("$13.98", "$1.21")])
    pay_part(page, 1)
    expect(page.locator("section.tender.card").get_by_label("Amount on card")).to_have_value(
        "13.98"
    )
    charge_card(page)
    expect(page.locator(".card-result")).to_contain_text("Card approved")
    expect(page.locator("#pay")).to_contain_text("is closed")
    expect(payment_rows(page).locator(".payment-head span:first-of-type")).to_have_text(
        ["$30.00", "$25.00", "$13.98"]
    )

    # The printed bill: three payments against $68.98, nothing left owing.
    maria.goto(check_path + "/bill")
    expect(page.locator("#bill-total")).to_have_text("$68.98")
    expect(page.locator("#bill-balance")).to_have_text("$0.00")
    assert not maria.errors, maria.errors
