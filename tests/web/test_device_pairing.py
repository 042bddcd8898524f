"""Pairing a kitchen screen with the code it shows: the flow, and every code that must fail."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.devices.models import DevicePairing
from app.platform.models import AuditEntry, StaffSession
from tests.conftest import csrf_of
from tests.demo_ids import station_id
from tests.web.devices_steps import (
    HX,
    SHOWN,
    Browser,
    Client,
    device_named,
    devices_count,
    manager_pairs,
    manager_signs_in,
    screen_checks,
    screen_shows_a_code,
)


async def test_a_kitchen_screen_shows_a_code_a_manager_types_and_it_opens_on_its_station(
    client: Client, session: AsyncSession
) -> None:
    screen, manager = Browser(client), Browser(client)
    code = await screen_shows_a_code(screen)
    still = await screen_checks(screen)
    assert still.status_code == 200 and code in still.text and "Waiting for a manager" in still.text
    with screen as c:
        reloaded = await c.get("/pair")  # a reload shows the same code again
    assert code in reloaded.text

    grill = await station_id(session, "Grill")
    await manager_signs_in(manager)
    typed = f" {code.lower().replace('-', ' ')} "  # as a person types it off the wall
    paired = await manager_pairs(manager, typed, station=str(grill))
    assert paired.status_code == 303 and paired.headers["location"] == "/office/devices"

    signed_in = await screen_checks(screen)
    assert signed_in.status_code == 204
    assert signed_in.headers["hx-redirect"] == f"/kds/{grill}"
    with screen as c:
        assert "brigade_pairing" not in c.cookies  # its job is done
        assert (await c.get(f"/kds/{grill}")).status_code == 200
        assert (await c.get("/floor", follow_redirects=False)).status_code == 403
    with manager as c:
        page = await c.get("/office/devices")
    assert "Grill screen" in page.text and "by Mia" in page.text and ">Grill<" in page.text

    device = await device_named(session, "Grill screen")
    assert device is not None and device.kind == "kds" and device.station_id == grill
    sessions = (
        await session.scalars(select(StaffSession).where(StaffSession.device_id == device.id))
    ).all()
    assert [s.via for s in sessions] == ["device"]
    audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "pair_device"))
    assert (
        audit is not None and audit.actor_id is not None and audit.detail["name"] == "Grill screen"
    )
    # Neither the code nor the screen's token is anywhere in the database.
    dump = str((await session.execute(text("SELECT d::text FROM device_pairing d"))).all())
    assert code.replace("-", "") not in dump and code not in dump
    assert code.replace("-", "") not in str(audit.detail)


async def test_htmx_gets_the_devices_section_back_with_the_sentence(client: Client) -> None:
    screen, manager = Browser(client), Browser(client)
    code = await screen_shows_a_code(screen)
    await manager_signs_in(manager)
    paired = await manager_pairs(manager, code, name="Pass", headers=HX)
    assert paired.status_code == 200
    assert paired.text.lstrip().startswith('<section class="office-page" id="devices">')
    assert "Pass is paired" in paired.text and "<html" not in paired.text


async def test_a_code_pairs_one_device_once(client: Client, session: AsyncSession) -> None:
    screen, manager = Browser(client), Browser(client)
    code = await screen_shows_a_code(screen)
    await manager_signs_in(manager)
    assert (await manager_pairs(manager, code, name="Fry screen")).status_code == 303
    before = await devices_count(session)

    again = await manager_pairs(manager, code, name="Fry screen 2")

    assert again.status_code == 409
    assert (
        f"{code} was already used" in again.text and "Ask the screen for a new code" in again.text
    )
    assert await devices_count(session) == before


async def test_a_double_tap_on_pair_pairs_once_and_answers_the_same(
    client: Client, session: AsyncSession
) -> None:
    screen, manager = Browser(client), Browser(client)
    code = await screen_shows_a_code(screen)
    await manager_signs_in(manager)
    first = await manager_pairs(manager, code, name="Salad screen", key="tap-1")
    second = await manager_pairs(manager, code, name="Salad screen", key="tap-1")
    assert first.status_code == second.status_code == 303
    assert await device_named(session, "Salad screen") is not None
    assert await devices_count(session) == 2  # the demo's screen and this one


async def test_an_expired_code_is_refused_and_the_screen_is_told_to_ask_again(
    client: Client, session: AsyncSession
) -> None:
    screen, manager = Browser(client), Browser(client)
    code = await screen_shows_a_code(screen)
    await session.execute(update(DevicePairing).values(expires_at=text("now() - interval '1 s'")))
    await session.commit()
    await manager_signs_in(manager)
    before = await devices_count(session)

    late = await manager_pairs(manager, code)
    told = await screen_checks(screen)

    assert late.status_code == 410 and f"{code} has expired" in late.text
    assert await devices_count(session) == before
    assert told.status_code == 200 and "The code expired before a manager typed it" in told.text
    assert "Show a pairing code" in told.text
    with screen as c:
        assert "brigade_pairing" not in c.cookies


async def test_a_code_no_screen_shows_is_refused(client: Client, session: AsyncSession) -> None:
    manager = Browser(client)
    await manager_signs_in(manager)
    wrong = await manager_pairs(manager, "7KQ4-XM2P")
    assert wrong.status_code == 404 and "No screen is showing 7KQ4-XM2P" in wrong.text
    assert await devices_count(session) == 1


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Type the pairing code the screen shows"),
        ("7KQ4\x00XM2P", "control character"),
        ("٧٨٩٢-٣٤٥٦", "Only the letters A to Z and the digits 2 to 9"),
        ("7" * 300, "8 letters and digits"),
        ("7KQ4-XM20", "no 0, O, 1, I or L"),
    ],
)
async def test_a_code_that_cannot_be_one_is_a_422_with_a_sentence_and_what_was_typed(
    client: Client, session: AsyncSession, typed: str, says: str
) -> None:
    manager = Browser(client)
    await manager_signs_in(manager)
    refused = await manager_pairs(manager, typed, name="Grill screen")
    assert refused.status_code == 422, refused.text
    assert says in refused.text
    if "\x00" not in typed:  # the input guard refuses a NUL before the screen is drawn
        assert 'value="Grill screen"' in refused.text  # the form comes back as typed
    assert await devices_count(session) == 1


async def test_a_kitchen_screens_code_is_not_paired_as_a_print_agent(
    client: Client, session: AsyncSession
) -> None:
    screen, manager = Browser(client), Browser(client)
    code = await screen_shows_a_code(screen)
    await manager_signs_in(manager)
    wrong_kind = await manager_pairs(manager, code, name="Kitchen PC", kind="agent")
    no_kind = await manager_pairs(manager, code, name="Kitchen PC", kind="tablet")
    assert wrong_kind.status_code == 422 and "shown by a kitchen screen" in wrong_kind.text
    assert no_kind.status_code == 422 and "Choose what the device is" in no_kind.text
    assert await devices_count(session) == 1
    assert (await manager_pairs(manager, code, name="Kitchen PC")).status_code == 303


async def test_one_address_cannot_fill_the_restaurant_with_waiting_codes(client: Client) -> None:
    screen = Browser(client)
    for _ in range(5):
        await screen_shows_a_code(screen)
    with screen as c:
        crowded = await c.post("/pair/code", data={"_csrf": screen.csrf}, follow_redirects=False)
    assert crowded.status_code == 429
    assert "Too many screens are waiting" in crowded.text
    assert crowded.headers["retry-after"] == "600"


async def test_the_pairing_screen_works_without_javascript(client: Client) -> None:
    csrf = await csrf_of(client, "/pair")
    asked = await client.post("/pair/code", data={"_csrf": csrf}, follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"] == "/pair"
    page = await client.get("/pair")
    assert "<html" in page.text and "It has been typed: continue" in page.text
    assert SHOWN.search(page.text)
    waiting = await client.post("/pair/wait", data={"_csrf": csrf}, follow_redirects=False)
    assert waiting.status_code == 200 and "Waiting for a manager" in waiting.text
