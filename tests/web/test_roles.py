"""SEC-4: every (role × route) pair is allowed or denied exactly as declared; deny by default.

Generated from the app's routing table: a route added tomorrow is swept by these tests today.
"""

from __future__ import annotations

from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.models import PinAttempt, Staff
from tests.conftest import STAFF_IDS, csrf_of, sign_in
from tests.demo_ids import station_id, table_id
from tests.web.test_security import (
    HX,
    SAFE,
    Endpoint,
    api_token,
    count_checks,
    http_endpoints,
    schema_path,
    service_in_progress,
    websocket_routes,
)

#: One demo staff member per role.
BY_ROLE = {
    "server": "Maria",
    "bartender": "Lee",
    "host": "Hana",
    "kitchen": "Ode",
    "manager": "Mia",
    "owner": "Olivia",
}
KITCHEN_SCREEN_TOKEN = "demo-kitchen-screen-token"


def guarded(app: Litestar) -> list[Endpoint]:
    """Every endpoint a signed-out visitor must not reach."""
    return [e for e in http_endpoints(app) if not e.public]


def sent_to_login(answer: Response) -> bool:
    """A plain browser is redirected; htmx is told to go there (HX-Redirect)."""
    if answer.status_code in (302, 303):
        return answer.headers.get("location") == "/login"
    return answer.status_code == 204 and answer.headers.get("hx-redirect") == "/login"


# --- declarations -------------------------------------------------------------------------


def test_every_route_declares_public_or_its_roles(app: Litestar) -> None:
    """Deny by default is the fallback, not the plan: each route says who may use it.

    (Litestar's own OPTIONS handlers are left out: they answer only with ``Allow`` and the
    guard still denies them by default, which the sweeps below check.)
    """
    undeclared = [
        str(e)
        for e in http_endpoints(app)
        if not e.framework_options and not e.public and not e.roles
    ]
    undeclared += [
        f"WEBSOCKET {r.path}"
        for r in websocket_routes(app)
        if not r.route_handler.opt.get("public") and not r.route_handler.opt.get("roles")
    ]
    assert undeclared == [], f"routes that declare neither public nor roles: {undeclared}"


def test_declared_roles_are_real_roles(app: Litestar) -> None:
    known = set(BY_ROLE)
    for endpoint in http_endpoints(app):
        assert endpoint.roles <= known, f"{endpoint} names unknown roles {endpoint.roles - known}"


def test_only_litestars_read_only_openapi_handlers_live_under_the_schema_path(
    app: Litestar,
) -> None:
    """Everything under the schema path is open to anyone, signed in or not.

    So nothing of ours may ever live there, and nothing there may change state.
    """
    schema = schema_path(app)
    for endpoint in http_endpoints(app):
        if endpoint.template.startswith(schema):
            assert endpoint.describes_api or endpoint.framework_options, str(endpoint)
            assert endpoint.method in SAFE, str(endpoint)
        else:
            assert not endpoint.describes_api, str(endpoint)


async def test_openapi_schema_is_served_to_anyone_but_its_operations_are_not(
    client: AsyncTestClient[Litestar],
) -> None:
    """DESIGN: 'its OpenAPI schema is served by Litestar'."""
    schema = await client.get("/api/v1/schema/openapi.json")
    floor = await client.get("/api/v1/floor")

    assert schema.status_code == 200, schema.text
    assert "/api/v1/checks" in schema.json()["paths"]
    assert floor.status_code == 401


# --- signed out ---------------------------------------------------------------------------


async def test_signed_out_browser_is_sent_to_login_from_every_non_public_page(
    client: AsyncTestClient[Litestar], session: AsyncSession, app: Litestar
) -> None:
    ids = await service_in_progress(client, session)
    out = await client.post("/logout", headers={**HX, "X-CSRF-Token": await csrf_of(client, "/")})
    assert out.headers["hx-redirect"] == "/login"
    # Still a real tablet: a device cookie and its token, so CSRF passes and auth decides.
    token = await csrf_of(client)
    pages = [e for e in guarded(app) if not e.under_api]
    assert len(pages) > 15
    before = await count_checks(session)

    for endpoint in pages:
        for headers in ({"X-CSRF-Token": token}, {**HX, "X-CSRF-Token": token}):
            answer = await client.request(
                endpoint.method,
                endpoint.url(ids),
                data={"guests": "2"} if endpoint.method not in SAFE else None,
                headers=headers,
                follow_redirects=False,
            )
            assert sent_to_login(answer), (
                f"{endpoint} {headers.get('HX-Request', 'plain')}: {answer.status_code}"
            )
    assert await count_checks(session) == before


