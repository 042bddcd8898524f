"""Inventory's back office and API: a manager sees stock, writes recipes in kitchen units and
finds what has no recipe; a server is turned away; bad input is a sentence, never a 500; a
recipe saved over the API is what the next close takes out of stock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.models import Ingredient, RecipeLine
from tests.conftest import api_bearer, sign_in
from tests.demo_ids import item_id, option_id
from tests.integration.test_depletion import moves_of, ordered, pay
from tests.web.test_pay_routes import HX, Client

PAGES = [
    ("/office/inventory/", "Stock on hand", "10,000 ml"),  # never "1E+4"
    ("/office/inventory/ingredients", "Add an ingredient", "Beef ribeye"),
    ("/office/inventory/recipes", "Modifier options", "Brigade Burger"),
    ("/office/inventory/no-recipe", "Sold with no recipe", "Every item on the menu has a recipe"),
]


async def shelf(session: AsyncSession, name: str) -> int:
    found = await session.scalar(select(Ingredient.id).where(Ingredient.name == name))
    await session.rollback()
    return int(found or 0)


async def recipe_rows(session: AsyncSession, item: int) -> list[Any]:
    query = select(RecipeLine.ingredient_id, RecipeLine.quantity)
    rows = (await session.execute(query.where(RecipeLine.item_id == item))).all()
    await session.rollback()
    return sorted(rows)


async def post(client: Client, csrf: str, path: str, **data: str) -> Any:
    return await client.post(path, data=data, headers={**HX, "X-CSRF-Token": csrf})


@pytest.mark.parametrize(("path", "heading", "shows"), PAGES)
async def test_a_manager_sees_each_inventory_page_and_a_server_does_not(
    client: Client, path: str, heading: str, shows: str
) -> None:
    await sign_in(client, "Maria")
    refused = await client.get(path, follow_redirects=False)
    assert refused.status_code == 403

    await sign_in(client, "Mia")
    page = await client.get(path)
    assert page.status_code == 200, page.text
    assert heading in page.text and shows in page.text
    assert 'href="/office/inventory/"' in page.text  # the back office's nav line


async def test_the_chef_writes_a_recipe_in_ounces_on_the_form(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    filet = await item_id(session, "Filet Mignon")
    beef = await shelf(session, "Beef filet")
    form = await client.get(f"/office/inventory/recipes/{filet}")
    assert form.status_code == 200 and "Recipe: Filet Mignon" in form.text

    saved = await post(
        client, csrf, f"/office/inventory/recipes/{filet}",
        ingredient_0=str(beef), amount_0="7", unit_0="oz",
    )  # fmt: skip
    assert saved.status_code in (204, 303), saved.text
    recipes = await client.get("/office/inventory/recipes")
    assert "198.4 g Beef filet" in recipes.text  # 7 oz is 198.4467 g: a chef reads 198.4
    again = await client.get(f"/office/inventory/recipes/{filet}")
    assert 'value="198.4467"' in again.text  # the form keeps it exact, so a re-save changes nothing


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"ingredient_0": "beef", "amount_0": "7", "unit_0": "oz"}, "no ingredient with that"),
        ({"ingredient_0": "BEEF", "amount_0": "７", "unit_0": "oz"}, "is not a quantity"),
        ({"ingredient_0": "BEEF", "amount_0": "7", "unit_0": "bottle"}, "does not know the unit"),
        ({"ingredient_0": "BEEF", "amount_0": "7", "unit_0": "ml"}, "ml does not convert to g"),
        ({"ingredient_0": "BEEF", "amount_0": "", "unit_0": "g"}, "Give an amount"),
        ({"ingredient_0": "99999999999999999999999", "amount_0": "1"}, "no ingredient with that"),
    ],
)
async def test_a_bad_recipe_form_is_a_sentence_and_changes_nothing(
    client: Client, session: AsyncSession, fields: dict[str, str], sentence: str
) -> None:
    csrf = await sign_in(client, "Mia")
    filet = await item_id(session, "Filet Mignon")
    beef = str(await shelf(session, "Beef filet"))
    if fields["ingredient_0"] == "BEEF":
        fields = {**fields, "ingredient_0": beef}
    before = await recipe_rows(session, filet)

    refused = await post(client, csrf, f"/office/inventory/recipes/{filet}", **fields)

    assert 400 <= refused.status_code < 500, refused.text
    assert sentence in refused.text
    assert await recipe_rows(session, filet) == before


async def test_the_ingredient_forms_add_refuse_and_archive(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    added = await post(
        client, csrf, "/office/inventory/ingredients",
        name="Shallots", base_unit="g", storage_area_id="", tracked="on", key="k-shallots",
    )  # fmt: skip
    assert added.status_code in (204, 303), added.text
    twice = await post(
        client, csrf, "/office/inventory/ingredients", name="shallots", base_unit="g"
    )
    assert twice.status_code == 422 and "already an ingredient called shallots" in twice.text
    for bad, sentence in [
        ({"name": "Nul\x00", "base_unit": "g"}, "control character"),
        ({"name": "Salt", "base_unit": "pinch"}, "is not a base unit"),
        ({"name": "Salt", "base_unit": "g", "storage_area_id": "9" * 30}, "no storage area"),
    ]:
        answer = await post(client, csrf, "/office/inventory/ingredients", **bad)
        assert 400 <= answer.status_code < 500 and sentence in answer.text, answer.text
    butter = await shelf(session, "Butter")
    kept = await post(client, csrf, f"/office/inventory/ingredients/{butter}/archive")
    assert kept.status_code == 422 and "Butter is in the recipe of" in kept.text
    shallots = await shelf(session, "Shallots")
    gone = await post(client, csrf, f"/office/inventory/ingredients/{shallots}/archive")
    assert gone.status_code in (204, 303)


async def test_an_item_with_no_recipe_is_listed_and_so_is_what_the_close_flagged(
    uow_factory: Any, client: Client, session: AsyncSession
) -> None:
    bread = await item_id(session, "Garlic Bread")
    await session.execute(delete(RecipeLine).where(RecipeLine.item_id == bread))
    await session.commit()
    check = await ordered(uow_factory, session, ("Garlic Bread", []), ("Garlic Bread", []))
    await pay(uow_factory, session, check)

    csrf = await sign_in(client, "Mia")
    page = await client.get("/office/inventory/no-recipe")
    assert f'href="/office/inventory/recipes/{bread}">Garlic Bread' in page.text
    flag = page.text[page.text.find(f'id="flag-{bread}-0"') :][:600]
    assert '<td>Garlic Bread</td><td></td><td class="num">2</td>' in flag
    assert "Write the recipe" in flag

    butter = await shelf(session, "Butter")
    await post(
        client, csrf, f"/office/inventory/recipes/{bread}",
        ingredient_0=str(butter), amount_0="1", unit_0="oz",
    )  # fmt: skip
    page = await client.get("/office/inventory/no-recipe")
    assert "recipe written: count the shelf" in page.text
    assert "Every item on the menu has a recipe." in page.text


async def test_a_recipe_put_over_the_api_is_what_the_close_takes_out(
    uow_factory: Any, client: Client, session: AsyncSession
) -> None:
    auth = await api_bearer(client, "Mia")
    burger = await item_id(session, "Brigade Burger")
    beef, buns = await shelf(session, "Ground beef"), await shelf(session, "Burger buns")
    body = {"lines": [{"ingredient_id": beef, "amount": "8", "unit": "oz"},
                      {"ingredient_id": buns, "amount": "1", "unit": "each"}]}  # fmt: skip
    put = await client.put(f"/api/v1/inventory/recipes/{burger}", json=body, headers=auth)
    assert put.status_code == 200, put.text
    assert {x["name"]: x["quantity"] for x in put.json()["lines"]} == {
        "Ground beef": "226.7962",
        "Burger buns": "1.0000",
    }
    bad = {"lines": [{"ingredient_id": buns, "amount": "80", "unit": "g"}]}
    refused = await client.put(f"/api/v1/inventory/recipes/{burger}", json=bad, headers=auth)
    assert refused.status_code == 422 and "g does not convert to each" in refused.json()["error"]

    check = await ordered(uow_factory, session, ("Brigade Burger", ["Medium", "Fries"]))
    await pay(uow_factory, session, check)

    assert await moves_of(session, f"check:{check}") == {
        "Ground beef": Decimal("-226.7962"),
        "Burger buns": Decimal("-1"),
        "Potatoes": Decimal("-200"),  # the side of fries, by its own option recipe
    }
    moves = await client.get(
        "/api/v1/inventory/moves", params={"source": f"check:{check}"}, headers=auth
    )
    assert moves.status_code == 200
    assert {m["ingredient"]: m["quantity"] for m in moves.json()} == {
        "Ground beef": "-226.7962",
        "Burger buns": "-1.0000",
        "Potatoes": "-200.0000",
    }


async def test_the_inventory_api_lists_adds_once_and_patches(
    client: Client, session: AsyncSession
) -> None:
    auth = await api_bearer(client, "Mia")
    on_hand = await client.get("/api/v1/inventory/on-hand", headers=auth)
    assert on_hand.status_code == 200
    assert {"name": "Lobster", "quantity": "8.0000"}.items() <= next(
        r for r in on_hand.json() if r["name"] == "Lobster"
    ).items()
    keyed = {**auth, "Idempotency-Key": "add-shallots"}
    body = {"name": "Shallots", "base_unit": "g"}
    first = await client.post("/api/v1/inventory/ingredients", json=body, headers=keyed)
    retry = await client.post("/api/v1/inventory/ingredients", json=body, headers=keyed)
    assert first.status_code == retry.status_code == 201 and first.json() == retry.json()
    shallots = first.json()["id"]
    renamed = await client.patch(
        f"/api/v1/inventory/ingredients/{shallots}", json={"name": "Banana shallots"}, headers=auth
    )
    assert renamed.status_code == 204
    listed = await client.get("/api/v1/inventory/ingredients", headers=auth)
    assert "Banana shallots" in {i["name"] for i in listed.json()}
    butter = await shelf(session, "Butter")
    kept = await client.patch(
        f"/api/v1/inventory/ingredients/{butter}", json={"archived": True}, headers=auth
    )
    assert kept.status_code == 422
    bacon = await option_id(session, "Add bacon")
    onions = await shelf(session, "Onions")
    swap = {"lines": [{"ingredient_id": onions, "amount": "-30", "unit": "g"}]}
    changed = await client.put(
        f"/api/v1/inventory/options/{bacon}/changes", json=swap, headers=auth
    )
    assert changed.status_code == 200 and changed.json()["lines"][0]["quantity"] == "-30.0000"
    server = await api_bearer(client, "Maria")
    assert (await client.get("/api/v1/inventory/on-hand", headers=server)).status_code == 403


async def test_no_onions_is_ticked_takes_off_on_the_option_form(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    bacon = await option_id(session, "Add bacon")
    onions, rashers = await shelf(session, "Onions"), await shelf(session, "Bacon")
    form = await client.get(f"/office/inventory/options/{bacon}")
    assert "Takes off" in form.text and "Extras: Add bacon" in form.text

    saved = await post(
        client, csrf, f"/office/inventory/options/{bacon}",
        ingredient_0=str(rashers), amount_0="40", unit_0="g",
        ingredient_1=str(onions), amount_1="1", unit_1="oz", off_1="on",
    )  # fmt: skip
    assert saved.status_code in (204, 303), saved.text
    recipes = await client.get("/office/inventory/recipes")
    row = recipes.text[recipes.text.find(f'id="option-{bacon}"') :][:700]
    assert "+ 40 g Bacon" in row and "− 28.3 g Onions" in row


async def test_the_api_says_what_is_not_here_and_what_cannot_be_written(
    client: Client, session: AsyncSession
) -> None:
    auth = await api_bearer(client, "Mia")
    empty = {"lines": []}
    for path in ("/recipes/999999", "/options/999999/changes"):
        missing = await client.put(f"/api/v1/inventory{path}", json=empty, headers=auth)
        assert missing.status_code == 404 and missing.json()["error"], path
    assert (await client.get("/api/v1/inventory/recipes/999999", headers=auth)).status_code == 404
    gone = await client.patch("/api/v1/inventory/ingredients/999999", json={}, headers=auth)
    assert gone.status_code == 404
    beef = await shelf(session, "Beef ribeye")
    ribeye = await item_id(session, "Ribeye 12oz")
    negative = {"lines": [{"ingredient_id": beef, "amount": "-3", "unit": "oz"}]}
    refused = await client.put(f"/api/v1/inventory/recipes/{ribeye}", json=negative, headers=auth)
    assert refused.status_code == 422 and "is not a quantity" in refused.json()["error"]
    moved = await client.patch(
        f"/api/v1/inventory/ingredients/{beef}", json={"no_storage_area": True}, headers=auth
    )
    assert moved.status_code == 204
    listed = {
        i["name"]: i
        for i in (await client.get("/api/v1/inventory/ingredients", headers=auth)).json()
    }
    assert listed["Beef ribeye"]["storage_area_id"] is None
    assert listed["Beef ribeye"]["used_by"] >= 1  # the ribeye, at least
