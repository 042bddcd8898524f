"""Screenshots of the end of day for docs/accounting-day-close.md: the X report with a check
still open, then the Z page after the close.

    .venv/bin/python -m tests.e2e.make_day_screenshots [--out docs/screenshots]

Not part of the test run; needs what make_screenshots needs (PostgreSQL, Chromium). A few
checks are served and paid over the API first, so the figures are a small dinner's.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from tests.e2e.make_screenshots import main, shoot
from tests.e2e.steps import Device, sign_in

DESKTOP = {"width": 1280, "height": 1100}
DEMO_API_KEY = "demo-api-key"
#: (table index on the first floor, guests, items by name, paid): the last one stays open.
PARTIES = (
    (0, 2, ("Burrata", "Fish & Chips", "IPA Draft", "IPA Draft"), True),
    (1, 4, ("Calamari", "Caesar Salad", "Fish & Chips", "House Red (glass)"), True),
    (2, 3, ("Caesar Salad", "Fish & Chips", "Tiramisu", "Espresso"), True),
    (3, 2, ("Burrata", "Espresso"), False),
)


class Api:
    """A server's tablet over the API: Maria signed in with the demo's API key."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        made = self.http.post(
            "/api/v1/sessions",
            json={"staff_id": 1, "pin": "1111"},
            headers={"X-API-Key": DEMO_API_KEY},
        )
        made.raise_for_status()
        self.auth = {"Authorization": f"Bearer {made.json()['token']}"}

    def get(self, path: str) -> object:
        answer = self.http.get(path, headers=self.auth)
        answer.raise_for_status()
        return answer.json()

    def post(self, path: str, body: object = None, check: bool = True) -> httpx.Response:
        keyed = {**self.auth, "Idempotency-Key": uuid.uuid4().hex}
        answer = self.http.post(path, json=body, headers=keyed)
        if check:
            answer.raise_for_status()
        return answer

    def pay(self, check_id: int) -> None:
        shown: dict[str, int] = self.get(f"/api/v1/checks/{check_id}")  # type: ignore[assignment]
        body = {"tendered": shown["balance"] + 1000, "version": shown["version"], "tip": 500}
        self.post(f"/api/v1/checks/{check_id}/payments/cash", body)


def serve_dinner(api: Api) -> int:
    """The parties of PARTIES; returns the check left open."""
    floors: list[dict[str, list[dict[str, int]]]] = api.get("/api/v1/floor")  # type: ignore[assignment]
    categories: list[dict[str, list[dict[str, object]]]] = api.get("/api/v1/menu")  # type: ignore[assignment]
    menu = {i["name"]: i["id"] for c in categories for i in c["items"]}
    left_open = 0
    for table, guests, items, paid in PARTIES:
        body = {"table_id": floors[0]["tables"][table]["id"], "guests": guests}
        check_id = int(api.post("/api/v1/checks", body).json()["check_id"])
        for name in items:
            api.post(f"/api/v1/checks/{check_id}/lines", {"item_id": menu[name]})
        api.post(f"/api/v1/checks/{check_id}/send")
        api.post(f"/api/v1/checks/{check_id}/fire-all", check=False)  # none held: refused
        if paid:
            api.pay(check_id)
        else:
            left_open = check_id
    return left_open


def take(browser: Browser, base_url: str, out: Path) -> None:
    api = Api(base_url)
    still_open = serve_dinner(api)
    mia = Device(browser.new_context(viewport=DESKTOP), base_url)  # type: ignore[arg-type]
    sign_in(mia, "Mia")
    page = mia.page
    mia.goto("/office/day")
    expect(page.locator("#day h1")).to_contain_text("End of day")
    shoot(page, out, "day-x-report.png")
    api.pay(still_open)
    mia.goto("/office/day")
    page.on("dialog", lambda dialog: dialog.accept())  # "Close business day ...?"
    page.get_by_label("Close the day with the Main drawer open").check()
    page.get_by_role("button", name="Close day").click()
    expect(page.locator("#day h1")).to_contain_text("Z report #1")
    shoot(page, out, "day-z-report.png")


if __name__ == "__main__":
    sys.exit(main(take_all=take))
