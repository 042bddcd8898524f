"""Modifier groups shared by items, their priced options, and the tax rates: changed on the
back office's screens, with their rules kept and bad input refused with a sentence."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.menu.models import ItemModifierGroup, MenuItem, ModifierGroup, ModifierOption, TaxRate
from app.orders.models import CheckLine
from tests.conftest import sign_in
from tests.demo_ids import item_id, option_id, table_id
from tests.web.test_menu_editor import fresh, item_form, post
from tests.web.test_pay_routes import Client, count


async def group_id(session: AsyncSession, name: str) -> int:
    return int(await session.scalar(select(ModifierGroup.id).filter_by(name=name)) or 0)


async def test_a_group_with_fewest_choices_above_the_most_is_refused(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    before = await count(session, ModifierGroup)
    upside_down = await post(
        client, csrf, "/office/menu/modifiers", name="Sauces", min_choices="3", max_choices="1"
    )
    not_a_number = await post(
        client, csrf, "/office/menu/modifiers", name="Sauces", min_choices="two", max_choices="3"
    )
    huge = await post(
        client, csrf, "/office/menu/modifiers", name="Sauces", min_choices="0", max_choices="9" * 30
    )
    temperature = await group_id(session, "Temperature")  # choose exactly 1 of 5
    unanswerable = await post(
        client,
        csrf,
        f"/office/menu/modifiers/{temperature}",
        name="Temperature",
        min_choices="9",
        max_choices="9",
    )

    assert upside_down.status_code == 422
    assert "The fewest choices (3) is more than the most (1)" in upside_down.text
    assert not_a_number.status_code == 422 and "must be a whole number" in not_a_number.text
    assert huge.status_code == 422 and "between 1 and 20" in huge.text
    assert unanswerable.status_code == 422 and "add options or lower" in unanswerable.text
    assert await count(session, ModifierGroup) == before
    assert (await fresh(session, ModifierGroup, id=temperature)).min_choices == 1


async def test_a_new_group_with_priced_options_is_asked_on_the_items_that_tick_it(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    added = await post(
        client,
        csrf,
        "/office/menu/modifiers",
        name="Sauces",
        min_choices="0",
        max_choices="2",
        key="sauces",
    )
    sauces = await group_id(session, "Sauces")
    for name, extra in (("Aioli", "1.50"), ("Salsa verde", "")):
        made = await post(
            client,
            csrf,
            f"/office/menu/modifiers/{sauces}/options",
            name=name,
            price_delta=extra,
            key=f"opt-{name}",
        )
        assert made.status_code == 204, made.text[:300]
    bad_price = await post(
        client, csrf, f"/office/menu/modifiers/{sauces}/options", name="Gold", price_delta="lots"
    )
    fries = await item_id(session, "Fish & Chips")
    item = await fresh(session, MenuItem, id=fries)
    form = item_form(
        name=item.name,
        price="20.00",
        kitchen_name="",
        course="",
        category_id=item.category_id,
        tax_rate_id=item.tax_rate_id,
    )
    ticked = await client.post(
        f"/office/menu/items/{fries}",
        data={**form, "group_id": [str(sauces)]},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )

    assert added.status_code == 204 and ticked.status_code == 204, ticked.text[:300]
    assert bad_price.status_code == 422 and "The extra:" in bad_price.text
    asked = await session.scalars(select(ItemModifierGroup.group_id).filter_by(item_id=fries))
    assert list(asked) == [sauces]
    opened = await post(
        client, csrf, f"/floor/tables/{await table_id(session, '2')}/open", guests="2"
    )
    check = str(opened.headers["hx-redirect"])
    aioli = await option_id(session, "Aioli")
    rung = await client.post(
        f"{check}/lines",
        data={"item_id": str(fries), "option": [str(aioli)]},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert rung.status_code == 200, rung.text[:300]
    line = (await session.scalars(select(CheckLine).filter_by(menu_item_id=fries))).one()
    assert line.unit_price == 2000 + 150 and "Aioli" in line.modifiers


async def test_an_archived_option_leaves_the_order_screen_and_cannot_break_the_rule(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    rare = await option_id(session, "Rare")
    archived = await post(client, csrf, f"/office/menu/modifiers/options/{rare}/archive")
    burger = await item_id(session, "Brigade Burger")
    opened = await post(
        client, csrf, f"/floor/tables/{await table_id(session, '4')}/open", guests="1"
    )
    check = str(opened.headers["hx-redirect"])
    chose_rare = await client.post(
        f"{check}/lines",
        data={"item_id": str(burger), "option": [str(rare)]},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )

    medium = await option_id(session, "Medium")
    chose_medium = await client.post(
        f"{check}/lines",
        data={"item_id": str(burger), "option": [str(medium)]},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )

    assert archived.status_code == 204
    assert chose_rare.status_code == 422 and "Temperature: pick a choice." in chose_rare.text
    assert chose_medium.status_code == 200
    assert (await fresh(session, ModifierOption, id=rare)).archived_at is not None


async def test_tax_rates_are_added_changed_and_archived_only_when_no_item_uses_them(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    added = await post(client, csrf, "/office/taxes", name="Takeaway", percent="5.5", key="t1")
    takeaway = int(await session.scalar(select(TaxRate.id).filter_by(name="Takeaway")) or 0)
    changed = await post(client, csrf, f"/office/taxes/{takeaway}", name="Takeaway", percent="6.25")
    too_much = await post(client, csrf, f"/office/taxes/{takeaway}", name="Takeaway", percent="100")
    words = await post(client, csrf, "/office/taxes", name="Odd", percent="eight")
    food = int(await session.scalar(select(TaxRate.id).filter_by(name="Food 8.875%")) or 0)
    in_use = await post(client, csrf, f"/office/taxes/{food}/archive")
    unused = await post(client, csrf, f"/office/taxes/{takeaway}/archive")
    page = await client.get("/office/taxes")

    assert added.status_code == 204 and changed.status_code == 204
    assert (await fresh(session, TaxRate, id=takeaway)).rate_ppm == 62_500
    assert too_much.status_code == 422 and "below 100 %" in too_much.text
    assert words.status_code == 422 and "percentage such as 8.875" in words.text
    assert in_use.status_code == 422 and "give them another rate first" in in_use.text
    assert unused.status_code == 204
    assert 'value="8.875"' in page.text and "(archived)" in page.text
