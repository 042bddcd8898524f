"""Security over HTTP and websockets: CSRF (SEC-2), websocket origins (SEC-3), inert text (SEC-7).

The route sweeps are generated from the app's own routing table, so a route added later is
covered without anyone remembering to add it here. The helpers at the top are shared with
``test_roles.py`` and ``test_sessions.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from litestar import Litestar
from litestar.exceptions import WebSocketDisconnect
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute, WebSocketRoute
from litestar.testing import AsyncTestClient, TestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import Check, CheckLine
from kds.models import Ticket
from tests.conftest import CSRF, PINS, STAFF_IDS, api_token, csrf_of, sign_in
from tests.demo_ids import item_id, station_id, table_id

HX = {"HX-Request": "true"}
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
MISSING = "security token missing"
MISMATCH = "security token mismatch"
PARAM = re.compile(r"\{(\w+):\w+\}")


# --- the app's routing table, as data ---------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """One (method, path) pair the app answers, with the handler that answers it."""

    method: str
    template: str
    handler: HTTPRouteHandler
    #: One of Litestar's own OpenAPI handlers (the API's description, not an operation).
    describes_api: bool = False

    @property
    def opt(self) -> Mapping[str, Any]:
        return self.handler.opt

    @property
    def public(self) -> bool:
        return bool(self.opt.get("public"))

    @property
    def api(self) -> bool:
        return bool(self.opt.get("api"))

    @property
    def under_api(self) -> bool:
        return self.template.startswith("/api/")

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.opt.get("roles") or ())

    @property
    def name(self) -> str:
        return self.handler.handler_name

    @property
    def framework_options(self) -> bool:
        """Litestar adds an OPTIONS handler to every path by itself."""
        return self.method == "OPTIONS" and self.name == "options_handler"

    def url(self, ids: Mapping[str, str]) -> str:
        return PARAM.sub(lambda m: ids[m.group(1)], self.template)

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


def schema_path(app: Litestar) -> str:
    """Where Litestar serves the API's OpenAPI description."""
    config = app.openapi_config
    assert config is not None
    path = config.path or (config.openapi_router.path if config.openapi_router else None)
    assert path, "the OpenAPI description has no path"
    return path


def http_endpoints(app: Litestar) -> list[Endpoint]:
    schema = schema_path(app)
    found = [
        Endpoint(
            method,
            route.path,
            handler,
            describes_api=route.path.startswith(schema)
            and handler.fn.__module__.startswith("litestar."),
        )
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        for method in sorted(handler.http_methods)
    ]
    assert len(found) > 20, "the routing table looks empty: the sweep would prove nothing"
    return found


def websocket_routes(app: Litestar) -> list[WebSocketRoute]:
    return [route for route in app.routes if isinstance(route, WebSocketRoute)]


def commands(app: Litestar) -> list[Endpoint]:
    """Every state-changing endpoint of the browser UI (the API uses bearer tokens)."""
    return [e for e in http_endpoints(app) if e.method not in SAFE and not e.api]


# --- demo rows for path parameters --------------------------------------------------------


