"""The floor plan during service: states on the tiles, "my tables", bussing."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.floor import service
from app.floor.models import DiningTable
from tests.conftest import STAFF_IDS, sign_in
from tests.demo_ids import item_id, table_id

Client = AsyncTestClient[Litestar]
MARIA = STAFF_IDS["Maria"]


async def as_staff(client: Client, name: str) -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": await sign_in(client, name)}


def tile(page: str, table: int) -> str:
    """The HTML of one table on the plan."""
    found = re.search(rf'<a id="table-{table}"[\s\S]*?</a>', page)
    assert found, f"table {table} is not on the plan"
    return found.group(0)


async def dirty(session: AsyncSession, name: str) -> int:
    table = await table_id(session, name)
    await service.table_needs_bussing(session, table)
    await session.commit()
    return table


async def test_ordered_table_shows_guests_minutes_server_badge_and_total(
    client: Client, session: AsyncSession
) -> None:
    headers = await as_staff(client, "Maria")
    five = await table_id(session, "5")
    opened = await client.post(f"/floor/tables/{five}/open", data={"guests": "3"}, headers=headers)
    check = opened.headers["hx-redirect"]
    beer = await item_id(session, "IPA Draft")
    await client.post(f"{check}/lines", data={"item_id": str(beer)}, headers=headers)
    await client.post(f"{check}/send", data={"key": "send-1"}, headers=headers)

    five_tile = tile((await client.get("/floor")).text, five)
    assert "state-ordered" in five_tile
    assert "3<small> guests</small> · 0<small>m</small>" in five_tile
    assert '<span class="srv srv-1" title="Maria">Ma</span>' in five_tile
    assert "$8.83" in five_tile  # $8.00 and its tax, as on the check
    assert "has-held" not in five_tile


async def test_plan_redraw_for_htmx_is_just_the_plan_for_the_same_floor_and_filter(
    client: Client,
) -> None:
    await sign_in(client, "Maria")
    fragment = await client.get("/floor?floor=2&mine=1", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="floor-plan"')
    assert 'hx-get="/floor?floor=2&amp;mine=1" hx-trigger="every 60s"' in fragment.text
    assert fragment.text.count('class="table shape-') == 8 and "<html" not in fragment.text


async def test_my_tables_dims_everyone_elses_and_survives_a_reload(
    client: Client, session: AsyncSession
) -> None:
    one, nine = await table_id(session, "1"), await table_id(session, "9")
    await session.execute(update(DiningTable).where(DiningTable.id == one).values(server_id=MARIA))
    await session.commit()
    headers = await as_staff(client, "Maria")
    await client.post(f"/floor/tables/{nine}/open", data={"guests": "2"}, headers=headers)

    page = (await client.get("/floor?mine=1")).text
    assert 'ws-connect="/ws/floor?floor=1&amp;mine=1"' in page
    assert 'role="switch" aria-checked="true"' in page
    assert 'href="/floor?floor=2&amp;mine=1"' in page  # the Patio tab keeps the filter
    dimmed = {int(i) for i in re.findall(r'<a id="table-(\d+)"[^>]*class="[^"]* dimmed"', page)}
    assert one not in dimmed and nine not in dimmed and len(dimmed) == 13
    everyone = (await client.get("/floor")).text
    assert " dimmed" not in everyone and 'aria-checked="false"' in everyone


async def test_my_tables_with_nothing_of_mine_says_what_to_do(client: Client) -> None:
    await sign_in(client, "Sam")
    page = (await client.get("/floor?mine=1")).text
    assert "Nothing of yours on Dining room yet" in page and "A manager sets sections" in page


async def test_tapping_a_table_that_needs_bussing_offers_mark_clean_and_seat_guests(
    client: Client, session: AsyncSession
) -> None:
    two = await dirty(session, "2")
    await sign_in(client, "Maria")
    two_tile = tile((await client.get("/floor")).text, two)
    assert "state-bussing" in two_tile and "Bussing · 0<small>m</small>" in two_tile
    assert f'hx-get="/floor/tables/{two}/bussing"' in two_tile
    sheet = (await client.get(f"/floor/tables/{two}/bussing", headers={"HX-Request": "true"})).text
    assert "Mark clean" in sheet and 'class="guest-keys"' in sheet


async def test_host_marks_a_table_clean_and_sees_it_free_at_once(
    client: Client, session: AsyncSession
) -> None:
    two = await dirty(session, "2")
    headers = await as_staff(client, "Hana")
    sheet = (await client.get(f"/floor/tables/{two}/bussing", headers=headers)).text
    assert "Mark clean" in sheet and "guest-keys" not in sheet  # hosts do not open checks
    cleaned = await client.post(f"/floor/tables/{two}/clean", headers=headers)
    assert cleaned.status_code == 200
    assert f'<a id="table-{two}" hx-swap-oob="outerHTML"' in cleaned.text
    assert "state-free" in cleaned.text
    session.expire_all()
    assert (
        await session.scalar(select(DiningTable.bussing_since).where(DiningTable.id == two)) is None
    )


async def test_mark_clean_from_a_plain_form_goes_back_to_the_floor(
    client: Client, session: AsyncSession
) -> None:
    two = await dirty(session, "2")
    csrf = await sign_in(client, "Mia")
    done = await client.post(
        f"/floor/tables/{two}/clean", data={"_csrf": csrf}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/floor"


async def test_the_kitchen_does_not_mark_tables_clean(
    client: Client, session: AsyncSession
) -> None:
    two = await dirty(session, "2")
    headers = await as_staff(client, "Ode")
    refused = await client.post(f"/floor/tables/{two}/clean", headers=headers)
    assert refused.status_code == 403 and "A kitchen cannot do that here." in refused.text
    session.expire_all()
    assert await session.scalar(select(DiningTable.bussing_since).where(DiningTable.id == two))


async def test_seating_guests_at_a_dirty_table_counts_it_as_clean(
    client: Client, session: AsyncSession
) -> None:
    two = await dirty(session, "2")
    headers = await as_staff(client, "Maria")
    seated = await client.post(f"/floor/tables/{two}/open", data={"guests": "2"}, headers=headers)
    assert seated.status_code == 204
    session.expire_all()
    assert (
        await session.scalar(select(DiningTable.bussing_since).where(DiningTable.id == two)) is None
    )
    assert "state-seated" in tile((await client.get("/floor")).text, two)


async def test_cleaning_a_table_that_does_not_exist_is_404(client: Client) -> None:
    headers = await as_staff(client, "Maria")
    refused = await client.post("/floor/tables/987654/clean", headers=headers)
    assert refused.status_code == 404 and "That table does not exist." in refused.text
    assert (await client.get("/floor/tables/987654/bussing")).status_code == 404
