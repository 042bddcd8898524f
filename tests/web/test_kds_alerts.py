"""KDS-2: a ticket nobody acknowledges in time raises an alert on expo and on the floor."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kds.alerts import raise_overdue
from kds.models import Station, Ticket
from tests.demo_ids import station_id
from tests.web.test_kds_live import Kitchen
from tests.web.test_kds_station import send_order
from tests.web.test_live_screens import Device

ALERT = "Grill has not seen ticket #1 (table 5)"


@pytest.fixture
def client_(app: Litestar) -> Iterator[TestClient[Litestar]]:
    app.state.kds_alert_every_s = 0.2  # look often: the test waits seconds, not minutes
    with TestClient(app) as client:
        yield client


def grill_acks_within(line: Kitchen, seconds: int) -> int:
    async def change(session: AsyncSession) -> int:
        grill = await station_id(session, "Grill")
        await session.execute(
            update(Station).where(Station.id == grill).values(ack_within_s=seconds)
        )
        await session.commit()
        return grill

    return int(line.call(change))


async def floor_alerts(app: Litestar, seconds: float) -> list[str]:
    """Every alert published on the floor channel within ``seconds``."""
    found: list[str] = []

    async def listen() -> None:
        async with app.state.channels.start_subscription(["floor"]) as subscriber:
            async for raw in subscriber.iter_events():
                message = json.loads(raw)
                if "alert" in message:
                    found.append(message["alert"])

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(listen(), seconds)
    return found


def test_ticket_no_screen_acknowledges_raises_one_alert_on_expo_and_the_floor(
    client_: TestClient[Litestar], sessionmaker_: Any
) -> None:
    line = Kitchen(client_, sessionmaker_)
    grill = grill_acks_within(line, 1)
    ode = Device(client_, "Ode")
    floor = client_.blocking_portal.start_task_soon(floor_alerts, client_.app, 4.0)
    with (
        ode.use().websocket_connect(f"/kds/{grill}/feed") as deaf_screen,  # renders, never acks
        ode.use().websocket_connect("/kds/expo/feed") as expo,
    ):
        deaf_screen.receive_text()
        assert ALERT not in expo.receive_text()
        check = line.order("5", ["Salmon"])
        assert "Salmon" in deaf_screen.receive_text()
        pushed = expo.receive_text()
        while ALERT not in pushed:
            pushed = expo.receive_text()
        assert 'class="alert-row"' in pushed

        assert floor.result(timeout=10) == [ALERT]  # once, though the watcher kept looking
        (ticket,) = line.tickets(check)
        assert ticket.alerted_at is not None and ticket.acknowledged_at is None

        # The screen comes back and shows it: the banner clears on expo.
        deaf_screen.send_text(json.dumps({"ack": [ticket.seq]}))
        cleared = expo.receive_text()
        while "expo-alerts" not in cleared:
            cleared = expo.receive_text()
        assert ALERT not in cleared


def test_ticket_shown_in_time_raises_no_alert(
    client_: TestClient[Litestar], sessionmaker_: Any
) -> None:
    line = Kitchen(client_, sessionmaker_)
    grill = grill_acks_within(line, 1)
    ode = Device(client_, "Ode")
    floor = client_.blocking_portal.start_task_soon(floor_alerts, client_.app, 2.5)
    with ode.use().websocket_connect(f"/kds/{grill}/feed") as screen:
        screen.receive_text()
        check = line.order("5", ["Salmon"])
        seq = re.search(r'data-seq="(\d+)"', screen.receive_text())
        assert seq
        screen.send_text(json.dumps({"ack": [int(seq.group(1))]}))
        assert floor.result(timeout=10) == []
    (ticket,) = line.tickets(check)
    assert ticket.acknowledged_at is not None and ticket.alerted_at is None


async def test_station_with_no_screen_to_acknowledge_never_alerts(
    session: AsyncSession, uow_factory: Any
) -> None:
    """ack_within_s = 0: a printer-only station (its paper is its acknowledgement)."""
    await session.execute(update(Station).values(ack_within_s=0))
    await session.execute(update(Station).where(Station.name == "Cold").values(ack_within_s=1))
    await session.commit()
    await send_order(uow_factory, session, "5", ["Salmon", "Burrata", "Lemonade"])
    await asyncio.sleep(1.2)

    alerts = await uow_factory(raise_overdue)
    assert await uow_factory(raise_overdue) == []  # one alert per ticket, not one per look

    assert alerts == ["Cold has not seen ticket #1 (table 5)"]
    alerted = await session.scalars(select(Ticket.station_id).where(Ticket.alerted_at.is_not(None)))
    assert alerted.all() == [await station_id(session, "Cold")]
