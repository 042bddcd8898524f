"""The layout editor in a real browser: a manager drags tables by touch on a tablet, and the
floor plan on a server's tablet follows without a reload."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from tests.e2e.steps import (
    TABLET,
    Device,
    mark_no_reload,
    sign_in,
    still_same_page,
    table_tile,
    wait_live,
)


def editor_table(page: Page, name: str) -> Locator:
    label = page.locator(".t-name", has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))
    return page.locator("#layout-board .layout-table").filter(has=label)


def finger_drag(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A real touch (CDP Input.dispatchTouchEvent): Chromium turns it into pointer events
    with pointerType "touch", exactly as a finger on a tablet's glass does."""
    cdp = page.context.new_cdp_session(page)
    (x0, y0), (x1, y1) = start, end
    cdp.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]}
    )
    steps = 12
    for i in range(1, steps + 1):
        x, y = x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not on screen"
    return found


def centre(locator: Locator) -> tuple[float, float]:
    b = box(locator)
    return b["x"] + b["width"] / 2, b["y"] + b["height"] / 2


def place(locator: Locator) -> str:
    """left/top as the page draws them, e.g. "left: 24%; top: 46%"."""
    style = locator.get_attribute("style") or ""
    found = re.search(r"left: \d+%; top: \d+%", style)
    assert found, style
    return found.group(0)


def test_manager_drags_a_table_by_touch_and_every_tablet_sees_it_move(
    device: Callable[..., Device],
) -> None:
    # Sam's tablet shows the floor, live.
    sam = device(TABLET)
    sign_in(sam, "Sam")
    wait_live(sam.page)
    mark_no_reload(sam.page)
    on_sams_floor = table_tile(sam.page, "7")
    expect(on_sams_floor).to_have_attribute("style", re.compile(r"left: 4%; top: 36%"))

    # Mia, the manager, opens the layout editor on a touch tablet.
    mia = device(TABLET, has_touch=True)
    sign_in(mia, "Mia")
    page = mia.page
    page.locator("a.tab", has_text="Edit layout").click()
    expect(page).to_have_url(re.compile(r"/floor/layout\?floor=\d+$"))
    seven = editor_table(page, "7")
    expect(seven).to_have_attribute("data-x", "4")

    # She drags table 7 right by a fifth of the floor and down by a tenth.
    board = box(page.locator("#layout-board"))
    x, y = centre(seven)
    finger_drag(page, (x, y), (x + board["width"] * 0.2, y + board["height"] * 0.1))

    # The save answers with the table redrawn where the server stored it, and selects it.
    expect(seven).to_have_attribute("data-x", "24")
    expect(seven).to_have_attribute("data-y", "46")
    expect(page.locator("#layout-panel h2")).to_have_text("Table 7")
    expect(page.locator(".flash-error")).to_have_count(0)

    # Sam's plan follows without a reload.
    expect(on_sams_floor).to_have_attribute("style", re.compile(r"left: 24%; top: 46%"))
    still_same_page(sam.page)

    # A reload shows the same place: it was saved, not just drawn.
    page.reload()
    expect(editor_table(page, "7")).to_have_attribute("style", re.compile(r"left: 24%; top: 46%"))
    sam.page.reload()
    expect(table_tile(sam.page, "7")).to_have_attribute("style", re.compile(r"left: 24%; top: 46%"))

    for screen in (sam, mia):
        assert screen.errors == [], f"JavaScript errors on {screen.page.url}: {screen.errors}"


def test_a_tap_selects_and_a_finger_cannot_push_a_table_off_the_floor(
    device: Callable[..., Device],
) -> None:
    mia = device(TABLET, has_touch=True)
    sign_in(mia, "Mia")
    mia.goto("/floor/layout")
    page = mia.page
    bar = editor_table(page, "Bar 2")
    start = centre(bar)

    # A tap (a finger that barely moves) selects the table rather than moving it.
    finger_drag(page, start, (start[0] + 2, start[1] + 1))
    expect(page.locator("#layout-panel h2")).to_have_text("Table Bar 2")
    expect(bar).to_have_class(re.compile(r"\bselected\b"))
    expect(bar).to_have_attribute("data-x", "84")

    # Dragged far past the bottom-right corner, it stops at the edge of the floor.
    finger_drag(page, start, (start[0] + 900, start[1] + 900))
    expect(bar).to_have_attribute("data-x", "92")  # 100 - its 8% width
    expect(bar).to_have_attribute("data-y", "89")  # 100 - its 11% height
    expect(page.locator(".flash-error")).to_have_count(0)
    assert mia.errors == [], mia.errors


def test_manager_resizes_with_the_mouse_turns_and_renames_and_it_sticks(
    device: Callable[..., Device],
) -> None:
    mia = device(TABLET)
    sign_in(mia, "Mia")
    mia.goto("/floor/layout")
    page = mia.page
    eight = editor_table(page, "8")
    eight.click()
    expect(page.locator("#layout-panel h2")).to_have_text("Table 8")

    # The corner handle, dragged with the mouse: 24% → 30% wide.
    board = box(page.locator("#layout-board"))
    hx, hy = centre(eight.locator(".resize-handle"))
    page.mouse.move(hx, hy)
    page.mouse.down()
    page.mouse.move(hx + board["width"] * 0.06, hy, steps=8)
    page.mouse.up()
    expect(eight).to_have_attribute("data-w", "30")

    page.get_by_role("button", name="Turn 15 degrees right").click()
    expect(eight).to_have_attribute("data-turn", "15")
    name = page.locator("#layout-panel input[name=name]")
    name.fill("Long 8")
    page.locator("#layout-panel button", has_text="Save").click()
    expect(page.locator("#layout-panel h2")).to_have_text("Table Long 8")

    # A name another table has is refused in the panel, next to the field.
    page.locator("#layout-panel input[name=name]").fill("9")
    page.locator("#layout-panel button", has_text="Save").click()
    expect(page.locator("#panel-error")).to_contain_text("Dining room already has a table 9.")

    # A click selects the table; arrow keys then nudge it: 5% twice right, 1% down, 1% back.
    renamed = editor_table(page, "Long 8")
    renamed.click()
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("ArrowDown")
    expect(renamed).to_have_attribute("data-x", "40")
    expect(renamed).to_have_attribute("data-y", "37")
    expect(renamed).to_be_focused()  # redrawn by the save, still under the keyboard
    page.keyboard.press("ArrowLeft")
    expect(renamed).to_have_attribute("data-x", "39")

    page.reload()
    renamed = editor_table(page, "Long 8")
    expect(renamed).to_have_attribute("data-x", "39")
    expect(renamed).to_have_attribute("data-w", "30")
    expect(renamed).to_have_attribute("data-turn", "15")
    assert mia.errors == [], mia.errors
