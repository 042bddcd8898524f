"""Signing in over the API: a key first, then the PIN. A stranger never reaches a PIN."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.demo import KITCHEN_DEVICE_TOKEN
from app.platform.auth import token_digest
from app.platform.models import ApiKey, Device, Location, PinAttempt
from tests.conftest import API_KEY, PINS, STAFF_IDS, api_token, sign_in
from tests.web.test_security import HX, changed_tables, db_fingerprint

Client = AsyncTestClient[Litestar]
NEW_KEY = re.compile(r'<code id="new-api-key">([^<]+)</code>')


async def api_pin(client: Client, name: str, pin: str, **headers: str):  # type: ignore[no-untyped-def]
    return await client.post(
        "/api/v1/sessions", json={"staff_id": STAFF_IDS[name], "pin": pin}, headers=headers
    )


async def test_a_stranger_without_a_key_never_reaches_a_pin_and_locks_nobody(
    client: Client, session: AsyncSession
) -> None:
    before = await db_fingerprint(session)
    refused = []
    for name in ("Mia", "Olivia"):
        for key in (None, "", "guessed-key", "brg_" + "x" * 43, "Bearer demo-api-key"):
            for _ in range(3):
                headers = {} if key is None else {"X-API-Key": key}
                refused.append(await api_pin(client, name, "0000", **headers))

    assert {a.status_code for a in refused} == {401}
    assert refused[0].json() == {
        "error": "Signing in over the API needs an API key: send X-API-Key with a key a "
        "manager issued on the Staff screen (or `brigade api-key create`).",
        "status": 401,
    }
    assert changed_tables(before, await db_fingerprint(session)) == [], "no PIN was checked"
    # The manager and the owner sign in at once, over the API and on a tablet.
    assert (await api_pin(client, "Mia", PINS["Mia"], **API_KEY)).status_code == 201
    await sign_in(client, "Olivia")


async def test_a_print_agents_token_is_not_an_api_key(
    client: Client, session: AsyncSession
) -> None:
    location = await session.scalar(select(Location.id))
    assert location is not None
    agent = "office-pc-agent-token"
    session.add(
        Device(location_id=location, name="Office PC", kind="agent", token_hash=token_digest(agent))
    )
    await session.commit()
    answer = await api_pin(client, "Maria", PINS["Maria"], **{"X-API-Key": agent})
    assert answer.status_code == 401


async def test_an_enrolled_kitchen_screen_may_sign_staff_in(client: Client) -> None:
    answer = await api_pin(client, "Ode", PINS["Ode"], **{"X-API-Key": KITCHEN_DEVICE_TOKEN})
    assert answer.status_code == 201


async def test_wrong_pins_through_one_key_pause_that_key_but_not_the_tablets(
    client: Client, app: Litestar
) -> None:
    answers = [await api_pin(client, "Mia", "0000", **API_KEY) for _ in range(3)]
    paused = await api_pin(client, "Mia", PINS["Mia"], **API_KEY)

    assert [a.json()["error"] for a in answers] == [
        "Wrong PIN. 2 more tries before a wait.",
        "Wrong PIN. 1 more try before a wait.",
        "Wrong PIN. Wait 30 seconds before the next try.",
    ]
    assert paused.status_code == 429
    assert int(paused.headers["retry-after"]) <= 30
    async with AsyncTestClient(app) as office:
        await sign_in(office, "Mia")


async def test_renaming_the_device_in_the_body_does_not_reset_the_keys_count(
    client: Client,
) -> None:
    n = 0
    for name in ("Maria", "Sam", "Lee", "Hana", "Ode", "Olivia", "Mia"):
        for _ in range(2 if name == "Mia" else 3):
            n += 1
            body = {"staff_id": STAFF_IDS[name], "pin": "0000", "device": f"till-{n}"}
            answer = await client.post("/api/v1/sessions", json=body, headers=API_KEY)
            assert answer.status_code == 403

    right = await client.post(
        "/api/v1/sessions",
        json={"staff_id": STAFF_IDS["Mia"], "pin": PINS["Mia"], "device": "fresh-name"},
        headers=API_KEY,
    )

    assert right.status_code == 429
    assert right.json()["error"].startswith("Too many wrong PINs on this tablet.")


async def test_manager_issues_a_key_on_the_staff_screen_and_revoking_it_ends_its_tokens(
    client: Client, session: AsyncSession, app: Litestar
) -> None:
    csrf = await sign_in(client, "Mia")
    issued = await client.post(
        "/staff/api-keys", data={"name": "Online orders", "_csrf": csrf}, follow_redirects=False
    )
    assert issued.status_code == 200
    found = NEW_KEY.search(issued.text)
    assert found, "the new key is shown once"
    key = found.group(1)
    stored = (await session.execute(select(ApiKey.id, ApiKey.key_hash, ApiKey.name))).all()
    assert (stored[-1].key_hash, stored[-1].name) == (token_digest(key), "Online orders")
    assert all(key not in str(row) for row in stored), "only a hash is kept"
    assert key not in (await client.get("/staff")).text, "shown once, never again"

    async with AsyncTestClient(app) as integration:
        made = await api_pin(integration, "Maria", PINS["Maria"], **{"X-API-Key": key})
        assert made.status_code == 201
        bearer = {"Authorization": f"Bearer {made.json()['token']}"}
        assert (await integration.get("/api/v1/floor", headers=bearer)).status_code == 200

        revoked = await client.post(
            f"/staff/api-keys/{stored[-1].id}/revoke", headers={**HX, "X-CSRF-Token": csrf}
        )
        assert revoked.status_code == 204

        assert (await integration.get("/api/v1/floor", headers=bearer)).status_code == 401
        again = await api_pin(integration, "Maria", PINS["Maria"], **{"X-API-Key": key})
        assert again.status_code == 401
    page = await client.get("/staff")
    assert "revoked" in page.text


async def test_an_unnamed_key_is_refused_with_a_sentence(client: Client) -> None:
    csrf = await sign_in(client, "Mia")
    refused = await client.post("/staff/api-keys", data={"name": "   ", "_csrf": csrf})
    assert refused.status_code == 422
    assert "Name the key after who uses it" in refused.text


async def test_a_server_cannot_issue_or_revoke_keys(client: Client, session: AsyncSession) -> None:
    csrf = await sign_in(client, "Maria")
    before = await session.scalar(select(func.count()).select_from(ApiKey))
    issued = await client.post("/staff/api-keys", data={"name": "Mine", "_csrf": csrf})
    revoked = await client.post("/staff/api-keys/1/revoke", data={"_csrf": csrf})
    assert (issued.status_code, revoked.status_code) == (403, 403)
    assert await session.scalar(select(func.count()).select_from(ApiKey)) == before
    assert await session.scalar(select(ApiKey.revoked_at).where(ApiKey.id == 1)) is None


async def test_a_key_nobody_used_for_months_stops_by_itself(
    client: Client, session: AsyncSession
) -> None:
    await session.execute(
        update(ApiKey).values(
            created_at=func.now() - func.make_interval(0, 0, 0, 91), last_used_at=None
        )
    )
    await session.commit()
    answer = await api_pin(client, "Maria", PINS["Maria"], **API_KEY)
    assert answer.status_code == 401
    assert await session.scalar(select(func.count()).select_from(PinAttempt)) == 0


async def test_the_api_document_says_how_to_authenticate(client: Client) -> None:
    schema = (await client.get("/api/v1/schema/openapi.json")).json()
    operation = schema["paths"]["/api/v1/sessions"]["post"]
    assert "X-API-Key" in operation["description"]
    assert "Authorization: Bearer" in operation["description"]
    headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
    assert "brigade api-key create" in headers["X-API-Key"]["description"]


async def test_every_token_helper_caller_still_gets_a_token(client: Client) -> None:
    """tests/conftest.py ``api_token``: what every API test signs in with."""
    token = await api_token(client, "Olivia")
    floor = await client.get("/api/v1/floor", headers={"Authorization": f"Bearer {token}"})
    assert floor.status_code == 200
