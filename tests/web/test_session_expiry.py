"""Sessions end when left idle and when a manager ends them; proxies are believed only when
trusted (SEC-1, SEC-5)."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.main import create_app
from app.platform.auth import token_digest
from app.platform.models import PinAttempt, StaffSession
from app.platform.settings import Settings
from tests.conftest import PINS, STAFF_IDS, api_token, sign_in
from tests.web.test_security import HX
from tests.web.test_sessions import SESSION, pin_try, still_signed_in, wrong

Client = AsyncTestClient[Litestar]


async def idle_for(session: AsyncSession, token: str, gone: timedelta) -> None:
    """As if nobody had used the session for ``gone``."""
    await session.execute(
        update(StaffSession)
        .where(StaffSession.id == token_digest(token))
        .values(last_seen_at=func.now() - gone)
    )
    await session.commit()


async def test_a_tablet_left_signed_in_overnight_is_signed_out(
    client: Client, session: AsyncSession, app: Litestar
) -> None:
    await sign_in(client, "Maria")
    token = client.cookies[SESSION]
    await idle_for(session, token, timedelta(hours=11, minutes=50))
    assert await still_signed_in(app, token), "eleven hours idle is still inside the shift"

    await idle_for(session, token, timedelta(hours=12, minutes=1))

    assert not await still_signed_in(app, token)


async def test_using_a_session_keeps_it_alive(
    client: Client, session: AsyncSession, app: Litestar
) -> None:
    await sign_in(client, "Maria")
    token = client.cookies[SESSION]
    await idle_for(session, token, timedelta(hours=11))

    assert (await client.get("/floor")).status_code == 200

    session.expire_all()
    seen = await session.scalar(
        select(func.now() - StaffSession.last_seen_at).where(StaffSession.id == token_digest(token))
    )
    assert seen is not None and seen < timedelta(minutes=1)


async def test_an_api_token_ends_after_its_own_idle_time(
    db_url: str, session: AsyncSession
) -> None:
    app = create_app(
        Settings(
            database_url=db_url, db_pool="null", print_worker=False, api_session_idle_minutes=30
        )
    )
    async with AsyncTestClient(app) as client:
        token = await api_token(client, "Maria")
        bearer = {"Authorization": f"Bearer {token}"}
        await idle_for(session, token, timedelta(minutes=29))
        assert (await client.get("/api/v1/floor", headers=bearer)).status_code == 200
        await idle_for(session, token, timedelta(minutes=31))
        expired = await client.get("/api/v1/floor", headers=bearer)
    assert expired.status_code == 401
    assert expired.json() == {"error": "Sign in first.", "status": 401}


async def test_manager_signs_a_server_out_of_every_tablet_and_the_api(
    client: Client, app: Litestar
) -> None:
    async with AsyncTestClient(app) as bar, AsyncTestClient(app) as patio:
        await sign_in(bar, "Maria")
        await sign_in(patio, "Maria")
        token = await api_token(bar, "Maria")
        csrf = await sign_in(client, "Mia")
        page = await client.get("/staff")
        assert "Sign out everywhere" in page.text

        out = await client.post(
            f"/staff/{STAFF_IDS['Maria']}/sign-out", headers={**HX, "X-CSRF-Token": csrf}
        )

        assert out.status_code == 204
        for tablet in (bar, patio):
            assert (await tablet.get("/floor", follow_redirects=False)).status_code in (302, 303)
        api = await bar.get("/api/v1/floor", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 401
        assert (await client.get("/floor")).status_code == 200, "Mia is still signed in"
        await sign_in(bar, "Maria")  # and Maria can sign straight back in


async def test_a_server_cannot_sign_a_colleague_out(client: Client, app: Litestar) -> None:
    async with AsyncTestClient(app) as bar:
        await sign_in(bar, "Sam")
        csrf = await sign_in(client, "Maria")
        refused = await client.post(
            f"/staff/{STAFF_IDS['Sam']}/sign-out", headers={**HX, "X-CSRF-Token": csrf}
        )
        assert refused.status_code == 403
        assert (await bar.get("/floor")).status_code == 200


def behind(app: Litestar, peer: str):  # type: ignore[no-untyped-def]
    async def asgi(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "lifespan":
            scope = {**scope, "client": (peer, 443)}
        await app(scope, receive, send)

    return asgi


async def test_behind_a_trusted_proxy_each_tablet_counts_as_its_own_address(
    db_url: str, session: AsyncSession
) -> None:
    """The proxy at 10.0.0.2 forwards for every tablet. One guessing tablet that throws its
    cookie away fills its own address's cap; the next tablet along is not paused."""
    app = create_app(
        Settings(
            database_url=db_url, db_pool="null", print_worker=False, trusted_proxies=("10.0.0.2",)
        )
    )
    async with AsyncTestClient(behind(app, "10.0.0.2")) as proxy:
        for name in ("Maria", "Sam", "Lee", "Hana", "Ode"):
            for _ in range(4):
                proxy.cookies.clear()
                await pin_try(proxy, name, wrong(PINS[name]), forwarded_for="192.168.1.21")
        proxy.cookies.clear()
        paused = await pin_try(proxy, "Mia", PINS["Mia"], forwarded_for="192.168.1.21")
        assert "Too many wrong PINs from new devices" in paused.text
        proxy.cookies.clear()
        other = await pin_try(proxy, "Mia", PINS["Mia"], forwarded_for="192.168.1.22")
        assert other.status_code == 204, other.text
    addresses = set((await session.scalars(select(PinAttempt.client_ip))).all())
    assert addresses == {"192.168.1.21", "192.168.1.22"}


async def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(
    db_url: str, session: AsyncSession
) -> None:
    """Same settings, but the request comes straight from a laptop on the LAN, not through
    the proxy: its X-Forwarded-For is its own invention and resets nothing."""
    app = create_app(
        Settings(
            database_url=db_url, db_pool="null", print_worker=False, trusted_proxies=("10.0.0.2",)
        )
    )
    async with AsyncTestClient(behind(app, "192.168.1.66")) as laptop:
        for n in range(20):
            laptop.cookies.clear()
            name = ("Maria", "Sam", "Lee", "Hana", "Ode")[n % 5]
            await pin_try(laptop, name, wrong(PINS[name]), forwarded_for=f"172.16.0.{n}")
        laptop.cookies.clear()
        paused = await pin_try(laptop, "Mia", PINS["Mia"], forwarded_for="172.16.9.9")
    assert "Too many wrong PINs from new devices" in paused.text
    addresses = set((await session.scalars(select(PinAttempt.client_ip))).all())
    assert addresses == {"192.168.1.66"}
