"""The menu editor: categories and items added, changed and archived on a screen, audited,
reaching the order screen and the kitchen; bad input refused with a sentence."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.menu.models import Category, MenuItem, TaxRate
from app.orders.models import CheckLine
from app.platform.models import AuditEntry
from kds.models import TicketItem
from tests.conftest import sign_in
from tests.demo_ids import item_id, table_id
from tests.web.test_pay_routes import HX, Client, count, sent_check


async def post(client: Client, csrf: str, path: str, **data: str) -> Any:
    return await client.post(path, data=data, headers={**HX, "X-CSRF-Token": csrf})


async def fresh(session: AsyncSession, model: Any, **where: Any) -> Any:
    session.expire_all()
    found = (await session.scalars(select(model).filter_by(**where))).one()
    session.expunge(found)  # read as it is now, then let go of the snapshot
    await session.rollback()
    return found


async def rate_id(session: AsyncSession, name: str = "Food 8.875%") -> int:
    return int(await session.scalar(select(TaxRate.id).where(TaxRate.name == name)) or 0)


async def category_id(session: AsyncSession, name: str) -> int:
    return int(await session.scalar(select(Category.id).where(Category.name == name)) or 0)


def item_form(**changes: Any) -> dict[str, str]:
    form = {
        "name": "Halibut",
        "price": "31.50",
        "course": "",
        "kitchen_name": "HALI",
        "description": "",
        "sort": "5",
    }
    return {k: str(v) for k, v in {**form, **changes}.items()}


async def test_a_manager_adds_an_item_the_order_screen_offers_at_its_price(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    mains = await category_id(session, "Mains")
    form = item_form(category_id=mains, tax_rate_id=await rate_id(session), key="add-halibut")
    added = await post(client, csrf, "/office/menu/items", **form)
    again = await post(client, csrf, "/office/menu/items", **form)  # a double tap

    assert added.status_code == 204 and added.headers["hx-redirect"] == "/office/menu"
    assert again.status_code == 204
    halibut = await fresh(session, MenuItem, name="Halibut")
    assert (halibut.price, halibut.kitchen_name, halibut.sort) == (3150, "HALI", 5)
    assert len((await session.scalars(select(MenuItem).filter_by(name="Halibut"))).all()) == 1
    page = await client.get("/office/menu")
    assert "Halibut" in page.text and "$31.50" in page.text
    opened = await post(
        client, csrf, f"/floor/tables/{await table_id(session, '3')}/open", guests="2"
    )
    order_screen = await client.get(str(opened.headers["hx-redirect"]))
    assert "Halibut" in order_screen.text
    entry = (await session.scalars(select(AuditEntry).filter_by(action="add_item"))).one()
    assert entry.actor_id is not None and entry.detail["price"] == 3150


async def test_the_editor_refuses_bad_input_with_a_sentence_and_saves_nothing(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    mains, rate = await category_id(session, "Mains"), await rate_id(session)
    before = await count(session, MenuItem)
    cases = {
        "twelve": "is not an amount",
        "12.505": "more than 2 decimal places",
        "-4": "is not an amount",
        "١٢": "is not an amount",
        "99999999999999999999999": "is not an amount",
        "9999999999": "too large: check the number of zeros",
        "": "The price is missing",
    }
    for price, sentence in cases.items():
        refused = await post(
            client,
            csrf,
            "/office/menu/items",
            **item_form(category_id=mains, tax_rate_id=rate, price=price),
        )
        assert refused.status_code == 422, price
        assert sentence in refused.text, (price, refused.text[:300])
        assert 'id="menu-editor"' in refused.text  # the fragment, for htmx to swap in
    nul = await post(
        client,
        csrf,
        "/office/menu/items",
        **item_form(category_id=mains, tax_rate_id=rate, name="Bad\x00"),
    )
    nameless = await post(
        client,
        csrf,
        "/office/menu/items",
        **item_form(category_id=mains, tax_rate_id=rate, name="  "),
    )
    elsewhere = await post(
        client, csrf, "/office/menu/items", **item_form(category_id="99999999", tax_rate_id=rate)
    )
    no_rate = await post(
        client,
        csrf,
        "/office/menu/items",
        **item_form(category_id=mains, tax_rate_id="2" + "0" * 30),
    )
    no_course = await post(
        client,
        csrf,
        "/office/menu/items",
        **item_form(category_id=mains, tax_rate_id=rate, course="brunch"),
    )

    assert nul.status_code == 422 and "control character" in nul.text
    assert nameless.status_code == 422 and "Give the item a name" in nameless.text
    assert elsewhere.status_code == 404 and "not on this menu" in elsewhere.text
    assert no_rate.status_code == 404
    assert no_course.status_code == 422 and "no course called" in no_course.text
    assert await count(session, MenuItem) == before


async def test_categories_have_a_colour_a_course_and_refuse_a_colour_that_is_not_one(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    added = await post(
        client,
        csrf,
        "/office/menu/categories",
        name="Raw bar",
        color="#0E7490",
        course="starters",
        sort="2",
        key="raw",
    )
    raw_bar = await category_id(session, "Raw bar")
    bad = await post(
        client,
        csrf,
        f"/office/menu/categories/{raw_bar}",
        name="Raw bar",
        color="blue",
        course="starters",
    )
    moved = await post(
        client,
        csrf,
        f"/office/menu/categories/{raw_bar}",
        name="Raw bar",
        color="#0e7490",
        course="mains",
        sort="3",
    )

    assert added.status_code == 204 and bad.status_code == 422
    assert "The colour is written like #2e7d32." in bad.text
    assert moved.status_code == 204
    category = await fresh(session, Category, name="Raw bar")
    assert (category.color, category.course, category.sort) == ("#0e7490", "mains", 3)
    changed = (await session.scalars(select(AuditEntry).filter_by(action="change_category"))).one()
    assert changed.detail["changed"] == {"course": ["starters", "mains"], "sort": [2, 3]}


async def test_an_item_archived_while_on_an_open_check_stays_on_that_check_and_leaves_the_menu(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    path = await sent_check(client, session, csrf, table="7")  # Burrata and an IPA, sent
    burrata = await item_id(session, "Burrata")
    archived = await post(client, csrf, f"/office/menu/items/{burrata}/archive")
    twice = await post(client, csrf, f"/office/menu/items/{burrata}/archive")
    check = await client.get(path)
    again = await post(client, csrf, f"{path}/lines", item_id=str(burrata))

    assert archived.status_code == 204 and twice.status_code == 204
    assert "Burrata" in check.text  # the line rung up stays, at its price
    assert again.status_code == 422 and "Burrata is no longer on the menu." in again.text
    lines = (await session.scalars(select(CheckLine).filter_by(menu_item_id=burrata))).all()
    assert len(lines) == 1
    board = await client.get("/menu/86")
    assert "Burrata" not in board.text
    restored = await post(client, csrf, f"/office/menu/items/{burrata}/restore")
    assert restored.status_code == 204
    assert (await post(client, csrf, f"{path}/lines", item_id=str(burrata))).status_code == 200
    actions = (
        await session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.in_(["archive_item", "restore_item"]))
        )
    ).all()
    assert sorted(actions) == ["archive_item", "restore_item"]


async def test_the_kitchen_ticket_prints_the_kitchen_name_and_the_bill_keeps_the_menus(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    burrata = await item_id(session, "Burrata")
    page = await client.get(f"/office/menu/items/{burrata}")
    assert page.status_code == 200 and 'name="kitchen_name"' in page.text
    item = await fresh(session, MenuItem, id=burrata)
    form = item_form(
        name="Burrata",
        price="14.00",
        kitchen_name="BURR",
        course="mains",
        category_id=item.category_id,
        tax_rate_id=item.tax_rate_id,
    )
    saved = await post(client, csrf, f"/office/menu/items/{burrata}", **form)
    assert saved.status_code == 204, saved.text[:400]
    path = await sent_check(client, session, csrf, table="8")

    names = (await session.scalars(select(TicketItem.name))).all()
    assert "BURR" in names and "Burrata" not in names
    line = (await session.scalars(select(CheckLine).filter_by(menu_item_id=burrata))).one()
    assert (line.name, line.course, line.unit_price) == ("Burrata", "mains", 1400)
    assert "Burrata" in (await client.get(path)).text


async def test_servers_cannot_edit_the_menu(client: Client, session: AsyncSession) -> None:
    csrf = await sign_in(client, "Maria")
    page = await client.get("/office/menu")
    burrata = await item_id(session, "Burrata")
    archive = await post(client, csrf, f"/office/menu/items/{burrata}/archive")
    assert page.status_code == 403 and archive.status_code == 403
    assert (await fresh(session, MenuItem, id=burrata)).archived_at is None
