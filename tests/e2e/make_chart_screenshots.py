"""Screenshots of the chart of accounts for docs/accounting-chart.md: the chart as the demo
maps it, with a new category not mapped yet, then mapped in one click.

    .venv/bin/python -m tests.e2e.make_chart_screenshots [--out docs/screenshots]

Not part of the test run; needs what make_screenshots needs (PostgreSQL, Chromium).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.make_screenshots import main, shoot
from tests.e2e.steps import Device, sign_in

DESKTOP = {"width": 1280, "height": 900}


def take(browser: Browser, base_url: str, out: Path) -> None:
    mia = Device(browser.new_context(viewport=DESKTOP), base_url)  # type: ignore[arg-type]
    sign_in(mia, "Mia")
    page = mia.page
    mia.goto("/office/menu")
    page.locator("#add-category input[name=name]").fill("Wine")
    page.locator("#add-category button[type=submit]").click()
    expect(page.locator("#menu-editor")).to_contain_text("Wine")
    mia.goto("/office/accounts")
    expect(page.locator("#unmapped")).to_contain_text("Category Wine")
    shoot(page, out, "office-chart-unmapped.png")
    page.get_by_role("button", name="Create an account for Category Wine").click()
    expect(page.locator("#accounts")).to_contain_text("Category Wine")
    expect(page.locator("#unmapped")).to_have_count(0)
    shoot(page, out, "office-chart.png")


if __name__ == "__main__":
    sys.exit(main(take_all=take))
