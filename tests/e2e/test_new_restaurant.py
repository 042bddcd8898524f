"""A new restaurant, in a real browser: from `brigade init` on an empty database to a first
order on a freshly paired kitchen screen, with no SQL and none of the demo's data, PINs or
token. Every step is a screen an owner uses (issue 11's "done when")."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.server import ROOT, LiveServer, brigade_command, empty_database, running_server
from tests.e2e.steps import KDS, TABLET, Device, add_item, seat_table, send_check, sign_in

OWNER_PIN, SERVER_PIN = "2468", "1357"


def brigade_init(database_url: str) -> None:
    """What the README tells a new owner to run (docs/back-office.md), answering by flags."""
    done = subprocess.run(
        [
            brigade_command(),
            "init",
            "--name",
            "Chez Lou",
            "--currency",
            "EUR",
            "--locale",
            "fr_FR",
            "--timezone",
            "Europe/Paris",
            "--tax",
            "10",
            "--owner",
            "Lou",
            "--pin-stdin",
        ],
        input=OWNER_PIN + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "BRIGADE_DATABASE_URL": database_url},
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Chez Lou is open" in done.stdout


@pytest.fixture(scope="module")
def new_restaurant(live_server: LiveServer) -> Iterator[LiveServer]:
    """A second server, on a database `brigade init` opened (the demo's keeps running for
    the other browser tests and for the shared browser fixture)."""
    with running_server(empty_database, brigade_init) as server:
        yield server


def submit(page: Page, form: str, button: str, *, navigates: bool = True, **fields: str) -> None:
    """Fill a back-office form by its fields' names and press its button; wait for the page
    it sends us back to (or, ``navigates=False``, for htmx to swap its answer in)."""
    scope = page.locator(form)
    for name, value in fields.items():
        field = scope.locator(f"[name='{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    if navigates:
        with page.expect_navigation():
            scope.get_by_role("button", name=button).click()
    else:
        scope.get_by_role("button", name=button).click()
    expect(page.locator(".flash-error")).to_have_count(0)


def test_an_owner_opens_a_restaurant_and_serves_a_first_table_without_sql(
    browser: Browser, new_restaurant: LiveServer
) -> None:
    def device(viewport: dict[str, int]) -> Device:
        return Device(browser.new_context(viewport=viewport), new_restaurant.url)  # type: ignore[arg-type]

    lou = device(TABLET)
    lou.goto("/login")
    tiles = lou.page.locator("a.tile")
    expect(tiles).to_have_count(1)  # the owner only: no demo staff, no published PINs
    expect(tiles).to_have_text(re.compile("Lou"))
    sign_in(lou, "Lou", OWNER_PIN)
    page = lou.page

    lou.goto("/office/stations")
    submit(page, "#add-station", "Add station", name="Cuisine")
    lou.goto("/office/menu/modifiers")
    submit(page, "#add-group", "Add group", name="Cuisson", min_choices="1", max_choices="1")
    group = page.locator("article.menu-category", has_text="Cuisson")
    for option in ("Saignant", "À point"):
        group.get_by_label("New option for Cuisson", exact=True).fill(option)
        with page.expect_navigation():
            group.get_by_role("button", name="Add option").click()
    lou.goto("/office/menu")
    submit(page, "#add-category", "Add category", name="Plats", course="mains")
    plats = page.locator("article.menu-category", has_text="Plats")
    plats.get_by_label("New item in Plats", exact=True).fill("Entrecôte")
    plats.get_by_label("Price of the new item in Plats").fill("24,50")
    with page.expect_navigation():
        plats.get_by_role("button", name="Add to Plats").click()
    page.get_by_role("link", name="Entrecôte").click()
    page.get_by_role("checkbox", name=re.compile("Cuisson")).check()
    submit(page, "#menu-item form.office-form", "Save Entrecôte", kitchen_name="ENTRECOTE")

    lou.goto("/kds/routing")
    page.locator(".route-row", has_text="Plats").get_by_label("Cuisine").first.check()
    expect(page.locator(".route-row", has_text="Plats").locator(".route-warn")).to_have_count(0)
    lou.goto("/floor/layout")
    page.get_by_role("button", name="Add square").click()
    expect(page.locator("#layout-board .layout-table")).to_have_count(1)
    lou.goto("/staff")
    submit(page, "#hire", "Add", name="Anna", role="server", pin=SERVER_PIN, pin_again=SERVER_PIN)

    # The kitchen screen shows a code; the owner types it on Devices; the screen signs in.
    kitchen = device(KDS)
    kitchen.goto("/pair")
    kitchen.page.get_by_role("button", name="Show a pairing code").click()
    code = kitchen.page.locator("[data-pairing-code]").inner_text().strip()
    assert len(code.replace("-", "")) >= 8
    lou.goto("/office/devices")
    submit(
        page,
        "#pair-device",
        "Pair",
        navigates=False,
        code=code,
        name="Écran cuisine",
        station="Cuisine",
    )
    expect(page.locator("#devices")).to_contain_text("Écran cuisine")
    expect(kitchen.page).to_have_url(re.compile(r"/kds/\d+$"), timeout=15_000)
    expect(kitchen.page.locator("body")).to_contain_text("Cuisine")

    anna = device(TABLET)
    sign_in(anna, "Anna", SERVER_PIN)
    seat_table(anna, "1", 2)
    add_item(anna.page, "Plats", "Entrecôte", ("Saignant",))
    expect(anna.page.locator("#check")).to_contain_text("24,50")
    send_check(anna.page)

    ticket = kitchen.page.locator("article.ticket")
    expect(ticket).to_have_count(1)
    expect(ticket).to_contain_text("ENTRECOTE")
    expect(ticket).to_contain_text("Saignant")
    expect(ticket).not_to_contain_text("Entrecôte")
