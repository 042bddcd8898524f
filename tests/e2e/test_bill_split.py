"""Four friends, four checks: a table split by seat in a real browser, each seat paying its own
way, one in cash and one by card with a tip."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.steps import TABLET, Device, add_item, seat_table, send_check, sign_in

SEATS = {1: ("Negroni", "$15.45"), 2: ("Prosecco", "$13.25"), 3: ("Lemonade", "$5.44")}


def _money(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text))


def _part(page: Page, item: str):  # type: ignore[no-untyped-def]
    return page.locator("section.part").filter(has_text=item)


def test_four_seats_split_by_seat_one_pays_cash_one_pays_card_with_a_tip(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = seat_table(maria, "10", 4)
    for seat, item in ((1, "Negroni"), (2, "Prosecco"), (3, "Lemonade"), (4, "IPA Draft")):
        add_item(page, "Drinks", item, seat=seat)
    send_check(page)
    whole = _money(page.locator("#check dd.total").inner_text())

    # Split: from the order screen to the split screen, then By seat.
    page.locator("#check a", has_text="Split").click()
    expect(page).to_have_url(re.compile(re.escape(check_path) + r"/split$"))
    page.get_by_role("button", name="By seat").click()
    expect(page.locator("#split .notice")).to_contain_text("Split by seat into 4 checks")
    parts = page.locator("section.part")
    expect(parts).to_have_count(4)
    totals = [_money(t) for t in parts.locator("dd.total").all_inner_texts()]
    assert sum(totals) == whole, (totals, whole)
    for seat, (item, total) in SEATS.items():
        expect(_part(page, item).locator("dd.total")).to_have_text(total)
        expect(_part(page, item)).to_contain_text(f"seat {seat}")
    # Every column is a big, tappable Pay button on a 1024x768 tablet.
    box = _part(page, "Prosecco").locator("a.pay").bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 1024

    # Seat 2 pays cash: $20 for $13.25.
    _part(page, "Prosecco").locator("a.pay").click()
    expect(page).to_have_url(re.compile(r"/checks/\d+/pay$"))
    expect(page.locator("#balance")).to_have_text("$13.25")
    page.get_by_label("Cash tendered").fill("20")
    page.get_by_role("button", name="Take cash").click()
    expect(page.locator("#change-due")).to_have_text("$6.75")
    # Seat 2's part is paid; the other three seats still owe (issue 10: not "is closed").
    expect(page.locator("#pay")).to_contain_text("(part 2 of 4) is paid")

    # Back on the split screen, seat 2 is paid; the others still owe.
    maria.goto(check_path + "/split")
    expect(_part(page, "Prosecco")).to_contain_text("Paid")
    expect(_part(page, "Lemonade").locator("a.pay")).to_have_text("Pay $5.44")

    # Seat 3 pays by card and adds a $1.00 tip (the payment screen's Card panel).
    _part(page, "Lemonade").locator("a.pay").click()
    expect(page.locator("#balance")).to_have_text("$5.44")
    card = page.locator("section.tender.card")
    expect(card.get_by_label("Amount on card")).to_have_value("5.44")
    card.get_by_label("Card tip").fill("1.00")
    card.get_by_role("button", name="Charge card").click()
    expect(page.locator(".card-result")).to_contain_text("Card approved")
    expect(page.locator(".card-result")).to_contain_text("tip $1.00")
    expect(page.locator("#pay")).to_contain_text("(part 3 of 4) is paid")

    maria.goto(check_path + "/split")
    expect(_part(page, "Lemonade")).to_contain_text("Paid")
    expect(_part(page, "Negroni").locator("a.pay")).to_have_text("Pay $15.45")
    assert not maria.errors, maria.errors
