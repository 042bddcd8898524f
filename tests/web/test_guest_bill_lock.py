"""Show bill to guest: the tablet is the guest's until a staff PIN takes it back."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.models import AuditEntry
from tests.conftest import PINS, STAFF_IDS
from tests.web.test_present_check import Client, seated_with_dinner


async def shown_to_guest(client: Client, session: AsyncSession) -> tuple[int, dict[str, str]]:
    check, headers = await seated_with_dinner(client, session)
    shown = await client.post(f"/checks/{check}/bill/show", data={"key": "show"}, headers=headers)
    assert shown.status_code == 204, shown.text
    assert shown.headers["hx-redirect"] == f"/checks/{check}/bill/guest"
    return check, headers


async def test_the_guest_bill_has_no_staff_top_bar_and_no_way_into_the_session(
    client: Client, session: AsyncSession
) -> None:
    check, _ = await shown_to_guest(client, session)

    page = (await client.get(f"/checks/{check}/bill/guest")).text

    assert 'id="bill"' in page and "Thank you" in page
    assert 'class="topbar' not in page
    for staff_only in ('href="/floor"', 'href="/tips"', "Sign out", "Switch user", "Back (staff)"):
        assert staff_only not in page
    assert "Staff: unlock" in page


async def test_a_guest_who_types_another_address_on_a_locked_tablet_is_refused(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await shown_to_guest(client, session)

    for path in ("/floor", "/tips", f"/checks/{check}", f"/checks/{check}/bill"):
        refused = await client.get(path)
        assert refused.status_code == 403, path
        assert "showing a guest their bill" in refused.text
        assert 'href="/floor"' not in refused.text and "Sign out" not in refused.text
        assert f'href="/checks/{check}/bill/guest"' in refused.text  # the way back
    signed_out = await client.post("/logout", headers=headers)
    assert signed_out.status_code == 403
    assert (await client.get(f"/checks/{check}/bill/guest")).status_code == 200


async def test_a_wrong_pin_keeps_the_lock_and_the_servers_pin_unlocks_it(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await shown_to_guest(client, session)
    unlock = f"/checks/{check}/bill/unlock"

    wrong = await client.post(
        unlock, data={"staff": str(STAFF_IDS["Maria"]), "pin": "0000"}, headers=headers
    )
    assert wrong.status_code in (403, 429) and "PIN" in wrong.text
    assert (await client.get("/floor")).status_code == 403

    sam = await client.post(
        unlock, data={"staff": str(STAFF_IDS["Sam"]), "pin": PINS["Sam"]}, headers=headers
    )
    assert sam.status_code == 403 and "Only the server signed in here or a manager" in sam.text
    assert (await client.get("/floor")).status_code == 403

    right = await client.post(
        unlock, data={"staff": str(STAFF_IDS["Maria"]), "pin": PINS["Maria"]}, headers=headers
    )
    assert right.status_code == 204 and right.headers["hx-redirect"] == f"/checks/{check}/bill"
    assert (await client.get("/floor")).status_code == 200
    assert "Show bill to guest" in (await client.get(f"/checks/{check}/bill")).text
    session.expire_all()
    audited = await session.scalar(
        select(AuditEntry.actor_id).where(AuditEntry.action == "unlock_guest_bill")
    )
    assert audited == STAFF_IDS["Maria"]


async def test_a_manager_pin_unlocks_a_tablet_the_server_left_with_the_guest(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await shown_to_guest(client, session)

    page = (await client.get(f"/checks/{check}/bill/guest")).text
    assert f'<option value="{STAFF_IDS["Mia"]}">Mia</option>' in page
    mia = await client.post(
        f"/checks/{check}/bill/unlock",
        data={"staff": str(STAFF_IDS["Mia"]), "pin": PINS["Mia"]},
        headers=headers,
    )

    assert mia.status_code == 204
    assert (await client.get("/floor")).status_code == 200