async def service_in_progress(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> dict[str, str]:
    """Maria seats table 5, orders an IPA and sends it: real ids for every path parameter.

    Leaves the client signed in as Maria.
    """
    csrf = await sign_in(client, "Maria")
    headers = {**HX, "X-CSRF-Token": csrf}
    table = await table_id(session, "5")
    opened = await client.post(f"/floor/tables/{table}/open", data={"guests": "2"}, headers=headers)
    assert opened.status_code == 204, opened.text
    check_id = int(opened.headers["hx-redirect"].rsplit("/", 1)[1])
    beer = await item_id(session, "IPA Draft")
    added = await client.post(
        f"/checks/{check_id}/lines", data={"item_id": str(beer), "seat": "1"}, headers=headers
    )
    assert added.status_code == 200, added.text
    sent = await client.post(f"/checks/{check_id}/send", data={"key": "k1"}, headers=headers)
    assert "Sent 1 item" in sent.text
    line = await session.scalar(select(CheckLine.id).where(CheckLine.check_id == check_id))
    ticket = await session.scalar(select(Ticket.id).order_by(Ticket.id).limit(1))
    await session.rollback()
    assert line
    assert ticket
    return {
        "staff_id": str(STAFF_IDS["Sam"]),
        "table_id": str(await table_id(session, "7")),  # a free table
        "check_id": str(check_id),
        "item_id": str(beer),
        "line_id": str(line),
        "station_id": str(await station_id(session, "Bar")),
        "ticket_id": str(ticket),
        "file_path": "css/brigade.css",
        "path": "openapi.yaml",
        "course": "mains",
        "key_id": "1",  # the demo's API key
        # The back office's menu, tax and discount rows: the demo's first of each.
        "category_id": "1",
        "group_id": "1",
        "option_id": "1",
        "ingredient_id": "1",  # the demo's first ingredient (Beef ribeye)
        "count_id": "1",  # none yet: a manager gets 404, a server 403
        "order_id": "1",  # no purchase order yet: a manager gets 404, a server 403
        "rate_id": "1",
        "discount_id": "1",
        "printer_id": "1",
        "device_id": "1",  # the demo's kitchen screen
        "account_id": "1",  # the chart's first account (1000 Cash on hand)
        "payment_id": "1",  # none yet: the routes answer 404 to the roles that reach them
        "drawer_id": "1",  # the demo's Main drawer, open
        "day": "2001-01-01",  # a business day (no Z in the demo: its page answers 404)
    }


async def count_checks(session: AsyncSession) -> int:
    session.expire_all()
    count = await session.scalar(select(func.count()).select_from(Check))
    await session.rollback()
    return int(count or 0)


async def db_fingerprint(session: AsyncSession) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row of every table: any write changes it."""
    names = (
        await session.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        )
    ).all()
    out: dict[str, tuple[int, str]] = {}
    for name in names:
        row = (
            await session.execute(
                text(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{name}\" t"  # noqa: E501
                )
            )
        ).one()
        out[name] = (int(row[0]), str(row[1]))
    await session.rollback()
    assert "check_line" in out
    assert "staff_session" in out
    return out


def changed_tables(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


# --- parsing HTML -------------------------------------------------------------------------


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside every <script>."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data

    def attributes(self) -> Iterator[tuple[str, str, str | None]]:
        for tag, attrs in self.tags:
            for name, value in attrs.items():
                yield tag, name, value


# === SEC-2: CSRF ==========================================================================


async def test_forged_form_without_csrf_token_opens_no_table(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    await sign_in(client, "Maria")
    table = await table_id(session, "3")
    before = await count_checks(session)

    plain = await client.post(
        f"/floor/tables/{table}/open", data={"guests": "2"}, follow_redirects=False
    )
    htmx = await client.post(f"/floor/tables/{table}/open", data={"guests": "2"}, headers=HX)

    assert plain.status_code == 403
    assert MISSING in plain.text
    assert htmx.status_code == 403
    assert MISSING in htmx.text
    assert htmx.headers["hx-retarget"] == "#flash"  # a flash message, the screen stays
    assert await count_checks(session) == before


async def test_forged_form_with_wrong_csrf_token_opens_no_table(
    client: AsyncTestClient[Litestar], session: AsyncSession, app: Litestar
) -> None:
    await sign_in(client, "Maria")
    table = await table_id(session, "3")
    before = await count_checks(session)
    async with AsyncTestClient(app) as other_tablet:
        sams_token = await sign_in(other_tablet, "Sam")

    for forged in ("0" * 64, sams_token, ""):
        as_header = await client.post(
            f"/floor/tables/{table}/open",
            data={"guests": "2"},
            headers={**HX, "X-CSRF-Token": forged},
        )
        as_field = await client.post(
            f"/floor/tables/{table}/open",
            data={"guests": "2", "_csrf": forged},
            follow_redirects=False,
        )
        for refused in (as_header, as_field):
            assert refused.status_code == 403, (forged, refused.text)
            assert MISMATCH in refused.text or MISSING in refused.text
    assert await count_checks(session) == before


async def test_csrf_token_in_header_or_form_field_opens_the_table(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    """The positive control: both carriers of the token work, so the refusals above mean it."""
    csrf = await sign_in(client, "Maria")
    before = await count_checks(session)

    htmx = await client.post(
        f"/floor/tables/{await table_id(session, '3')}/open",
        data={"guests": "2"},
        headers={**HX, "X-CSRF-Token": csrf},
    )
    plain = await client.post(
        f"/floor/tables/{await table_id(session, '4')}/open",
        data={"guests": "2", "_csrf": csrf},
        follow_redirects=False,
    )

    assert htmx.status_code == 204
    assert htmx.headers["hx-redirect"].startswith("/checks/")
    assert plain.status_code == 303
    assert plain.headers["location"].startswith("/checks/")
    assert await count_checks(session) == before + 2


async def test_every_state_changing_route_refuses_a_signed_in_owner_without_csrf_token(
    client: AsyncTestClient[Litestar], session: AsyncSession, app: Litestar
) -> None:
    ids = await service_in_progress(client, session)
    await sign_in(client, "Olivia")  # the owner may use every route: only CSRF can refuse
    routes = commands(app)
    assert {e.name for e in routes} >= {"open_table", "add_line", "pay_cash", "bump", "sign_out"}
    before = await db_fingerprint(session)

    for endpoint in routes:
        url = endpoint.url(ids)
        data = {"guests": "2", "item_id": ids["item_id"], "tendered": "100", "version": "1"}
        for headers, expected in (
            ({}, MISSING),
            (HX, MISSING),
            ({**HX, "X-CSRF-Token": "f" * 64}, MISMATCH),
        ):
            answer = await client.request(
                endpoint.method, url, data=data, headers=headers, follow_redirects=False
            )
            assert answer.status_code == 403, f"{endpoint} {headers}: {answer.status_code}"
            assert expected in answer.text, f"{endpoint} {headers}"
        wrong_field = await client.request(
            endpoint.method, url, data={**data, "_csrf": "f" * 64}, follow_redirects=False
        )
        assert wrong_field.status_code == 403, str(endpoint)
        assert MISMATCH in wrong_field.text

    assert changed_tables(before, await db_fingerprint(session)) == []
    still_in = await client.get("/floor", follow_redirects=False)
    assert still_in.status_code == 200, "a forged sign-out must not sign the owner out"


async def test_forged_sign_in_without_csrf_token_opens_no_session_and_counts_no_pin(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    await client.get("/login")  # a real device cookie, but no token sent
    before = await db_fingerprint(session)

    answer = await client.post(
        "/login",
        data={"staff_id": str(STAFF_IDS["Maria"]), "pin": PINS["Maria"]},
        follow_redirects=False,
    )

    assert answer.status_code == 403
    assert "brigade_session" not in answer.headers.get("set-cookie", "")
    assert changed_tables(before, await db_fingerprint(session)) == []


def test_no_get_handler_is_a_command(app: Litestar) -> None:
    endpoints = http_endpoints(app)
    writers = {e.handler.fn for e in endpoints if e.method not in SAFE}
    command_names = {e.name for e in endpoints if e.method not in SAFE} | {
        # the services' commands, named after the floor
        "open_table",
        "add_line",
        "clear_line",
        "send_order",
        "pay_cash",
        "bump_ticket",
        "unlock_staff",
        "sign_in",
        "sign_out",
        "pair_device",
        "revoke_session",
    }
    readers = [e for e in endpoints if e.method in SAFE and not e.framework_options]
    assert readers

    for endpoint in readers:
        assert endpoint.handler.fn not in writers, str(endpoint)
        assert endpoint.name not in command_names, f"{endpoint} is named like a command"


async def test_reading_every_page_and_api_resource_changes_nothing(
    client: AsyncTestClient[Litestar], session: AsyncSession, app: Litestar
) -> None:
    ids = await service_in_progress(client, session)
    ids["table_id"] = str(await table_id(session, "5"))  # the open table: GET redirects
    bearer = {"Authorization": f"Bearer {await api_token(client, 'Olivia')}"}
    await sign_in(client, "Olivia")
    readers = [e for e in http_endpoints(app) if e.method in SAFE]
    before = await db_fingerprint(session)

    served: set[str] = set()
    for endpoint in readers:
        url = endpoint.url(ids)
        for headers in ({}, HX, bearer):
            answer = await client.request(
                endpoint.method, url, headers=headers, follow_redirects=False
            )
            assert answer.status_code < 500, f"{endpoint}: {answer.status_code}"
            if answer.status_code == 200:
                served.add(endpoint.template)
    # The sweep really rendered the screens, not a wall of refusals.
    assert {"/floor", "/checks/{check_id:int}", "/kds/{station_id:int}", "/api/v1/floor"} <= served

    changed = changed_tables(before, await db_fingerprint(session))
    assert changed == [], f"a GET wrote to {changed}"


def test_only_api_routes_skip_csrf_and_they_live_under_the_cookie_free_prefix(
    app: Litestar,
) -> None:
    """The guard skips CSRF for ``opt["api"]``; the middleware ignores cookies under /api/.

    Both must agree, or a cookie-authenticated command would run without CSRF.
    """
    for endpoint in http_endpoints(app):
        if endpoint.api and endpoint.method not in SAFE:
            assert endpoint.under_api, f"{endpoint} skips CSRF but reads the session cookie"


async def test_signed_in_browser_cookie_alone_does_not_authorize_the_api(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Maria")
    assert (await client.get("/floor")).status_code == 200
    before = await count_checks(session)

    floor = await client.get("/api/v1/floor", headers={"X-CSRF-Token": csrf})
    opened = await client.post(
        "/api/v1/checks",
        json={"table_id": await table_id(session, "2"), "guests": 2},
        headers={"X-CSRF-Token": csrf},
    )

    assert floor.status_code == 401
    assert floor.json() == {"error": "Sign in first.", "status": 401}
    assert opened.status_code == 401
    assert await count_checks(session) == before

    bearer = {"Authorization": f"Bearer {await api_token(client, 'Maria')}"}
    with_token = await client.get("/api/v1/floor", headers=bearer)
    assert with_token.status_code == 200
    assert isinstance(with_token.json(), list)


# === SEC-3: websockets ====================================================================

EVIL_ORIGINS = (
    "http://evil.example",
    "http://testserver.local.evil.example",
    "http://evil.example/testserver.local",
    "null",
)


def sync_sign_in(client: TestClient[Litestar], name: str) -> str:
    """Sign in like a browser without htmx: read the token from <body hx-headers>, post."""
    page = client.get("/login")
    match = CSRF.search(page.text)
    assert match, "no CSRF token in <body hx-headers> on /login"
    answer = client.post(
        "/login",
        data={"staff_id": str(STAFF_IDS[name]), "pin": PINS[name], "_csrf": match.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    home = client.get(answer.headers["location"])
    token = CSRF.search(home.text)
    assert token
    return token.group(1)


def first_station(client: TestClient[Litestar]) -> int:
    """A real station id, read from the kitchen's station picker."""
    found = re.search(r'href="/kds/(\d+)"', client.get("/kds").text)
    assert found, "the station picker lists no station"
    return int(found.group(1))


def refusal(client: TestClient[Litestar], path: str, **headers: str) -> WebSocketDisconnect:
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(path, headers=headers) as socket,
    ):
        socket.receive_text(timeout=5)
    return refused.value


