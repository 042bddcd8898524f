"""Hostile and broken input on a Friday night: a 4xx with a sentence, never a 500, and nothing
changed (issue 10 items 12 and 13). tests/web/test_route_fuzz.py does the same for every
route with drawn values; these are the cases staff and integrators actually hit."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.menu.models import MenuItem
from app.orders.models import Check, CheckLine
from tests import conftest
from tests.conftest import PINS, STAFF_IDS, sign_in
from tests.demo_ids import item_id, station_id, table_id

Client = AsyncTestClient[Litestar]
HUGE = "99999999999999999999"  # past 2**63 - 1: no record can have it
HTMX = {"HX-Request": "true"}


async def api_bearer(client: Client, name: str) -> dict[str, str]:
    """An API token however this checkout issues them (an API key may be required)."""
    helper = getattr(conftest, "api_bearer", None)
    if helper is not None:
        return dict(await helper(client, name))
    made = await client.post(
        "/api/v1/sessions", json={"staff_id": STAFF_IDS[name], "pin": PINS[name]}
    )
    return {"Authorization": f"Bearer {made.json()['token']}"}


async def _seated(client: Client, session: AsyncSession) -> tuple[str, dict[str, str]]:
    csrf = await sign_in(client, "Mia")
    headers = {**HTMX, "X-CSRF-Token": csrf}
    opened = await client.post(
        f"/floor/tables/{await table_id(session, '5')}/open",
        data={"guests": "2"},
        headers=headers,
    )
    return opened.headers["hx-redirect"], headers


async def _count(session: AsyncSession, model: Any) -> int:
    session.expire_all()
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def _refused(response: Any, status: int | tuple[int, ...], words: str) -> None:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert words in response.text, response.text[:300]


@pytest.mark.parametrize("address", [f"/checks/{HUGE}", "/checks/١٢", "/checks/²"])
async def test_a_check_number_no_check_can_have_is_not_found(client: Client, address: str) -> None:
    await sign_in(client, "Mia")
    page = await client.get(address)
    _refused(page, 404, "There is nothing at this address")
    swap = await client.get(address, headers=HTMX)
    _refused(swap, 404, "There is nothing at this address")


async def test_the_api_says_a_huge_check_or_ticket_number_is_wrong(client: Client) -> None:
    mia = await api_bearer(client, "Mia")
    check = await client.get(f"/api/v1/checks/{HUGE}", headers=mia)
    assert check.status_code == 404 and "nothing at this address" in check.json()["error"]
    feed = await client.get(f"/api/v1/kds/1/tickets?after={HUGE}", headers=mia)
    assert 400 <= feed.status_code < 500 and "after" in feed.json()["error"]
    digits = await client.get("/api/v1/kds/1/tickets?after=" + "9" * 5000, headers=mia)
    assert 400 <= digits.status_code < 500 and "too large" in digits.json()["error"]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"item_id": HUGE}, "Item is too large a number"),
        ({"item_id": "9" * 5000}, "Item is too large a number"),
        ({"quantity": "²"}, "Quantity must be a whole number"),
        ({"quantity": "١٢"}, "Quantity must be a whole number"),
        ({"seat": HUGE}, "Seat"),
        ({"note": "no\x00onions"}, "control character"),
        ({"course": "mains\x00"}, "control character"),
    ],
)
async def test_a_hostile_order_line_is_refused_and_adds_nothing(
    client: Client, session: AsyncSession, fields: dict[str, str], words: str
) -> None:
    check, headers = await _seated(client, session)
    data = {"item_id": str(await item_id(session, "IPA Draft")), **fields}
    response = await client.post(f"{check}/lines", data=data, headers=headers)
    _refused(response, (404, 422), words)
    assert await _count(session, CheckLine) == 0


async def test_a_nul_in_a_json_note_is_refused(client: Client, session: AsyncSession) -> None:
    mia = await api_bearer(client, "Mia")
    opened = await client.post(
        "/api/v1/checks", json={"table_id": await table_id(session, "P3"), "guests": 2}, headers=mia
    )
    check = opened.json()["check_id"]
    line = {"item_id": await item_id(session, "Salmon"), "note": "no\u0000dill"}
    response = await client.post(f"/api/v1/checks/{check}/lines", json=line, headers=mia)
    assert response.status_code == 422 and "control character" in response.json()["error"]
    huge = {"item_id": 10**20}
    response = await client.post(f"/api/v1/checks/{check}/lines", json=huge, headers=mia)
    assert response.status_code == 422 and "too large" in response.json()["error"]
    assert await _count(session, CheckLine) == 0


@pytest.mark.parametrize("minutes", ["²", "9" * 5000, HUGE, "١٢"])
async def test_86_for_minutes_written_strangely_is_refused(
    client: Client, session: AsyncSession, minutes: str
) -> None:
    csrf = await sign_in(client, "Mia")
    oysters = await item_id(session, "Oysters (6)")
    response = await client.post(
        f"/menu/86/items/{oysters}/86",
        data={"minutes": minutes},
        headers={**HTMX, "X-CSRF-Token": csrf},
    )
    _refused(response, 422, "Pick how long")
    session.expire_all()
    assert await session.scalar(select(MenuItem.available).where(MenuItem.id == oysters))


@pytest.mark.parametrize("station", ["²", "9" * 5000, HUGE])
async def test_routing_to_a_station_number_that_cannot_exist_is_refused(
    client: Client, session: AsyncSession, station: str
) -> None:
    csrf = await sign_in(client, "Mia")
    headers = {**HTMX, "X-CSRF-Token": csrf}
    burger = await item_id(session, "IPA Draft")
    response = await client.post(
        f"/kds/routing/items/{burger}", data={"station": station}, headers=headers
    )
    _refused(response, (404, 422), "station")
    category = await client.post(
        "/kds/routing/categories",
        data={"category_id": station, "station": str(await station_id(session, "Bar"))},
        headers=headers,
    )
    _refused(category, 404, "category does not exist")


async def test_a_nul_in_a_new_table_name_is_refused(client: Client, session: AsyncSession) -> None:
    csrf = await sign_in(client, "Mia")
    response = await client.post(
        "/floor/layout/tables",
        data={"floor": "1", "name": "T\x0099", "shape": "square", "seats": "4"},
        headers={**HTMX, "X-CSRF-Token": csrf},
    )
    _refused(response, 422, "control character")


async def test_a_nul_in_the_address_is_refused(client: Client) -> None:
    await sign_in(client, "Mia")
    response = await client.get("/floor?floor=1%00", headers=HTMX)
    _refused(response, (400, 422), "control character")


async def test_sign_in_as_a_staff_number_past_bigint_is_a_refusal(client: Client) -> None:
    """/login reads staff_id with int(): the database refuses the value, and the net under
    every route answers with a sentence instead of a 500."""
    page = await client.get("/login")
    csrf = page.text.split('"X-CSRF-Token": "')[1].split('"')[0]
    response = await client.post(
        "/login", data={"staff_id": HUGE, "pin": "1234"}, headers={**HTMX, "X-CSRF-Token": csrf}
    )
    assert 400 <= response.status_code < 500, response.text[:300]


async def test_a_multipart_form_that_is_not_utf8_is_refused(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _seated(client, session)
    body = (
        b'--B\r\nContent-Disposition: form-data; name="item_id"\r\n\r\n\xff\xfe\r\n'
        b'--B\r\nContent-Disposition: form-data; name="note"\r\n'
        b"Content-Type: text/plain; charset=klingon\r\n\r\nhi\r\n--B--\r\n"
    )
    response = await client.post(
        f"{check}/lines",
        content=body,
        headers={**headers, "Content-Type": "multipart/form-data; boundary=B"},
    )
    _refused(response, 422, "UTF-8")
    assert await _count(session, CheckLine) == 0


async def test_a_body_past_a_megabyte_is_refused_with_a_sentence(client: Client) -> None:
    csrf = await sign_in(client, "Mia")
    response = await client.post(
        "/floor/layout/floors",
        data={"name": "x" * 1_100_000},
        headers={**HTMX, "X-CSRF-Token": csrf},
    )
    _refused(response, 413, "too large")


async def test_a_route_that_never_reads_its_body_still_reads_an_upload(
    client: Client, session: AsyncSession
) -> None:
    """Item 13: Recall never reads its body. An unread multipart upload was left on the
    connection, and the server dropped it: the tablet's next request got no answer. Every
    chunk of the body must be read before the answer starts."""
    csrf = await sign_in(client, "Mia")
    bar = await station_id(session, "Bar")
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    chunks = [b"--B\r\nContent-Disposition: form-data; ", b'name="f"\r\n\r\n' + b"x" * 70_000]
    chunks.append(b"\r\n--B--\r\n")
    read: list[int] = []
    answered_after: list[int] = []

    async def receive() -> dict[str, Any]:
        read.append(1)
        body = chunks[len(read) - 1] if len(read) <= len(chunks) else b""
        return {"type": "http.request", "body": body, "more_body": len(read) < len(chunks)}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answered_after.append(len(read))
            status.append(message["status"])

    status: list[int] = []
    path = f"/kds/{bar}/recall"
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver.local"),
            (b"content-type", b"multipart/form-data; boundary=B"),
            (b"x-csrf-token", csrf.encode()),
            (b"hx-request", b"true"),
            (b"cookie", cookie.encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver.local", 80),
        "state": {},
    }
    await client.app(scope, receive, send)  # type: ignore[arg-type]
    assert status and status[0] < 500
    assert answered_after == [len(chunks)], "the answer started before the body was read"


async def test_nothing_changed_after_all_that(client: Client, session: AsyncSession) -> None:
    """A hostile request is refused before it opens anything (no stray check left open)."""
    csrf = await sign_in(client, "Mia")
    for guests in ("²", "١٢", HUGE, "9" * 5000, "2\x00"):
        response = await client.post(
            f"/floor/tables/{await table_id(session, '2')}/open",
            data={"guests": guests},
            headers={**HTMX, "X-CSRF-Token": csrf},
        )
        assert 400 <= response.status_code < 500, (guests[:10], response.text[:200])
    assert await _count(session, Check) == 0


async def test_a_card_number_typed_into_a_multipart_note_is_refused(
    client: Client, session: AsyncSession
) -> None:
    """The card-number net (PAY-3) read only plain and JSON forms: the same note sent as a
    multipart form was stored."""
    check, headers = await _seated(client, session)
    response = await client.post(
        f"{check}/lines",
        data={"item_id": str(await item_id(session, "IPA Draft")), "note": "4111 1111 1111 1111"},
        files={"photo": ("receipt.jpg", b"\xff\xd8 not scanned")},
        headers=headers,
    )
    _refused(response, 422, "looks like a card number")
    assert await _count(session, CheckLine) == 0
