"""The simulated card terminal exists only in demo or training mode, and every screen says
so while it is on; outside it a card is refused before anything is written."""

from __future__ import annotations

from litestar import Litestar
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment, PaymentAttempt
from app.main import create_app
from app.platform.models import Location
from app.platform.settings import Settings
from tests.conftest import sign_in
from tests.web.test_pay_routes import HX, Client, count, field, sent_check

RIBBON = "Training mode: cards are simulated"


async def test_the_demo_says_training_mode_on_every_screen_and_offers_the_simulator(
    client: Client, session: AsyncSession
) -> None:
    login = await client.get("/login")
    csrf = await sign_in(client, "Maria")
    check = await sent_check(client, session, csrf)
    pay = await client.get(f"{check}/pay")

    assert RIBBON in login.text
    assert RIBBON in (await client.get("/floor")).text
    assert RIBBON in pay.text and "Simulated terminal" in pay.text and "Charge card" in pay.text


async def test_outside_training_a_card_is_refused_and_no_simulator_is_shown(
    db_url: str, session: AsyncSession
) -> None:
    await session.execute(update(Location).values(training_mode=False))
    await session.commit()
    app: Litestar = create_app(Settings(database_url=db_url, db_pool="null", print_worker=False))
    async with Client(app) as client:
        csrf = await sign_in(client, "Maria")
        check = await sent_check(client, session, csrf)
        page = (await client.get(f"{check}/pay")).text
        charged = await client.post(
            f"{check}/pay/card",
            data={"key": "k1", "version": field(page, "version"), "amount": "10"},
            headers={**HX, "X-CSRF-Token": csrf},
        )
        simulate = await client.post(
            f"{check}/pay/terminal",
            data={"outcome": "approve"},
            headers={**HX, "X-CSRF-Token": csrf},
        )

    assert RIBBON not in page
    assert "Simulated terminal" not in page and "Charge card" not in page
    assert "No card terminal is connected" in page
    assert charged.status_code == 403 and "No card terminal is connected" in charged.text
    assert simulate.status_code == 422 and "only in demo or training mode" in simulate.text
    assert await count(session, PaymentAttempt) == 0
    assert await count(session, Payment) == 0
