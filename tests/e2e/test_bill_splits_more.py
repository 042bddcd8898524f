"""Splitting the bill in a real browser, beyond by seat, evenly and by item: guests who each
put a fixed amount on the check, parts put back together one at a time, and what the screens
say (and refuse to do) when the numbers typed make no sense.

Here the guests' amounts are typed straight on the payment screen (each on their own card or
in cash); the split screen's *By amount* plan, which fills those amounts in for the server, is
driven in test_bill_split_by_amount.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from tests.e2e.bill_steps import (
    approve_next_charge,
    cents,
    charge_card,
    dollars,
    open_pay,
    open_split,
    order_at_empty_patio_table,
    part_with,
    parts,
    pay_by_card,
    payment_rows,
    seat_empty_patio_table,
    total_of,
)
from tests.e2e.steps import TABLET, Device, add_item, send_check, sign_in


def test_three_colleagues_each_put_a_fixed_amount_on_the_check(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = order_at_empty_patio_table(
        maria,
        3,
        [
            ("Starters", "Prawn Cocktail"),
            ("Starters", "Oysters (6)"),
            ("Starters", "Charcuterie Board"),
            ("Drinks", "Margarita"),
            ("Drinks", "IPA Draft"),
        ],
    )
    # Food 56.00 and drinks 21.00, tax per line: 1.33 + 1.69 + 1.95 + 1.35 + 0.83 = 7.15.
    expect(page.locator("#check dd.total")).to_have_text("$84.15")
    open_pay(page)
    approve_next_charge(page)
    whole = cents(page.locator("#balance").inner_text())
    assert whole == 8415

    # Ana: "put $30 on my card".
    charge_card(page, "30.00")
    expect(page.locator(".card-result")).to_contain_text("Card approved")
    expect(page.locator("#balance")).to_have_text(dollars(whole - 3000))

    # Ben: "$25 of it in cash" and hands over two twenties.
    cash = page.locator("section.tender.cash")
    cash.locator("summary", has_text="Pay part of it").click()
    cash.get_by_label("Amount on cash").fill("25.00")
    cash.get_by_label("Cash tendered").fill("40")
    cash.get_by_role("button", name="Take cash").click()
    expect(page.locator("#change-due")).to_have_text("$15.00")
    rest = whole - 3000 - 2500
    expect(page.locator("#balance")).to_have_text(dollars(rest))

    # Chloe pays what is left: the card amount already says so, to the cent.
    expect(page.locator("section.tender.card").get_by_label("Amount on card")).to_have_value(
        f"{rest // 100}.{rest % 100:02d}"
    )
    charge_card(page)
    expect(page.locator(".card-result")).to_contain_text("Card approved")
    expect(page.locator("#pay")).to_contain_text("is closed")
    amounts = [
        cents(t)
        for t in payment_rows(page).locator(".payment-head > span:nth-of-type(1)").all_inner_texts()
    ]
    assert amounts == [3000, 2500, rest], amounts
    assert sum(amounts) == whole

    # The bill lists the three payments, which add up to its total; nothing is left owing.
    maria.goto(check_path + "/bill")
    expect(page.locator("#bill-total")).to_have_text("$84.15")
    expect(page.locator("#bill-balance")).to_have_text("$0.00")
    paid = page.locator("#bill tr").filter(has_text=re.compile(r"^\s*(Cash|VISA|MASTERCARD|AMEX)"))
    expect(paid.locator("td.amt")).to_have_text(["$30.00", "$25.00", dollars(rest)])
    assert not maria.errors, maria.errors


def test_a_couple_puts_their_parts_back_together_then_the_third_friend_joins_them(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = seat_empty_patio_table(maria, 3)
    add_item(page, "Starters", "Tuna Tartare", seat=1)
    add_item(page, "Starters", "Calamari", seat=2)
    add_item(page, "Drinks", "Old Fashioned", seat=3)
    add_item(page, "Drinks", "Sparkling Water")  # a bottle for the table
    send_check(page)
    whole = total_of(page.locator("#check"))
    # 16.00 + 13.00 + 4.00 food (1.42 + 1.15 + 0.36 tax), 15.00 + 1.56 alcohol.
    assert whole == 5249, whole

    open_split(page, check_path)
    page.get_by_role("button", name="By seat").click()
    expect(page.locator("#split .notice")).to_contain_text("Split by seat into 3 checks")
    expect(parts(page)).to_have_count(3)
    original, seat_3 = part_with(page, "Tuna Tartare"), part_with(page, "Old Fashioned")
    number = original.get_attribute("data-check")
    before = {
        n: total_of(part_with(page, n)) for n in ("Tuna Tartare", "Calamari", "Old Fashioned")
    }
    assert sum(before.values()) == whole, before
    # Every seat holds a third of the 4.00 water, to the cent.
    thirds = page.locator(".split-line", has_text="Sparkling Water")
    expect(thirds.locator(".qty")).to_have_text(["1/3"] * 3)
    assert sorted(cents(t) for t in thirds.locator(".amount").all_inner_texts()) == [133, 133, 134]

    # Seats 1 and 3 are a couple after all: seat 3's check goes back onto check 1 (not undo).
    seat_3.get_by_role("button", name=f"Put back on check {number}").click()
    expect(page.locator("#split .notice")).to_have_text("Put back together.")
    expect(parts(page)).to_have_count(2)
    expect(page.locator("section.part", has_text="Old Fashioned")).to_have_count(1)
    couple = parts(page).first
    expect(couple).to_have_attribute("data-check", number or "")
    for item in ("Tuna Tartare", "Old Fashioned"):
        expect(couple.locator(".split-line", has_text=item)).to_have_count(1)
    expect(couple.locator(".split-line", has_text="Calamari")).to_have_count(0)
    # Two of the water's three shares are on their check now; the third is still seat 2's.
    water = couple.locator(".split-line", has_text="Sparkling Water")
    expect(water.locator(".qty")).to_have_text(["1/3", "1/3"])
    assert total_of(couple) == before["Tuna Tartare"] + before["Old Fashioned"]
    assert total_of(couple) + total_of(part_with(page, "Calamari")) == whole
    expect(page.get_by_role("button", name="Undo split")).to_be_visible()  # still split

    # Seat 2 joins them: one check again, the water one bottle again, the same total.
    part_with(page, "Calamari").get_by_role("button", name=f"Put back on check {number}").click()
    expect(parts(page)).to_have_count(1)
    expect(page.locator("#split .notice")).to_have_text("Put back together.")
    expect(parts(page).locator(".split-line .qty")).to_have_text(["1×"] * 4)
    expect(parts(page).locator("dd.total")).to_have_text(dollars(whole))
    expect(page.get_by_role("button", name="Evenly")).to_be_visible()  # not split any more

    maria.goto(check_path)
    expect(page.locator("#check dd.total")).to_have_text(dollars(whole))
    expect(page.locator("#check a.pay")).to_have_text(f"Pay {dollars(whole)}")
    pay_by_card(maria, check_path, dollars(whole))
    assert not maria.errors, maria.errors


def test_nonsense_numbers_on_the_split_and_pay_screens_are_refused_and_change_nothing(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = order_at_empty_patio_table(
        maria, 2, [("Drinks", "Negroni"), ("Starters", "Burrata")]
    )
    whole = total_of(page.locator("#check"))
    open_split(page, check_path)

    # Zero parts: the tablet says what it takes, and nothing is sent.
    stepper = page.locator("form.stepper")
    parts_field = stepper.get_by_label("Parts", exact=True)
    parts_field.fill("0")
    stepper.get_by_role("button", name="Evenly").click()
    assert parts_field.evaluate("el => el.validity.rangeUnderflow")
    assert re.search(
        r"greater than or equal to 2", parts_field.evaluate("el => el.validationMessage")
    )
    expect(parts(page)).to_have_count(1)

    # "New check" with nothing ticked: the server says what to do.
    parts(page).first.get_by_role("button", name="New check").click()
    expect(page.locator("#flash")).to_contain_text("Tap the items that go on the other check.")
    expect(parts(page)).to_have_count(1)
    expect(page.locator("#split .notice")).to_have_count(0)

    # Nothing was split: the screen from the server still offers every way to split.
    maria.goto(check_path + "/split")
    expect(page.get_by_role("button", name="By seat")).to_be_visible()
    expect(parts(page)).to_have_count(1)
    expect(parts(page).locator("dd.total")).to_have_text(dollars(whole))

    # Two ways, properly this time; then the second guest pays more than their part.
    parts_field.fill("2")
    stepper.get_by_role("button", name="Evenly").click()
    expect(page.locator("#split .notice")).to_contain_text("Split evenly 2 ways")
    second = parts(page).nth(1)
    share = total_of(second)
    second.locator("a.pay").click()
    expect(page.locator("#balance")).to_have_text(dollars(share))
    approve_next_charge(page)

    too_much = dollars(share + 1).removeprefix("$")
    charge_card(page, too_much)
    expect(page.locator("#flash")).to_contain_text(
        "That is more than the balance: at most the amount owed can go on the card."
    )
    cash = page.locator("section.tender.cash")
    cash.locator("summary", has_text="Pay part of it").click()
    cash.get_by_label("Amount on cash").fill(too_much)
    cash.get_by_label("Cash tendered").fill("100")
    cash.get_by_role("button", name="Take cash").click()
    expect(page.locator("#flash")).to_contain_text(
        "That is more than the balance: at most the amount owed can go on cash."
    )
    expect(page.locator("#change-due")).to_have_count(0)

    # Nothing was taken: the part still owes its share, and its share is still payable.
    page.reload()
    expect(page.locator("#balance")).to_have_text(dollars(share))
    expect(payment_rows(page)).to_have_count(0)
    charge_card(page)
    expect(page.locator(".card-result")).to_contain_text("Card approved")
    expect(page.locator("#pay")).to_contain_text("(part 2 of 2) is paid")
    maria.goto(check_path + "/split")
    expect(parts(page).first.locator("a.pay")).to_have_text(f"Pay {dollars(whole - share)}")
    pay_by_card(maria, check_path, dollars(whole - share))
    assert not maria.errors, maria.errors
