"""86 over JSON and over the wire: integrations read and change availability; screens hear it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient, TestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import CSRF, PINS, STAFF_IDS
from tests.demo_ids import item_id
from tests.web.test_api import bearer

Client = AsyncTestClient[Litestar]


def by_name(listing: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {row["name"]: row for row in listing}


async def test_integration_86s_burrata_for_an_hour_and_brings_it_back(
    client: Client, session: AsyncSession
) -> None:
    burrata = await item_id(session, "Burrata")
    lee, maria = await bearer(client, "Lee"), await bearer(client, "Maria")

    off = await client.post(f"/api/v1/menu/items/{burrata}/86", json={"minutes": 60}, headers=lee)
    listing = await client.get("/api/v1/menu/availability", headers=maria)

    assert off.status_code == 200, off.text
    assert off.json()["orderable"] is False and off.json()["why"].startswith("86'd until ")
    until = datetime.fromisoformat(off.json()["until"])
    assert timedelta(minutes=59) < until - datetime.now(UTC) <= timedelta(minutes=60)
    assert by_name(listing.json())["Burrata"]["orderable"] is False
    assert by_name(listing.json())["Calamari"] == {
        "id": await item_id(session, "Calamari"),
        "name": "Calamari",
        "category": "Starters",
        "orderable": True,
        "why": None,
        "left": None,
        "until": None,
    }

    back = await client.post(f"/api/v1/menu/items/{burrata}/back", headers=lee)
    assert back.json()["orderable"] is True and back.json()["until"] is None


async def test_integration_86s_until_an_exact_time_or_with_no_body_at_all(
    client: Client, session: AsyncSession
) -> None:
    oysters = await item_id(session, "Oysters (6)")
    ode = await bearer(client, "Ode")
    at = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)

    timed = await client.post(
        f"/api/v1/menu/items/{oysters}/86", json={"until": at.isoformat()}, headers=ode
    )
    bare = await client.post(f"/api/v1/menu/items/{oysters}/86", headers=ode)

    assert datetime.fromisoformat(timed.json()["until"]) == at
    assert bare.status_code == 200, bare.text
    assert (bare.json()["why"], bare.json()["until"]) == ("86'd", None)


async def test_integration_sets_a_countdown_and_reads_it_back(
    client: Client, session: AsyncSession
) -> None:
    tartare = await item_id(session, "Tuna Tartare")
    ode = await bearer(client, "Ode")

    set_ = await client.post(
        f"/api/v1/menu/items/{tartare}/countdown", json={"count": 4}, headers=ode
    )
    bad = await client.post(
        f"/api/v1/menu/items/{tartare}/countdown", json={"count": -2}, headers=ode
    )

    assert (set_.json()["orderable"], set_.json()["left"]) == (True, 4)
    assert bad.status_code == 422 and "between 0 and 999" in bad.json()["error"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"minutes": 0}, "Pick how long"),
        ({"minutes": 30, "until": "2030-01-01T21:30:00+00:00"}, "either until or minutes"),
        ({"until": "2030-01-01T21:30:00"}, "with its time zone"),
        ({"until": "2020-01-01T21:30:00+00:00"}, "already passed"),
    ],
)
async def test_integration_bad_86_requests_are_refused(
    client: Client, session: AsyncSession, body: dict[str, object], message: str
) -> None:
    ode = await bearer(client, "Ode")
    burrata = await item_id(session, "Burrata")
    answer = await client.post(f"/api/v1/menu/items/{burrata}/86", json=body, headers=ode)
    assert answer.status_code == 422 and message in answer.json()["error"]


async def test_server_reads_availability_but_cannot_86_over_the_api(
    client: Client, session: AsyncSession
) -> None:
    maria = await bearer(client, "Maria")
    burrata = await item_id(session, "Burrata")
    assert (await client.get("/api/v1/menu/availability", headers=maria)).status_code == 200
    refused = await client.post(f"/api/v1/menu/items/{burrata}/86", headers=maria)
    assert refused.status_code == 403
    missing = await client.post(
        "/api/v1/menu/items/999999/back", headers=await bearer(client, "Lee")
    )
    assert missing.status_code == 404


# --- live: the websocket feed of the board --------------------------------------------------


@pytest.fixture
def client_(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app) as client:
        yield client


def test_second_kitchen_screen_sees_an_86_without_reloading(client_: TestClient[Litestar]) -> None:
    token = CSRF.search(client_.get("/login").text)
    assert token
    client_.post(
        "/login",
        data={"staff_id": str(STAFF_IDS["Ode"]), "pin": PINS["Ode"]},
        headers={"X-CSRF-Token": token.group(1), "HX-Request": "true"},
    )
    board = client_.get("/menu/86").text
    csrf = CSRF.search(board)
    burrata = re.search(r'id="avail-(\d+)"[^>]*data-item="Burrata"', board)
    assert csrf and burrata
    with client_.websocket_connect("/menu/86/feed") as feed:
        client_.post(
            f"/menu/86/items/{burrata.group(1)}/86",
            data={"minutes": "30"},
            headers={"X-CSRF-Token": csrf.group(1), "HX-Request": "true"},
        )
        pushed = feed.receive_text()
    assert re.search(rf'<article id="avail-{burrata.group(1)}"[^>]*hx-swap-oob="outerHTML"', pushed)
    assert "86&#39;d until" in pushed or "86'd until" in pushed