def test_floor_feed_refuses_a_socket_without_a_session(app: Litestar) -> None:
    with TestClient(app) as browser:
        refused = refusal(browser, "/ws/floor")
        assert refused.code >= 4000
        refused = refusal(browser, "/ws/floor", origin="http://testserver.local")
        assert refused.code >= 4000


def test_kitchen_feed_refuses_a_socket_without_a_session(app: Litestar) -> None:
    with TestClient(app) as kitchen:
        sync_sign_in(kitchen, "Ode")
        station = first_station(kitchen)
    with TestClient(app) as stranger:
        assert refusal(stranger, f"/kds/{station}/feed").code >= 4000


def test_floor_feed_refuses_a_foreign_origin_even_with_a_session(app: Litestar) -> None:
    with TestClient(app) as browser:
        sync_sign_in(browser, "Maria")
        for origin in EVIL_ORIGINS:
            refused = refusal(browser, "/ws/floor", origin=origin)
            assert refused.code == 4401, origin


def test_kitchen_feed_refuses_a_foreign_origin_even_with_a_session(app: Litestar) -> None:
    with TestClient(app) as kitchen:
        sync_sign_in(kitchen, "Ode")
        station = first_station(kitchen)
        for origin in EVIL_ORIGINS:
            refused = refusal(kitchen, f"/kds/{station}/feed", origin=origin)
            assert refused.code == 4401, origin


