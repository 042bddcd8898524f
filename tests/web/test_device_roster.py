"""The Devices screen's list: rename and revoke, who may, and every bad input a sentence."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.demo import KITCHEN_DEVICE_TOKEN
from app.platform.models import AuditEntry, Device, StaffSession
from tests.conftest import csrf_of, sign_in
from tests.web.devices_steps import (
    HX,
    Browser,
    Client,
    device_named,
    manager_pairs,
    manager_posts,
    manager_signs_in,
    screen_checks,
    screen_shows_a_code,
)

DEMO_SCREEN = 1  # the demo's "Kitchen screen", paired with its published token


async def paired_screen(client: Client, name: str = "Grill screen") -> tuple[Browser, Browser]:
    """A kitchen screen paired by Mia and signed in; (screen, manager)."""
    screen, manager = Browser(client), Browser(client)
    code = await screen_shows_a_code(screen)
    await manager_signs_in(manager)
    assert (await manager_pairs(manager, code, name=name)).status_code == 303
    assert (await screen_checks(screen)).status_code == 204
    return screen, manager


async def test_the_devices_screen_is_a_page_on_reload_and_its_section_for_htmx(
    client: Client,
) -> None:
    await sign_in(client, "Mia")
    page = await client.get("/office/devices")
    part = await client.get("/office/devices", headers=HX)
    office = await client.get("/office")

    assert page.status_code == part.status_code == 200
    assert (
        "<html" in page.text and 'href="/office/devices" aria-current="page">Devices' in page.text
    )
    demo = re.search(r'<tr id="device-1">.*?</tr>', page.text, re.S)
    assert demo and "Kitchen screen" in demo.group(0) and ", with a token" in demo.group(0)
    assert part.text.lstrip().startswith('<section class="office-page" id="devices">')
    assert "<html" not in part.text
    assert 'href="/office/devices"' in office.text


async def test_a_manager_renames_a_screen_and_the_audit_says_who_and_from_what(
    client: Client, session: AsyncSession
) -> None:
    _, manager = await paired_screen(client)
    device = await device_named(session, "Grill screen")
    assert device is not None

    renamed = await manager_posts(manager, f"/office/devices/{device.id}/rename", name=" Pass  1 ")

    assert renamed.status_code == 303
    assert await device_named(session, "Pass 1") is not None
    row = await session.scalar(select(AuditEntry).where(AuditEntry.action == "rename_device"))
    assert row is not None and row.actor_id is not None and row.at is not None
    assert row.detail == {"before": "Grill screen", "after": "Pass 1"}


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "Name the device after where it is"),
        ("   ", "Name the device after where it is"),
        ("Grill\x00", "control character"),
        ("G" * 81, "1 to 80 characters"),
        ("kitchen SCREEN", "There is already a device called kitchen SCREEN"),
    ],
)
async def test_a_bad_name_is_a_422_with_a_sentence_and_changes_nothing(
    client: Client, session: AsyncSession, name: str, says: str
) -> None:
    _, manager = await paired_screen(client)
    device = await device_named(session, "Grill screen")
    assert device is not None
    refused = await manager_posts(manager, f"/office/devices/{device.id}/rename", name=name)
    assert refused.status_code == 422, refused.text
    assert says in refused.text
    assert await device_named(session, "Grill screen") is not None


async def test_revoking_signs_the_screen_out_and_a_second_revoke_says_it_was_done(
    client: Client, session: AsyncSession
) -> None:
    screen, manager = await paired_screen(client)
    device = await device_named(session, "Grill screen")
    assert device is not None

    revoked = await manager_posts(manager, f"/office/devices/{device.id}/revoke")
    again = await manager_posts(manager, f"/office/devices/{device.id}/revoke")

    assert revoked.status_code == 303
    assert again.status_code == 409 and "Grill screen was already revoked" in again.text
    with screen as c:
        out = await c.get("/kds", follow_redirects=False)
    assert out.status_code in (302, 303) and out.headers["location"] == "/login"
    gone = await device_named(session, "Grill screen")
    assert gone is not None and gone.revoked_at is not None
    live = await session.scalars(
        select(StaffSession.id).where(
            StaffSession.device_id == device.id, StaffSession.revoked_at.is_(None)
        )
    )
    assert live.all() == []
    row = await session.scalar(select(AuditEntry).where(AuditEntry.action == "revoke_device"))
    assert row is not None and row.actor_id is not None and row.detail["sessions"] == 1
    with manager as c:
        page = await c.get("/office/devices")
    assert "(revoked " in page.text and f"/office/devices/{device.id}/revoke" not in page.text
    renamed = await manager_posts(manager, f"/office/devices/{device.id}/rename", name="Back")
    assert renamed.status_code == 409 and "is revoked" in renamed.text


async def test_a_device_of_no_one_is_a_404_with_a_sentence(client: Client) -> None:
    manager = Browser(client)
    await manager_signs_in(manager)
    for path in ("/office/devices/999/revoke", "/office/devices/999/rename"):
        missing = await manager_posts(manager, path, name="Grill")
        assert missing.status_code == 404 and "There is no device with that number" in missing.text


@pytest.mark.parametrize("who", ["Maria", "Lee", "Hana", "Ode"])
async def test_floor_and_kitchen_staff_cannot_open_or_use_the_devices_screen(
    client: Client, session: AsyncSession, who: str
) -> None:
    csrf = await sign_in(client, who)
    role = {"Maria": "server", "Lee": "bartender", "Hana": "host", "Ode": "kitchen"}[who]
    page = await client.get("/office/devices", follow_redirects=False)
    revoke = await client.post(
        f"/office/devices/{DEMO_SCREEN}/revoke", data={"_csrf": csrf}, follow_redirects=False
    )
    pair = await client.post(
        "/office/devices/pair",
        data={"_csrf": csrf, "code": "7KQ4-XM2P", "name": "Mine", "kind": "kds"},
        follow_redirects=False,
    )
    for answer in (page, revoke, pair):
        assert answer.status_code == 403
        assert f"A {role} cannot do that here." in answer.text
    demo = await session.get(Device, DEMO_SCREEN)
    assert demo is not None and demo.revoked_at is None


async def test_a_forged_revoke_without_the_csrf_token_is_refused(
    client: Client, session: AsyncSession
) -> None:
    await sign_in(client, "Olivia")
    forged = await client.post(f"/office/devices/{DEMO_SCREEN}/revoke", follow_redirects=False)
    assert forged.status_code == 403 and "security token missing" in forged.text
    demo = await session.get(Device, DEMO_SCREEN)
    assert demo is not None and demo.revoked_at is None


async def test_the_demo_screen_still_pairs_with_its_published_token(client: Client) -> None:
    csrf = await csrf_of(client, "/pair")
    paired = await client.post(
        "/pair", data={"token": KITCHEN_DEVICE_TOKEN, "_csrf": csrf}, follow_redirects=False
    )
    assert paired.status_code == 303 and paired.headers["location"] == "/kds"
    assert (await client.get("/kds")).status_code == 200


async def test_a_print_agents_token_opens_no_kitchen_screen(
    client: Client, session: AsyncSession
) -> None:
    from app.platform.auth import token_digest

    session.add(Device(location_id=1, name="PC", kind="agent", token_hash=token_digest("pc-1")))
    await session.commit()
    csrf = await csrf_of(client, "/pair")
    refused = await client.post("/pair", data={"token": "pc-1", "_csrf": csrf})
    assert refused.status_code == 403 and "That device token is not valid" in refused.text
