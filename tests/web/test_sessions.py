"""Sessions (SEC-1) and PIN throttling (SEC-5) as a tablet sees them."""

from __future__ import annotations

from http.cookies import SimpleCookie

from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.main import create_app
from app.platform.auth import token_digest
from app.platform.models import PinAttempt, Staff, StaffSession
from app.platform.settings import Settings
from tests.conftest import PINS, STAFF_IDS, csrf_of, sign_in
from tests.web.test_security import HX

SESSION = "brigade_session"


def set_cookies(answer: Response) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in answer.headers.get_list("set-cookie"):
        jar.load(header)
    return jar


async def pin_try(
    client: AsyncTestClient[Litestar],
    name: str,
    pin: str,
    *,
    htmx: bool = True,
    forwarded_for: str | None = None,
) -> Response:
    token = await csrf_of(client)
    headers = {"X-CSRF-Token": token, **(HX if htmx else {})}
    if forwarded_for:
        headers |= {"X-Forwarded-For": forwarded_for, "X-Real-IP": forwarded_for}
    return await client.post(
        "/login",
        data={"staff_id": str(STAFF_IDS[name]), "pin": pin},
        headers=headers,
        follow_redirects=False,
    )


async def staff_lock(session: AsyncSession, name: str) -> tuple[int, bool]:
    """(wrong PINs counted, locked?) for a staff member, as committed now."""
    session.expire_all()
    row = (
        await session.execute(
            select(Staff.failed_pins, Staff.locked_at).where(Staff.id == STAFF_IDS[name])
        )
    ).one()
    await session.rollback()
    return int(row.failed_pins), row.locked_at is not None


async def still_signed_in(app: Litestar, cookie_value: str) -> bool:
    """Replay a session id in a browser that never signed in: does GET /floor let it in?"""
    async with AsyncTestClient(app) as replay:
        replay.cookies.set(SESSION, cookie_value, domain="testserver.local")
        answer = await replay.get("/floor", follow_redirects=False)
    if answer.status_code == 200:
        return True
    assert answer.status_code in (302, 303), answer.status_code
    assert answer.headers["location"] == "/login"
    return False


def wrong(pin: str) -> str:
    return "0000" if pin != "0000" else "1234"


# === SEC-1: the session cookie =============================================================


async def test_session_cookie_is_httponly_samesite_lax_and_not_secure_by_default(
    client: AsyncTestClient[Litestar],
) -> None:
    token = await csrf_of(client)
    answer = await client.post(
        "/login",
        data={"staff_id": str(STAFF_IDS["Maria"]), "pin": PINS["Maria"], "_csrf": token},
        follow_redirects=False,
    )

    assert answer.status_code == 303
    cookie = set_cookies(answer)[SESSION]
    assert cookie.value
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "lax"
    assert not cookie["secure"], "Secure is for TLS deployments (BRIGADE_SECURE_COOKIES)"
    assert cookie["path"] == "/"
    assert not cookie["max-age"], "a session cookie, gone when the browser closes"


async def test_device_cookie_is_httponly_and_samesite_lax_too(
    client: AsyncTestClient[Litestar],
) -> None:
    first = await client.get("/login")

    device = set_cookies(first)["brigade_device"]
    assert device.value
    assert device["httponly"] is True
    assert device["samesite"].lower() == "lax"


async def test_secure_flag_is_set_behind_tls(db_url: str) -> None:
    app = create_app(Settings(database_url=db_url, db_pool="null", secure_cookies=True))
    async with AsyncTestClient(app) as client:
        first = await client.get("/login")
        assert set_cookies(first)["brigade_device"]["secure"] is True


async def test_every_sign_in_issues_a_new_session_id(
    client: AsyncTestClient[Litestar],
) -> None:
    await sign_in(client, "Maria")
    first = client.cookies[SESSION]
    await sign_in(client, "Maria")
    second = client.cookies[SESSION]

    assert first != second
    assert not await still_signed_in(client.app, first)
    assert await still_signed_in(client.app, second)


