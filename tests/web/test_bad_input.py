"""Every wrong input gets a clear message, a 4xx, and changes nothing."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import Check, CheckLine
from tests.conftest import sign_in
from tests.demo_ids import item_id, option_id, table_id

Client = AsyncTestClient[Litestar]


async def _seated(
    client: Client, session: AsyncSession, table: str = "5", guests: int = 2
) -> tuple[str, dict[str, str]]:
    csrf = await sign_in(client, "Maria")
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf}
    opened = await client.post(
        f"/floor/tables/{await table_id(session, table)}/open",
        data={"guests": str(guests)},
        headers=headers,
    )
    return opened.headers["hx-redirect"], headers


async def lines_on(session: AsyncSession) -> int:
    session.expire_all()
    return int(await session.scalar(select(func.count()).select_from(CheckLine)) or 0)


@pytest.mark.parametrize(
    ("guests", "message"),
    [
        ("abc", "Enter how many guests"),
        ("0", "between 1 and 99"),
        ("100", "between 1 and 99"),
        ("", "Enter how many"),
    ],
)
async def test_bad_guest_count_is_refused_and_seats_nobody(
    client: Client, session: AsyncSession, guests: str, message: str
) -> None:
    csrf = await sign_in(client, "Maria")
    response = await client.post(
        f"/floor/tables/{await table_id(session, '2')}/open",
        data={"guests": guests},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    assert message in response.text and response.headers["hx-retarget"] == "#flash"
    assert await session.scalar(select(func.count()).select_from(Check)) == 0


async def test_unknown_table_says_so(client: Client) -> None:
    csrf = await sign_in(client, "Maria")
    response = await client.post(
        "/floor/tables/99999/open",
        data={"guests": "2"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert response.status_code == 404 and "That table does not exist." in response.text


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"quantity": "-1"}, 422, "Quantity must be between 1 and 99"),
        ({"quantity": "0"}, 422, "Quantity must be between 1 and 99"),
        ({"quantity": "lots"}, 422, "Quantity must be a whole number"),
        ({"seat": "7"}, 422, "Seat 7 is not at this table"),
        ({"item_id": "999999"}, 404, "not on the menu"),
        ({"note": "x" * 300}, 422, "under 200 characters"),
    ],
)
async def test_wrong_line_is_refused_with_a_reason(
    client: Client, session: AsyncSession, fields: dict[str, str], status: int, message: str
) -> None:
    check, headers = await _seated(client, session)
    data = {"item_id": str(await item_id(session, "IPA Draft")), **fields}
    response = await client.post(f"{check}/lines", data=data, headers=headers)
    assert response.status_code == status, response.text
    assert message in response.text
    assert await lines_on(session) == 0


async def test_modifier_rules_are_enforced(client: Client, session: AsyncSession) -> None:
    check, headers = await _seated(client, session)
    steak = str(await item_id(session, "Ribeye 12oz"))
    sides = [str(await option_id(session, n)) for n in ("Fries", "Mash", "Greens")]
    rare, well = str(await option_id(session, "Rare")), str(await option_id(session, "Well done"))
    no_temp = await client.post(f"{check}/lines", data={"item_id": steak}, headers=headers)
    assert no_temp.status_code == 422 and "Temperature: pick a choice." in no_temp.text
    two_temps = await client.post(
        f"{check}/lines", data={"item_id": steak, "option": [rare, well]}, headers=headers
    )
    assert two_temps.status_code == 422 and "Temperature: pick at most 1." in two_temps.text
    three_sides = await client.post(
        f"{check}/lines",
        data={"item_id": steak, "option-1": rare, "option": sides},
        headers=headers,
    )
    assert three_sides.status_code == 422 and "Sides: pick at most 2." in three_sides.text
    foreign = await client.post(
        f"{check}/lines",
        data={"item_id": str(await item_id(session, "IPA Draft")), "option": rare},
        headers=headers,
    )
    assert foreign.status_code == 422 and "does not belong to this item" in foreign.text
    assert await lines_on(session) == 0
    ok = await client.post(
        f"{check}/lines",
        data={"item_id": steak, "option-1": rare, "option": sides[:2]},
        headers=headers,
    )
    assert ok.status_code == 200 and "Rare, Fries, Mash" in ok.text


async def test_86d_item_cannot_be_ordered(client: Client, session: AsyncSession) -> None:
    from sqlalchemy import update

    from app.menu.models import MenuItem

    check, headers = await _seated(client, session)
    oysters = await item_id(session, "Oysters (6)")
    await session.execute(update(MenuItem).where(MenuItem.id == oysters).values(available=False))
    await session.commit()
    response = await client.post(f"{check}/lines", data={"item_id": str(oysters)}, headers=headers)
    assert response.status_code == 422 and "86" in response.text
    assert await lines_on(session) == 0


async def test_send_with_nothing_new_says_so(client: Client, session: AsyncSession) -> None:
    check, headers = await _seated(client, session)
    response = await client.post(f"{check}/send", headers=headers)
    assert response.status_code == 422 and "Nothing new to send" in response.text


@pytest.mark.parametrize(
    ("tendered", "message"),
    [
        ("abc", "is not an amount"),
        ("-5", "is not an amount"),
        ("10.001", "decimal places"),
        ("0", "Enter the cash"),
    ],
)
async def test_bad_cash_amounts_are_refused(
    client: Client, session: AsyncSession, tendered: str, message: str
) -> None:
    check, headers = await _seated(client, session)
    await client.post(
        f"{check}/lines",
        data={"item_id": str(await item_id(session, "IPA Draft"))},
        headers=headers,
    )
    await client.post(f"{check}/send", headers=headers)
    page = await client.get(f"{check}/pay")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    response = await client.post(
        f"{check}/pay/cash",
        data={"tendered": tendered, "version": version.group(1)},
        headers=headers,
    )
    assert response.status_code == 422 and message in response.text


async def test_payment_with_unsent_items_is_refused(client: Client, session: AsyncSession) -> None:
    check, headers = await _seated(client, session)
    await client.post(
        f"{check}/lines",
        data={"item_id": str(await item_id(session, "IPA Draft"))},
        headers=headers,
    )
    page = await client.get(f"{check}/pay")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    response = await client.post(
        f"{check}/pay/cash", data={"tendered": "20", "version": version.group(1)}, headers=headers
    )
    assert response.status_code == 422 and "Send or remove the unsent items" in response.text


async def test_stale_pay_screen_gets_a_conflict_not_a_wrong_total(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _seated(client, session)
    beer = str(await item_id(session, "IPA Draft"))
    await client.post(f"{check}/lines", data={"item_id": beer}, headers=headers)
    await client.post(f"{check}/send", headers=headers)
    page = await client.get(f"{check}/pay")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    await client.post(f"{check}/lines", data={"item_id": beer}, headers=headers)
    await client.post(f"{check}/send", headers=headers)
    response = await client.post(
        f"{check}/pay/cash", data={"tendered": "100", "version": version.group(1)}, headers=headers
    )
    assert response.status_code == 409 and "changed on another tablet" in response.text


async def test_sent_line_cannot_be_cleared(client: Client, session: AsyncSession) -> None:
    check, headers = await _seated(client, session)
    added = await client.post(
        f"{check}/lines",
        data={"item_id": str(await item_id(session, "IPA Draft"))},
        headers=headers,
    )
    line = re.search(r'id="line-(\d+)"', added.text)
    assert line
    await client.post(f"{check}/send", headers=headers)
    response = await client.post(f"{check}/lines/{line.group(1)}/clear", headers=headers)
    assert response.status_code == 403 and "needs a void" in response.text
    assert await lines_on(session) == 1


async def test_unsent_line_can_be_cleared(client: Client, session: AsyncSession) -> None:
    check, headers = await _seated(client, session)
    added = await client.post(
        f"{check}/lines",
        data={"item_id": str(await item_id(session, "IPA Draft"))},
        headers=headers,
    )
    line = re.search(r'id="line-(\d+)"', added.text)
    assert line
    cleared = await client.post(f"{check}/lines/{line.group(1)}/clear", headers=headers)
    assert cleared.status_code == 200 and "No items yet" in cleared.text
    assert await lines_on(session) == 0


async def test_plain_form_error_gets_a_full_error_page(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Maria")
    response = await client.post(
        f"/floor/tables/{await table_id(session, '2')}/open", data={"guests": "0", "_csrf": csrf}
    )
    assert response.status_code == 422
    assert response.text.startswith("<!doctype html>") and "between 1 and 99" in response.text
