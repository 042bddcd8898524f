"""A manager switches the location to prices that include tax mid-service: the next read of
every screen prices that way — the check, the floor badge, the pay screen — with no restart."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.models import Location
from tests.demo_ids import item_id, table_id
from tests.web.test_api import bearer

Client = AsyncTestClient[Litestar]


async def _set_inclusive(session: AsyncSession, inclusive: bool) -> None:
    await session.execute(update(Location).values(prices_include_tax=inclusive))
    await session.commit()


async def test_switching_to_tax_included_prices_applies_on_the_next_read(
    client: Client, session: AsyncSession
) -> None:
    maria = await bearer(client, "Maria")
    table = await table_id(session, "P3")
    opened = await client.post(
        "/api/v1/checks", json={"table_id": table, "guests": 2}, headers=maria
    )
    check = opened.json()["check_id"]
    salmon = {"item_id": await item_id(session, "Salmon"), "options": [], "note": ""}
    assert (
        await client.post(f"/api/v1/checks/{check}/lines", json=salmon, headers=maria)
    ).is_success
    assert (await client.post(f"/api/v1/checks/{check}/send", headers=maria)).is_success

    added = (await client.get(f"/api/v1/checks/{check}", headers=maria)).json()
    assert added["totals"]["total"] == 3049  # 28.00 + 8.875 % on top

    await _set_inclusive(session, True)  # after start-up: the app read the location then
    included = (await client.get(f"/api/v1/checks/{check}", headers=maria)).json()
    # 28.00 is what the guest pays; the tax inside it is 28.00 - 28.00 / 1.08875 = 2.28.
    assert included["totals"]["total"] == 2800
    assert included["totals"]["tax"] == 228
    assert included["balance"] == 2800

    plan = (await client.get("/api/v1/floor", headers=maria)).json()
    badge = next(t for f in plan for t in f["tables"] if t["id"] == table)
    assert badge["amount"] == 2800

    pay = await client.post(
        f"/api/v1/checks/{check}/payments/cash",
        json={"tendered": 3000, "version": included["version"]},
        headers={**maria, "Idempotency-Key": "incl-1"},
    )
    assert pay.status_code == 201, pay.text
    assert pay.json()["change"] == 200 and pay.json()["closed"] is True


async def test_a_closed_check_keeps_the_tax_mode_it_closed_under(
    client: Client, session: AsyncSession
) -> None:
    """Yesterday's receipt must not change because a manager changed the setting today."""
    maria = await bearer(client, "Maria")
    opened = await client.post(
        "/api/v1/checks",
        json={"table_id": await table_id(session, "P4"), "guests": 1},
        headers=maria,
    )
    check = opened.json()["check_id"]
    salmon = {"item_id": await item_id(session, "Salmon"), "options": [], "note": ""}
    await client.post(f"/api/v1/checks/{check}/lines", json=salmon, headers=maria)
    await client.post(f"/api/v1/checks/{check}/send", headers=maria)
    version = (await client.get(f"/api/v1/checks/{check}", headers=maria)).json()["version"]
    paid = await client.post(
        f"/api/v1/checks/{check}/payments/cash",
        json={"tendered": 5000, "version": version},
        headers={**maria, "Idempotency-Key": "closed-1"},
    )
    assert paid.status_code == 201, paid.text

    await _set_inclusive(session, True)
    closed = (await client.get(f"/api/v1/checks/{check}", headers=maria)).json()
    assert closed["status"] == "closed"
    assert (closed["totals"]["total"], closed["totals"]["tax"], closed["balance"]) == (3049, 249, 0)
    assert closed["prices_include_tax"] is False
