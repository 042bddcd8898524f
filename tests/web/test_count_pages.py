"""Counting the shelves and logging waste from the back office (a tablet in the walk-in):
the count page shows what should be there, a count answers with its variance, a wrong line
is a sentence and nothing is written; the waste log takes what was thrown away and why."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.models import StockCount, StockMove
from tests.conftest import sign_in
from tests.web.test_inventory_pages import post, shelf
from tests.web.test_pay_routes import Client


async def test_a_count_from_the_walk_in_answers_with_its_variance(
    client: Client, session: AsyncSession
) -> None:
    await sign_in(client, "Maria")
    assert (await client.get("/office/inventory/count")).status_code == 403
    csrf = await sign_in(client, "Mia")
    page = await client.get("/office/inventory/count")
    assert page.status_code == 200 and "Count the shelves" in page.text
    assert "5,000 g" in page.text  # what the opening count left

    beef = await shelf(session, "Beef ribeye")
    butter = await shelf(session, "Butter")
    counted = await post(
        client, csrf, "/office/inventory/count",
        key="c-1", **{f"count-{beef}": "4.8", f"unit-{beef}": "kg", f"count-{butter}": "5000"},
    )  # fmt: skip
    assert counted.status_code in (200, 204, 303), counted.text
    count_id = await session.scalar(select(func.max(StockCount.id)))
    await session.rollback()
    taken = await client.get(f"/office/inventory/counts/{count_id}")
    assert taken.status_code == 200
    assert "2 counted; 1 differs" in taken.text and "-200 g" in taken.text

    wrong = await post(
        client, csrf, "/office/inventory/count", key="c-2", **{f"count-{beef}": "4.8",
        f"unit-{beef}": "bottle"},
    )  # fmt: skip
    assert wrong.status_code == 422 and "does not know the unit" in wrong.text
    bad = await post(client, csrf, "/office/inventory/count", key="c-3", **{"count-x1": "3"})
    assert bad.status_code == 422 and "Choose the ingredient" in bad.text
    none = await post(client, csrf, "/office/inventory/count", key="c-4")
    assert none.status_code == 422 and "Count at least one" in none.text
    assert (await client.get("/office/inventory/counts/999999")).status_code == 404
    counts = await session.scalar(select(func.count()).select_from(StockCount))
    await session.rollback()
    assert counts == 1


async def test_the_waste_log_takes_it_off_the_stock_with_its_reason(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    salmon = await shelf(session, "Salmon fillet")
    logged = await post(
        client, csrf, "/office/inventory/waste",
        key="w-1", ingredient_id=str(salmon), amount="0.4", unit="kg", reason="spoiled", note="",
    )  # fmt: skip
    assert logged.status_code in (200, 204, 303), logged.text
    page = await client.get("/office/inventory/waste")
    assert "Salmon fillet" in page.text and "400 g" in page.text and "spoiled" in page.text

    for data, says in [
        ({"ingredient_id": "", "amount": "1"}, "Choose what was thrown away"),
        ({"ingredient_id": str(salmon), "amount": "-1"}, "is not a quantity"),
        ({"ingredient_id": str(salmon), "amount": "\u0661"}, "is not a quantity"),
        ({"ingredient_id": str(salmon), "amount": "1", "reason": "cat"}, "Say why"),
    ]:
        refused = await post(client, csrf, "/office/inventory/waste", key="w-x", **data)
        assert refused.status_code == 422 and says in refused.text, (data, refused.text[:300])
    wasted = await session.scalar(
        select(func.sum(StockMove.quantity)).where(StockMove.kind == "waste")
    )
    await session.rollback()
    assert wasted == Decimal(-400)


async def test_counts_and_waste_over_the_api(client: Client, session: AsyncSession) -> None:
    from tests.conftest import api_bearer

    mia, maria = await api_bearer(client, "Mia"), await api_bearer(client, "Maria")
    beef = await shelf(session, "Beef ribeye")
    body = {"lines": [{"ingredient_id": beef, "amount": "4.8", "unit": "kg"}]}
    assert (
        await client.post("/api/v1/inventory/counts", json=body, headers=maria)
    ).status_code == 403

    key = {**mia, "Idempotency-Key": "count-api-1"}
    first = await client.post("/api/v1/inventory/counts", json=body, headers=key)
    again = await client.post("/api/v1/inventory/counts", json=body, headers=key)
    assert first.status_code == 201, first.text
    assert again.json() == first.json()
    [line] = first.json()["lines"]
    assert (line["expected"], line["counted"], line["variance"]) == ("5000", "4800", "-200")
    count_id = first.json()["count_id"]
    assert (
        await client.get(f"/api/v1/inventory/counts/{count_id}", headers=mia)
    ).json() == first.json()
    assert (await client.get("/api/v1/inventory/counts/999999", headers=mia)).status_code == 404

    for wrong, says in [
        ({"lines": []}, "at least one"),
        ({"lines": [{"ingredient_id": beef, "amount": "-1"}]}, "not a quantity"),
        ({"lines": [{"ingredient_id": beef, "amount": "1", "unit": "bottle"}]}, "unit"),
    ]:
        refused = await client.post("/api/v1/inventory/counts", json=wrong, headers=mia)
        assert refused.status_code == 422 and says in refused.json()["error"], refused.text

    waste = {"ingredient_id": beef, "amount": "200", "reason": "dropped"}
    logged = await client.post(
        "/api/v1/inventory/waste", json=waste, headers={**mia, "Idempotency-Key": "w-api"}
    )
    assert logged.status_code == 201 and logged.json()["move_id"] > 0
    odd = await client.post("/api/v1/inventory/waste", json={**waste, "reason": "x"}, headers=mia)
    assert odd.status_code == 422
    counts = await session.scalar(select(func.count()).select_from(StockCount))
    await session.rollback()
    assert counts == 1
