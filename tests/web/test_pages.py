"""Every screen works on a plain reload; htmx gets the fragment of the same template."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform import migrate
from tests.conftest import sign_in
from tests.demo_ids import table_id

Client = AsyncTestClient[Litestar]


async def _open(client: Client, session: AsyncSession) -> str:
    csrf = await sign_in(client, "Maria")
    opened = await client.post(
        f"/floor/tables/{await table_id(session, '6')}/open",
        data={"guests": "3"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    return str(opened.headers["hx-redirect"])


async def test_order_screen_is_a_whole_page_on_reload_and_a_fragment_for_htmx(
    client: Client, session: AsyncSession
) -> None:
    check = await _open(client, session)
    page = await client.get(check)
    assert page.text.startswith("<!doctype html>")
    assert 'id="check"' in page.text and "Ribeye 12oz" in page.text and 'ws-connect="' in page.text
    fragment = await client.get(check, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="check"')
    assert "<html" not in fragment.text and "Ribeye 12oz" not in fragment.text


async def test_pay_screen_and_pin_pad_have_fragments_too(
    client: Client, session: AsyncSession
) -> None:
    check = await _open(client, session)
    pay = await client.get(f"{check}/pay", headers={"HX-Request": "true"})
    assert pay.text.lstrip().startswith('<div id="pay"')
    assert (await client.get(f"{check}/pay")).text.startswith("<!doctype html>")
    pad = await client.get("/login/1", headers={"HX-Request": "true"})
    assert pad.text.lstrip().startswith('<div id="pinpad"') and "Maria, enter your PIN" in pad.text


async def test_floor_plan_shows_every_table_with_its_state(
    client: Client, session: AsyncSession
) -> None:
    await _open(client, session)
    floor = await client.get("/floor")
    assert floor.text.count('class="table shape-') == 15  # the dining room
    assert "state-seated" in floor.text and "3<small> guests</small>" in floor.text
    patio = await client.get(f"/floor?floor={2}")
    assert patio.text.count('class="table shape-') == 8


async def test_open_table_twice_goes_to_the_existing_check(
    client: Client, session: AsyncSession
) -> None:
    check = await _open(client, session)
    again = await client.get(
        f"/floor/tables/{await table_id(session, '6')}/open", headers={"HX-Request": "true"}
    )
    assert again.status_code == 204 and again.headers["hx-redirect"] == check


async def test_health_check_reports_the_database(client: Client) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "revision": migrate.head_revision(),
    }


async def test_api_schema_is_served(client: Client) -> None:
    schema = await client.get("/api/v1/schema/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert (
        "/api/v1/checks/{check_id}/lines" in paths and "/api/v1/kds/{station_id}/tickets" in paths
    )