async def test_switching_user_rotates_the_session_and_kills_the_old_one(
    client: AsyncTestClient[Litestar], session: AsyncSession, app: Litestar
) -> None:
    await sign_in(client, "Maria")
    marias = client.cookies[SESSION]
    await sign_in(client, "Sam")
    sams = client.cookies[SESSION]

    assert marias != sams
    floor = await client.get("/floor")
    assert "Sam · server" in floor.text
    assert not await still_signed_in(app, marias), "Maria's old id still works"
    assert await still_signed_in(app, sams)
    revoked = await session.scalar(
        select(StaffSession.revoked_at).where(StaffSession.id == token_digest(marias))
    )
    assert revoked is not None


async def test_sign_in_never_adopts_a_session_id_the_browser_brought(
    client: AsyncTestClient[Litestar], app: Litestar
) -> None:
    planted = "attacker-chose-this-session-id"
    client.cookies.set(SESSION, planted, domain="testserver.local")

    await sign_in(client, "Maria")

    assert client.cookies[SESSION] != planted
    assert not await still_signed_in(app, planted)


async def test_sign_out_invalidates_the_session_on_the_server(
    client: AsyncTestClient[Litestar], session: AsyncSession, app: Litestar
) -> None:
    csrf = await sign_in(client, "Maria")
    old = client.cookies[SESSION]

    out = await client.post("/logout", data={"_csrf": csrf}, follow_redirects=False)

    assert out.status_code == 303
    assert out.headers["location"] == "/login"
    cleared = set_cookies(out)[SESSION]
    assert cleared.value == ""
    assert cleared["max-age"] == "0"
    assert not await still_signed_in(app, old)
    revoked = await session.scalar(
        select(StaffSession.revoked_at).where(StaffSession.id == token_digest(old))
    )
    assert revoked is not None


async def test_htmx_sign_out_invalidates_the_session_too(
    client: AsyncTestClient[Litestar], app: Litestar
) -> None:
    csrf = await sign_in(client, "Lee")
    old = client.cookies[SESSION]

    out = await client.post("/logout", headers={**HX, "X-CSRF-Token": csrf})

    assert out.status_code == 204
    assert out.headers["hx-redirect"] == "/login"
    assert not await still_signed_in(app, old)


async def test_forged_sign_out_without_token_leaves_the_server_signed_in(
    client: AsyncTestClient[Litestar], app: Litestar
) -> None:
    await sign_in(client, "Maria")
    current = client.cookies[SESSION]

    forged = await client.post("/logout", follow_redirects=False)

    assert forged.status_code == 403
    assert await still_signed_in(app, current)


# === SEC-5: PIN throttling =================================================================


async def pin_tries(session: AsyncSession) -> list[tuple[str, str, bool]]:
    """Every PIN checked so far: (who, from which address, right?)."""
    session.expire_all()
    rows = await session.execute(
        select(Staff.name, PinAttempt.client_ip, PinAttempt.ok)
        .join(Staff, Staff.id == PinAttempt.staff_id)
        .order_by(PinAttempt.id)
    )
    await session.rollback()
    return [(r.name, r.client_ip, r.ok) for r in rows]


