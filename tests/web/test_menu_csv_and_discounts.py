"""The menu as CSV (downloaded, edited in a spreadsheet, imported back: all or nothing) and
the named discount list."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Discount
from app.menu.models import Category, MenuItem
from tests.conftest import sign_in
from tests.web.test_menu_editor import fresh, post
from tests.web.test_pay_routes import HX, Client, count


async def upload(client: Client, csrf: str, body: bytes) -> Any:
    return await client.post(
        "/office/menu/import",
        files={"file": ("menu.csv", body, "text/csv")},
        headers={**HX, "X-CSRF-Token": csrf},
    )


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_the_menu_downloads_edits_and_imports_back(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    download = await client.get("/office/menu/menu.csv")
    rows = rows_of(download.text)
    burger = next(r for r in rows if r["item"] == "Brigade Burger")
    assert download.headers["content-type"].startswith("text/csv")
    assert burger["price"] == "19.00" and burger["modifiers"] == "Temperature; Sides; Extras"
    items_before = await count(session, MenuItem)

    burger["price"] = "21.50"
    burger["kitchen_name"] = "BRG BURGER"
    new = {
        **burger,
        "category": "Late night",
        "category_colour": "#123456",
        "category_course": "mains",
        "item": "Night Burger",
        "modifiers": "Temperature",
        "kitchen_name": "",
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows([*rows, new])
    imported = await upload(client, csrf, ("\ufeff" + out.getvalue()).encode())
    again = await upload(client, csrf, ("\ufeff" + out.getvalue()).encode())

    assert imported.status_code == 204, imported.text[:500]
    assert again.status_code == 204  # the same file twice: the same menu
    assert await count(session, MenuItem) == items_before + 1
    changed = await fresh(session, MenuItem, name="Brigade Burger")
    assert (changed.price, changed.kitchen_name) == (2150, "BRG BURGER")
    late = await fresh(session, Category, name="Late night")
    assert (late.color, late.course) == ("#123456", "mains")


async def test_one_bad_row_and_nothing_is_imported_with_every_bad_row_named(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    header = "category,item,price,tax_rate,modifiers\r\n"
    body = (
        header
        + "Mains,Brigade Burger,25.00,Food 8.875%,\r\n"
        + "Mains,Soup,twelve,Food 8.875%,\r\n"
        + "Mains,Stew,12.00,Luxury tax,\r\n"
        + "Mains,Pie,12.00,Food 8.875%,Gravy\r\n"
    )
    refused = await upload(client, csrf, body.encode())
    no_columns = await upload(client, csrf, b"name,cost\r\nSoup,4\r\n")
    binary = await upload(client, csrf, b"\xff\xfe\x00\x01")
    empty = await upload(client, csrf, header.encode())

    assert refused.status_code == 422
    for sentence in (
        "Nothing was imported.",
        "Row 3:",
        "is not an amount",
        "Row 4:",
        "no tax rate called",
        "Row 5:",
        "no modifier group",
    ):
        assert sentence in refused.text, sentence
    assert (await fresh(session, MenuItem, name="Brigade Burger")).price == 1900
    assert no_columns.status_code == 422 and "needs the columns" in no_columns.text
    assert binary.status_code == 422 and "CSV UTF-8" in binary.text
    assert empty.status_code == 422 and "no items" in empty.text


async def test_a_name_that_a_spreadsheet_would_run_goes_out_quoted_and_comes_back_whole(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    body = "category,item,price,tax_rate\r\nMains,=HYPERLINK(1),5.00,Food 8.875%\r\n"
    assert (await upload(client, csrf, body.encode())).status_code == 204
    download = await client.get("/office/menu/menu.csv")
    row = next(r for r in rows_of(download.text) if "HYPERLINK" in r["item"])
    assert row["item"] == "'=HYPERLINK(1)"
    imported = await upload(client, csrf, download.text.encode())
    assert imported.status_code == 204
    names = await session.scalars(select(MenuItem.name).where(MenuItem.name.like("%HYPER%")))
    assert list(names) == ["=HYPERLINK(1)"]


async def test_the_discount_list_adds_changes_and_retires_named_discounts(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    added = await post(
        client,
        csrf,
        "/office/discounts",
        name="Happy hour",
        kind="percent",
        value="15",
        scope="line",
        key="hh",
    )
    twice = await post(
        client,
        csrf,
        "/office/discounts",
        name="Happy hour",
        kind="percent",
        value="15",
        scope="line",
        key="hh",
    )
    happy = int(await session.scalar(select(Discount.id).filter_by(name="Happy hour")) or 0)
    changed = await post(
        client,
        csrf,
        f"/office/discounts/{happy}",
        name="Happy hour",
        kind="amount",
        value="3.00",
        scope="any",
        needs_approval="1",
    )
    refusals = [
        await post(client, csrf, "/office/discounts", name="X", kind="percent", value="120"),
        await post(client, csrf, "/office/discounts", name="X", kind="percent", value="0"),
        await post(client, csrf, "/office/discounts", name="X", kind="amount", value="0"),
        await post(client, csrf, "/office/discounts", name="X", kind="gift", value="1"),
        await post(client, csrf, "/office/discounts", name="", kind="amount", value="1"),
    ]
    retired = await post(client, csrf, f"/office/discounts/{happy}/retire")

    assert added.status_code == twice.status_code == changed.status_code == 204
    assert len((await session.scalars(select(Discount).filter_by(name="Happy hour"))).all()) == 1
    discount = await fresh(session, Discount, id=happy)
    assert (discount.kind, discount.value, discount.needs_approval) == ("amount", 300, True)
    assert [r.status_code for r in refusals] == [422] * 5
    assert "at most 100" in refusals[0].text and "more than zero" in refusals[2].text
    assert retired.status_code == 204 and not (await fresh(session, Discount, id=happy)).active
