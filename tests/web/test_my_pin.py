"""Change my PIN: anyone signed in, typing the PIN they have first; a wrong current PIN
counts as a wrong PIN; the new one is checked as the Staff screen checks it."""

from __future__ import annotations

from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.auth import pin_matches
from app.platform.models import AuditEntry, PinAttempt, Staff
from tests.conftest import PINS, STAFF_IDS, sign_in
from tests.web.test_pay_routes import Client


async def change(client: Client, csrf: str, current: str, pin: str, again: str) -> Response:
    return await client.post(
        "/me/pin", data={"current": current, "pin": pin, "pin_again": again, "_csrf": csrf}
    )


async def test_a_server_changes_their_own_pin_with_the_one_they_have(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Maria")
    floor = await client.get("/floor")
    page = await client.get("/me/pin")
    wrong = await change(client, csrf, "0000", "5813", "5813")
    differ = await change(client, csrf, PINS["Maria"], "5813", "5814")
    taken = await change(client, csrf, PINS["Maria"], PINS["Sam"], PINS["Sam"])
    done = await change(client, csrf, PINS["Maria"], "5813", "5813")

    assert 'href="/me/pin"' in floor.text and page.status_code == 200
    assert wrong.status_code == 403 and "Wrong PIN" in wrong.text
    assert differ.status_code == 422
    assert taken.status_code == 422  # Sam's 2222: one digit repeated
    assert done.status_code == 200 and "Your PIN is changed" in done.text
    maria = await session.scalar(select(Staff.pin_hash).where(Staff.id == STAFF_IDS["Maria"]))
    assert maria is not None and pin_matches(maria, "5813")
    wrong_tries = await session.scalar(
        select(func.count()).select_from(PinAttempt).where(PinAttempt.ok.is_(False))
    )
    assert wrong_tries == 1
    audited = await session.scalars(select(AuditEntry.action).where(AuditEntry.action == "set_pin"))
    assert audited.all() == ["set_pin"]


async def test_a_signed_out_visitor_cannot_change_a_pin(client: Client) -> None:
    page = await client.get("/me/pin", follow_redirects=False)

    assert page.status_code in (302, 303, 401)
