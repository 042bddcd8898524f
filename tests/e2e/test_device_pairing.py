"""A new kitchen screen on the wall (1920x1080) is paired with the code it shows: the manager
types it on a tablet, the screen opens on the Grill by itself; revoked, it drops to sign-in."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from playwright.sync_api import expect

from tests.e2e.steps import KDS, TABLET, WAIT_MS, Device, sign_in, wait_live


def test_a_screen_pairs_with_its_code_opens_on_its_station_and_is_cut_off_when_revoked(
    device: Callable[..., Device],
) -> None:
    wall = device(KDS, has_touch=True)
    wall.goto("/pair")
    wall.page.get_by_role("button", name="Show a pairing code").click()
    shown = wall.page.locator("[data-pairing-code]")
    expect(shown).to_have_text(re.compile(r"^[2-9A-Z]{4}-[2-9A-Z]{4}$"))
    code = shown.inner_text()
    size = shown.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 48, f"the code is {size}px: unreadable across a kitchen"

    name = f"Grill wall {uuid.uuid4().hex[:4]}"  # other tests share this server
    mia = device(TABLET)
    sign_in(mia, "Mia")
    mia.goto("/office/devices")
    form = mia.page.locator("#pair-device")
    form.get_by_label("Code on its screen").fill(code.lower())
    form.get_by_label("Name").fill(name)
    form.locator("input[name=kind][value=kds]").check()
    form.get_by_label("Station the screen opens on").select_option(label="Grill")
    form.get_by_role("button", name="Pair").click()
    expect(mia.page.locator("#devices [role=status]")).to_contain_text(f"{name} is paired")

    # The wall screen asks every two seconds: it signs itself in and opens on the Grill.
    expect(wall.page).to_have_url(re.compile(r"/kds/\d+$"), timeout=WAIT_MS)
    expect(wall.page.locator(".kds-head h1")).to_have_text("Grill")
    wait_live(wall.page)

    row = mia.page.locator("tr", has_text=name)
    row.locator("summary", has_text="Rename or revoke").click()
    mia.page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=f"Revoke {name}").click()
    expect(mia.page.locator("#devices [role=status]")).to_contain_text("Revoked")

    # Cut off at once: the socket closes (4401), the screen reloads onto the sign-in page.
    expect(wall.page).to_have_url(re.compile(r"/login$"), timeout=WAIT_MS)
    assert wall.errors == [] and mia.errors == []
