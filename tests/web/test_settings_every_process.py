"""A setting saved through one server process applies on every other from its next request:
two apps on one database, as two processes behind a load balancer (the real thing, with two
``brigade serve`` processes, is tests/integration/test_multiprocess_settings.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import PaymentAttempt
from app.main import create_app
from app.platform.models import Location
from app.platform.settings import Settings
from tests.conftest import api_bearer, sign_in
from tests.web.test_pay_routes import HX, Client, count, field, sent_check
from tests.web.test_training_mode import RIBBON


@pytest.fixture
async def other(db_url: str) -> AsyncIterator[Client]:
    """A second server process on the same database."""
    app = create_app(Settings(database_url=db_url, db_pool="null", print_worker=False))
    async with Client(app) as client:
        yield client


async def test_training_mode_switched_off_on_one_process_is_off_on_the_other_at_once(
    client: Client, other: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(other, "Maria")
    check = await sent_check(other, session, csrf)
    before = (await other.get(f"{check}/pay")).text
    mia = await api_bearer(client, "Mia")

    off = await client.patch("/api/v1/settings", json={"training_mode": False}, headers=mia)
    floor = (await other.get("/floor")).text
    pay = (await other.get(f"{check}/pay")).text
    charged = await other.post(
        f"{check}/pay/card",
        data={"key": "k1", "version": field(pay, "version"), "amount": "10"},
        headers={**HX, "X-CSRF-Token": csrf},
    )

    assert RIBBON in before and "Simulated terminal" in before
    assert off.json()["changed"] == ["training_mode"]
    assert RIBBON not in floor and RIBBON not in pay
    assert "Simulated terminal" not in pay and "No card terminal is connected" in pay
    # The other process's terminal follows too: no card goes to its simulator any more.
    assert charged.status_code == 403 and "No card terminal is connected" in charged.text
    assert await count(session, PaymentAttempt) == 0

    mia_there = await api_bearer(other, "Mia")
    on = await other.patch("/api/v1/settings", json={"training_mode": True}, headers=mia_there)
    assert on.json()["changed"] == ["training_mode"]
    assert RIBBON in (await client.get("/login")).text  # no session needed to follow it


async def test_a_change_made_outside_any_server_is_followed_and_nothing_else_reloads(
    client: Client, app: Litestar, session: AsyncSession
) -> None:
    """The console (``brigade``) or SQL typed by hand change the row too; and a request that
    finds the row as it was keeps the location it has (no reload per request)."""
    await sign_in(client, "Maria")
    loaded = app.state.location
    await client.get("/floor")
    await client.get("/login")
    kept = app.state.location

    await session.execute(update(Location).values(training_mode=False))
    await session.commit()
    floor = (await client.get("/floor")).text
    login = (await client.get("/login")).text

    assert kept is loaded
    assert app.state.location is not loaded and not app.state.location.training_mode
    assert RIBBON not in floor and RIBBON not in login
