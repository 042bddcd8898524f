"""The 86 board: the kitchen and bar take items off and put them back; servers are refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.menu.models import MenuItem
from app.orders.models import CheckLine
from app.platform.models import AuditEntry
from tests.conftest import sign_in
from tests.demo_ids import item_id, table_id

Client = AsyncTestClient[Litestar]
HX = {"HX-Request": "true"}
ZONE = ZoneInfo("America/New_York")  # the demo restaurant's


async def as_(client: Client, name: str) -> dict[str, str]:
    return {**HX, "X-CSRF-Token": await sign_in(client, name)}


async def item_row(session: AsyncSession, name: str) -> MenuItem:
    session.expire_all()
    return (await session.execute(select(MenuItem).where(MenuItem.name == name))).scalar_one()


async def maria_orders(
    client: Client, session: AsyncSession, name: str, table: str = "5"
) -> tuple[int, str]:
    """Maria seats a table and taps the item; returns the status and the answer's text."""
    headers = await as_(client, "Maria")
    opened = await client.post(
        f"/floor/tables/{await table_id(session, table)}/open",
        data={"guests": "2"},
        headers=headers,
    )
    check = opened.headers["hx-redirect"]
    answer = await client.post(
        f"{check}/lines", data={"item_id": str(await item_id(session, name))}, headers=headers
    )
    return answer.status_code, answer.text


async def lines_on(session: AsyncSession) -> int:
    session.expire_all()
    return int(await session.scalar(select(func.count()).select_from(CheckLine)) or 0)


async def test_chef_86s_burrata_and_a_servers_tablet_is_refused_it(
    client: Client, session: AsyncSession
) -> None:
    burrata = await item_id(session, "Burrata")
    headers = await as_(client, "Ode")

    card = await client.post(f"/menu/86/items/{burrata}/86", data={"minutes": ""}, headers=headers)

    assert card.status_code == 200, card.text
    assert f'id="avail-{burrata}"' in card.text and "Bring back" in card.text
    # "Bring back" now sits where "86" was: the fresh card ignores a double tap's second half.
    assert 'class="avail state-out fresh"' in card.text
    assert re.search(r'id="avail-off"[^>]*hx-swap-oob="outerHTML"', card.text)  # "86'd now"
    assert (await item_row(session, "Burrata")).available is False
    status, text = await maria_orders(client, session, "Burrata")
    assert status == 422 and "Burrata is 86&#39;d." in text
    assert await lines_on(session) == 0


async def test_burrata_86d_for_half_an_hour_tells_the_server_when_it_is_back(
    client: Client, session: AsyncSession
) -> None:
    burrata = await item_id(session, "Burrata")
    headers = await as_(client, "Lee")
    before = datetime.now(UTC)

    await client.post(f"/menu/86/items/{burrata}/86", data={"minutes": "30"}, headers=headers)

    until = (await item_row(session, "Burrata")).unavailable_until
    assert until is not None
    assert before + timedelta(minutes=29) < until < before + timedelta(minutes=31)
    local = until.astimezone(ZONE)
    spoken = f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    status, text = await maria_orders(client, session, "Burrata")
    assert status == 422
    assert re.search(rf"Burrata is 86&#39;d until ([A-Z][a-z]{{2}} )?{spoken}\.", text), text


async def test_86_whose_time_has_passed_is_orderable_again_by_itself(
    client: Client, session: AsyncSession
) -> None:
    burrata = await item_id(session, "Burrata")
    await session.execute(
        update(MenuItem)
        .where(MenuItem.id == burrata)
        .values(available=False, unavailable_until=datetime.now(UTC) - timedelta(minutes=1))
    )
    await session.commit()

    status, _ = await maria_orders(client, session, "Burrata")
    assert status == 200
    assert await lines_on(session) == 1
    await as_(client, "Lee")
    board = await client.get("/menu/86")
    card = re.search(rf'id="avail-{burrata}"[\s\S]*?</article>', board.text)
    assert card and 'class="avail-state">On<' in card.group(0)


async def test_bartender_brings_the_negroni_back(client: Client, session: AsyncSession) -> None:
    negroni = await item_id(session, "Negroni")
    headers = await as_(client, "Lee")
    await client.post(f"/menu/86/items/{negroni}/86", data={"minutes": "60"}, headers=headers)

    card = await client.post(f"/menu/86/items/{negroni}/back", headers=headers)

    assert card.status_code == 200 and 'class="avail-state">On<' in card.text
    row = await item_row(session, "Negroni")
    assert (row.available, row.unavailable_until) == (True, None)
    actions = (
        await session.scalars(
            select(AuditEntry.action).where(AuditEntry.subject.like("menu_item:%"))
        )
    ).all()
    assert actions == ["eighty_six", "bring_back"]


async def test_kitchen_sets_three_tartare_left_and_the_last_one_86s_it(
    client: Client, session: AsyncSession
) -> None:
    tartare = await item_id(session, "Tuna Tartare")
    headers = await as_(client, "Ode")

    three = await client.post(
        f"/menu/86/items/{tartare}/countdown", data={"count": "3"}, headers=headers
    )
    one_less = await client.post(
        f"/menu/86/items/{tartare}/countdown", data={"set": "2", "count": "3"}, headers=headers
    )

    assert "3 left" in three.text
    assert "2 left" in one_less.text  # the − button wins over what the box still shows
    assert (await item_row(session, "Tuna Tartare")).countdown == 2
    zero = await client.post(
        f"/menu/86/items/{tartare}/countdown", data={"count": "0"}, headers=headers
    )
    assert "86&#39;d" in zero.text and "Bring back" in zero.text
    status, text = await maria_orders(client, session, "Tuna Tartare")
    assert status == 422 and "Tuna Tartare is 86&#39;d." in text


