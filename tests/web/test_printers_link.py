"""The Printers page is one tap away for those who can use it: the kitchen's screen picker,
and the manager's tools on the floor plan. Servers never see a link they cannot follow."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import sign_in

LINK = 'href="/printers"'


async def test_the_cook_finds_the_printers_page_on_the_kitchen_screen_picker(
    client: AsyncTestClient[Litestar],
) -> None:
    await sign_in(client, "Ode")
    picker = (await client.get("/kds")).text
    assert LINK in picker and "Printers" in picker
    assert (await client.get("/printers")).status_code == 200


async def test_the_manager_finds_the_printers_page_on_the_floor_plan(
    client: AsyncTestClient[Litestar],
) -> None:
    await sign_in(client, "Mia")
    assert LINK in (await client.get("/floor")).text
    assert LINK in (await client.get("/kds")).text


async def test_a_server_sees_no_printers_link_on_the_floor(
    client: AsyncTestClient[Litestar],
) -> None:
    await sign_in(client, "Maria")
    assert LINK not in (await client.get("/floor")).text
