"""Two servers on one table at the same moment: every tap lands, once, on both tablets."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.steps import (
    TABLET,
    Device,
    mark_no_reload,
    seat_table,
    sign_in,
    still_same_page,
    wait_live,
)

DRINKS = ["Lager Draft", "IPA Draft", "Lemonade", "Iced Tea", "Espresso", "Cappuccino"]


def tap_drink(page: Page, name: str) -> None:
    page.locator(".cat-tab", has_text="Drinks").click()
    label = page.locator(".item-name", has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))
    page.locator("button.item:visible").filter(has=label).click()


def test_two_tablets_add_to_one_check_at_once_and_both_see_every_line(
    device: Callable[..., Device],
) -> None:
    maria, sam = device(TABLET), device(TABLET)
    sign_in(maria, "Maria")
    sign_in(sam, "Sam")
    check = seat_table(maria, "13", 4)
    sam.goto(check)
    wait_live(sam.page)
    for page in (maria.page, sam.page):
        mark_no_reload(page)

    # Both tap drinks as fast as they can, interleaved, without waiting for each other.
    for mine, theirs in zip(DRINKS[:3], DRINKS[3:], strict=True):
        tap_drink(maria.page, mine)
        tap_drink(sam.page, theirs)

    for page in (maria.page, sam.page):
        lines = page.locator("#check .line")
        expect(lines).to_have_count(6)
        for drink in DRINKS:
            expect(page.locator("#check .line", has_text=drink)).to_have_count(1)
        still_same_page(page)

    # Sam sends; Maria's tablet shows them sent without a reload, and nothing twice.
    sam.page.locator("button.send").click()
    expect(maria.page.locator("#check .line .badge.fired")).to_have_count(6)
    expect(maria.page.locator("button.send")).to_be_disabled()
    maria.page.reload()
    expect(maria.page.locator("#check .line")).to_have_count(6)


def test_double_tap_on_send_sends_once(device: Callable[..., Device]) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    check = seat_table(maria, "11", 2)
    tap_drink(maria.page, "Negroni")
    expect(maria.page.locator("#check .line")).to_have_count(1)
    maria.page.locator("button.send").dblclick()
    expect(maria.page.locator("#check .line .badge.fired")).to_have_count(1)
    maria.page.goto(maria.base_url + check)
    expect(maria.page.locator("#check .line")).to_have_count(1)
    expect(maria.page.locator(".flash-error")).to_have_count(0)
