"""The first-run screen: a new install opens its restaurant on a page, once; afterwards the
page is gone, so nobody on the network can open a second one or replace the owner."""

from __future__ import annotations

import asyncio
import re

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from app.main import create_app
from app.platform import migrate
from app.platform.db import make_engine, make_sessionmaker
from app.platform.models import Location, Staff
from app.platform.settings import Settings
from tests.integration.test_first_run import empty_db_url  # noqa: F401 - a fixture

CSRF_FIELD = re.compile(r'name="_csrf" value="([0-9a-f]+)"')
LOU = {
    "name": "Chez Lou",
    "currency": "EUR",
    "locale": "fr_FR",
    "timezone": "Europe/Paris",
    "day_starts": "4",
    "tax": "10",
    "owner": "Lou",
    "pin": "2468",
    "pin_again": "2468",
}


async def count(url: str, model: type) -> int:
    engine = make_engine(url, pool="null")
    async with make_sessionmaker(engine)() as session:
        n = await session.scalar(select(func.count()).select_from(model))
    await engine.dispose()
    return int(n or 0)


async def test_a_new_install_opens_its_restaurant_on_the_first_run_screen_once(
    empty_db_url: str,  # noqa: F811
) -> None:
    await asyncio.to_thread(migrate.upgrade, empty_db_url)
    app = create_app(Settings(database_url=empty_db_url, db_pool="null", print_worker=False))
    async with AsyncTestClient(app) as client:
        login = await client.get("/login", follow_redirects=False)
        page = await client.get("/setup")
        csrf = CSRF_FIELD.search(page.text)
        assert csrf, page.text[:500]
        token = csrf.group(1)
        mismatched = await client.post(
            "/setup", data={**LOU, "pin_again": "2469", "_csrf": token}, follow_redirects=False
        )
        bad_zone = await client.post(
            "/setup", data={**LOU, "timezone": "Paris", "_csrf": token}, follow_redirects=False
        )
        opened = await client.post("/setup", data={**LOU, "_csrf": token}, follow_redirects=False)
        tiles = await client.get("/login")
        again = await client.get("/setup", follow_redirects=False)
        second = await client.post(
            "/setup", data={**LOU, "owner": "Mallory", "_csrf": token}, follow_redirects=False
        )

    assert login.status_code in (302, 303) and login.headers["location"] == "/setup"
    assert "Open your restaurant" in page.text
    assert mismatched.status_code == 422 and "The two PINs differ" in mismatched.text
    assert 'value="Chez Lou"' in mismatched.text and "2468" not in mismatched.text
    assert bad_zone.status_code == 422 and "The time zone is a name" in bad_zone.text
    assert opened.status_code == 303 and opened.headers["location"] == "/login"
    assert "Lou" in tiles.text and "Maria" not in tiles.text
    assert again.status_code in (302, 303) and again.headers["location"] == "/login"
    assert second.status_code == 303 and second.headers["location"] == "/login"
    assert await count(empty_db_url, Location) == 1
    assert await count(empty_db_url, Staff) == 1
