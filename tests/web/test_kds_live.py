"""Kitchen screens over real websockets (sync TestClient): acknowledgements, pending lines,
recall, food ready on the floor, and the JSON feed that replays after a sequence number."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import TestClient
from sqlalchemy import select

from app.orders import firing
from kds.live import POLL_S, run_command
from kds.models import Ticket
from tests.conftest import API_KEY, api_sign_in_body
from tests.demo_ids import station_id
from tests.integration.test_many_hands import kitchen
from tests.web.test_kds_station import MARIA, send_order
from tests.web.test_live_screens import Device


@pytest.fixture
def client_(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app) as client:
        yield client


class Kitchen:
    """Runs the dining room's commands on the app's own event loop, as a tablet would:
    committed, then announced on the app's channels."""

    def __init__(self, client: TestClient[Litestar], sessionmaker_: Any) -> None:
        self.portal = client.blocking_portal
        self.sessionmaker = sessionmaker_
        app = client.app

        async def announced(command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            return await run_command(app, lambda uow: command(uow, *args, **kwargs))

        self.uow = announced

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        async def run() -> Any:
            async with self.sessionmaker() as session:
                return await fn(session, *args)

        return self.portal.call(run)

    def order(self, table: str, items: list[str]) -> int:
        return int(self.call(lambda s: send_order(self.uow, s, table, items)))

    def station(self, name: str) -> int:
        return int(self.call(station_id, name))

    def tickets(self, check: int) -> list[Ticket]:
        async def rows(session: Any) -> list[Ticket]:
            return list(
                (await session.scalars(select(Ticket).where(Ticket.check_id == check))).all()
            )

        return list(self.call(rows))

    def tickets_at(self, station: int) -> list[Ticket]:
        async def rows(session: Any) -> list[Ticket]:
            query = select(Ticket).where(Ticket.station_id == station)
            return list((await session.scalars(query)).all())

        return list(self.call(rows))


@pytest.fixture
def line(client_: TestClient[Litestar], sessionmaker_: Any) -> Kitchen:
    return Kitchen(client_, sessionmaker_)


def wait_until(check: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_screen_acknowledges_what_it_rendered_and_the_first_time_counts(
    client_: TestClient[Litestar], line: Kitchen
) -> None:
    ode = Device(client_, "Ode")
    grill = line.station("Grill")
    with ode.use().websocket_connect(f"/kds/{grill}/feed") as screen:
        screen.receive_text()  # snapshot
        check = line.order("5", ["Salmon"])
        push = screen.receive_text()
        seq = int(re.search(r'data-seq="(\d+)"', push).group(1))  # type: ignore[union-attr]
        (ticket,) = line.tickets(check)
        assert ticket.acknowledged_at is None
        screen.send_text(json.dumps({"ack": [seq]}))
        wait_until(lambda: line.tickets(check)[0].acknowledged_at is not None)
        first = line.tickets(check)[0].acknowledged_at
        screen.send_text(json.dumps({"ack": [seq, "x", -1]}))
        screen.send_text("not json at all")  # a bump bar's noise is ignored, not fatal
        time.sleep(0.3)
        assert line.tickets(check)[0].acknowledged_at == first


def test_held_mains_show_as_pending_until_the_server_fires_them(
    client_: TestClient[Litestar], line: Kitchen
) -> None:
    ode = Device(client_, "Ode")
    grill = line.station("Grill")
    with ode.use().websocket_connect(f"/kds/{grill}/feed") as screen:
        assert "Nothing held for later." in screen.receive_text()
        check = line.order("7", ["Burrata", "Salmon"])  # starters go, mains wait
        push = screen.receive_text()
        while 'id="pending"' not in push:
            push = screen.receive_text()
        assert "Table 7 · Mains" in push and "Salmon" in push
        assert 'id="ticket-' not in push

        line.portal.call(line.uow, firing.fire_course, check, "mains", MARIA, kitchen())
        fired = screen.receive_text()
        while "beforeend" not in fired:
            fired = screen.receive_text()
        assert "Salmon" in fired
        cleared = fired if 'id="pending"' in fired else screen.receive_text()
        assert "Nothing held for later." in cleared


def test_recalled_ticket_returns_to_every_screen_in_ticket_order(
    client_: TestClient[Litestar], line: Kitchen
) -> None:
    ode = Device(client_, "Ode")
    pastry = line.station("Pastry")
    first, second = (line.tickets(line.order(t, ["Tiramisu"]))[0] for t in ("3", "4"))
    headers = ode.csrf(f"/kds/{pastry}")
    for ticket in (first, second):
        ode.use().post(f"/kds/{pastry}/tickets/{ticket.id}/bump", headers=headers)
    with ode.use().websocket_connect(f"/kds/{pastry}/feed") as screen:
        assert "ticket-" not in screen.receive_text().split('id="all-day"')[0]
        ode.use().post(f"/kds/{pastry}/tickets/{second.id}/recall", headers=headers)
        assert f'id="ticket-{second.id}"' in screen.receive_text()
        ode.use().post(f"/kds/{pastry}/recall", headers=headers)
        redrawn = screen.receive_text()
        assert 'id="tickets" class="tickets" hx-swap-oob="innerHTML"' in redrawn
        assert redrawn.index(f'id="ticket-{first.id}"') < redrawn.index(f'id="ticket-{second.id}"')


def test_food_ready_at_expo_reaches_the_floor_plan_and_expo(
    client_: TestClient[Litestar], line: Kitchen
) -> None:
    ode, maria = Device(client_, "Ode"), Device(client_, "Maria")
    check = line.order("5", ["Burrata"])
    with (
        ode.use().websocket_connect("/kds/expo/feed") as expo,
        maria.use().websocket_connect("/ws/floor") as floor,
    ):
        assert f'id="expo-check-{check}-' in expo.receive_text()
        answer = ode.use().post(f"/kds/expo/checks/{check}/ready", headers=ode.csrf("/kds/expo"))
        assert answer.status_code == 200
        assert f'id="expo-check-{check}-' not in expo.receive_text()
        assert 'id="table-' in floor.receive_text()


def test_feed_of_an_unknown_station_is_refused(client_: TestClient[Litestar]) -> None:
    ode = Device(client_, "Ode")
    for path in ("/kds/98765/feed", "/api/v1/kds/98765/feed"):
        with pytest.raises(WebSocketDisconnect) as refused, ode.use().websocket_connect(path) as s:
            s.receive_text()
        assert refused.value.code == 4404, path


def test_json_feed_replays_after_the_last_number_then_sends_live_ones(
    client_: TestClient[Litestar], line: Kitchen
) -> None:
    bar = line.station("Bar")
    for table in ("1", "2", "3"):
        line.order(table, ["Lemonade"])
    client_.cookies.clear()
    made = client_.post("/api/v1/sessions", json=api_sign_in_body("Ode"), headers=API_KEY)
    bearer = {"Authorization": f"Bearer {made.json()['token']}"}
    with client_.websocket_connect(f"/api/v1/kds/{bar}/feed?after=1", headers=bearer) as feed:
        replayed = [json.loads(feed.receive_text()) for _ in range(2)]
        assert [t["seq"] for t in replayed] == [2, 3]
        assert replayed[0]["items"][0]["name"] == "Lemonade"
        assert replayed[0]["table_name"] == "2" and replayed[0]["kind"] == "fire"
        line.order("4", ["Lemonade"])
        assert json.loads(feed.receive_text())["seq"] == 4
        feed.send_text(json.dumps({"ack": [2, 3, 4]}))
        wait_until(lambda: all(t.acknowledged_at for t in line.tickets_at(bar) if t.seq > 1))


def test_json_feed_takes_the_screens_session_cookie_but_no_stranger(
    client_: TestClient[Litestar], line: Kitchen
) -> None:
    bar = line.station("Bar")
    line.order("1", ["Lemonade"])
    ode = Device(client_, "Ode")
    with ode.use().websocket_connect(f"/api/v1/kds/{bar}/feed") as feed:
        assert json.loads(feed.receive_text())["seq"] == 1
    client_.cookies.clear()
    with (
        pytest.raises(WebSocketDisconnect),
        client_.websocket_connect(f"/api/v1/kds/{bar}/feed") as s,
    ):
        s.receive_text()
    maria = Device(client_, "Maria")
    with (
        pytest.raises(WebSocketDisconnect),
        maria.use().websocket_connect(f"/api/v1/kds/{bar}/feed") as s,
    ):
        s.receive_text()


def test_screen_catches_up_on_a_ticket_whose_announcement_was_lost(
    client_: TestClient[Litestar], line: Kitchen, uow_factory: Any
) -> None:
    """The announcement never comes (uow_factory announces nothing): the screen's own
    re-check against the database still brings the ticket within a poll."""
    ode = Device(client_, "Ode")
    grill = line.station("Grill")
    with ode.use().websocket_connect(f"/kds/{grill}/feed") as screen:
        screen.receive_text()
        check = line.call(lambda s: send_order(uow_factory, s, "9", ["Salmon"]))
        started = time.monotonic()
        push = screen.receive_text(timeout=POLL_S * 3)
        (ticket,) = line.tickets(check)
        assert f'id="ticket-{ticket.id}"' in push and "Salmon" in push
        assert time.monotonic() - started <= POLL_S * 2


def test_a_routing_change_moves_held_lines_between_screens_pending_panels(
    client_: TestClient[Litestar], line: Kitchen
) -> None:
    """Each station's feed keeps the routing map: a routing change must reach it at once."""
    from app.menu.models import MenuItem
    from kds import stations

    ode = Device(client_, "Ode")
    grill, cold = line.station("Grill"), line.station("Cold")
    salmon = int(
        line.call(lambda s: s.scalar(select(MenuItem.id).where(MenuItem.name == "Salmon")))
    )
    location = client_.app.state.location.id
    with ode.use().websocket_connect(f"/kds/{grill}/feed") as screen:
        screen.receive_text()
        line.order("7", ["Burrata", "Salmon"])  # the mains (Salmon) are held
        push = screen.receive_text()
        while 'id="pending"' not in push:
            push = screen.receive_text()
        assert "Salmon" in push
        line.portal.call(line.uow, stations.route_item, location, salmon, [cold], MARIA)
        moved = screen.receive_text(timeout=POLL_S / 2)  # sooner than the periodic re-check
        while 'id="pending"' not in moved:
            moved = screen.receive_text(timeout=POLL_S / 2)
        assert "Nothing held for later." in moved
