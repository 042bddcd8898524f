"""Screenshots of the bill for the README: discounts, the bill, splits, card payment, drawers.

    .venv/bin/python -m tests.e2e.make_bill_screenshots [--out docs/screenshots]

Not part of the test run; needs what the browser tests need (see make_screenshots.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.make_screenshots import main, shoot
from tests.e2e.steps import TABLET, Device, add_item, seat_table, send_check, sign_in


def take(browser: Browser, base_url: str, out: Path) -> None:
    maria = Device(browser.new_context(viewport=TABLET), base_url)  # type: ignore[arg-type]
    sign_in(maria, "Maria")
    page = maria.page

    # Table 10: four friends, one drink each and a starter to share.
    check = seat_table(maria, "10", 4)
    for seat, item in ((1, "Negroni"), (2, "Prosecco"), (3, "Lemonade"), (4, "IPA Draft")):
        add_item(page, "Drinks", item, seat=seat)
    send_check(page)

    # discount.png: the discount dialog over the order screen.
    page.locator("#check").get_by_role("button", name="Discount").click()
    expect(page.locator("#modal")).to_contain_text("Discount")
    shoot(page, out, "discount.png")
    page.keyboard.press("Escape")

    # bill.png: the bill as presented, with tax per rate and suggested tips.
    maria.goto(check + "/bill")
    expect(page.locator("body")).to_contain_text("Total")
    shoot(page, out, "bill.png")

    # split.png: split by seat, one column per guest.
    maria.goto(check + "/split")
    page.get_by_role("button", name="By seat").click()
    expect(page.locator("section.part")).to_have_count(4)
    shoot(page, out, "split.png")

    # pay-card.png: a part's payment screen, card and cash side by side.
    page.locator("section.part").filter(has_text="Prosecco").locator("a.pay").click()
    expect(page.locator("#balance")).to_be_visible()
    card = page.locator("section.tender.card")
    card.get_by_label("Card tip").fill("2.00")
    shoot(page, out, "pay-card.png")
    card.get_by_role("button", name="Charge card").click()
    expect(page.locator(".card-result")).to_contain_text("Card approved")
    shoot(page, out, "pay-card-approved.png")

    # split-amount.png: table 6, three friends; two say what they pay, the third the rest.
    other = seat_table(maria, "6", 3)
    for category, item in (
        ("Starters", "Prawn Cocktail"),
        ("Starters", "Charcuterie Board"),
        ("Drinks", "Negroni"),
        ("Drinks", "Prosecco"),
    ):
        add_item(page, category, item)
    send_check(page)
    maria.goto(other + "/split")
    panel = page.locator("#by-amount")
    panel.locator("summary", has_text="By amount").click()
    panel.get_by_label("Guest 1 pays").fill("30")
    panel.get_by_label("Guest 2 pays").fill("25")
    panel.get_by_role("button", name="Split the payment").click()
    expect(page.locator("#by-amount section.amount-part")).to_have_count(3)
    shoot(page, out, "split-amount.png")

    # drawers.png: the manager's drawer screen.
    mia = Device(browser.new_context(viewport=TABLET), base_url)  # type: ignore[arg-type]
    sign_in(mia, "Mia")
    mia.goto("/drawers")
    expect(mia.page.locator("body")).to_contain_text("Cash drawers")
    shoot(mia.page, out, "drawers.png")


if __name__ == "__main__":
    sys.exit(main(take_all=take))
