"""The menu editor's edges, found in review: a CSV that leaves columns out, a download with
archived things imported back, repeated rows, a name shared with an archived group, a retry
with another body, an option whose archiving would leave a group unanswerable, an expo that
still makes food, an item's own course, and an archived item's button on an open screen."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.menu.models import ItemModifierGroup, MenuItem, ModifierGroup
from kds.models import Station
from tests.conftest import api_bearer, sign_in
from tests.demo_ids import item_id, option_id, station_id, table_id
from tests.web.test_menu_csv_and_discounts import upload
from tests.web.test_menu_editor import fresh, post
from tests.web.test_pay_routes import Client


async def groups_of(session: AsyncSession, item: int) -> list[int]:
    session.expire_all()
    asked = await session.scalars(
        select(ItemModifierGroup.group_id).filter_by(item_id=item).order_by(ItemModifierGroup.sort)
    )
    found = list(asked)
    await session.rollback()
    return found


async def test_a_file_of_prices_alone_changes_prices_and_nothing_else(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    burger = await item_id(session, "Brigade Burger")
    before = await fresh(session, MenuItem, id=burger)
    asked = await groups_of(session, burger)
    await post(client, csrf, f"/office/menu/items/{burger}/archive")
    body = "category,item,price,tax_rate\r\nMains,Brigade Burger,21.00,Food 8.875%\r\n"
    imported = await upload(client, csrf, body.encode())

    after = await fresh(session, MenuItem, id=burger)
    assert imported.status_code == 204, imported.text[:300]
    assert (after.price, after.sort) == (2100, before.sort)
    assert after.archived_at is not None  # no archived column: left as it was
    assert await groups_of(session, burger) == asked and len(asked) == 3


async def test_the_download_imports_back_with_archived_categories_and_repeated_rows(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    desserts = int(await session.scalar(select(MenuItem.category_id).filter_by(name="Tiramisu")))
    await post(client, csrf, f"/office/menu/categories/{desserts}/archive")
    download = (await client.get("/office/menu/menu.csv")).text
    again = await upload(client, csrf, download.encode())
    row = "Mains,Brigade Burger,19.00,Food 8.875%,Temperature\r\n"
    twice = await upload(
        client, csrf, ("category,item,price,tax_rate,modifiers\r\n" + row * 2).encode()
    )

    assert again.status_code == 204, again.text[:400]
    assert twice.status_code == 204, twice.text[:400]
    burger = await item_id(session, "Brigade Burger")
    temperature = int(await session.scalar(select(ModifierGroup.id).filter_by(name="Temperature")))
    assert await groups_of(session, burger) == [temperature]


async def test_a_name_shared_with_an_archived_group_means_the_current_one(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    old = int(await session.scalar(select(ModifierGroup.id).filter_by(name="Sides")))
    await post(client, csrf, f"/office/menu/modifiers/{old}/archive")
    await post(
        client,
        csrf,
        "/office/menu/modifiers",
        name="Sides",
        min_choices="0",
        max_choices="2",
        key="new-sides",
    )
    new = int(
        await session.scalar(
            select(ModifierGroup.id).filter_by(name="Sides").where(ModifierGroup.id != old)
        )
    )
    body = "category,item,price,tax_rate,modifiers\r\nMains,Salmon,28.00,Food 8.875%,Sides\r\n"
    assert (await upload(client, csrf, body.encode())).status_code == 204
    assert await groups_of(session, await item_id(session, "Salmon")) == [new]


async def test_an_api_retry_with_other_groups_is_refused_and_changes_nothing(
    client: Client, session: AsyncSession
) -> None:
    auth = {**await api_bearer(client, "Mia"), "Idempotency-Key": "veal-1"}
    rate = int(await session.scalar(select(MenuItem.tax_rate_id).limit(1)))
    mains = int(await session.scalar(select(MenuItem.category_id).filter_by(name="Salmon")))
    body = {"category_id": mains, "name": "Veal", "price": 3100, "tax_rate_id": rate}
    first = await client.post(
        "/api/v1/office/menu/items", json={**body, "modifier_group_ids": [1]}, headers=auth
    )
    replay = await client.post(
        "/api/v1/office/menu/items", json={**body, "modifier_group_ids": [1]}, headers=auth
    )
    other = await client.post(
        "/api/v1/office/menu/items", json={**body, "modifier_group_ids": [2]}, headers=auth
    )

    assert first.status_code == replay.status_code == 201 and replay.json() == first.json()
    assert other.status_code == 409
    assert await groups_of(session, first.json()["id"]) == [1]


async def test_archiving_an_option_that_would_leave_too_few_is_refused(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    await post(
        client,
        csrf,
        "/office/menu/modifiers",
        name="Two sauces",
        min_choices="2",
        max_choices="2",
        key="two",
    )
    group = int(await session.scalar(select(ModifierGroup.id).filter_by(name="Two sauces")))
    for name in ("Aioli", "Ketchup"):
        await post(
            client, csrf, f"/office/menu/modifiers/{group}/options", name=name, key=f"sauce-{name}"
        )
    refused = await post(
        client, csrf, f"/office/menu/modifiers/options/{await option_id(session, 'Aioli')}/archive"
    )
    assert refused.status_code == 422 and "needs at least 2 options" in refused.text


async def test_a_station_that_still_makes_food_cannot_become_expo(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    cold = await station_id(session, "Cold")
    refused = await post(
        client,
        csrf,
        f"/office/stations/{cold}",
        name="Cold",
        warn_minutes="5",
        late_minutes="8",
        ack_seconds="30",
        is_expo="1",
    )
    assert refused.status_code == 422 and "untick it on kitchen routing" in refused.text
    assert not (await fresh(session, Station, id=cold)).is_expo


async def test_the_choices_dialog_offers_the_items_own_course_and_an_archived_item_greys_out(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    ribeye = await item_id(session, "Ribeye 12oz")
    item = await fresh(session, MenuItem, id=ribeye)
    form = {
        "name": item.name,
        "price": "38.00",
        "tax_rate_id": str(item.tax_rate_id),
        "category_id": str(item.category_id),
        "course": "starters",
        "kitchen_name": "",
        "description": "",
        "sort": str(item.sort),
    }
    saved = await client.post(
        f"/office/menu/items/{ribeye}",
        data=form,
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    opened = await post(
        client, csrf, f"/floor/tables/{await table_id(session, '6')}/open", guests="2"
    )
    check = str(opened.headers["hx-redirect"])
    dialog = await client.get(f"{check}/items/{ribeye}")
    await post(client, csrf, f"/office/menu/items/{ribeye}/archive")
    check_id = check.rsplit("/", 1)[1]
    button = await client.get(
        f"/menu/items/{ribeye}/button?check={check_id}", headers={"HX-Request": "true"}
    )

    assert saved.status_code == 204
    assert dialog.status_code == 200, dialog.text[:300]
    assert 'value="starters" checked' in dialog.text
    assert button.status_code == 200 and "off the menu" in button.text
