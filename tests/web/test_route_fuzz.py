"""Every registered route, every method, fed hostile values: never a 5xx, never a hang.

Hypothesis draws who asks (a manager with a session and an API token, or nobody), the path
numbers, the query, and the body (form, multipart or JSON) from values a stranger on the
network or a confused tablet sends: numbers past BIGINT, negative, "²", "١٢", 5,000 digits,
NUL, long text, empty, any unicode. Each route gets a fresh restaurant; the money invariants
are checked after each, as after every test. Derandomized, so a run is reproducible;
BRIGADE_FUZZ_EXAMPLES raises the examples per route for a longer hunt (default 5).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import re
import sys
from dataclasses import fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any, get_args
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from app.main import create_app
from app.platform.settings import Settings
from tests import conftest, pg
from tests.conftest import PINS, STAFF_IDS, sign_in
from tests.invariants import broken_money_rules

Client = AsyncTestClient[Litestar]
EXAMPLES = int(os.environ.get("BRIGADE_FUZZ_EXAMPLES", "5"))
#: Longest any one request may take before it counts as a hang.
TIMEOUT = 15.0
HUGE = [
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "18446744073709551616",
]
ODD = ["²", "١٢", "٣", "1\x00", "\x00", "9" * 5000, "-1", "0", "", " ", "1e3", "0x1F", "NaN"]
WORDS = ["a\x00b", "x" * 3000, "<script>alert(1)</script>", "%00", "\u202e", "\x1b[2J", "é"]
#: Real-looking small numbers too, so some requests get past "not found" into the handlers.
SMALL = [str(n) for n in range(1, 8)]
PARAM = re.compile(r"\{(\w+):(\w+)\}")
FIELD = re.compile(r"""(?:form(?:\.get|\.getall)?\(\s*|\(form,\s*)f?"(\w+)""")
GENERIC_FIELDS = ["item_id", "quantity", "note", "guests", "minutes", "station", "version", "key"]
GENERIC_QUERY = ["after", "floor", "check", "server", "amount", "day", "drawer", "then", "mine"]

text_values = st.one_of(
    st.sampled_from(HUGE + ODD + WORDS + SMALL),
    st.integers(-(2**70), 2**70).map(str),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
)
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.sampled_from([10**20, -(10**20), 2**63, 0, -1, 1]),
        text_values,
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


RAW_TYPES = [
    "application/x-www-form-urlencoded",
    "application/json",
    "multipart/form-data; boundary=B",
    "multipart/form-data",
    "text/plain",
]


@st.composite
def raw_bodies(draw: st.DrawFn, names: list[str]) -> bytes:
    name = draw(st.sampled_from(names or GENERIC_FIELDS)).encode()
    crafted = [
        name + b"=%FF%FE%00",
        name + b"=\xff\xfe",
        b'{"' + name + b'": "\\ud800\\u0000"}',
        b'{"' + name + b'": 1' + b"0" * 400 + b"}",
        b'--B\r\nContent-Disposition: form-data; name="' + name + b'"\r\n\r\n\xff\r\n--B--\r\n',
        b'--B\r\nContent-Disposition: form-data; name="' + name + b'"\r\n'
        b"Content-Type: text/plain; charset=klingon\r\n\r\nx\r\n--B--\r\n",
        b'--B\r\nContent-Disposition: form-data; name="' + name + b'"\r\n\r\ncut',
    ]
    return draw(st.sampled_from(crafted) | st.binary(max_size=200))


def _routes() -> list[tuple[str, list[Any]]]:
    """(path template, its handlers) for every HTTP route the app registers."""
    app = create_app(
        Settings(database_url="postgresql+asyncpg://fuzz@127.0.0.1:1/none", print_worker=False)
    )
    return [
        (route.path, list(route.route_handlers))
        for route in app.routes
        if isinstance(route, HTTPRoute)
    ]


ROUTES = _routes()


@cache
def _module_fields(module: str) -> tuple[str, ...]:
    """Form fields a handler's module reads (by name, as written in its source)."""
    found = sys.modules.get(module)
    source = inspect.getsource(found) if found is not None else ""
    return tuple(sorted(set(FIELD.findall(source)))) or tuple(GENERIC_FIELDS)


def _json_fields(handler: Any) -> list[str]:
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return []
    annotation = data.annotation
    kinds = [annotation, *get_args(annotation)]
    for kind in kinds:
        if is_dataclass(kind):
            return [f.name for f in fields(kind)]
    return []


def _query_names(handler: Any) -> list[str]:
    names = [n for n in handler.parsed_fn_signature.parameters if n not in ("request", "data")]
    return sorted({*names, *GENERIC_QUERY})


@st.composite
def requests(draw: st.DrawFn, template: str, handlers: list[Any]) -> dict[str, Any]:
    handler = draw(st.sampled_from(handlers))
    method = draw(st.sampled_from(sorted(handler.http_methods)))

    def segment(match: re.Match[str]) -> str:
        return quote(draw(text_values), safe="")

    path = PARAM.sub(segment, template)
    query = draw(st.dictionaries(st.sampled_from(_query_names(handler)), text_values, max_size=3))
    names = sorted({*_module_fields(handler.fn.__module__), *_json_fields(handler)})
    kind = draw(st.sampled_from(["form", "multipart", "json", "raw", "none"]))
    body: Any = None
    if kind == "json":
        keys = st.sampled_from(names) if names else st.text(max_size=8)
        body = draw(st.dictionaries(keys, json_values, max_size=5) | json_values)
    elif kind == "raw":  # bytes no browser sends: broken UTF-8, escapes, cut-off multipart
        body = (draw(st.sampled_from(RAW_TYPES)), draw(raw_bodies(names)))
    elif kind != "none":
        body = draw(st.dictionaries(st.sampled_from(names), text_values, max_size=5))
    return {
        "method": method,
        "path": path,
        "query": query,
        "kind": kind,
        "body": body,
        "who": draw(st.sampled_from(["manager", "nobody"])),
        "csrf": draw(st.booleans()),
    }


@pytest.fixture(scope="module")
async def restaurant(pg_server: str) -> Any:
    """One restaurant for the whole run (a fresh one per route costs a second each): what
    earlier routes did to it, later routes meet, as on a real night."""
    name = await pg.fresh_database(pg_server)
    url = pg.with_database(pg_server, name)
    app = create_app(Settings(database_url=url, db_pool="null", print_worker=False))
    async with AsyncTestClient(app) as client:
        yield client
    broken = await broken_money_rules(url)
    await pg.drop_database(pg_server, name)
    assert not broken, "money invariants broken by the fuzz:\n" + "\n".join(broken)


async def _signed_in(client: Client) -> dict[str, Any]:
    """A manager's tablet session and API token, renewed if an earlier route ended them
    (a sign-out, a revoked session, a PIN paused by guessing: then the owner signs in)."""
    auth: dict[str, Any] = getattr(client, "_fuzz_auth", None) or {}
    if auth:
        client.cookies.clear()
        client.cookies.update(auth["cookies"])
        page = await client.get("/floor", headers={"HX-Request": "true"})
        api = await client.get("/api/v1/floor", headers=auth["bearer"])
        if page.status_code == 200 and api.status_code == 200:
            return auth
    client.cookies.clear()
    for name in ("Mia", "Olivia"):
        try:
            csrf = await sign_in(client, name)
            bearer = await _bearer(client, name)
        except (AssertionError, KeyError, ValueError):
            client.cookies.clear()
            continue
        auth = {"csrf": csrf, "cookies": dict(client.cookies), "bearer": bearer}
        break
    else:  # nobody can sign in any more: the rest of the run asks as a stranger
        auth = {"csrf": "", "cookies": {}, "bearer": {}}
    client._fuzz_auth = auth  # type: ignore[attr-defined]
    return auth


async def _bearer(client: Client, name: str) -> dict[str, str]:
    """An API token however this checkout issues them (an API key may be required)."""
    helper = getattr(conftest, "api_bearer", None)
    if helper is not None:
        return dict(await helper(client, name))
    made = await client.post(
        "/api/v1/sessions", json={"staff_id": STAFF_IDS[name], "pin": PINS[name]}
    )
    return {"Authorization": f"Bearer {made.json()['token']}"}


async def _send(client: Client, drawn: dict[str, Any], auth: dict[str, Any]) -> Any:
    headers: dict[str, str] = {}
    signed_in = drawn["who"] == "manager"
    if signed_in:
        headers.update(auth["bearer"] if drawn["path"].startswith("/api/") else {})
        if drawn["csrf"]:
            headers["X-CSRF-Token"] = auth["csrf"]
        headers["HX-Request"] = "true"
    cookies = auth["cookies"] if signed_in else {}
    kwargs: dict[str, Any] = {"params": drawn["query"], "headers": headers}
    body = drawn["body"]
    if drawn["kind"] == "json":
        kwargs["content"] = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    elif drawn["kind"] == "form":
        kwargs["data"] = body
    elif drawn["kind"] == "raw":
        headers["Content-Type"], kwargs["content"] = body
    elif drawn["kind"] == "multipart":
        kwargs["data"] = body
        kwargs["files"] = {"upload": ("menu.txt", b"\x00\xff binary")}
    client.cookies.clear()
    client.cookies.update(cookies)
    request = client.request(drawn["method"], drawn["path"], **kwargs)
    return await asyncio.wait_for(request, TIMEOUT)


def _name(template: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", template).strip("_") or "root"


BARE = {"Not Found", "Internal Server Error", "Method Not Allowed", "Bad Request"}


@pytest.mark.parametrize(("template", "handlers"), ROUTES, ids=[_name(t) for t, _ in ROUTES])
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
@given(data=st.data())
async def test_no_route_answers_hostile_input_with_a_server_error(
    restaurant: Client, template: str, handlers: list[Any], data: st.DataObject
) -> None:
    client = restaurant
    if getattr(client, "_fuzz_route", None) != template:  # once per route, not per example
        client._fuzz_auth = await _signed_in(client)  # type: ignore[attr-defined]
        client._fuzz_route = template  # type: ignore[attr-defined]
    auth = client._fuzz_auth  # type: ignore[attr-defined]
    drawn = data.draw(requests(template, handlers))
    if drawn["who"] == "manager" and drawn["path"] in ("/logout", "/login", "/pair"):
        drawn["who"] = "nobody"  # signing the manager out would blunt the rest of the run
    response = await _send(client, drawn, auth)
    shown = {k: (str(v)[:60] if k != "body" else str(v)[:200]) for k, v in drawn.items()}
    assert response.status_code < 500, (shown, response.text[:400])
    if (
        400 <= response.status_code < 500
        and response.status_code != 401
        and drawn["method"] != "HEAD"
    ):
        words = re.sub(r"<[^>]+>", " ", response.text).strip()
        assert words and words not in BARE, (shown, response.status_code, response.text[:300])


def test_the_fuzz_covers_every_registered_route() -> None:
    """A route added later is fuzzed without anyone listing it here."""
    here = Path(__file__).read_text()
    assert "ROUTES = _routes()" in here
    assert len(ROUTES) > 60, "the routing table looks empty: the fuzz would prove nothing"
