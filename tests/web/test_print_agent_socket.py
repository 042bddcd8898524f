"""The print agent's websocket, spoken by hand: who may connect, what is sent, what an ack does.

Sync TestClient (it runs the app's websockets properly).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from queue import Empty
from typing import Any

import pytest
from litestar import Litestar
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import TestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.auth import token_digest
from app.platform.models import Device, Location
from printers.decode import text_lines
from printers.models import Printer
from tests.conftest import API_KEY, PINS, STAFF_IDS
from tests.integration.test_print_queue import send
from tests.web.test_security import sync_sign_in

AGENT = "bar-back-office-agent-token"
PATH = "/api/v1/print-agent"


@pytest.fixture
async def grill_on_agent(uow_factory, session: AsyncSession) -> list[str]:
    """The Grill printer is reached through an agent; two grill tickets and a drink wait."""
    location = await session.scalar(select(Location.id))
    assert location is not None
    device = Device(
        location_id=location, name="Office PC", kind="agent", token_hash=token_digest(AGENT)
    )
    session.add(device)
    await session.flush()
    await session.execute(
        update(Printer)
        .where(Printer.name == "Grill")
        .values(kind="agent", agent_device_id=device.id, address="192.168.1.50:9100")
    )
    await session.commit()
    check = await send(uow_factory, session, "3", "Roast Chicken", "Lemonade")
    await send(uow_factory, session, "3", "Salmon", check=check)
    return ["1x Roast Chicken", "1x Salmon"]


@pytest.fixture
def client_(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app) as client:
        yield client


def connect(client: TestClient[Litestar], token: str) -> Any:
    return client.websocket_connect(PATH, headers={"Authorization": f"Bearer {token}"})


def jobs_until_quiet(socket: Any) -> list[dict[str, Any]]:
    received = []
    while True:
        try:
            received.append(socket.receive_json(timeout=1.5))
        except Empty:
            return received


def test_agent_gets_only_its_printers_jobs_and_an_acked_job_is_never_sent_again(
    client_: TestClient[Litestar], grill_on_agent: list[str]
) -> None:
    with connect(client_, AGENT) as agent:
        jobs = jobs_until_quiet(agent)
        assert [j["printer"] for j in jobs] == ["Grill", "Grill"]  # not the Bar's Lemonade
        assert {j["address"] for j in jobs} == {"192.168.1.50:9100"}
        papers = [text_lines(base64.b64decode(j["payload"])) for j in jobs]
        assert [grill_on_agent[i] in paper for i, paper in enumerate(papers)] == [True, True]
        agent.send_json({"type": "ack", "id": jobs[0]["id"]})
        assert jobs_until_quiet(agent) == []  # and nothing is sent twice on one connection

    # Reconnecting: the unacknowledged Salmon comes again; the acknowledged chicken never.
    with connect(client_, AGENT) as agent:
        again = jobs_until_quiet(agent)
        assert [j["id"] for j in again] == [jobs[1]["id"]]
        agent.send_json({"type": "ack", "id": jobs[1]["id"]})
        jobs_until_quiet(agent)
    with connect(client_, AGENT) as agent:
        assert jobs_until_quiet(agent) == []


def test_a_failure_reported_by_the_agent_is_retried_after_the_backoff(
    client_: TestClient[Litestar], grill_on_agent: list[str]
) -> None:
    with connect(client_, AGENT) as agent:
        first, _ = jobs_until_quiet(agent)
        agent.send_json({"type": "fail", "id": first["id"], "reason": "out of paper"})
        retried = agent.receive_json(timeout=6)  # 2 s backoff, then sent again
        assert retried["id"] == first["id"]


def refused(client: TestClient[Litestar], **headers: str) -> None:
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect(PATH, headers=headers) as socket,
    ):
        socket.receive_json(timeout=3)


def test_only_an_agent_token_opens_the_agent_socket(
    client_: TestClient[Litestar], grill_on_agent: list[str]
) -> None:
    refused(client_)  # no token
    refused(client_, authorization="Bearer not-a-token")
    refused(client_, authorization="Bearer demo-kitchen-screen-token")  # a KDS, not an agent
    made = client_.post(
        "/api/v1/sessions",
        json={"staff_id": STAFF_IDS["Ode"], "pin": PINS["Ode"], "device": "kitchen-tablet"},
        headers=API_KEY,
    )
    assert made.status_code == 201
    refused(client_, authorization=f"Bearer {made.json()['token']}")  # kitchen staff
    refused(client_, authorization=f"Bearer {AGENT}", origin="http://evil.example")


def test_an_agent_cannot_settle_jobs_it_was_not_sent(
    client_: TestClient[Litestar], grill_on_agent: list[str]
) -> None:
    with connect(client_, AGENT) as agent:
        ids = [j["id"] for j in jobs_until_quiet(agent)]
        bars = next(i for i in range(min(ids), max(ids)) if i not in ids)  # the Lemonade's
        agent.send_json({"type": "ack", "id": bars})
        agent.send_json({"type": "ack", "id": "1; DROP TABLE print_job"})
    with connect(client_, AGENT) as agent:
        assert len(jobs_until_quiet(agent)) == 2  # still unacknowledged, still sent

    sync_sign_in(client_, "Ode")
    page = client_.get("/printers").text
    row = re.search(
        r"Bar ticket 1 · Table 3</td>\s*<td>ticket</td>\s*<td>Bar printer</td>\s*<td>(\w+)", page
    )
    assert row and row.group(1) == "queued"  # the Bar's own printer still has it to print
