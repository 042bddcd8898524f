"""Holes a review found after issue 10's work: each test failed before its fix."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import AsyncTestClient, TestClient
from sqlalchemy import func, select, text

from app.orders.models import Check
from app.platform.approvals import approve
from app.platform.pin_throttle import PinGate
from tests.conftest import API_KEY, PINS, STAFF_IDS, api_bearer, api_sign_in_body, sign_in
from tests.demo_ids import item_id, table_id
from tests.web.test_live_screens import Device

Client = AsyncTestClient[Litestar]
HUGE = "99999999999999999999"


@pytest.fixture
def client_(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app) as client:
        yield client


def test_a_kitchen_feed_named_by_a_number_past_64_bits_is_refused_not_crashed(
    client_: TestClient[Litestar],
) -> None:
    ode = Device(client_, "Ode")
    for path in (f"/kds/{HUGE}/feed", f"/api/v1/kds/{HUGE}/feed", "/kds/١٢/feed"):
        with pytest.raises(WebSocketDisconnect) as refused, ode.use().websocket_connect(path) as s:
            s.receive_text()
        assert refused.value.code == 4404, path


def test_a_kitchen_feed_asked_for_tickets_after_a_number_past_64_bits_is_refused(
    client_: TestClient[Litestar], session: Any
) -> None:
    made = client_.post("/api/v1/sessions", json=api_sign_in_body("Ode"), headers=API_KEY)
    token = made.json()["token"]
    client_.cookies.clear()
    path = f"/api/v1/kds/1/feed?after={HUGE}"
    headers = {"Authorization": f"Bearer {token}"}
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client_.websocket_connect(path, headers=headers) as s,
    ):
        s.receive_text()
    assert refused.value.code == 4422
    assert "after" in str(refused.value.detail)


@pytest.mark.parametrize("path", ["/api/v1/checks", "/login"])
async def test_json_nested_thousands_deep_is_a_sentence_not_a_500(
    client: Client, path: str
) -> None:
    body = "[" * 50_000 + "]" * 50_000
    answer = await client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert "nested too deeply" in answer.text


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("Application/JSON", '{"table_id": 1, "guests": 2, "note": "4111 1111 1111 1111"}'),
        ("text/plain", '{"table_id": 1, "guests": 2, "note": "4111 1111 1111 1111"}'),
    ],
)
async def test_a_card_number_in_an_api_body_is_refused_whatever_the_content_type_says(
    client: Client, session: Any, content_type: str, body: str
) -> None:
    auth = await api_bearer(client, "Maria")
    table = await table_id(session, "4")
    answer = await client.post(
        "/api/v1/checks",
        content=body.replace('"table_id": 1', f'"table_id": {table}'),
        headers={**auth, "Content-Type": content_type},
    )
    assert answer.status_code == 422, answer.text
    assert "card number" in answer.json()["error"]
    assert await session.scalar(select(func.count()).select_from(Check)) == 0


async def test_a_card_number_in_a_form_with_an_odd_case_content_type_is_refused(
    client: Client, session: Any
) -> None:
    csrf = await sign_in(client, "Maria")
    table = await table_id(session, "6")
    body = f"guests=2&note=4111+1111+1111+1111&table={table}"
    answer = await client.post(
        f"/floor/tables/{table}/open",
        content=body,
        headers={
            "X-CSRF-Token": csrf,
            "HX-Request": "true",
            "Content-Type": "Application/X-WWW-Form-Urlencoded",
        },
    )
    assert answer.status_code == 422 and "card number" in answer.text


async def test_api_approval_pins_count_against_the_api_key_not_a_cookie_it_writes(
    client: Client, session: Any
) -> None:
    mia = await api_bearer(client, "Mia")
    check = (
        await client.post(
            "/api/v1/checks",
            json={"table_id": await table_id(session, "P4"), "guests": 2},
            headers=mia,
        )
    ).json()["check_id"]
    beer = await item_id(session, "IPA Draft")
    await client.post(f"/api/v1/checks/{check}/lines", json={"item_id": beer}, headers=mia)
    await client.post(f"/api/v1/checks/{check}/send", headers=mia)
    line = (await client.get(f"/api/v1/checks/{check}", headers=mia)).json()["courses"][0]["lines"][
        0
    ]["id"]
    url = f"/api/v1/checks/{check}/lines/{line}/comp"
    wrong = {"reason": "guessing", "approver_id": STAFF_IDS["Olivia"], "pin": "0000"}
    answers = []
    for _ in range(4):  # a fresh "tablet" cookie each time must not give fresh tries
        cookie = {"Cookie": f"brigade_device={secrets.token_urlsafe(16)}"}
        answers.append((await client.post(url, json=wrong, headers={**mia, **cookie})).status_code)
    assert answers == [403, 403, 403, 429]
    assert PINS["Olivia"]  # the real PIN was never tried


async def test_an_approval_holds_no_pin_lock_through_the_command_it_approves(
    uow_factory: Any, sessionmaker_: Any
) -> None:
    """A refund goes on to the card terminal after its approval: the throttle's locks on the
    tablet, its address and the manager must be released by then."""
    from app.platform.db import UnitOfWork

    async with sessionmaker_() as mine, sessionmaker_() as other:
        uow = UnitOfWork(mine)
        gate = PinGate("cookie:front-tablet", "10.0.0.7")
        await approve(uow, STAFF_IDS["Mia"], PINS["Mia"], STAFF_IDS["Maria"], gate)
        me = await mine.scalar(text("SELECT pg_backend_pid()"))
        held = await other.scalar(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = :me"),
            {"me": me},
        )
        await uow.rollback()
    assert held == 0


async def test_the_schema_documents_an_unknown_staff_member_and_a_body_too_large(
    client: Client,
) -> None:
    schema = (await client.get("/api/v1/schema/openapi.json")).json()
    assert "404" in schema["paths"]["/api/v1/sessions"]["post"]["responses"]
    with_body = [
        (path, method, op)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if "requestBody" in op
    ]
    assert with_body
    assert all("413" in op["responses"] for _, _, op in with_body), [
        (p, m) for p, m, op in with_body if "413" not in op["responses"]
    ]
    unknown = await client.post(
        "/api/v1/sessions", json={"staff_id": 987654, "pin": "1234"}, headers=API_KEY
    )
    assert unknown.status_code == 404
