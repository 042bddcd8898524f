"""The back office's books in a real browser, on a server of its own (closing the day must not
touch the shared server the other browser tests use): a dinner is served and paid, the
manager reads the X report and the journal of the night's closes, closes the day with the
drawer still open and gets Z #1; a count of the walk-in answers with its variance."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.make_day_screenshots import Api, serve_dinner
from tests.e2e.server import LiveServer, running_server
from tests.e2e.steps import Device, sign_in

DESKTOP = {"width": 1280, "height": 1000}


@pytest.fixture(scope="module")
def own_server(live_server: LiveServer) -> Iterator[LiveServer]:
    with running_server() as server:
        yield server


def test_a_manager_closes_the_day_and_reads_the_books(
    browser: Browser, own_server: LiveServer
) -> None:
    api = Api(own_server.url)
    still_open = serve_dinner(api)
    mia = Device(browser.new_context(viewport=DESKTOP), own_server.url)  # type: ignore[arg-type]
    sign_in(mia, "Mia")
    page = mia.page

    mia.goto("/office/day")
    expect(page.locator("#day h1")).to_contain_text("End of day")
    expect(page.locator("#day")).to_contain_text("Still open")  # the check left open
    api.pay(still_open)

    mia.goto("/office/books/")  # the open day's journal: the float and the night's closes
    expect(page.locator("body")).to_contain_text("Drawer float counted in")
    expect(page.locator("body")).to_contain_text("Sales - Starters")

    mia.goto("/office/day")
    page.on("dialog", lambda dialog: dialog.accept())  # "Close business day ...?"
    page.get_by_label("Close the day with the Main drawer open").check()
    page.get_by_role("button", name="Close day").click()
    expect(page.locator("#day h1")).to_contain_text("Z report #1")
    mia.goto("/office/inventory/count")
    page.get_by_label("Beef ribeye", exact=True).fill("4.7")
    page.get_by_label("Unit for Beef ribeye").fill("kg")
    page.get_by_role("button", name="Save the count").click()
    expect(page.locator("#inventory-count-taken")).to_contain_text("-300 g")
    assert not mia.errors
