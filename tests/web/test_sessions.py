"""Sessions (SEC-1) and PIN throttling (SEC-5) as a tablet sees them."""

from __future__ import annotations

from http.cookies import SimpleCookie

from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
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


async def test_five_wrong_pins_lock_a_server_until_a_manager_unlocks(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    answers = [
        await pin_try(client, "Sam", wrong(PINS["Sam"]), forwarded_for=f"10.0.0.{n}")
        for n in range(1, 6)
    ]

    assert [a.status_code for a in answers] == [200] * 5  # htmx: the PIN pad with a message
    for answer, left in zip(
        answers[:4], ("4 more tries", "3 more tries", "2 more tries", "1 more try"), strict=True
    ):
        assert f"Wrong PIN. {left} before lock-out." in answer.text
        assert 'id="pinpad"' in answer.text
    assert "Wrong PIN. Sam is now locked; a manager can unlock." in answers[4].text
    assert all(SESSION not in a.headers.get("set-cookie", "") for a in answers)

    right = await pin_try(client, "Sam", PINS["Sam"], forwarded_for="192.0.2.77")
    assert right.status_code == 200
    assert "Sam is locked after too many wrong PINs. Ask a manager." in right.text
    assert SESSION not in client.cookies
    assert await staff_lock(session, "Sam") == (5, True)

    csrf = await sign_in(client, "Mia")
    unlocked = await client.post(
        f"/staff/{STAFF_IDS['Sam']}/unlock", headers={**HX, "X-CSRF-Token": csrf}
    )
    assert unlocked.status_code == 204
    assert unlocked.headers["hx-redirect"] == "/staff"
    assert await staff_lock(session, "Sam") == (0, False)

    back = await pin_try(client, "Sam", PINS["Sam"])
    assert back.status_code == 204, back.text
    assert back.headers["hx-redirect"] == "/floor"
    assert await staff_lock(session, "Sam") == (0, False)


async def test_wrong_pin_on_a_plain_form_answers_403_with_the_message(
    client: AsyncTestClient[Litestar],
) -> None:
    answer = await pin_try(client, "Maria", wrong(PINS["Maria"]), htmx=False)

    assert answer.status_code == 403
    assert "Wrong PIN. 4 more tries before lock-out." in answer.text
    assert "<!doctype html>" in answer.text.lower()  # the whole sign-in page, PIN pad open


async def test_forged_forwarded_for_does_not_reset_the_count(
    client: AsyncTestClient[Litestar], session: AsyncSession, app: Litestar
) -> None:
    for n in range(4):
        await pin_try(client, "Lee", wrong(PINS["Lee"]), forwarded_for=f"203.0.113.{n}")
    # Even from "another" address and a fresh browser, the count is Lee's, not the address's.
    async with AsyncTestClient(app) as elsewhere:
        last = await pin_try(elsewhere, "Lee", wrong(PINS["Lee"]), forwarded_for="198.51.100.1")

    assert "Lee is now locked" in last.text
    assert await staff_lock(session, "Lee") == (5, True)


async def test_more_than_twenty_wrong_pins_from_one_tablet_are_refused_even_when_right(
    client: AsyncTestClient[Litestar], session: AsyncSession, app: Litestar
) -> None:
    # Four wrong PINs each for five people: nobody is locked, but the tablet has had 20.
    for name in ("Maria", "Sam", "Lee", "Hana", "Ode"):
        for n in range(4):
            answer = await pin_try(
                client, name, wrong(PINS[name]), forwarded_for=f"10.9.{len(name)}.{n}"
            )
            assert "Wrong PIN." in answer.text
    for name in ("Maria", "Sam", "Lee", "Hana", "Ode"):
        assert await staff_lock(session, name) == (4, False)

    right = await pin_try(client, "Mia", PINS["Mia"], forwarded_for="10.200.0.1")

    assert right.status_code == 200
    assert "Too many wrong PINs on this tablet. Wait five minutes and try again." in right.text
    assert SESSION not in client.cookies
    plain = await pin_try(client, "Olivia", PINS["Olivia"], htmx=False)
    assert plain.status_code == 403
    assert "Too many wrong PINs on this tablet." in plain.text

    # Another tablet (its own cookie and its own address on the LAN) is not punished.
    async def from_another_tablet(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "lifespan":
            scope = {**scope, "client": ("192.0.2.44", 50123)}
        await app(scope, receive, send)

    async with AsyncTestClient(from_another_tablet) as other_tablet:  # type: ignore[arg-type]
        await sign_in(other_tablet, "Mia")
    failures = await session.scalar(
        select(func.count()).select_from(PinAttempt).where(~PinAttempt.ok)
    )
    assert failures == 20


async def test_api_wrong_pins_count_toward_the_staff_lockout(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    """POST /api/v1/sessions takes a PIN too: five wrong ones must lock Sam as on a tablet."""
    answers = [
        await client.post(
            "/api/v1/sessions",
            json={"staff_id": STAFF_IDS["Sam"], "pin": wrong(PINS["Sam"]), "device": "till"},
        )
        for _ in range(5)
    ]

    assert [a.status_code for a in answers] == [403] * 5
    assert [a.json()["error"] for a in answers] == [
        "Wrong PIN. 4 more tries before lock-out.",
        "Wrong PIN. 3 more tries before lock-out.",
        "Wrong PIN. 2 more tries before lock-out.",
        "Wrong PIN. 1 more try before lock-out.",
        "Wrong PIN. Sam is now locked; a manager can unlock.",
    ]
    assert await staff_lock(session, "Sam") == (5, True)
    right = await client.post(
        "/api/v1/sessions",
        json={"staff_id": STAFF_IDS["Sam"], "pin": PINS["Sam"], "device": "till"},
    )
    assert right.status_code == 403, "the right PIN opened a session for a locked-out server"


async def test_api_pin_guesses_cannot_dodge_the_device_cap_by_renaming_the_device(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    """The API's 'device' is a free-text field of the request body, as forgeable as an
    X-Forwarded-For header: renaming it on every guess must not reset the per-device cap."""
    n = 0
    for name in ("Maria", "Sam", "Lee", "Hana", "Ode"):
        for _ in range(4):
            n += 1
            answer = await client.post(
                "/api/v1/sessions",
                json={"staff_id": STAFF_IDS[name], "pin": wrong(PINS[name]), "device": f"d{n}"},
            )
            assert answer.status_code == 403

    right = await client.post(
        "/api/v1/sessions",
        json={"staff_id": STAFF_IDS["Mia"], "pin": PINS["Mia"], "device": "fresh-name"},
    )

    assert right.status_code == 403, (
        "21st guess from one client accepted after renaming the device on every try"
    )
    assert "Too many wrong PINs" in right.json()["error"]


async def test_api_pin_guesses_under_one_device_name_hit_the_cap(
    client: AsyncTestClient[Litestar],
) -> None:
    for name in ("Maria", "Sam", "Lee", "Hana", "Ode"):
        for _ in range(4):
            await client.post(
                "/api/v1/sessions",
                json={"staff_id": STAFF_IDS[name], "pin": wrong(PINS[name]), "device": "till"},
            )

    right = await client.post(
        "/api/v1/sessions",
        json={"staff_id": STAFF_IDS["Mia"], "pin": PINS["Mia"], "device": "till"},
    )

    assert right.status_code == 403
    assert right.json()["error"].startswith("Too many wrong PINs on this tablet.")


async def test_a_fresh_device_cookie_per_guess_does_not_reset_the_tablet_cap(
    client: AsyncTestClient[Litestar],
) -> None:
    """The device cookie is the browser's to throw away: the cap also counts the address."""
    for name in ("Maria", "Sam", "Lee", "Hana", "Ode"):
        for _ in range(4):
            client.cookies.clear()  # a new "device" for every guess
            answer = await pin_try(client, name, wrong(PINS[name]))
            assert "Wrong PIN." in answer.text
    client.cookies.clear()
    right = await pin_try(client, "Mia", PINS["Mia"])
    assert "Too many wrong PINs on this tablet." in right.text
    assert SESSION not in client.cookies
