"""Several server processes on one database: a setting saved through one applies on the
others from their very next request (docs/back-office.md).

Two real ``brigade serve`` processes share a fresh demo database, with ``memory`` channels:
the location is followed through the database (each request compares the location row's
stamp, app/platform/location_stamp.py), so no Redis is needed and none is used. No test
waits or retries: the request right after the save's answer must already see it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from app.billing.terminal import NO_TERMINAL
from tests.conftest import API_KEY, api_sign_in_body
from tests.integration.test_multiprocess_kds import (
    Floor,
    Server,
    _demo_ids,
    kitchen_cookie,
    serving,
)
from tests.web.test_training_mode import RIBBON


@pytest.fixture
def two_servers(db_url: str) -> Iterator[tuple[Server, Server]]:
    with serving(db_url, "memory") as a, serving(db_url, "memory") as b:
        yield a, b


async def _bearer(client: httpx.AsyncClient, name: str) -> dict[str, str]:
    answer = await client.post("/api/v1/sessions", json=api_sign_in_body(name), headers=API_KEY)
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


async def test_training_mode_switched_off_through_one_process_is_off_on_the_other_at_once(
    two_servers: tuple[Server, Server], db_url: str
) -> None:
    a, b = two_servers
    table_id, item_id, _ = await _demo_ids(db_url)
    async with (
        httpx.AsyncClient(base_url=a.url, timeout=10) as office_a,
        httpx.AsyncClient(base_url=b.url, timeout=10) as tablet_b,
        httpx.AsyncClient(base_url=b.url, timeout=10) as api_b,
    ):
        await kitchen_cookie(tablet_b, "Maria")  # Maria's tablet, signed in on B
        assert RIBBON in (await tablet_b.get("/floor")).text
        floor = await Floor.signed_in(api_b)
        check = await floor.open(table_id)
        await floor.fire(check, item_id, "mp-settings")
        mia_a = await _bearer(office_a, "Mia")

        off = await office_a.patch("/api/v1/settings", json={"training_mode": False}, headers=mia_a)
        assert off.status_code == 200 and off.json()["changed"] == ["training_mode"]

        # B's very next requests: no ribbon, and no card goes to B's simulator.
        assert RIBBON not in (await tablet_b.get("/floor")).text
        view = (await api_b.get(f"/api/v1/checks/{check}")).json()
        card = await api_b.post(
            f"/api/v1/checks/{check}/payments/card",
            json={"amount": view["balance"], "version": view["version"], "tip": 0},
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        assert card.status_code == 403 and card.json()["error"] == NO_TERMINAL, card.text

        # And back, the other way round: saved through B, on at once on A.
        mia_b = await _bearer(api_b, "Mia")
        on = await api_b.patch("/api/v1/settings", json={"training_mode": True}, headers=mia_b)
        assert on.json()["changed"] == ["training_mode"]
        assert RIBBON in (await office_a.get("/login")).text
    logs = a.log() + b.log()
    assert "Traceback" not in logs, logs[-3000:]