def from_address(app: Litestar, host: str):  # type: ignore[no-untyped-def]
    """The app as seen from another machine on the LAN (its own socket address)."""

    async def asgi(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "lifespan":
            scope = {**scope, "client": (host, 50123)}
        await app(scope, receive, send)

    return asgi


async def test_three_wrong_pins_make_sams_next_try_wait_until_a_manager_clears_them(
    client: AsyncTestClient[Litestar], app: Litestar
) -> None:
    answers = [await pin_try(client, "Sam", wrong(PINS["Sam"])) for _ in range(3)]

    assert [a.status_code for a in answers] == [200] * 3  # htmx: the PIN pad with a message
    assert "Wrong PIN. 2 more tries before a wait." in answers[0].text
    assert "Wrong PIN. 1 more try before a wait." in answers[1].text
    assert "Wrong PIN. Wait 30 seconds before the next try." in answers[2].text
    assert all('id="pinpad"' in a.text for a in answers)
    right = await pin_try(client, "Sam", PINS["Sam"])
    assert "Too many wrong PINs for Sam on this tablet." in right.text
    assert "ask a manager to clear it" in right.text
    assert SESSION not in client.cookies

    async with AsyncTestClient(app) as office:
        csrf = await sign_in(office, "Mia")
        staff = await office.get("/staff")
        assert "3 wrong" in staff.text
        cleared = await office.post(
            f"/staff/{STAFF_IDS['Sam']}/unlock", headers={**HX, "X-CSRF-Token": csrf}
        )
    assert cleared.status_code == 204
    assert cleared.headers["hx-redirect"] == "/staff"

    back = await pin_try(client, "Sam", PINS["Sam"])
    assert back.status_code == 204, back.text
    assert back.headers["hx-redirect"] == "/floor"


async def test_a_paused_pin_on_a_plain_form_answers_429_and_says_how_long(
    client: AsyncTestClient[Litestar],
) -> None:
    first = await pin_try(client, "Maria", wrong(PINS["Maria"]), htmx=False)
    for _ in range(2):
        await pin_try(client, "Maria", wrong(PINS["Maria"]))
    paused = await pin_try(client, "Maria", PINS["Maria"], htmx=False)

    assert first.status_code == 403
    assert "Wrong PIN. 2 more tries before a wait." in first.text
    assert "<!doctype html>" in first.text.lower()  # the whole sign-in page, PIN pad open
    assert paused.status_code == 429
    assert 0 < int(paused.headers["retry-after"]) <= 30
    assert "Try again in" in paused.text


async def test_forged_forwarded_for_does_not_reset_the_count(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    for n in range(3):
        await pin_try(client, "Lee", wrong(PINS["Lee"]), forwarded_for=f"203.0.113.{n}")

    last = await pin_try(client, "Lee", PINS["Lee"], forwarded_for="198.51.100.1")

    assert "Too many wrong PINs for Lee on this tablet." in last.text
    assert SESSION not in client.cookies
    # The address recorded is the socket's, never what the client wrote.
    assert {address for _, address, _ in await pin_tries(session)} == {"testclient"}


async def test_more_than_twenty_wrong_pins_from_one_tablet_are_refused_even_when_right(
    client: AsyncTestClient[Litestar], session: AsyncSession, app: Litestar
) -> None:
    # Three wrong PINs each for six people and two for Mia: the tablet has had 20.
    for name in ("Maria", "Sam", "Lee", "Hana", "Ode", "Olivia", "Mia"):
        for n in range(2 if name == "Mia" else 3):
            answer = await pin_try(client, name, wrong(PINS[name]), forwarded_for=f"10.9.0.{n}")
            assert "Wrong PIN." in answer.text

    right = await pin_try(client, "Mia", PINS["Mia"])

    assert right.status_code == 200
    assert "Too many wrong PINs on this tablet. Try again in" in right.text
    assert SESSION not in client.cookies
    # Another tablet (its own cookie and its own address on the LAN) is not punished.
    async with AsyncTestClient(from_address(app, "192.0.2.44")) as other_tablet:
        await sign_in(other_tablet, "Mia")
    assert sum(not ok for _, _, ok in await pin_tries(session)) == 20


async def test_a_fresh_device_cookie_per_guess_does_not_reset_the_cap(
    client: AsyncTestClient[Litestar],
) -> None:
    """The device cookie is the browser's to throw away: new devices also count by address."""
    for name in ("Maria", "Sam", "Lee", "Hana", "Ode"):
        for _ in range(4):
            client.cookies.clear()  # a new "device" for every guess
            answer = await pin_try(client, name, wrong(PINS[name]))
            assert "Wrong PIN." in answer.text
    client.cookies.clear()
    right = await pin_try(client, "Mia", PINS["Mia"])
    assert "Too many wrong PINs from new devices on this network." in right.text
    assert SESSION not in client.cookies


async def test_a_guesser_behind_the_same_proxy_does_not_pause_the_bar_tablet(
    app: Litestar,
) -> None:
    """Without trusted proxies every tablet behind a reverse proxy has the proxy's address:
    a stranger throwing cookies away fills that address's cap, but a tablet staff have
    signed in on keeps working, because its cookie is its key."""
    async with AsyncTestClient(app) as bar_tablet:
        await sign_in(bar_tablet, "Lee")
        async with AsyncTestClient(app) as stranger:
            for name in ("Maria", "Sam", "Hana", "Ode", "Olivia"):
                for _ in range(4):
                    stranger.cookies.clear()
                    await pin_try(stranger, name, wrong(PINS[name]))
            stranger.cookies.clear()
            refused = await pin_try(stranger, "Mia", PINS["Mia"])
            assert "Too many wrong PINs from new devices" in refused.text
        await sign_in(bar_tablet, "Maria")
        assert "Maria · server" in (await bar_tablet.get("/floor")).text