async def test_no_limit_clears_the_countdown(client: Client, session: AsyncSession) -> None:
    tartare = await item_id(session, "Tuna Tartare")
    headers = await as_(client, "Ode")
    await client.post(f"/menu/86/items/{tartare}/countdown", data={"count": "3"}, headers=headers)

    cleared = await client.post(
        f"/menu/86/items/{tartare}/countdown", data={"set": "none", "count": "3"}, headers=headers
    )

    assert cleared.status_code == 200 and "No limit" not in cleared.text
    assert (await item_row(session, "Tuna Tartare")).countdown is None


@pytest.mark.parametrize(
    ("action", "data", "status", "message"),
    [
        ("86", {}, 404, "not on the menu"),
        ("back", {}, 404, "not on the menu"),
        ("countdown", {"count": "3"}, 404, "not on the menu"),
    ],
)
async def test_unknown_item_says_it_is_not_on_the_menu(
    client: Client, action: str, data: dict[str, str], status: int, message: str
) -> None:
    headers = await as_(client, "Ode")
    answer = await client.post(f"/menu/86/items/999999/{action}", data=data, headers=headers)
    assert answer.status_code == status and message in answer.text
    assert answer.headers["hx-retarget"] == "#flash"


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("countdown", {"count": "-1"}, "between 0 and 999"),
        ("countdown", {"count": "1000"}, "between 0 and 999"),
        ("countdown", {"count": "abc"}, "must be a whole number"),
        ("countdown", {"count": "2.5"}, "must be a whole number"),
        ("86", {"minutes": "abc"}, "Pick how long"),
        ("86", {"minutes": "0"}, "Pick how long"),
        ("86", {"minutes": "9999"}, "Pick how long"),
    ],
)
async def test_bad_input_on_the_board_is_refused_and_changes_nothing(
    client: Client, session: AsyncSession, action: str, data: dict[str, str], message: str
) -> None:
    burrata = await item_id(session, "Burrata")
    headers = await as_(client, "Ode")
    answer = await client.post(f"/menu/86/items/{burrata}/{action}", data=data, headers=headers)
    assert answer.status_code == 422 and message in answer.text
    row = await item_row(session, "Burrata")
    assert (row.available, row.unavailable_until, row.countdown) == (True, None, None)


async def test_server_cannot_open_the_86_board_but_the_bartender_can(
    client: Client, session: AsyncSession
) -> None:
    burrata = await item_id(session, "Burrata")
    maria = await as_(client, "Maria")
    refused_page = await client.get("/menu/86", follow_redirects=False)
    refused_86 = await client.post(f"/menu/86/items/{burrata}/86", headers=maria)
    assert refused_page.status_code == 403 and "A server cannot do that here." in refused_page.text
    assert refused_86.status_code == 403
    assert (await item_row(session, "Burrata")).available is True

    await as_(client, "Lee")
    board = await client.get("/menu/86")
    assert board.status_code == 200 and f'id="avail-{burrata}"' in board.text


async def test_board_is_a_full_page_on_reload_and_a_fragment_for_htmx(client: Client) -> None:
    await as_(client, "Ode")
    page = await client.get("/menu/86")
    fragment = await client.get("/menu/86", headers=HX)
    assert page.text.startswith("<!doctype html>") and 'ws-connect="/menu/86/feed"' in page.text
    assert fragment.text.lstrip().startswith('<div id="board"') and "<html" not in fragment.text
    assert "Everything is on." in fragment.text


async def test_plain_form_post_without_htmx_goes_back_to_the_board(
    client: Client, session: AsyncSession
) -> None:
    burrata = await item_id(session, "Burrata")
    csrf = await sign_in(client, "Ode")
    answer = await client.post(
        f"/menu/86/items/{burrata}/86", data={"_csrf": csrf}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/menu/86#avail-{burrata}"
    board = await client.get("/menu/86")
    assert re.search(r"86'd now:</strong>\s*<a href=\"#avail-\d+\">Burrata</a>", board.text)


async def test_card_redraw_shows_a_timed_86_lifted(client: Client, session: AsyncSession) -> None:
    burrata = await item_id(session, "Burrata")
    headers = await as_(client, "Ode")
    card = await client.post(
        f"/menu/86/items/{burrata}/86", data={"minutes": "30"}, headers=headers
    )
    assert f'hx-get="/menu/86/items/{burrata}" hx-trigger="load delay:' in card.text
    await session.execute(
        update(MenuItem)
        .where(MenuItem.id == burrata)
        .values(unavailable_until=datetime.now(UTC) - timedelta(seconds=1))
    )
    await session.commit()

    redrawn = await client.get(f"/menu/86/items/{burrata}", headers=HX)

    assert 'class="avail-state">On<' in redrawn.text and "Everything is on." in redrawn.text
