"""The bill in a real browser, beyond split-by-seat: split evenly and undo, split by item and
share one item, and discounts with and without a manager."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from tests.e2e.bill_steps import (
    cents,
    open_split,
    order_and_send,
    part_with,
    parts,
    total_of,
    totals_row,
)
from tests.e2e.steps import PINS, TABLET, Device, sign_in


def test_three_friends_split_evenly_then_change_their_minds(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = order_and_send(
        maria,
        "3",
        3,
        [("Drinks", "Negroni"), ("Drinks", "Margarita"), ("Starters", "Calamari")],
    )
    whole = total_of(page.locator("#check"))

    open_split(page, check_path)
    stepper = page.locator("form.stepper")
    parts_field = stepper.get_by_label("Parts", exact=True)
    expect(parts_field).to_have_value("2")
    stepper.get_by_role("button", name="More parts").click()
    stepper.get_by_role("button", name="More parts").click()
    stepper.get_by_role("button", name="Fewer parts").click()
    expect(parts_field).to_have_value("3")
    stepper.get_by_role("button", name="Evenly").click()

    expect(page.locator("#split .notice")).to_contain_text("Split evenly 3 ways")
    expect(parts(page)).to_have_count(3)
    # Every column holds a third of every line, and the thirds add up to the cent.
    for column in parts(page).all():
        expect(column.locator(".split-line .qty")).to_have_text(["1/3"] * 3)
    totals = [total_of(column) for column in parts(page).all()]
    assert sum(totals) == whole, (totals, whole)
    assert max(totals) - min(totals) <= 3, totals  # even: a few cents of rounding at most

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Undo split").click()
    expect(page.locator("#split .notice")).to_contain_text("Split undone: one check again.")
    expect(parts(page)).to_have_count(1)
    expect(parts(page).locator(".split-line .qty")).to_have_text(["1×"] * 3)
    assert total_of(parts(page)) == whole
    expect(page.get_by_role("button", name="Evenly")).to_be_visible()

    maria.goto(check_path)
    assert total_of(page.locator("#check")) == whole
    assert not maria.errors, maria.errors


def test_two_drinks_on_their_own_check_and_the_burrata_shared(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = order_and_send(
        maria,
        "4",
        2,
        [
            ("Drinks", "Negroni"),
            ("Drinks", "Prosecco"),
            ("Drinks", "Lemonade"),
            ("Starters", "Burrata"),
        ],
    )
    whole = total_of(page.locator("#check"))

    open_split(page, check_path)
    expect(page.locator("#split")).to_contain_text("By item: tick items below")
    original = parts(page).first
    original.get_by_label("Pick Negroni").check()
    original.get_by_label("Pick Prosecco").check()
    original.get_by_role("button", name="New check").click()

    expect(page.locator("#split .notice")).to_contain_text("Moved onto a new check.")
    expect(parts(page)).to_have_count(2)
    new_part = parts(page).nth(1)
    expect(new_part.locator(".split-line .what")).to_have_text(["Negroni", "Prosecco"])
    expect(parts(page).first.locator(".split-line .what")).to_have_text(["Lemonade", "Burrata"])
    totals = [total_of(column) for column in parts(page).all()]
    assert sum(totals) == whole, (totals, whole)

    # The Burrata was for both of them: share it with the new check.
    new_number = new_part.get_attribute("data-check")
    share = page.locator("details.share-panel")
    share.locator("summary", has_text="Share item").click()
    share.locator("label.pick", has_text="Burrata").locator("input").check()
    share.get_by_label(f"Check {new_number}", exact=True).check()
    share.get_by_role("button", name="Share", exact=True).click()

    expect(page.locator("#split .notice")).to_contain_text("Shared 2 ways.")
    for column in parts(page).all():
        burrata = column.locator(".split-line", has_text="Burrata")
        expect(burrata.locator(".qty")).to_have_text("1/2")
    halves = [
        cents(line.locator(".amount").inner_text())
        for line in page.locator(".split-line", has_text="Burrata").all()
    ]
    assert sum(halves) == 1400, halves  # the Burrata's $14.00, to the cent
    totals = [total_of(column) for column in parts(page).all()]
    assert sum(totals) == whole, (totals, whole)
    drinks = totals[1]
    expect(part_with(page, "Negroni").locator("a.pay")).to_have_text(
        f"Pay ${drinks // 100}.{drinks % 100:02d}"
    )
    assert not maria.errors, maria.errors


def test_loyalty_needs_no_manager_but_staff_meal_does(device: Callable[..., Device]) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    order_and_send(maria, "6", 2, [("Starters", "Burrata"), ("Starters", "Tuna Tartare")])
    check = page.locator("#check")
    expect(totals_row(check, "Subtotal")).to_have_text("$30.00")
    before = total_of(check)

    # A regular: 10 % off the check, within what a server may give on their own.
    check.get_by_role("button", name="Discount").click()
    sheet = page.locator("#modal .discount-sheet")
    form = sheet.locator("form.approval").filter(
        has=page.get_by_role("button", name="Apply discount")
    )
    form.get_by_label("Loyalty 10 %").check()
    form.get_by_label("Reason").fill("regular guest")
    form.get_by_role("button", name="Apply discount").click()
    expect(sheet).to_have_count(0)
    expect(totals_row(check, "Discounts")).to_have_text("−$3.00")
    loyal = total_of(check)
    tax = sum(cents(t) for t in check.locator("dt:text-matches('^Tax') + dd").all_inner_texts())
    assert loyal == 3000 - 300 + tax, (loyal, tax)
    assert loyal < before, (loyal, before)

    # Staff meal always needs a manager: refused without one, nothing changes.
    check.get_by_role("button", name="Discount").click()
    expect(sheet).to_contain_text("Loyalty 10 %")  # the discount already on the check
    form.get_by_label("Staff meal").check()
    form.get_by_label("Reason").fill("Sam's dinner before service")
    form.get_by_role("button", name="Apply discount").click()
    expect(sheet.locator("#modal-error")).to_contain_text(
        "Staff meal always needs a manager's approval."
    )
    expect(sheet).to_be_visible()
    expect(totals_row(check, "Discounts")).to_have_text("−$3.00")
    assert total_of(check) == loyal

    # Mia comes over and types her PIN.
    form.locator("summary", has_text="Manager approval").click()
    form.get_by_label("Mia").check()
    form.get_by_label("Manager PIN").fill(PINS["Mia"])
    form.get_by_role("button", name="Apply discount").click()
    expect(sheet).to_have_count(0)
    # Both come off the same $30.00: 10 % + 50 % = $18.00, and the total follows (MNY-4).
    expect(totals_row(check, "Discounts")).to_have_text("−$18.00")
    tax = sum(cents(t) for t in check.locator("dt:text-matches('^Tax') + dd").all_inner_texts())
    assert total_of(check) == 3000 - 1800 + tax < loyal, (total_of(check), tax, loyal)
    expect(check.locator("a.pay")).to_have_text(re.compile(r"^Pay \$"))
    assert not maria.errors, maria.errors


#: Counts the messages the page's websocket feed has swapped in.
WS_MESSAGES = (
    "window.__wsMessages = 0;"
    "document.addEventListener('htmx:wsAfterMessage', function () { window.__wsMessages += 1; });"
)


def test_the_server_still_sees_discount_applied_after_the_feed_redraws(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    maria.context.add_init_script(WS_MESSAGES)
    sign_in(maria, "Maria")
    page = maria.page
    order_and_send(maria, "Bar 2", 1, [("Starters", "Burrata")])
    check = page.locator("#check")
    echoes = page.evaluate("window.__wsMessages")

    check.get_by_role("button", name="Discount").click()
    form = page.locator("#modal form.approval").filter(
        has=page.get_by_role("button", name="Apply discount")
    )
    form.get_by_label("Loyalty 10 %").check()
    form.get_by_label("Reason").fill("regular guest")
    form.get_by_role("button", name="Apply discount").click()
    expect(page.locator("#modal .discount-sheet")).to_have_count(0)
    expect(totals_row(check, "Discounts")).to_have_text("−$1.40")
    page.wait_for_function(f"window.__wsMessages > {echoes}")  # the feed told this tablet too
    expect(check.locator(".notice")).to_have_text("Discount applied.", timeout=1000)
