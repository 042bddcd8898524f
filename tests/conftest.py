"""Fixtures: a fresh copy of the demo restaurant on real PostgreSQL for every test."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from app.demo import DEMO_API_KEY
from app.main import create_app, wire_back_office
from app.platform.db import UnitOfWork, make_engine, make_sessionmaker
from app.platform.settings import Settings
from tests import pg
from tests.invariants import broken_money_rules

CSRF = re.compile(r'"X-CSRF-Token": "([0-9a-f]*)"')


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    url = pg.server_url()
    pg.build_template(url)
    return url


@pytest.fixture
async def db_url(pg_server: str) -> AsyncIterator[str]:
    name = await pg.fresh_database(pg_server)
    url = pg.with_database(pg_server, name)
    yield url
    # The books a test leaves behind must add up, whatever it did (MNY-4, PAY-2).
    broken = await broken_money_rules(url)
    await pg.drop_database(pg_server, name)
    assert not broken, "money invariants broken:\n" + "\n".join(broken)


@pytest.fixture
async def session(db_url: str) -> AsyncIterator[AsyncSession]:
    engine = make_engine(db_url, pool="null")
    async with make_sessionmaker(engine)() as s:
        yield s
    await engine.dispose()


@pytest.fixture
def sessionmaker_(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url, pool="null")
    return make_sessionmaker(engine)


@pytest.fixture
def uow_factory(sessionmaker_):  # type: ignore[no-untyped-def]
    """Run a command as the app does: one unit of work, committed at the end."""

    class Runner:
        async def __call__(self, command, *args: Any, **kwargs: Any) -> Any:  # type: ignore[no-untyped-def]
            async with sessionmaker_() as s:
                uow = UnitOfWork(s, back_office=wire_back_office())
                try:
                    result = await command(uow, *args, **kwargs)
                except Exception:
                    await uow.rollback()
                    raise
                await uow.commit()
                return result

    return Runner()


@pytest.fixture
def app(db_url: str) -> Litestar:
    # No print worker: other areas' tests must not see print jobs change under them;
    # printer tests switch it on themselves.
    return create_app(Settings(database_url=db_url, db_pool="null", print_worker=False))


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app) as c:
        yield c


STAFF_IDS = {"Maria": 1, "Sam": 2, "Lee": 3, "Hana": 4, "Ode": 5, "Mia": 6, "Olivia": 7}
PINS = {
    "Maria": "1111",
    "Sam": "2222",
    "Lee": "3333",
    "Hana": "4444",
    "Ode": "5555",
    "Mia": "9999",
    "Olivia": "8888",
}


async def csrf_of(client: AsyncTestClient[Litestar], path: str = "/login") -> str:
    page = await client.get(path)
    match = CSRF.search(page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


async def sign_in(client: AsyncTestClient[Litestar], name: str) -> str:
    """Sign in as a demo staff member; returns the CSRF token for the new session."""
    token = await csrf_of(client)
    response = await client.post(
        "/login",
        data={"staff_id": str(STAFF_IDS[name]), "pin": PINS[name]},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert response.status_code == 204, response.text
    home = response.headers["hx-redirect"]
    return await csrf_of(client, home)


#: What an integration shows to sign staff in over the API: the demo's own API key.
API_KEY = {"X-API-Key": DEMO_API_KEY}


def api_sign_in_body(name: str) -> dict[str, Any]:
    return {"staff_id": STAFF_IDS[name], "pin": PINS[name]}


async def api_token(client: AsyncTestClient[Litestar], name: str) -> str:
    """A bearer token for a demo staff member, got as an integration gets one: with the
    demo's API key (docs/sign-in.md). Sync clients post ``api_sign_in_body`` with API_KEY."""
    made = await client.post("/api/v1/sessions", json=api_sign_in_body(name), headers=API_KEY)
    assert made.status_code == 201, made.text
    return str(made.json()["token"])


async def api_bearer(client: AsyncTestClient[Litestar], name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {await api_token(client, name)}"}
