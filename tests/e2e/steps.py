"""What staff do on a screen, as small steps shared by the tests and the screenshot script."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Locator, Page, expect

TABLET = {"width": 1024, "height": 768}
KDS = {"width": 1920, "height": 1080}
#: Explicit waits: long enough for a busy CI box, short enough that a broken feed fails fast.
WAIT_MS = 8_000

#: Demo staff and their PINs (app/demo.py).
PINS = {"Maria": "1111", "Sam": "2222", "Ode": "5555", "Mia": "9999"}

#: Counts websocket opens so a step can wait until a screen is live before acting on it.
WS_PROBE = (
    "window.__wsOpen = 0;"
    "document.addEventListener('htmx:wsOpen', function () { window.__wsOpen += 1; });"
)


class Device:
    """One screen in the restaurant: its own browser context (cookies), page and JS errors."""

    def __init__(self, context: BrowserContext, base_url: str) -> None:
        context.set_default_timeout(WAIT_MS)
        context.add_init_script(WS_PROBE)
        self.context = context
        self.base_url = base_url
        self.page: Page = context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)


def sign_in(screen: Device, name: str, pin: str | None = None, *, submit: bool = True) -> None:
    """Tap the name tile, then the PIN on the keypad, then Enter."""
    page = screen.page
    screen.goto("/login")
    page.locator("a.tile", has_text=name).click()
    expect(page.locator("#pinpad h2")).to_contain_text(name)
    for digit in pin or PINS[name]:
        page.locator(f"#pinpad [data-digit='{digit}']").click()
    if submit:
        page.locator("#pinpad button.enter").click()
        expect(page).not_to_have_url(re.compile(r"/login"))


def wait_live(page: Page) -> None:
    """Wait until the page's websocket is open (the feed announces changes from then on)."""
    page.wait_for_function("window.__wsOpen > 0", timeout=WAIT_MS)


def open_station(screen: Device, station: str) -> None:
    page = screen.page
    page.locator("a.tile", has_text=station).click()
    expect(page.locator(".kds-head h1")).to_have_text(station)
    expect(page.locator("[data-conn]")).to_have_text("Live")
    wait_live(page)


def table_tile(page: Page, name: str) -> Locator:
    """The table on the floor plan whose name is exactly ``name``."""
    label = page.locator(".t-name", has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))
    return page.locator("a.table").filter(has=label)


def assert_uncovered(locator: Locator) -> None:
    """The element is what a finger would hit at its centre: nothing (a modal) covers it."""
    on_top = locator.evaluate(
        """el => {
            const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return hit !== null && el.contains(hit);
        }"""
    )
    assert on_top, f"{locator} is covered by another element"


def has_class(name: str) -> re.Pattern[str]:
    """For ``to_have_class``: the element's classes include ``name``."""
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def mark_no_reload(page: Page) -> None:
    """Leave a mark in the page's JS state; a reload or navigation would wipe it."""
    page.evaluate("window.__e2eSamePage = true")


def still_same_page(page: Page) -> None:
    assert page.evaluate("window.__e2eSamePage === true"), f"{page.url} was reloaded"


def seat_table(screen: Device, table: str, guests: int) -> str:
    """From the floor: tap a free table, tap the guest count; returns the check's path."""
    page = screen.page
    if not re.search(r"/floor$", page.url):
        screen.goto("/floor")
    table_tile(page, table).click()
    page.locator(".guest-keys button", has_text=re.compile(rf"^\s*{guests}\s*$")).click()
    expect(page).to_have_url(re.compile(r"/checks/\d+$"))
    wait_live(page)
    return re.sub(r"^https?://[^/]+", "", page.url)


def option_text(option: str) -> re.Pattern[str]:
    """A modifier option's label exactly ("Medium", not "Medium rare"), price or not."""
    return re.compile(rf"^\s*{re.escape(option)}(\s*\+.*)?\s*$")


def choose_item(page: Page, category: str, item: str, seat: int | None = None) -> None:
    """Pick the seat, the category tab and the item (opens the modal if it has choices)."""
    seat_label = "Shared" if seat is None else str(seat)
    page.locator("#seat-bar label", has_text=re.compile(rf"^\s*{seat_label}\s*$")).click()
    page.locator(".cat-tab", has_text=category).click()
    name = page.locator(".item-name", has_text=re.compile(rf"^\s*{re.escape(item)}\s*$"))
    page.locator("button.item:visible").filter(has=name).click()


def add_item(
    page: Page,
    category: str,
    item: str,
    options: tuple[str, ...] = (),
    *,
    seat: int | None = None,
    note: str = "",
    modal: bool | None = None,
) -> None:
    """Add one item to the open check, with its modifier choices, and wait for the line.

    ``modal``: whether the item opens the choices modal (default: when options or a note
    are given).
    """
    lines = page.locator("#check .line")
    before = lines.count()
    choose_item(page, category, item, seat)
    if modal or (modal is None and (options or note)):
        form = page.locator("#modal form.choose")
        expect(form).to_be_visible()
        for option in options:
            form.locator("label.option", has_text=option_text(option)).click()
        if note:
            form.get_by_placeholder("e.g. no onions").fill(note)
        form.get_by_role("button", name="Add to check").click()
        expect(form).to_have_count(0)
    expect(lines).to_have_count(before + 1)


def send_check(page: Page) -> None:
    page.locator("button.send").click()
    expect(page.locator("button.send")).to_be_disabled()
