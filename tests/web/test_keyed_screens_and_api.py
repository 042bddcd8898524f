"""Retry-safe over HTTP (issue 11): a form posted twice with its key, or an API call sent
twice with one Idempotency-Key, applies once and answers as the first time; the same key
with another body is a 409 with a sentence; the OpenAPI document shows the header on every
command POST."""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import CheckDiscount
from app.orders.models import CheckLine
from app.platform.models import AuditEntry
from kds.models import Ticket
from tests.conftest import PINS, STAFF_IDS, api_bearer
from tests.demo_ids import item_id, table_id
from tests.web.retry_safe_routes import NATURALLY_IDEMPOTENT
from tests.web.test_api_operations import _check, _seat
from tests.web.test_kds_station import cook, send_order, ticket_at
from tests.web.test_order_actions import _line, _order

Client = AsyncTestClient[Litestar]
REUSED = "This request key was already used for a different action; nothing done."


async def _count(session: AsyncSession, model: type, *where: Any) -> int:
    session.expire_all()
    found = await session.scalar(select(func.count()).select_from(model).where(*where))
    await session.rollback()
    return int(found or 0)


async def test_discount_form_sent_twice_takes_one_discount_off(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Burrata")
    form = {"percent": "10", "reason": "regular", "key": "sheet-1"}
    first = await client.post(f"{check}/discounts", data=form, headers=headers)
    again = await client.post(f"{check}/discounts", data=form, headers=headers)
    assert first.status_code == again.status_code == 200, again.text
    assert "Discount applied." in again.text
    assert await _count(session, CheckDiscount) == 1
    other = await client.post(f"{check}/discounts", data={**form, "percent": "15"}, headers=headers)
    assert other.status_code == 409 and REUSED in other.text
    assert await _count(session, CheckDiscount) == 1


async def test_void_form_sent_twice_voids_once(client: Client, session: AsyncSession) -> None:
    check, headers = await _order(client, session, "Maria", "6", "Burrata")
    await client.post(f"{check}/send", headers=headers)
    line = await _line(session, "Burrata")
    form = {
        "reason": "too salty",
        "waste": "1",
        "manager": str(STAFF_IDS["Mia"]),
        "pin": PINS["Mia"],
        "key": "void-1",
    }
    for _ in range(2):
        voided = await client.post(f"{check}/lines/{line}/void", data=form, headers=headers)
        assert voided.status_code == 200, voided.text
    assert await _count(session, AuditEntry, AuditEntry.action == "void_line") == 1
    assert await _count(session, Ticket, Ticket.kind == "void") == 1


async def test_bump_tapped_twice_bumps_once_without_an_error(
    client: Client, session: AsyncSession, uow_factory: Any
) -> None:
    ticket = await ticket_at(
        session, "Grill", await send_order(uow_factory, session, "7", ["Salmon"])
    )
    headers = await cook(client)
    url = f"/kds/{ticket.station_id}/tickets/{ticket.id}/bump"
    screen = await client.get(f"/kds/{ticket.station_id}")
    assert f'hx-post="{url}" hx-vals=\'{{"key": "' in screen.text  # the card carries a key
    for _ in range(2):
        bumped = await client.post(url, data={"key": "card-7"}, headers=headers)
        assert bumped.status_code == 200, bumped.text
        assert "already bumped" not in bumped.text
    assert await _count(session, AuditEntry, AuditEntry.action == "bump_ticket") == 1
    # Without a key the second tap is refused as before: the ticket was bumped once.
    assert (await client.post(url, headers=headers)).status_code == 409


async def test_api_void_retried_with_one_key_voids_once(
    client: Client, session: AsyncSession
) -> None:
    maria = await api_bearer(client, "Maria")
    check = await _seat(
        client, maria, await table_id(session, "P3"), await item_id(session, "Burrata")
    )
    await client.post(f"/api/v1/checks/{check}/send", headers=maria)
    line = (await _check(client, maria, check))["courses"][0]["lines"][0]["id"]
    url = f"/api/v1/checks/{check}/lines/{line}/void"
    body = {"reason": "dropped", "waste": True, "approver_id": STAFF_IDS["Mia"], "pin": PINS["Mia"]}
    keyed = {**maria, "Idempotency-Key": "void-api-1"}
    first = await client.post(url, json=body, headers=keyed)
    again = await client.post(url, json=body, headers=keyed)
    assert first.status_code == again.status_code == 200, again.text
    assert again.json() == first.json()
    other = await client.post(url, json={**body, "reason": "cold"}, headers=keyed)
    assert other.status_code == 409 and other.json() == {"error": REUSED, "status": 409}
    assert await _count(session, Ticket, Ticket.kind == "void") == 1


async def test_api_discount_clear_hold_and_86_retried_apply_once(
    client: Client, session: AsyncSession
) -> None:
    maria = await api_bearer(client, "Mia")
    items = [await item_id(session, n) for n in ("Burrata", "Espresso", "Negroni")]
    check = await _seat(client, maria, await table_id(session, "P3"), *items)
    lines = [ln["id"] for c in (await _check(client, maria, check))["courses"] for ln in c["lines"]]
    calls = [
        (f"/checks/{check}/discounts", {"reason": "regular", "kind": "percent", "value": 50_000}),
        (f"/checks/{check}/lines/{lines[0]}/clear", None),
        (f"/checks/{check}/lines/{lines[1]}/hold", {"hold": True}),
        (f"/menu/items/{items[2]}/86", {"minutes": 30}),
    ]
    for n, (path, body) in enumerate(calls):
        keyed = {**maria, "Idempotency-Key": f"retry-{n}"}
        first = await client.post(f"/api/v1{path}", json=body, headers=keyed)
        again = await client.post(f"/api/v1{path}", json=body, headers=keyed)
        assert first.status_code == again.status_code < 300, (path, again.text)
    assert await _count(session, CheckDiscount) == 1
    assert await _count(session, CheckLine, CheckLine.check_id == check) == 2
    for action in ("apply_discount", "clear_line", "hold_line", "eighty_six"):
        assert await _count(session, AuditEntry, AuditEntry.action == action) == 1, action


async def test_openapi_shows_the_idempotency_key_on_every_command_post(client: Client) -> None:
    document = (await client.get("/api/v1/schema/openapi.json")).json()
    missing = [
        path
        for path, operations in document["paths"].items()
        if "post" in operations
        and not any(
            p["in"] == "header" and p["name"] == "Idempotency-Key"
            for p in operations["post"].get("parameters", [])
        )
    ]
    # Only POSTs: the back office's PUTs are listed there too, and a PUT sets a whole state.
    posts = [re.sub(r":\w+}", "}", p) for p in NATURALLY_IDEMPOTENT if p.startswith("/api/v1/")]
    assert sorted(missing) == sorted(p for p in posts if "post" in document["paths"].get(p, {}))