def test_kitchen_feed_refuses_a_server_signed_in_on_the_floor(app: Litestar) -> None:
    with TestClient(app) as kitchen:
        sync_sign_in(kitchen, "Ode")
        station = first_station(kitchen)
    with TestClient(app) as browser:
        sync_sign_in(browser, "Maria")
        assert refusal(browser, f"/kds/{station}/feed").code >= 4000


def test_floor_feed_accepts_own_session_without_origin_or_from_its_own_host(
    app: Litestar,
) -> None:
    with TestClient(app) as browser:
        csrf = sync_sign_in(browser, "Maria")
        with browser.websocket_connect("/ws/floor") as socket:
            socket.send_text("ping")
        with browser.websocket_connect(
            "/ws/floor", headers={"origin": "http://testserver.local"}
        ) as socket:
            # accepted and live: opening a table announces it on this very socket
            table = re.search(r'id="table-(\d+)"', browser.get("/floor").text)
            assert table
            opened = browser.post(
                f"/floor/tables/{table.group(1)}/open",
                data={"guests": "2", "_csrf": csrf},
                follow_redirects=False,
            )
            assert opened.status_code == 303, opened.text
            pushed = socket.receive_text(timeout=5)
            assert f'id="table-{table.group(1)}"' in pushed


def test_kitchen_feed_accepts_own_session_and_sends_its_snapshot(app: Litestar) -> None:
    with TestClient(app) as kitchen:
        sync_sign_in(kitchen, "Ode")
        station = first_station(kitchen)
        for headers in ({}, {"origin": "http://testserver.local"}):
            with kitchen.websocket_connect(f"/kds/{station}/feed", headers=headers) as socket:
                assert 'id="tickets"' in socket.receive_text(timeout=5)


