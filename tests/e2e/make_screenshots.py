"""Screenshots for the README, taken from a real server on a fresh demo restaurant.

    .venv/bin/python -m tests.e2e.make_screenshots [--out docs/screenshots]

Not part of the test run. Needs the same things as the browser tests: PostgreSQL (embedded or
BRIGADE_TEST_DATABASE_URL) and Debian's Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, ROOT, running_server
from tests.e2e.steps import (
    KDS,
    TABLET,
    WAIT_MS,
    Device,
    add_item,
    choose_item,
    has_class,
    open_station,
    option_text,
    seat_table,
    send_check,
    sign_in,
    table_tile,
)

OUT = ROOT / "docs" / "screenshots"


def shoot(page: Page, out: Path, name: str) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")
    path = out / name
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def take(browser: Browser, base_url: str, out: Path) -> None:
    def device(viewport: dict[str, int]) -> Device:
        return Device(browser.new_context(viewport=viewport), base_url)  # type: ignore[arg-type]

    # The kitchen screen first, so tickets arrive live as they are sent.
    kds = device(KDS)
    sign_in(kds, "Ode")
    open_station(kds, "Grill")

    # login.png: Maria has tapped her name and two digits of her PIN.
    maria = device(TABLET)
    sign_in(maria, "Maria", "11", submit=False)
    shoot(maria.page, out, "login.png")
    sign_in(maria, "Maria")
    page = maria.page

    # Table 8: a party of five, sent.
    seat_table(maria, "8", 5)
    add_item(page, "Starters", "Burrata", seat=None)
    add_item(page, "Starters", "Calamari", seat=None)
    add_item(page, "Mains", "Filet Mignon", ("Rare", "Greens"), seat=1)
    add_item(page, "Mains", "Lamb Rack", ("Medium", "Mash"), seat=2)
    add_item(page, "Mains", "Steak Frites", ("Medium well",), seat=3, note="no pepper sauce")
    add_item(page, "Drinks", "House Red (glass)", seat=4)
    add_item(page, "Drinks", "Sparkling Water", seat=5)
    send_check(page)
    # The mains were held behind the starters: the server fires them.
    page.get_by_role("button", name="Fire Mains").click()
    expect(page.locator("#check .badge.held")).to_have_count(0)

    # Table 3: three guests, order in progress (order.png), then a steak to choose (choose.png).
    check_3 = seat_table(maria, "3", 3)
    add_item(page, "Mains", "Brigade Burger", ("Medium", "Onion rings", "Add bacon"), seat=1)
    add_item(page, "Mains", "Salmon", ("Mash",), seat=2, note="sauce on the side")
    add_item(page, "Drinks", "IPA Draft", seat=1)
    add_item(page, "Drinks", "Negroni", seat=3)
    choose_item(page, "Mains", "Ribeye 12oz", seat=3)
    modal = page.locator("#modal form.choose")
    expect(modal).to_be_visible()
    modal.locator("label.option", has_text=option_text("Medium rare")).click()
    modal.locator("label.option", has_text=option_text("Fries")).click()
    shoot(page, out, "choose.png")
    modal.get_by_role("button", name="Add to check").click()
    expect(modal).to_have_count(0)
    page.locator(".cat-tab", has_text="Mains").click()
    shoot(page, out, "order.png")
    send_check(page)

    # Sam: table 10 sent, table 1 just seated.
    sam = device(TABLET)
    sign_in(sam, "Sam")
    seat_table(sam, "10", 2)
    add_item(sam.page, "Mains", "Pork Chop", ("Medium", "Fries"), seat=1)
    add_item(sam.page, "Mains", "Half Lobster", ("Greens",), seat=2)
    add_item(sam.page, "Drinks", "Prosecco", seat=None, modal=False)
    send_check(sam.page)
    seat_table(sam, "1", 2)

    # A table seated, nothing sent yet.
    seat_table(maria, "12", 2)

    # floor.png: the floor with tables free, seated and ordered.
    maria.goto("/floor")
    expect(table_tile(page, "1")).to_have_class(has_class("state-seated"))
    expect(table_tile(page, "8")).to_have_class(has_class("state-ordered"))
    shoot(page, out, "floor.png")

    # kds.png: three grill tickets.
    expect(kds.page.locator("article.ticket")).to_have_count(3)
    kds.page.wait_for_timeout(1_500)  # let the ticket timers tick past 0:00 for the picture
    shoot(kds.page, out, "kds.png")

    # pay.png: table 3 pays $200 in cash; change due.
    maria.goto(check_3 + "/pay")
    page.get_by_label("Cash tendered").fill("200")
    page.get_by_role("button", name="Take cash").click()
    expect(page.locator("#change-due")).to_be_visible()
    shoot(page, out, "pay.png")


def main(
    argv: list[str] | None = None, take_all: Callable[[Browser, str, Path], None] = take
) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the PNGs")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"Chromium not installed at {CHROMIUM}: apt-get install -y chromium")
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=WAIT_MS)
    with running_server() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            take_all(browser, server.url, args.out.resolve())
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
