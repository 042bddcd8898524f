"""A dinner service in a real browser: tablets on the floor, a kitchen screen on the wall."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from tests.e2e.steps import (
    KDS,
    TABLET,
    Device,
    assert_uncovered,
    has_class,
    mark_no_reload,
    open_station,
    sign_in,
    still_same_page,
    table_tile,
    wait_live,
)


def ticket_on(kds: Page, text: str) -> Locator:
    return kds.locator("article.ticket").filter(has_text=text)


def test_server_seats_table_kitchen_gets_ticket_cash_closes_and_floor_frees(
    device: Callable[..., Device],
) -> None:
    # The grill's wall screen, live.
    kds = device(KDS)
    sign_in(kds, "Ode")
    expect(kds.page).to_have_url(re.compile(r"/kds/?$"))
    open_station(kds, "Grill")
    mark_no_reload(kds.page)

    # Sam's tablet shows the floor, live.
    sam = device(TABLET)
    sign_in(sam, "Sam")
    expect(sam.page).to_have_url(re.compile(r"/floor$"))
    wait_live(sam.page)
    mark_no_reload(sam.page)

    # Maria seats two at table 5.
    maria = device(TABLET)
    sign_in(maria, "Maria")
    expect(maria.page).to_have_url(re.compile(r"/floor$"))
    page = maria.page
    table = table_tile(page, "5")
    expect(table).to_have_class(has_class("state-free"))
    table_dom_id = table.get_attribute("id")
    assert table_dom_id is not None
    assert re.fullmatch(r"table-\d+", table_dom_id), table_dom_id
    table.click()
    page.locator(".guest-keys button", has_text=re.compile(r"^\s*2\s*$")).click()
    expect(page).to_have_url(re.compile(r"/checks/\d+$"))
    check_path = re.sub(r"^https?://[^/]+", "", page.url)
    expect(page.locator("#check .check-head")).to_contain_text("Table 5")
    expect(page.locator("#check .check-head")).to_contain_text("2 guests")
    wait_live(page)

    on_sams_floor = sam.page.locator(f"#{table_dom_id}")
    expect(on_sams_floor).to_have_class(has_class("state-seated"))

    # Ribeye for seat 1: the temperature is required, and the tablet says so.
    page.locator("#seat-bar label", has_text=re.compile(r"^\s*1\s*$")).click()
    page.locator(".cat-tab", has_text="Mains").click()
    page.locator("button.item", has_text="Ribeye 12oz").click()
    choose = page.locator("form.choose")
    expect(choose).to_be_visible()
    expect(choose.locator("h2")).to_contain_text("Ribeye 12oz")
    # The seat picked in the seat bar is preselected in the modal.
    expect(choose.locator("input[name=seat][value='1']")).to_be_checked()
    choose.get_by_role("button", name="Add to check").click()
    # The refusal shows inside the modal, next to the choice it is about.
    flash = choose.locator("#modal-error .flash-error")
    expect(flash).to_contain_text("Temperature: pick a choice.")
    assert_uncovered(flash)
    expect(choose).to_be_visible()
    expect(page.locator("#check .line")).to_have_count(0)

    choose.locator("label.option", has_text="Medium rare").click()
    choose.locator("label.option", has_text="Fries").click()
    choose.get_by_role("button", name="Add to check").click()
    expect(page.locator("#modal form.choose")).to_have_count(0)
    steak = page.locator("#check .line", has_text="Ribeye 12oz")
    expect(steak).to_contain_text("Medium rare")
    expect(steak).to_contain_text("Fries")
    # Lines are grouped by seat under their course: the steak sits under "Seat 1".
    expect(page.locator("#check .seat-head + .line", has_text="Ribeye 12oz")).to_have_count(1)
    expect(page.locator("#check .seat-head", has_text="Seat 1")).to_have_count(1)
    expect(page.locator(".flash-error")).to_have_count(0)

    # A draft beer goes straight on the check.
    page.locator(".cat-tab", has_text="Drinks").click()
    page.locator("button.item", has_text="IPA Draft").click()
    expect(page.locator("#check .line", has_text="IPA Draft")).to_be_visible()
    expect(page.locator("#check .line")).to_have_count(2)
    send = page.locator("button.send")
    expect(send).to_have_text(re.compile(r"Send \(2\)"))
    send.click()
    expect(page.locator("#check .line .badge.fired")).to_have_count(2)
    expect(page.locator("button.send")).to_be_disabled()

    # The grill sees the steak without a reload; the beer goes to the bar, not the grill.
    ticket = ticket_on(kds.page, "Ribeye 12oz")
    expect(ticket).to_have_count(1)
    expect(ticket).to_contain_text("Medium rare")
    expect(ticket).to_contain_text("Table 5")
    expect(ticket).to_contain_text("Maria")
    expect(kds.page.locator("article.ticket", has_text="IPA Draft")).to_have_count(0)
    still_same_page(kds.page)

    # Sam's floor shows table 5 as ordered, without a reload.
    expect(on_sams_floor).to_have_class(has_class("state-ordered"))
    expect(on_sams_floor).to_contain_text("Maria")
    still_same_page(sam.page)

    # The cook bumps the ticket and it leaves the screen.
    ticket.locator("button.bump").click()
    expect(ticket_on(kds.page, "Ribeye 12oz")).to_have_count(0)

    # Maria takes $60 cash for a $50.20 check.
    pay = page.locator("a.pay")
    expect(pay).to_have_text("Pay $50.20")
    pay.click()
    expect(page).to_have_url(re.compile(re.escape(check_path) + r"/pay$"))
    expect(page.locator("#balance")).to_have_text("$50.20")
    page.get_by_label("Cash tendered").fill("60")
    page.get_by_role("button", name="Take cash").click()
    expect(page.locator(".change-due")).to_contain_text("Change due")
    expect(page.locator("#change-due")).to_have_text("$9.80")
    expect(page.locator("#pay")).to_contain_text("is closed")

    # Sam's floor shows the table empty and waiting for a busser, without a reload; Sam
    # marks it clean and it is free on every tablet.
    expect(on_sams_floor).to_have_class(has_class("state-bussing"))
    expect(on_sams_floor).not_to_contain_text("Maria")
    still_same_page(sam.page)
    on_sams_floor.click()
    sam.page.get_by_role("button", name="Mark clean").click()
    expect(on_sams_floor).to_have_class(has_class("state-free"))
    expect(page.locator(f"#{table_dom_id}")).to_have_count(0)  # Maria is on the pay screen
    still_same_page(sam.page)

    # A reload shows the same state: the ticket stays bumped, the check stays closed.
    kds.page.reload()
    wait_live(kds.page)
    expect(kds.page.locator("h1")).to_have_text("Grill")
    expect(ticket_on(kds.page, "Ribeye 12oz")).to_have_count(0)
    page.goto(maria.base_url + check_path)
    expect(page.locator("#check .check-head")).to_contain_text("closed")
    expect(page.locator(".menu-pane")).to_contain_text("is closed")
    expect(page.locator("button.send")).to_have_count(0)
    expect(page.locator("#check .line")).to_have_count(2)
    sam.page.reload()
    expect(sam.page.locator(f"#{table_dom_id}")).to_have_class(has_class("state-free"))

    for screen in (kds, sam, maria):
        assert screen.errors == [], f"JavaScript errors on {screen.page.url}: {screen.errors}"
