"""The split screen over HTTP: a page and its fragment, each split, clear refusals, roles."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import Check, CheckLine
from tests.conftest import sign_in
from tests.demo_ids import item_id, table_id

Client = AsyncTestClient[Litestar]


async def _seated(client: Client, session: AsyncSession, *items: tuple[str, int | None]):  # type: ignore[no-untyped-def]
    headers = {"HX-Request": "true", "X-CSRF-Token": await sign_in(client, "Maria")}
    opened = await client.post(
        f"/floor/tables/{await table_id(session, '9')}/open", data={"guests": "4"}, headers=headers
    )
    check = opened.headers["hx-redirect"]
    for name, seat in items:
        data = {"item_id": str(await item_id(session, name))}
        if seat:
            data["seat"] = str(seat)
        assert (await client.post(f"{check}/lines", data=data, headers=headers)).status_code == 200
    assert (await client.post(f"{check}/send", headers=headers)).status_code == 200
    return check, int(check.rsplit("/", 1)[1]), headers


def _versions(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(v\d+)" value="(\d+)"', page))


async def test_split_page_shows_the_check_and_its_tools(client: Client, session: AsyncSession):  # type: ignore[no-untyped-def]
    check, _, headers = await _seated(client, session, ("Negroni", 1), ("Prosecco", 2))
    page = await client.get(f"{check}/split")
    assert page.status_code == 200
    assert "<html" in page.text and "By seat" in page.text and "Evenly" in page.text
    fragment = await client.get(f"{check}/split", headers=headers)
    assert fragment.text.lstrip().startswith('<div id="split"') and "<html" not in fragment.text
    order_screen = await client.get(check)
    assert f'href="{check}/split"' in order_screen.text


async def test_split_by_seat_shows_a_column_and_a_pay_button_per_seat(
    client: Client, session: AsyncSession
):  # type: ignore[no-untyped-def]
    check, check_id, headers = await _seated(
        client, session, ("Negroni", 1), ("Prosecco", 2), ("Lemonade", 3), ("Sparkling Water", None)
    )
    page = (await client.get(f"{check}/split")).text
    done = await client.post(
        f"{check}/split/seat", data={"key": "seat-1", **_versions(page)}, headers=headers
    )
    assert done.status_code == 200, done.text
    assert "Split by seat into 3 checks" in done.text
    parts = (await session.scalars(select(Check.id).where(Check.split_from_id == check_id))).all()
    assert len(parts) == 2
    for part in [check_id, *parts]:
        assert f'href="/checks/{part}/pay"' in done.text
    assert done.text.count("1/3") == 3  # the water, a third on every part
    assert "Undo split" in done.text and "Share item" in done.text
    undone = await client.post(
        f"{check}/split/undo",
        data={"key": "undo-1", "root": str(check_id), **_versions(done.text)},
        headers=headers,
    )
    assert "one check again" in undone.text and "1/3" not in undone.text


async def test_evenly_with_a_silly_number_is_refused_in_the_flash_bar(
    client: Client, session: AsyncSession
):  # type: ignore[no-untyped-def]
    check, check_id, headers = await _seated(client, session, ("Negroni", 1))
    page = (await client.get(f"{check}/split")).text
    for parts in ("1", "21", "abc"):
        refused = await client.post(
            f"{check}/split/even", data={"parts": parts, **_versions(page)}, headers=headers
        )
        assert refused.status_code == 422, refused.text
        assert refused.headers["hx-retarget"] == "#flash"
    stale = await client.post(
        f"{check}/split/even", data={"parts": "2", f"v{check_id}": "1"}, headers=headers
    )
    assert stale.status_code == 409 and "changed on another tablet" in stale.text
    assert await session.scalar(select(func.count()).select_from(Check)) == 1


async def test_picked_items_go_to_a_new_check_then_to_an_existing_one(
    client: Client, session: AsyncSession
):  # type: ignore[no-untyped-def]
    check, check_id, headers = await _seated(
        client, session, ("Negroni", 1), ("Prosecco", 2), ("Lemonade", 3)
    )
    ids = dict((await session.execute(select(CheckLine.name, CheckLine.id))).all())
    page = (await client.get(f"{check}/split")).text
    moved = await client.post(
        f"{check}/split/items",
        data={"line": [str(ids["Negroni"])], "to": "", **_versions(page)},
        headers=headers,
    )
    assert "Moved onto a new check" in moved.text
    part = await session.scalar(select(Check.id).where(Check.split_from_id == check_id))
    again = await client.post(
        f"{check}/split/items",
        data={"line": [str(ids["Prosecco"])], "to": str(part), **_versions(moved.text)},
        headers=headers,
    )
    assert "Moved to the other check" in again.text
    session.expire_all()
    on_part = (
        await session.scalars(select(CheckLine.name).where(CheckLine.check_id == part))
    ).all()
    assert sorted(on_part) == ["Negroni", "Prosecco"]


async def test_kitchen_staff_cannot_split(client: Client, session: AsyncSession):  # type: ignore[no-untyped-def]
    check, _, _ = await _seated(client, session, ("Negroni", 1), ("Prosecco", 2))
    token = await sign_in(client, "Ode")
    denied = await client.post(
        f"{check}/split/seat", headers={"HX-Request": "true", "X-CSRF-Token": token}
    )
    assert denied.status_code == 403
    page = await client.get(f"{check}/split")
    assert page.status_code == 403
