"""Purchasing over /api/v1/purchasing: an integration drafts an order for a supplier's
pack, sends it, receives it in two deliveries (the second over, and flagged), and reads the
order back; a retried delivery with its Idempotency-Key is written once; wrong input is the
documented error body; a server gets 403."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.suppliers import add_purchase_unit, add_supplier
from tests.conftest import STAFF_IDS, api_bearer
from tests.web.test_inventory_pages import shelf
from tests.web.test_pay_routes import Client

MIA = STAFF_IDS["Mia"]
API = "/api/v1/purchasing"


async def test_an_order_over_the_api_drafted_sent_and_received_in_two_parts(
    uow_factory: Any, client: Client, session: AsyncSession
) -> None:
    assert (
        await client.get(f"{API}/orders", headers=await api_bearer(client, "Maria"))
    ).status_code == 403
    auth = await api_bearer(client, "Mia")
    supplier = await uow_factory(add_supplier, 1, MIA, "Metro", "", None)
    buns = await shelf(session, "Burger buns")
    case = await uow_factory(add_purchase_unit, 1, MIA, supplier, buns, "case of 24", "24 each",
                             1800, None)  # fmt: skip
    listed = await client.get(f"{API}/suppliers", headers=auth)
    assert listed.json()[0]["packs"][0]["base_quantity"] == "24.0000"

    wrong = await client.post(f"{API}/orders", headers=auth, json={
        "supplier_id": supplier, "lines": [{"purchase_unit_id": case, "packs": -2}]})  # fmt: skip
    assert wrong.status_code == 422 and "packs" in wrong.json()["error"]
    made = await client.post(f"{API}/orders", headers=auth, json={
        "supplier_id": supplier, "lines": [{"purchase_unit_id": case, "packs": 3}]})  # fmt: skip
    assert made.status_code == 201, made.text
    order = made.json()
    assert order["status"] == "draft" and order["lines"][0]["price"] == 1800
    line = order["lines"][0]["id"]
    sent = await client.post(f"{API}/orders/{order['id']}/send", headers=auth)
    assert sent.status_code == 200 and sent.json()["status"] == "sent"

    delivery = {"lines": [{"order_line_id": line, "packs": 1, "price": 1900}]}
    keyed = {**auth, "Idempotency-Key": "delivery-1"}
    first = await client.post(f"{API}/orders/{order['id']}/receive", headers=keyed, json=delivery)
    again = await client.post(f"{API}/orders/{order['id']}/receive", headers=keyed, json=delivery)
    assert first.status_code == 201, first.text
    assert again.json() == first.json()  # written once
    assert first.json()["order_status"] == "sent" and not first.json()["over_received"]
    rest = await client.post(f"{API}/orders/{order['id']}/receive", headers=auth,
                             json={"lines": [{"order_line_id": line, "packs": 3}]})  # fmt: skip
    assert rest.json()["order_status"] == "received" and rest.json()["over_received"]
    shown = await client.get(f"{API}/orders/{order['id']}", headers=auth)
    assert shown.json()["lines"][0]["received"] == 4
    late = await client.post(f"{API}/orders/{order['id']}/cancel", headers=auth)
    assert late.status_code == 409 and "received" in late.json()["error"]
    assert (await client.get(f"{API}/orders/999999", headers=auth)).status_code == 404
