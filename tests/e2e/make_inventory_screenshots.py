"""Screenshots of the inventory pages for docs/inventory.md.

    .venv/bin/python -m tests.e2e.make_inventory_screenshots [--out docs/screenshots]

Not part of the test run; needs what make_screenshots needs (PostgreSQL, Chromium). Before
serving, the demo sells more truffle than this morning's count found, so the Stock page shows
what a manager sees after a busy night: an ingredient below zero.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from playwright.sync_api import Browser, expect, sync_playwright
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.e2e.make_screenshots import OUT, shoot
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, running_server
from tests.e2e.steps import WAIT_MS, Device, sign_in

DESKTOP = {"width": 1280, "height": 1000}


async def _busy_night(url: str) -> None:
    engine = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://", 1))
    async with engine.begin() as db:
        await db.execute(
            text(
                "INSERT INTO stock_move (location_id, ingredient_id, kind, quantity, source) "
                "SELECT location_id, id, 'sale', -75, 'check:0' FROM ingredient "
                "WHERE name = 'Truffle'"
            )
        )
    await engine.dispose()


def busy_night(url: str) -> None:
    asyncio.run(_busy_night(url))


def take(browser: Browser, base_url: str, out: Path) -> None:
    mia = Device(browser.new_context(viewport=DESKTOP), base_url)  # type: ignore[arg-type]
    sign_in(mia, "Mia")
    page = mia.page
    mia.goto("/office/inventory/")
    expect(page.locator("#inventory-stock h1")).to_have_text("Stock on hand")
    shoot(page, out, "inventory-stock.png")
    mia.goto("/office/inventory/recipes")
    expect(page.locator("#inventory-recipes h1")).to_have_text("Recipes")
    shoot(page, out, "inventory-recipes.png")
    page.get_by_role("link", name="Edit the recipe of Brigade Burger").click()
    expect(page.locator("#inventory-recipe h1")).to_contain_text("Brigade Burger")
    shoot(page, out, "inventory-recipe-burger.png")
    mia.goto("/office/inventory/count?area=1")
    expect(page.locator("#inventory-count h1")).to_have_text("Count the shelves")
    page.get_by_label("Beef ribeye", exact=True).fill("4.7")
    page.get_by_label("Unit for Beef ribeye").fill("kg")
    page.get_by_label("Burrata", exact=True).fill("14")
    shoot(page, out, "inventory-count.png")
    page.get_by_role("button", name="Save the count").click()
    expect(page.locator("#inventory-count-taken h1")).to_contain_text("Count #")
    shoot(page, out, "inventory-count-taken.png")


def main() -> int:
    out = Path(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[1] == "--out" else OUT
    out.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=WAIT_MS)
    with running_server(before_serving=busy_night) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            take(browser, server.url, out.resolve())
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
