"""A station screen on the wall (1920x1080): a ticket arrives, the cook bumps it with the bump
bar (digit, then Enter), recalls it with R, and bumps it again by touch."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from tests.e2e.steps import (
    KDS,
    TABLET,
    Device,
    add_item,
    has_class,
    open_station,
    seat_table,
    send_check,
    sign_in,
)


def test_cook_bumps_by_keyboard_recalls_with_r_and_bumps_by_touch(
    device: Callable[..., Device],
) -> None:
    kds = device(KDS, has_touch=True)  # a touch wall screen with a bump bar plugged in
    sign_in(kds, "Ode")
    open_station(kds, "Grill")
    screen = kds.page

    maria = device(TABLET)
    sign_in(maria, "Maria")
    seat_table(maria, "9", 2)
    add_item(maria.page, "Mains", "Salmon", ("Mash",), seat=2, note="no dill")
    send_check(maria.page)

    ticket = screen.locator("article.ticket", has_text="Salmon")
    expect(ticket).to_have_count(1)
    expect(ticket).to_contain_text("Table 9")
    expect(ticket).to_contain_text("Seat 2")
    expect(ticket).to_contain_text("no dill")
    expect(ticket.locator(".t-pos")).to_be_visible()
    expect(screen.locator("#all-day")).to_contain_text("Salmon")
    # The screen told the server it has shown the ticket.
    expect(ticket).to_have_attribute("data-acked", "")

    # Bump bar: the ticket's number key selects it (a ring you can see across the kitchen);
    # Enter bumps. Other tests share this server, so the grill may hold tickets of theirs.
    position = screen.locator("#tickets > article.ticket").evaluate_all(
        "cards => cards.findIndex(c => c.textContent.includes('Table 9'))"
    )
    assert 0 <= position < 9
    screen.keyboard.press(str(position + 1))
    expect(ticket).to_have_class(has_class("selected"))
    ring = ticket.evaluate("el => parseFloat(getComputedStyle(el).outlineWidth)")
    assert ring >= 5, f"selection ring is only {ring}px"
    screen.keyboard.press("Enter")
    expect(screen.locator("article.ticket", has_text="Salmon")).to_have_count(0)
    newest = screen.locator("#recent .recall-one").first
    expect(newest).to_contain_text(re.compile(r"#\d+ · Table 9"))
    expect(screen.locator("#all-day")).not_to_contain_text("Salmon")

    # R brings the last bumped ticket back.
    screen.keyboard.press("r")
    expect(screen.locator("article.ticket", has_text="Salmon")).to_have_count(1)

    # And a wet finger bumps it for good.
    screen.locator("article.ticket", has_text="Salmon").locator("button.bump").tap()
    expect(screen.locator("article.ticket", has_text="Salmon")).to_have_count(0)
    expect(screen.locator(".flash-error")).to_have_count(0)
    assert kds.errors == [], kds.errors


def test_header_turns_red_when_the_screen_has_been_cut_off_for_three_seconds(
    device: Callable[..., Device],
) -> None:
    kds = device(KDS)
    sign_in(kds, "Ode")
    open_station(kds, "Grill")
    screen = kds.page
    head = screen.locator(".kds-head")

    kds.context.set_offline(True)
    # Going offline does not close an open socket by itself: drop it as the network would.
    screen.evaluate("htmx.find('[data-kds-screen]')['htmx-internal-data'].webSocket.socket.close()")
    expect(screen.locator("[data-conn]")).to_have_text("Reconnecting…")
    screen.wait_for_timeout(1000)
    expect(screen.locator(".kds-screen")).not_to_have_class(has_class("kds-down"))
    expect(screen.locator(".kds-screen")).to_have_class(has_class("kds-down"), timeout=4000)
    expect(screen.locator(".kds-lost")).to_be_visible()
    colour = head.evaluate("el => getComputedStyle(el).backgroundColor")
    r, g, b = (int(c) for c in re.findall(r"\d+", colour)[:3])
    assert r >= 120 and g < 40 and b < 40, f"the header is {colour}, not red"

    kds.context.set_offline(False)
    expect(screen.locator("[data-conn]")).to_have_text("Live", timeout=15000)
    expect(screen.locator(".kds-screen")).not_to_have_class(has_class("kds-down"))