async def test_browser_without_any_cookie_is_refused_everywhere_but_public_routes(
    client: AsyncTestClient[Litestar], session: AsyncSession, app: Litestar
) -> None:
    ids = await service_in_progress(client, session)
    client.cookies.clear()
    before = await count_checks(session)

    for endpoint in guarded(app):
        if endpoint.under_api:
            continue
        answer = await client.request(endpoint.method, endpoint.url(ids), follow_redirects=False)
        if endpoint.method in SAFE:
            assert sent_to_login(answer), str(endpoint)
        else:  # no cookie, so no token can match: refused before anyone asks who it is
            assert answer.status_code == 403, str(endpoint)
    assert await count_checks(session) == before


async def test_api_without_bearer_token_answers_401_json_on_every_non_public_route(
    client: AsyncTestClient[Litestar], session: AsyncSession, app: Litestar
) -> None:
    ids = await service_in_progress(client, session)  # the browser's cookie rides along too
    api = [e for e in guarded(app) if e.under_api]
    assert {e.name for e in api} >= {"floor_plan", "open_check", "pay_cash", "tickets_after"}
    before = await count_checks(session)

    for endpoint in api:
        answer = await client.request(
            endpoint.method,
            endpoint.url(ids),
            json={"table_id": int(ids["table_id"]), "guests": 2}
            if endpoint.method not in SAFE
            else None,
            follow_redirects=False,
        )
        assert answer.status_code == 401, f"{endpoint}: {answer.status_code}"
        if endpoint.method != "HEAD":
            assert answer.json() == {"error": "Sign in first.", "status": 401}, str(endpoint)
    assert await count_checks(session) == before


# --- the generated role matrix ------------------------------------------------------------


async def test_each_role_reaches_exactly_the_routes_declared_for_it(
    client: AsyncTestClient[Litestar], session: AsyncSession, app: Litestar
) -> None:
    ids = await service_in_progress(client, session)
    ids["table_id"] = str(await table_id(session, "7"))
    endpoints = [e for e in guarded(app) if not e.framework_options]
    checked = 0

    for role, name in BY_ROLE.items():
        bearer = {"Authorization": f"Bearer {await api_token(client, name)}"}
        csrf = await sign_in(client, name)
        for endpoint in endpoints:
            allowed = role in endpoint.roles
            if allowed and endpoint.method not in SAFE:
                continue  # running the command is the functional tests' business
            headers = bearer if endpoint.under_api else {"X-CSRF-Token": csrf}
            answer = await client.request(
                endpoint.method,
                endpoint.url(ids),
                data={"guests": "2"}
                if endpoint.method not in SAFE and not endpoint.under_api
                else None,
                json={} if endpoint.method not in SAFE and endpoint.under_api else None,
                headers=headers,
                follow_redirects=False,
            )
            where = f"{role} ({name}) {endpoint}"
            if allowed:
                assert answer.status_code not in (401, 403), f"{where}: {answer.status_code}"
                assert not sent_to_login(answer), where
            else:
                assert answer.status_code == 403, f"{where}: {answer.status_code}"
                if endpoint.method != "HEAD":
                    assert f"A {role} cannot do that here." in answer.text, where
            checked += 1
    assert checked > 80  # six roles × every guarded route, less commands they may run


# --- the matrix by name, as the floor would say it ------------------------------------------


