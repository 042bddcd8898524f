"""Three friends split evenly and pay one by one in a real browser: each part says which part
it is, the paid screen says what the table still owes and goes straight to the next part, and
the floor shows the whole table's balance, paying, from the first part paid."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.e2e.bill_steps import (
    dollars,
    open_split,
    order_at_empty_patio_table,
    parts,
    plain,
    take_cash,
    total_of,
)
from tests.e2e.steps import TABLET, Device, sign_in, table_tile

#: A folder to keep screenshots in for a person to look at (none unless set).
SHOTS = os.environ.get("BRIGADE_E2E_SHOTS", "")


def _shot(target: Page | Locator, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        target.screenshot(path=str(Path(SHOTS) / name))


def test_three_friends_split_evenly_pay_one_part_and_go_to_the_next(
    device: Callable[..., Device],
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = order_at_empty_patio_table(
        maria, 3, [("Drinks", "Negroni"), ("Drinks", "Prosecco"), ("Drinks", "IPA Draft")]
    )
    table = re.sub(r"^Table\s+", "", page.locator("#check .check-head strong").inner_text())
    whole = total_of(page.locator("#check"))

    open_split(page, check_path)
    page.get_by_role("button", name="More parts").click()  # 2 -> 3
    page.get_by_role("button", name="Evenly").click()
    expect(page.locator("#split .notice")).to_contain_text("Split evenly 3 ways")
    expect(parts(page)).to_have_count(3)
    expect(parts(page).nth(1).locator(".part-head")).to_contain_text("part 2 of 3")
    totals = [total_of(parts(page).nth(i)) for i in range(3)]
    numbers = [parts(page).nth(i).get_attribute("data-check") for i in range(3)]
    assert sum(totals) == whole, (totals, whole)

    # The first guest pays part 1 in cash, exactly.
    parts(page).first.locator("a.pay").click()
    expect(page.locator("#pay .check-head")).to_contain_text("part 1 of 3")
    take_cash(page, plain(totals[0]))
    banner = page.locator(".closed-banner")
    expect(banner).to_contain_text(f"Check {numbers[0]} (part 1 of 3) is paid")
    expect(page.locator("#table-owes")).to_contain_text(
        f"Table {table} still owes {dollars(totals[1] + totals[2])} on 2 checks"
    )
    expect(banner).not_to_contain_text("free again")
    _shot(page, "split-part-paid.png")

    # Next: the second part's pay screen, its amount ready.
    following = page.locator("#next-part")
    expect(following).to_have_text(f"Next: check {numbers[1]} · Pay {dollars(totals[1])}")
    following.click()
    expect(page).to_have_url(re.compile(r"/checks/\d+/pay$"))
    expect(page.locator("#pay .check-head")).to_contain_text("part 2 of 3")
    expect(page.locator("#balance")).to_have_text(dollars(totals[1]))
    # Its order screen says which part it is too.
    maria.goto(re.sub(r"^https?://[^/]+|/pay$", "", page.url))
    expect(page.locator("#check .check-head")).to_contain_text(f"Check {numbers[1]} · part 2 of 3")
    _shot(page, "split-part-order-screen.png")

    # The floor: the table owes both parts still open, and it is paying.
    maria.goto("/floor")
    page.locator(".floor-tabs a.tab", has_text=re.compile(r"^\s*Patio\s*$")).click()
    tile = table_tile(page, table)
    expect(tile).to_have_attribute("data-state", "paying")
    expect(tile.locator(".t-amount")).to_contain_text(dollars(totals[1] + totals[2]))
    _shot(tile, "split-table-tile.png")
    _shot(page, "split-floor.png")

    # The original is paid, yet the two parts left can still go back together.
    maria.goto(check_path + "/split")
    expect(page.get_by_role("button", name="Undo split")).to_be_visible()
    _shot(page, "split-after-original-paid.png")
    expect(
        parts(page).nth(2).get_by_role("button", name=f"Put back on check {numbers[1]}")
    ).to_be_visible()

    # The other two pay; the last one frees the table.
    for index in (1, 2):
        parts(page).nth(index).locator("a.pay").click()
        expect(page.locator("#balance")).to_have_text(dollars(totals[index]))
        take_cash(page, plain(totals[index]))
        expect(page.locator(".closed-banner")).to_be_visible()
        if index == 1:
            expect(page.locator("#table-owes")).to_contain_text(dollars(totals[2]))
            page.locator(".closed-banner a", has_text="Split screen").click()
            expect(parts(page)).to_have_count(3)
    expect(page.locator(".closed-banner")).to_contain_text(
        f"Every part is paid: table {table} is free again."
    )
