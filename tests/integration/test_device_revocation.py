"""A revoked device is cut off at once: its kitchen screen feed and its print agent socket are
closed (4401) the moment the revocation commits, not at its next request; other devices'
sockets stay open. Sync TestClient, real websockets through the app.

"At once" means well under both re-checks a socket would otherwise wait for: the kitchen
feed's database poll (``kds.live.POLL_S``) and the revocation sweep (``SWEEP_S``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from queue import Empty
from typing import Any

import pytest
from litestar import Litestar
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.demo import KITCHEN_DEVICE_TOKEN
from app.platform import device_sockets
from app.platform.auth import token_digest
from app.platform.models import Device, Location
from kds.live import POLL_S
from tests.conftest import API_KEY, api_sign_in_body
from tests.demo_ids import station_id
from tests.web.test_print_agent_socket import jobs_until_quiet

AT_ONCE_S = min(2.0, POLL_S / 2, device_sockets.SWEEP_S / 2)
AGENT = "office-pc-agent-token"
SHOWN = re.compile(r"data-pairing-code>([2-9A-Z-]{9})<")
CSRF = re.compile(r'"X-CSRF-Token": "([0-9a-f]*)"')


@pytest.fixture
def client_(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
async def office_pc(session: AsyncSession) -> int:
    """A print agent issued on the console (``brigade print-agent add``)."""
    location = await session.scalar(select(Location.id))
    device = Device(
        location_id=location, name="Office PC", kind="agent", token_hash=token_digest(AGENT)
    )
    session.add(device)
    await session.commit()
    return int(device.id)


def manager(client: TestClient[Litestar]) -> dict[str, str]:
    made = client.post("/api/v1/sessions", json=api_sign_in_body("Mia"), headers=API_KEY)
    assert made.status_code == 201, made.text
    return {"Authorization": f"Bearer {made.json()['token']}"}


def pair_screen_with_a_code(client: TestClient[Litestar], mia: dict[str, str], grill: int) -> int:
    """The wall screen shows a code, Mia's script types it, the screen signs in."""
    csrf = CSRF.search(client.get("/pair").text)
    assert csrf
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf.group(1)}
    code = SHOWN.search(client.post("/pair/code", headers=headers).text)
    assert code
    body = {"code": code.group(1), "name": "Grill screen", "kind": "kds", "station_id": grill}
    made = client.post("/api/v1/devices", json=body, headers=mia)
    assert made.status_code == 201, made.text
    assert client.post("/pair/wait", headers=headers).status_code == 204
    return int(made.json()["id"])


def closed_within(socket: Any, seconds: float) -> int:
    """The close code the server sends within ``seconds`` (messages before it are skipped)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.receive(timeout=max(0.05, deadline - time.monotonic()))
        except WebSocketDisconnect as closed:
            return int(closed.code)
        except Empty:  # nothing yet
            continue
    raise AssertionError(f"still open after {seconds:.1f}s")


def still_open(socket: Any) -> bool:
    try:
        socket.receive(timeout=0.3)
    except WebSocketDisconnect:
        return False
    except Empty:
        return True
    return True


def test_a_revoked_kitchen_screen_is_cut_off_at_once_and_the_print_agent_keeps_printing(
    client_: TestClient[Litestar], sessionmaker_: Any, office_pc: int
) -> None:
    grill = client_.blocking_portal.call(_station, sessionmaker_, "Grill")
    mia = manager(client_)
    screen_id = pair_screen_with_a_code(client_, mia, grill)
    agent_headers = {"Authorization": f"Bearer {AGENT}"}
    with (
        client_.websocket_connect(f"/kds/{grill}/feed") as screen,
        client_.websocket_connect("/api/v1/print-agent", headers=agent_headers) as agent,
    ):
        assert 'id="tickets"' in screen.receive_text(timeout=5)  # the board
        jobs_until_quiet(agent)
        started = time.monotonic()
        revoked = client_.post(f"/api/v1/devices/{screen_id}/revoke", headers=mia)
        assert revoked.status_code == 200, revoked.text
        assert closed_within(screen, AT_ONCE_S) == 4401
        assert time.monotonic() - started < AT_ONCE_S
        assert still_open(agent), "another device's socket must not be touched"
    # And it cannot come back: the screen's cookie names a revoked session.
    assert client_.get("/kds", follow_redirects=False).headers["location"] == "/login"


def test_a_revoked_print_agent_socket_is_closed_at_once_and_it_cannot_reconnect(
    client_: TestClient[Litestar], office_pc: int
) -> None:
    mia = manager(client_)
    headers = {"Authorization": f"Bearer {AGENT}"}
    with client_.websocket_connect("/api/v1/print-agent", headers=headers) as agent:
        jobs_until_quiet(agent)
        assert client_.post(f"/api/v1/devices/{office_pc}/revoke", headers=mia).status_code == 200
        assert closed_within(agent, AT_ONCE_S) == 4401
    with (
        pytest.raises(WebSocketDisconnect),
        client_.websocket_connect("/api/v1/print-agent", headers=headers) as again,
    ):
        again.receive_json(timeout=3)


def test_a_device_revoked_without_an_announcement_is_cut_off_by_the_sweep(
    client_: TestClient[Litestar], sessionmaker_: Any, office_pc: int
) -> None:
    """A lost announcement (a Redis blip, another process's) delays the cut, never loses it."""
    headers = {"Authorization": f"Bearer {AGENT}"}
    with client_.websocket_connect("/api/v1/print-agent", headers=headers) as agent:
        jobs_until_quiet(agent)

        async def revoke_behind_the_channels_back() -> None:
            async with sessionmaker_() as session:
                await session.execute(
                    update(Device).where(Device.id == office_pc).values(revoked_at=func.now())
                )
                await session.commit()
            await device_sockets.sweep(client_.app)

        client_.blocking_portal.call(revoke_behind_the_channels_back)
        assert closed_within(agent, AT_ONCE_S) == 4401


def test_the_demo_screen_still_signs_in_with_its_token_and_gets_its_feed(
    client_: TestClient[Litestar], sessionmaker_: Any
) -> None:
    grill = client_.blocking_portal.call(_station, sessionmaker_, "Grill")
    csrf = CSRF.search(client_.get("/pair").text)
    assert csrf
    paired = client_.post(
        "/pair",
        data={"token": KITCHEN_DEVICE_TOKEN, "_csrf": csrf.group(1)},
        follow_redirects=False,
    )
    assert paired.status_code == 303 and paired.headers["location"] == "/kds"
    with client_.websocket_connect(f"/kds/{grill}/feed") as screen:
        assert 'id="tickets"' in screen.receive_text(timeout=5)


async def _station(sessionmaker_: Any, name: str) -> int:
    async with sessionmaker_() as session:
        return await station_id(session, name)
