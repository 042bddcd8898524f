"""The JSON API mirrors the screens' commands for integrations, with idempotency keys."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import CheckLine
from tests.conftest import API_KEY, PINS, STAFF_IDS, api_bearer
from tests.demo_ids import item_id, station_id, table_id

Client = AsyncTestClient[Litestar]


bearer = api_bearer


async def test_integration_seats_orders_sends_and_pays_over_json(
    client: Client, session: AsyncSession
) -> None:
    maria = await bearer(client, "Maria")
    opened = await client.post(
        "/api/v1/checks",
        json={"table_id": await table_id(session, "P3"), "guests": 3},
        headers=maria,
    )
    assert opened.status_code == 201
    check = opened.json()["check_id"]
    line = {
        "item_id": await item_id(session, "Salmon"),
        "options": [],
        "seat": 2,
        "note": "no dill",
    }
    for _ in range(3):  # a client retrying after timeouts
        added = await client.post(
            f"/api/v1/checks/{check}/lines",
            json=line,
            headers={**maria, "Idempotency-Key": "line-1"},
        )
        assert added.status_code == 201
    lines = await session.scalar(
        select(func.count()).select_from(CheckLine).where(CheckLine.check_id == check)
    )
    assert lines == 1
    assert (await client.post(f"/api/v1/checks/{check}/send", headers=maria)).json() == {"sent": 1}

    view = (await client.get(f"/api/v1/checks/{check}", headers=maria)).json()
    totals = {k: view["totals"][k] for k in ("subtotal", "comps", "discounts", "tax", "total")}
    assert totals == {"subtotal": 2800, "comps": 0, "discounts": 0, "tax": 249, "total": 3049}
    assert view["totals"]["tax_lines"] == [{"rate_ppm": 88_750, "base": 2800, "tax": 249}]
    assert view["balance"] == 3049

    ode = await bearer(client, "Ode")
    tickets = await client.get(
        f"/api/v1/kds/{await station_id(session, 'Grill')}/tickets?after=0", headers=ode
    )
    assert [(t["seq"], t["items"][0]["name"], t["items"][0]["note"]) for t in tickets.json()] == [
        (1, "Salmon", "no dill")
    ]

    paid = await client.post(
        f"/api/v1/checks/{check}/payments/cash",
        json={"tendered": 4000, "version": view["version"]},
        headers={**maria, "Idempotency-Key": "pay-1"},
    )
    assert paid.json() == {"applied": 3049, "change": 951, "closed": True, "tip": 0}
    again = await client.post(
        f"/api/v1/checks/{check}/payments/cash",
        json={"tendered": 4000, "version": view["version"]},
        headers={**maria, "Idempotency-Key": "pay-1"},
    )
    assert again.json() == paid.json()


async def test_api_errors_are_json_with_a_reason(client: Client, session: AsyncSession) -> None:
    maria = await bearer(client, "Maria")
    unknown = await client.post(
        "/api/v1/checks", json={"table_id": 999999, "guests": 2}, headers=maria
    )
    assert unknown.status_code == 404
    assert unknown.json() == {"error": "That table does not exist.", "status": 404}
    bad = await client.post("/api/v1/checks", json={"table_id": "five", "guests": 2}, headers=maria)
    assert bad.status_code == 400 and "error" in bad.json()
    wrong_pin = await client.post(
        "/api/v1/sessions", json={"staff_id": STAFF_IDS["Sam"], "pin": "0000"}, headers=API_KEY
    )
    assert wrong_pin.status_code == 403 and "Wrong PIN" in wrong_pin.json()["error"]
    anonymous = await client.get("/api/v1/floor")
    assert anonymous.status_code == 401


async def test_swagger_ui_is_served(client: Client) -> None:
    assert (await client.get("/api/v1/schema/swagger")).status_code == 200


async def test_wrong_pins_over_the_api_make_the_next_try_wait(client: Client) -> None:
    answers = [
        await client.post(
            "/api/v1/sessions", json={"staff_id": STAFF_IDS["Sam"], "pin": "0000"}, headers=API_KEY
        )
        for _ in range(3)
    ]
    right = await client.post(
        "/api/v1/sessions", json={"staff_id": STAFF_IDS["Sam"], "pin": PINS["Sam"]}, headers=API_KEY
    )
    assert [a.status_code for a in answers] == [403, 403, 403]
    assert right.status_code == 429
    assert "Too many wrong PINs for Sam" in right.json()["error"]
    assert 0 < int(right.headers["retry-after"]) <= 30
