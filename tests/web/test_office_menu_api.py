"""A group scripts its menu over /api/v1/office: the same commands, rules and audit as the
back office's screens; a retry with the same key adds nothing twice."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.menu.models import ItemModifierGroup, MenuItem, TaxRate
from app.platform.models import AuditEntry
from tests.conftest import api_bearer
from tests.web.test_menu_editor import fresh
from tests.web.test_pay_routes import Client, count

BASE = "/api/v1/office"


async def test_a_script_builds_a_category_a_group_and_an_item_that_asks_it(
    client: Client, session: AsyncSession
) -> None:
    auth = await api_bearer(client, "Mia")
    keyed = {**auth, "Idempotency-Key": "cat-raw-bar"}
    category = await client.post(
        f"{BASE}/menu/categories",
        json={"name": "Raw bar", "color": "#0e7490", "course": "starters"},
        headers=keyed,
    )
    retry = await client.post(
        f"{BASE}/menu/categories",
        json={"name": "Raw bar", "color": "#0e7490", "course": "starters"},
        headers=keyed,
    )
    group = await client.post(
        f"{BASE}/menu/modifier-groups",
        json={"name": "Mignonette", "min_choices": 0, "max_choices": 2},
        headers={**auth, "Idempotency-Key": "g1"},
    )
    option = await client.post(
        f"{BASE}/menu/modifier-groups/{group.json()['id']}/options",
        json={"name": "Shallot", "price_delta": 50},
        headers={**auth, "Idempotency-Key": "o1"},
    )
    rate = await client.post(
        f"{BASE}/tax-rates",
        json={"name": "Raw 7%", "rate_ppm": 70_000},
        headers={**auth, "Idempotency-Key": "r1"},
    )
    item = await client.post(
        f"{BASE}/menu/items",
        json={
            "category_id": category.json()["id"],
            "name": "Kumamoto (6)",
            "price": 2400,
            "tax_rate_id": rate.json()["id"],
            "kitchen_name": "KUMA",
            "modifier_group_ids": [group.json()["id"]],
        },
        headers={**auth, "Idempotency-Key": "i1"},
    )

    assert category.status_code == retry.status_code == 201
    assert retry.json() == category.json()
    assert group.status_code == option.status_code == rate.status_code == 201
    assert item.status_code == 201, item.text
    made = await fresh(session, MenuItem, id=item.json()["id"])
    assert (made.price, made.kitchen_name) == (2400, "KUMA")
    asked = await session.scalars(select(ItemModifierGroup.group_id).filter_by(item_id=made.id))
    assert list(asked) == [group.json()["id"]]
    book = (await client.get(f"{BASE}/menu", headers=auth)).json()
    raw = next(c for c in book["categories"] if c["name"] == "Raw bar")
    assert raw["items"][0]["name"] == "Kumamoto (6)" and "starters" in book["courses"]
    actions = set(await session.scalars(select(AuditEntry.action)))
    assert {"add_category", "add_item", "add_modifier_group", "add_tax_rate"} <= actions


async def test_the_api_refuses_what_the_screens_refuse_with_the_same_sentence(
    client: Client, session: AsyncSession
) -> None:
    auth = await api_bearer(client, "Mia")
    before = await count(session, MenuItem)
    rate = int(await session.scalar(select(TaxRate.id).limit(1)) or 0)
    upside_down = await client.post(
        f"{BASE}/menu/modifier-groups",
        json={"name": "X", "min_choices": 3, "max_choices": 1},
        headers=auth,
    )
    past_bigint = await client.post(
        f"{BASE}/menu/items",
        json={"category_id": 1, "name": "X", "price": 2**64, "tax_rate_id": rate},
        headers=auth,
    )
    words = await client.post(
        f"{BASE}/menu/items",
        json={"category_id": 1, "name": "X", "price": "twelve", "tax_rate_id": rate},
        headers=auth,
    )
    nul = await client.post(
        f"{BASE}/menu/items",
        json={"category_id": 1, "name": "X\u0000", "price": 100, "tax_rate_id": rate},
        headers=auth,
    )
    colour = await client.put(
        f"{BASE}/menu/categories/1",
        json={"name": "Starters", "color": "red", "course": "starters"},
        headers=auth,
    )
    server = await client.get(f"{BASE}/menu", headers=await api_bearer(client, "Maria"))

    assert upside_down.status_code == 422
    assert "more than the most" in upside_down.json()["error"]
    assert past_bigint.status_code == 422 and words.status_code == 400
    assert nul.status_code == 422
    assert colour.status_code == 422 and "#2e7d32" in colour.json()["error"]
    assert server.status_code == 403
    assert await count(session, MenuItem) == before


async def test_archiving_over_the_api_is_a_put_that_can_be_sent_twice(
    client: Client, session: AsyncSession
) -> None:
    auth = await api_bearer(client, "Mia")
    burger = int(await session.scalar(select(MenuItem.id).filter_by(name="Brigade Burger")) or 0)
    first = await client.put(
        f"{BASE}/menu/items/{burger}/archived", json={"archived": True}, headers=auth
    )
    second = await client.put(
        f"{BASE}/menu/items/{burger}/archived", json={"archived": True}, headers=auth
    )
    menu = (await client.get("/api/v1/menu", headers=auth)).json()

    assert first.status_code == second.status_code == 204
    assert all(i["name"] != "Brigade Burger" for c in menu for i in c["items"])
    archived = (await session.scalars(select(AuditEntry).filter_by(action="archive_item"))).all()
    assert len(archived) == 1
