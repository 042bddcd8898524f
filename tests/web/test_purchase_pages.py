"""Purchasing from the back office: a manager adds a supplier and a pack, sets a par, fills
an order to par, sends it and receives it in two deliveries (the over-receipt said); a
server gets 403; wrong input is a 4xx sentence and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.purchase_models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseUnit,
    Supplier,
)
from tests.conftest import sign_in
from tests.web.test_inventory_pages import post, shelf
from tests.web.test_pay_routes import Client

PAGES = ("/office/inventory/suppliers", "/office/inventory/orders")


@pytest.mark.parametrize("path", PAGES)
async def test_a_manager_sees_the_purchasing_pages_and_a_server_does_not(
    client: Client, path: str
) -> None:
    await sign_in(client, "Maria")
    assert (await client.get(path)).status_code == 403
    await sign_in(client, "Mia")
    page = await client.get(path)
    assert page.status_code == 200 and "Purchasing" in page.text


async def one(session: AsyncSession, query: object) -> int:
    found = await session.scalar(query)  # type: ignore[call-overload]
    await session.rollback()
    return int(found or 0)


async def test_a_supplier_a_pack_an_order_to_par_and_two_deliveries(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    added = await post(client, csrf, "/office/inventory/suppliers", key="s1", name="Metro",
                       contact="orders@metro.example")  # fmt: skip
    assert added.status_code in (204, 303), added.text
    supplier = await one(session, select(func.max(Supplier.id)))
    buns = await shelf(session, "Burger buns")
    pack = {"supplier_id": str(supplier), "ingredient_id": str(buns)}
    wrong = await post(client, csrf, "/office/inventory/packs", key="p0", **pack, name="box",
                       size="2 kg", price="10")  # fmt: skip
    assert wrong.status_code == 422 and "does not convert" in wrong.text
    cheap = await post(client, csrf, "/office/inventory/packs", key="p1", **pack, name="case",
                       size="24 each", price="-3")  # fmt: skip
    assert cheap.status_code == 422 and "not an amount" in cheap.text
    assert await one(session, select(func.count()).select_from(PurchaseUnit)) == 0
    made = await post(client, csrf, "/office/inventory/packs", key="p2", **pack,
                      name="case of 24", size="24 each", price="18.00")  # fmt: skip
    assert made.status_code in (204, 303), made.text
    page = await client.get("/office/inventory/suppliers")
    assert "case of 24 (24 each, $18.00)" in page.text

    none = await post(client, csrf, "/office/inventory/orders/fill", key="f0",
                      supplier_id=str(supplier))  # fmt: skip
    assert none.status_code == 422 and "under par" in none.text
    par = await post(client, csrf, "/office/inventory/par", ingredient_id=str(buns), par="100000")
    assert par.status_code in (204, 303), par.text
    filled = await post(client, csrf, "/office/inventory/orders/fill", key="f1",
                        supplier_id=str(supplier))  # fmt: skip
    assert filled.status_code == 204, filled.text
    order = await one(session, select(func.max(PurchaseOrder.id)))
    assert filled.headers["hx-redirect"] == f"/office/inventory/orders/{order}"
    line = await one(
        session, select(PurchaseOrderLine.id).where(PurchaseOrderLine.order_id == order)
    )
    packs = await one(session, select(PurchaseOrderLine.packs).where(PurchaseOrderLine.id == line))
    assert packs > 0

    early = await post(client, csrf, f"/office/inventory/orders/{order}/receive", key="r0",
                       **{f"got-{line}": "1"})  # fmt: skip
    assert early.status_code == 409 and "send it before receiving" in early.text
    sent = await post(client, csrf, f"/office/inventory/orders/{order}/send")
    assert sent.status_code in (204, 303)
    shown = await client.get(f"/office/inventory/orders/{order}")
    assert "sent" in shown.text and f'name="got-{line}"' in shown.text
    bad = await post(client, csrf, f"/office/inventory/orders/{order}/receive", key="r1",
                     **{f"got-{line}": "-1"})  # fmt: skip
    assert bad.status_code == 422 and "packs" in bad.text
    part = await post(client, csrf, f"/office/inventory/orders/{order}/receive", key="r2",
                      **{f"got-{line}": "1", f"price-{line}": "19.50"})  # fmt: skip
    assert part.status_code == 200 and "Received (receipt #" in part.text
    rest = await post(client, csrf, f"/office/inventory/orders/{order}/receive", key="r3",
                      **{f"got-{line}": str(packs)})  # fmt: skip
    assert rest.status_code == 200 and "More Burger buns came in than was ordered" in rest.text
    status = await one(session, select(func.count()).where(PurchaseOrder.status == "received"))
    assert status == 1
    listed = await client.get("/office/inventory/orders")
    assert f"#{order}" in listed.text and "received" in listed.text
    assert (await client.get("/office/inventory/orders/999999")).status_code == 404