def test_check_feed_refuses_a_foreign_origin_and_accepts_its_own(app: Litestar) -> None:
    with TestClient(app) as browser:
        csrf = sync_sign_in(browser, "Maria")
        table = re.search(r'id="table-(\d+)"', browser.get("/floor").text)
        assert table
        opened = browser.post(
            f"/floor/tables/{table.group(1)}/open",
            data={"guests": "2", "_csrf": csrf},
            follow_redirects=False,
        )
        feed = f"{opened.headers['location']}/feed"
        assert refusal(browser, feed, origin="http://evil.example").code == 4401
        with browser.websocket_connect(feed, headers={"origin": "http://testserver.local"}):
            pass
    with TestClient(app) as stranger:
        assert refusal(stranger, feed).code >= 4000


def test_signed_out_session_cannot_open_a_socket(app: Litestar) -> None:
    with TestClient(app) as browser:
        csrf = sync_sign_in(browser, "Maria")
        old = browser.cookies["brigade_session"]
        out = browser.post("/logout", data={"_csrf": csrf}, follow_redirects=False)
        assert out.status_code == 303
    with TestClient(app) as replay:
        replay.cookies.set("brigade_session", old)
        assert refusal(replay, "/ws/floor").code >= 4000


def test_every_websocket_route_declares_its_roles(app: Litestar) -> None:
    routes = websocket_routes(app)
    assert {r.path for r in routes} >= {"/ws/floor", "/kds/{station_id:int}/feed"}
    for route in routes:
        opt = route.route_handler.opt
        assert not opt.get("public"), f"{route.path} is a public websocket"
        assert opt.get("roles"), f"{route.path} declares no roles"


# === SEC-7: user text renders inert =======================================================

PAYLOADS = (
    "<script>alert(1)</script>",
    '" hx-post="/logout',
    "' hx-get='/logout' x='",
    '</small><img src=x onerror="alert(2)">',
    "{{ 7*7 }}",
)


def assert_inert(html: str, where: str) -> None:
    parsed = Tags(html)
    for tag, name, value in parsed.attributes():
        assert not (name.startswith("hx-") and "/logout" in (value or "")), (where, tag, name)
        assert name not in {"onerror", "x"}, (where, tag, name)
        assert tag != "img", (where, "an injected <img>")
    assert not any("alert(" in script for script in parsed.scripts), where
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, where
    assert "Note: {{ 7*7 }}" in html, where  # shown as typed, never evaluated


async def test_script_and_attribute_payloads_in_a_line_note_render_as_text(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Maria")
    headers = {**HX, "X-CSRF-Token": csrf}
    opened = await client.post(
        f"/floor/tables/{await table_id(session, '6')}/open",
        data={"guests": "2"},
        headers=headers,
    )
    check_path = opened.headers["hx-redirect"]
    beer = str(await item_id(session, "IPA Draft"))

    fragment = ""
    for payload in PAYLOADS:
        added = await client.post(
            f"{check_path}/lines", data={"item_id": beer, "note": payload}, headers=headers
        )
        assert added.status_code == 200, added.text
        fragment = added.text
    page = await client.get(check_path)

    assert fragment.lstrip().startswith('<section id="check"')
    assert_inert(fragment, "check fragment")
    assert_inert(page.text, "check page")
    assert page.text.count("Note: ") == len(PAYLOADS)

    sent = await client.post(f"{check_path}/send", data={"key": "s"}, headers=headers)
    assert f"Sent {len(PAYLOADS)} items" in sent.text
    await sign_in(client, "Ode")
    bar = await station_id(session, "Bar")
    ticket = await client.get(f"/kds/{bar}")
    parsed = Tags(ticket.text)
    assert not any("alert(" in s for s in parsed.scripts)
    assert not any(
        n.startswith("hx-") and "/logout" in (v or "") for _, n, v in parsed.attributes()
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in ticket.text


async def test_csrf_token_is_only_in_the_page_never_in_a_cookie(
    client: AsyncTestClient[Litestar],
) -> None:
    """The token a forged page would need is readable only by our own pages."""
    token = await csrf_of(client)
    assert token
    assert len(token) == 64
    assert all(token not in value for value in client.cookies.values())
