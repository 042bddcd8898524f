"""A 1024×768 tablet on a Friday: every table shows what it owes, the steak chooser's Add
button, the split screen, Fire and the top bar all fit without scrolling; Back after paying
and a payment on another tablet show the check as it is.

These tests seat every table in the dining room, so they run on a server of their own (the
other browser tests share one and expect tables 1-13 free)."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.bill_steps import balance_due, dollars, open_pay, seat_empty_patio_table, take_cash
from tests.e2e.server import LiveServer, running_server
from tests.e2e.steps import (
    TABLET,
    Device,
    add_item,
    assert_uncovered,
    send_check,
    sign_in,
    wait_live,
)

#: Where the screenshots of each screen go, to look at (prefix of the file names).
SHOTS = str(Path(os.environ.get("BRIGADE_E2E_SHOTS", tempfile.gettempdir())) / "small-tablet")


@pytest.fixture(scope="module")
def own_server(browser: Browser) -> Iterator[LiveServer]:
    with running_server() as server:
        yield server


@pytest.fixture
def tablet(browser: Browser, own_server: LiveServer) -> Iterator[Callable[..., Device]]:
    opened: list[Device] = []

    def open_tablet(**options: Any) -> Device:
        screen = Device(browser.new_context(viewport=TABLET, **options), own_server.url)  # type: ignore[arg-type]
        opened.append(screen)
        return screen

    yield open_tablet
    for screen in opened:
        screen.context.close()


def post(page: Page, path: str, form: dict[str, str]) -> dict[str, str]:
    """What a tap on the page would post (the page's own CSRF token); returns the headers."""
    token = page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']")
    origin = re.match(r"^https?://[^/]+", page.url)
    assert origin
    answer = page.request.post(
        origin.group(0) + path, form=form, headers={"X-CSRF-Token": token, "HX-Request": "true"}
    )
    assert answer.ok, f"{path}: {answer.status} {answer.text()[:300]}"
    return answer.headers


def item_ids(page: Page) -> dict[str, int]:
    html = page.content()
    found = re.findall(r'id="item-(\d+)"[\s\S]*?<span class="item-name">([^<]+)<', html)
    return {name.replace("&amp;", "&"): int(i) for i, name in found}


def ring_up_the_whole_room(page: Page) -> None:
    """Every dining-room table seated to capacity with a three- or four-figure check; some
    sent, some with desserts held, some not sent yet."""
    tables = page.evaluate(
        """() => [...document.querySelectorAll('a.table')].map(t => [t.id.slice(6),
            t.querySelector('.t-name').textContent.trim(),
            parseInt(t.querySelector('.t-meta').textContent.match(/(\\d+)\\s*seat/)[1], 10)])"""
    )
    menu: dict[str, int] = {}
    for n, (table_id, _name, seats) in enumerate(tables):
        check = post(page, f"/floor/tables/{table_id}/open", {"guests": str(seats)})["hx-redirect"]
        if not menu:
            page.goto(page.url.split("/floor")[0] + check)
            menu = item_ids(page)
        for item, qty in (("Charcuterie Board", seats * 3 + n), ("Tiramisu", seats)):
            post(page, f"{check}/lines", {"item_id": str(menu[item]), "quantity": str(qty)})
        if n % 3:
            post(page, f"{check}/send", {"key": f"send-{table_id}"})


#: Tables whose owed amount (or name) is not wholly inside the table's shape: its border box
#: less the border, or for a round table the ellipse inside the border.
OUTSIDE = """() => {
  const bad = [];
  for (const t of document.querySelectorAll('a.table')) {
    const r = t.getBoundingClientRect();
    const b = parseFloat(getComputedStyle(t).borderTopWidth);
    const round = t.classList.contains('shape-round');
    const inside = (x, y) => {
      if (!round) return x >= r.left + b - 0.5 && x <= r.right - b + 0.5
                        && y >= r.top + b - 0.5 && y <= r.bottom - b + 0.5;
      const a = r.width / 2 - b, c = r.height / 2 - b;
      const dx = x - (r.left + r.width / 2), dy = y - (r.top + r.height / 2);
      return (dx * dx) / (a * a) + (dy * dy) / (c * c) <= 1.02;
    };
    const name = t.querySelector('.t-name').textContent.trim();
    for (const sel of ['.t-amount', '.t-name']) {
      const el = t.querySelector(sel);
      const shown = el && getComputedStyle(el).display !== 'none';
      const e = shown ? el.getBoundingClientRect() : null;
      if (!e || !e.width || !e.height) { bad.push(`${name}: no ${sel} to see`); continue; }
      const corners = [[e.left, e.top], [e.right, e.top], [e.left, e.bottom], [e.right, e.bottom]];
      if (!corners.every(([x, y]) => inside(x, y))) {
        const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
        bad.push(`${name} ${size}: ${sel} "${el.textContent.trim()}" spills`);
      }
    }
  }
  return bad;
}"""

#: How far the split screen runs past the tablet's width (page, part columns, each part).
OVERFLOW = """() => [
  document.scrollingElement.scrollWidth - innerWidth,
  ...[...document.querySelectorAll('.split-parts')].map(e => e.scrollWidth - e.clientWidth),
  ...[...document.querySelectorAll('section.part')].map(
    e => e.getBoundingClientRect().right - innerWidth),
  ...[...document.querySelectorAll('section.part .split-line')].map(e => {
    const part = e.closest('section.part');
    const pad = parseFloat(getComputedStyle(part).paddingRight);
    const inner = part.getBoundingClientRect().right - pad;
    return Math.max(...[e, ...e.children].map(c => c.getBoundingClientRect().right)) - inner;
  }),
]"""


def test_every_table_in_a_full_room_shows_what_its_check_owes(
    tablet: Callable[..., Device],
) -> None:
    mia = tablet()
    sign_in(mia, "Mia")
    mia.goto("/floor")
    ring_up_the_whole_room(mia.page)
    mia.goto("/floor")
    page = mia.page
    expect(page.locator("a.table.state-free")).to_have_count(0)
    page.screenshot(path=f"{SHOTS}-floor.png")

    assert page.evaluate(OUTSIDE) == []
    amounts = page.locator("a.table .t-amount")
    assert all(re.match(r"^\$[\d,]+\.\d\d", text.strip()) for text in amounts.all_inner_texts())


def test_the_steak_chooser_keeps_add_to_check_on_screen(tablet: Callable[..., Device]) -> None:
    maria = tablet()
    sign_in(maria, "Maria")
    seat_empty_patio_table(maria, 4)
    page = maria.page
    page.locator(".cat-tab", has_text="Mains").click()
    page.locator("button.item:visible", has_text="Ribeye 12oz").click()
    form = page.locator("#modal form.choose")
    expect(form).to_be_visible()
    page.screenshot(path=f"{SHOTS}-chooser.png")

    add = form.get_by_role("button", name="Add to check")
    box = add.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= TABLET["height"], box
    form.locator("label.option", has_text=re.compile(r"^\s*Medium rare")).click()
    add.click()
    expect(form).to_have_count(0)
    expect(page.locator("#check .line", has_text="Ribeye 12oz")).to_have_count(1)


def test_a_four_way_split_fits_the_tablet_and_fire_shows_over_eight_lines(
    tablet: Callable[..., Device],
) -> None:
    maria = tablet()
    sign_in(maria, "Maria")
    seat_empty_patio_table(maria, 4)
    page = maria.page
    for category, item in [
        ("Starters", "Charcuterie Board"),
        ("Starters", "Calamari"),
        ("Starters", "Soup of the Day"),
        ("Drinks", "House White (glass)"),
        ("Drinks", "Negroni"),
        ("Drinks", "Prosecco"),
        ("Desserts", "Tiramisu"),
        ("Desserts", "Affogato"),
    ]:
        add_item(page, category, item)
    send_check(page)
    page.screenshot(path=f"{SHOTS}-check.png")

    fire = page.locator("#check button.fire", has_text="Fire to pay")
    box = fire.bounding_box()
    assert box and box["y"] + box["height"] <= TABLET["height"], box
    assert_uncovered(fire)
    assert page.evaluate("document.scrollingElement.scrollTop") == 0
    # The eight lines are on screen at once, none cut off by the list's scrolling edge.
    shown = page.locator("#check .lines").evaluate(
        """list => {
            const box = list.getBoundingClientRect();
            return [...list.querySelectorAll('.line')].filter(line => {
                const r = line.getBoundingClientRect();
                return r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
            }).length;
        }"""
    )
    assert shown == 8, f"{shown} of 8 lines fit on the check"
    fire.click()
    expect(page.locator("#check button.fire")).to_have_count(0)
    page.goto(page.url + "/split")
    page.get_by_role("spinbutton", name="Parts").fill("4")
    page.get_by_role("button", name="Evenly").click()
    page.wait_for_timeout(300)
    page.screenshot(path=f"{SHOTS}-split.png")
    expect(page.locator("section.part")).to_have_count(4)
    overflow = page.evaluate(OVERFLOW)
    assert max(overflow) <= 0, overflow


def test_a_managers_top_bar_is_one_row(tablet: Callable[..., Device]) -> None:
    mia = tablet()
    sign_in(mia, "Mia")
    mia.goto("/floor")
    bar = mia.page.locator("header.topbar")
    box = bar.bounding_box()
    assert box and box["height"] <= 64, box
    lines = bar.locator("a, .badge, button").evaluate_all(
        """els => els.map(e => {
            const range = document.createRange();
            range.selectNodeContents(e);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            return [e.textContent.trim(), tops.size, Math.round(e.getBoundingClientRect().top)];
        })"""
    )
    assert [label for label, rows, _ in lines if rows > 1] == [], lines  # no label wraps
    tops = [top for *_, top in lines]
    assert max(tops) - min(tops) <= 12, lines  # and all sit in one row
    assert mia.page.evaluate("document.scrollingElement.scrollWidth") <= TABLET["width"]


def test_back_after_paying_shows_the_check_closed_and_read_only(
    tablet: Callable[..., Device],
) -> None:
    maria = tablet()
    sign_in(maria, "Maria")
    seat_empty_patio_table(maria, 2)
    page = maria.page
    add_item(page, "Drinks", "IPA Draft")
    send_check(page)
    open_pay(page)
    page.locator("section.tender.cash button.key").first.click()
    expect(page.locator("#pay")).to_contain_text("is closed")

    page.go_back()

    expect(page.locator("button.item")).to_have_count(0)  # no menu to add from
    expect(page.locator("main")).to_contain_text("is closed")
    expect(page.locator("#check button.send, #check a.pay, #check .clear")).to_have_count(0)


def test_the_pay_screen_redraws_when_another_tablet_takes_a_payment(
    tablet: Callable[..., Device],
) -> None:
    maria, sam = tablet(), tablet()
    sign_in(maria, "Maria")
    sign_in(sam, "Sam")
    seat_empty_patio_table(maria, 2)
    page = maria.page
    add_item(page, "Drinks", "Negroni")
    add_item(page, "Drinks", "Negroni")
    send_check(page)
    open_pay(page)
    sam.goto(re.sub(r"^https?://[^/]+", "", page.url))
    wait_live(sam.page)
    wait_live(page)
    owed = balance_due(page)
    expect(sam.page.locator("#balance")).to_have_text(dollars(owed))

    take_cash(page, "20")  # Maria's guest puts down a $20 note
    still = dollars(owed - 2000)
    expect(page.locator("#balance")).to_have_text(still)

    expect(sam.page.locator("#balance")).to_have_text(still)  # Sam's screen, redrawn
    expect(page.locator("#part-paid")).to_have_text(f"Paid $20.00 — {still} still due")
    page.locator("section.tender.cash button.key").first.click()  # exact
    expect(sam.page.locator("#pay")).to_contain_text("is closed")
    expect(page.locator("#change-due")).to_have_text("$0.00")  # Maria's own answer stays
    assert not maria.errors and not sam.errors, maria.errors + sam.errors


def test_back_from_the_guests_bill_reaches_nothing_of_the_servers_until_her_pin(
    tablet: Callable[..., Device],
) -> None:
    maria = tablet()
    sign_in(maria, "Maria")
    check = seat_empty_patio_table(maria, 2)
    page = maria.page
    add_item(page, "Drinks", "Negroni")
    send_check(page)
    maria.goto(check + "/bill")
    page.get_by_role("button", name="Show bill to guest").click()
    expect(page).to_have_url(re.compile(r"/bill/guest$"))
    expect(page.locator("header.topbar")).to_have_count(0)

    page.go_back()  # the guest tries the browser's Back

    expect(page.locator("main")).to_contain_text("This tablet is showing a guest their bill")
    expect(page.get_by_role("link", name="Floor")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.get_by_role("link", name="Back to the bill").click()
    page.locator(".unlock summary").click()
    page.get_by_label("Staff PIN").fill("1111")
    page.get_by_role("button", name="Unlock").click()
    expect(page).to_have_url(re.compile(r"/bill$"))
    expect(page.get_by_role("link", name="Floor")).to_have_count(1)
    page.screenshot(path=f"{SHOTS}-unlocked.png")
