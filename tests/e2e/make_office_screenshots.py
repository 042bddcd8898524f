"""Screenshots of the back office's menu and stations pages for the README and docs/back-office.md.

    .venv/bin/python -m tests.e2e.make_office_screenshots [--out docs/screenshots]

Not part of the test run; needs what make_screenshots needs (PostgreSQL, Chromium).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.make_screenshots import main, shoot
from tests.e2e.steps import TABLET, Device, sign_in

DESKTOP = {"width": 1280, "height": 900}


def take(browser: Browser, base_url: str, out: Path) -> None:
    mia = Device(browser.new_context(viewport=DESKTOP), base_url)  # type: ignore[arg-type]
    sign_in(mia, "Mia")
    page = mia.page
    mia.goto("/office/menu")
    expect(page.locator("#menu-editor h1")).to_have_text("Menu")
    shoot(page, out, "office-menu.png")
    page.get_by_role("link", name="Brigade Burger").click()
    expect(page.locator("#menu-item h1")).to_contain_text("Brigade Burger")
    shoot(page, out, "office-menu-item.png")
    mia.goto("/office/stations")
    expect(page.locator("#office-stations h1")).to_have_text("Stations")
    shoot(page, out, "office-stations.png")
    tablet = Device(browser.new_context(viewport=TABLET), base_url)  # type: ignore[arg-type]
    sign_in(tablet, "Mia")
    tablet.goto("/office/menu/modifiers")
    expect(tablet.page.locator("#menu-modifiers h1")).to_have_text("Modifier groups")
    shoot(tablet.page, out, "office-modifiers.png")


if __name__ == "__main__":
    sys.exit(main(take_all=take))