async def test_kitchen_staff_cannot_open_the_floor_plan_or_a_check(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    ids = await service_in_progress(client, session)
    await sign_in(client, "Ode")

    for path in ("/floor", f"/checks/{ids['check_id']}", f"/checks/{ids['check_id']}/pay"):
        refused = await client.get(path, follow_redirects=False)
        assert refused.status_code == 403, path
        assert "A kitchen cannot do that here." in refused.text
    assert (await client.get("/kds")).status_code == 200
    assert (await client.get(f"/kds/{ids['station_id']}")).status_code == 200


async def test_server_cannot_open_the_kitchen_screens_or_staff_admin(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    await sign_in(client, "Maria")
    bar = await station_id(session, "Bar")

    for path in ("/kds", f"/kds/{bar}", "/staff"):
        refused = await client.get(path, follow_redirects=False)
        assert refused.status_code == 403, path
        assert "A server cannot do that here." in refused.text
    assert (await client.get("/floor")).status_code == 200


async def sams_wrong_pins(session: AsyncSession, count: int = 3) -> None:
    """Sam mistyped his PIN on the bar tablet ``count`` times."""
    await session.execute(
        insert(PinAttempt),
        [{"staff_id": STAFF_IDS["Sam"], "device_key": "cookie:bar", "ok": False}] * count,
    )
    await session.commit()


async def test_server_cannot_clear_a_colleagues_wrong_pins(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    sam = STAFF_IDS["Sam"]
    await sams_wrong_pins(session)
    csrf = await sign_in(client, "Maria")

    refused = await client.post(
        f"/staff/{sam}/unlock", headers={**HX, "X-CSRF-Token": csrf}, follow_redirects=False
    )

    assert refused.status_code == 403
    session.expire_all()
    assert await session.scalar(select(Staff.pins_reset_at).where(Staff.id == sam)) is None


async def test_host_sees_the_floor_but_cannot_open_a_table(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Hana")
    table = await table_id(session, "9")
    before = await count_checks(session)

    floor = await client.get("/floor")
    form = await client.get(f"/floor/tables/{table}/open", follow_redirects=False)
    opened = await client.post(
        f"/floor/tables/{table}/open",
        data={"guests": "2"},
        headers={**HX, "X-CSRF-Token": csrf},
    )
    plain = await client.post(
        f"/floor/tables/{table}/open",
        data={"guests": "2", "_csrf": csrf},
        follow_redirects=False,
    )

    assert floor.status_code == 200
    assert f'id="table-{table}"' in floor.text
    assert form.status_code == 403
    assert opened.status_code == 403
    assert "A host cannot do that here." in opened.text
    assert plain.status_code == 403
    assert await count_checks(session) == before


async def test_manager_sees_wrong_pins_on_the_staff_screen_and_clears_them(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    sam = STAFF_IDS["Sam"]
    await sams_wrong_pins(session)
    csrf = await sign_in(client, "Mia")

    staff = await client.get("/staff")
    unlocked = await client.post(
        f"/staff/{sam}/unlock", data={"_csrf": csrf}, follow_redirects=False
    )

    assert staff.status_code == 200
    assert "3 wrong" in staff.text
    assert "Clear wrong PINs" in staff.text
    assert unlocked.status_code == 303
    assert unlocked.headers["location"] == "/staff"
    session.expire_all()
    assert await session.scalar(select(Staff.pins_reset_at).where(Staff.id == sam)) is not None
    after = await client.get("/staff")
    assert "3 wrong" not in after.text


async def test_paired_kitchen_screen_reaches_the_kitchen_and_nothing_else(
    client: AsyncTestClient[Litestar],
) -> None:
    token = await csrf_of(client, "/pair")
    paired = await client.post(
        "/pair",
        data={"token": KITCHEN_SCREEN_TOKEN, "_csrf": token},
        follow_redirects=False,
    )
    assert paired.status_code == 303
    assert paired.headers["location"] == "/kds"

    assert (await client.get("/kds")).status_code == 200
    for path in ("/floor", "/staff"):
        assert (await client.get(path, follow_redirects=False)).status_code == 403, path


async def test_a_wrong_device_token_pairs_nothing(client: AsyncTestClient[Litestar]) -> None:
    token = await csrf_of(client, "/pair")

    refused = await client.post(
        "/pair", data={"token": "guess", "_csrf": token}, follow_redirects=False
    )

    assert refused.status_code == 403
    assert "That device token is not valid" in refused.text
    assert "brigade_session" not in client.cookies
