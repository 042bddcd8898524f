"""Live screens over real websockets: a sent order appears on the station, a bump removes it,
and the floor plan follows the table. Sync TestClient: it runs the app's websockets properly."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import CSRF, PINS, STAFF_IDS


class Device:
    """One browser on one TestClient: its own cookies, swapped in before each use."""

    def __init__(self, client: TestClient[Litestar], name: str) -> None:
        self.client = client
        client.cookies.clear()
        token = CSRF.search(client.get("/login").text)
        assert token
        answer = client.post(
            "/login",
            data={"staff_id": str(STAFF_IDS[name]), "pin": PINS[name]},
            headers={"X-CSRF-Token": token.group(1), "HX-Request": "true"},
        )
        assert answer.status_code == 204
        self.cookies = dict(client.cookies)
        self.home = answer.headers["hx-redirect"]

    def use(self) -> TestClient[Litestar]:
        self.client.cookies.clear()
        for key, value in self.cookies.items():
            self.client.cookies.set(key, value)
        return self.client

    def csrf(self, path: str) -> dict[str, str]:
        match = CSRF.search(self.use().get(path).text)
        assert match
        return {"HX-Request": "true", "X-CSRF-Token": match.group(1)}


@pytest.fixture
def client_(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app) as client:
        yield client


def _ids(client: TestClient[Litestar], path: str, pattern: str) -> dict[str, int]:
    return {name: int(i) for i, name in re.findall(pattern, client.get(path).text)}


def test_sent_order_appears_live_on_its_station_and_leaves_when_bumped(
    client_: TestClient[Litestar],
) -> None:
    maria, ode = Device(client_, "Maria"), Device(client_, "Ode")
    stations = _ids(ode.use(), "/kds", r'href="/kds/(\d+)">(\w+)<')
    tables = _ids(maria.use(), "/floor", r'id="table-(\d+)"[\s\S]*?<span class="t-name">([^<]+)<')
    with (
        ode.use().websocket_connect(f"/kds/{stations['Grill']}/feed") as grill,
        ode.use().websocket_connect(f"/kds/{stations['Bar']}/feed") as bar,
        maria.use().websocket_connect("/ws/floor") as floor,
    ):
        assert 'id="tickets"' in grill.receive_text()  # snapshot: no open tickets yet
        assert 'id="tickets"' in bar.receive_text()
        headers = maria.csrf("/floor")
        tablet = maria.use()
        opened = tablet.post(
            f"/floor/tables/{tables['5']}/open", data={"guests": "2"}, headers=headers
        )
        check = opened.headers["hx-redirect"]
        assert f'id="table-{tables["5"]}"' in floor.receive_text()
        menu = tablet.get(check).text
        burger = re.search(r'/items/(\d+)"[^>]*>\s*<span class="item-name">Brigade Burger', menu)
        lager = re.search(r'"item_id": (\d+)[^>]*>\s*<span class="item-name">Lager Draft', menu)
        assert burger and lager
        choose = tablet.get(f"{check}/items/{burger.group(1)}").text
        medium = re.search(r'name="(option-\d+)" value="(\d+)">\s*<span>Medium<', choose)
        assert medium
        tablet.post(
            f"{check}/lines",
            data={
                "item_id": burger.group(1),
                medium.group(1): medium.group(2),
                "note": "allergic to sesame",
                "seat": "2",
            },
            headers=headers,
        )
        tablet.post(f"{check}/lines", data={"item_id": lager.group(1)}, headers=headers)
        tablet.post(f"{check}/send", headers=headers)

        grill_push = grill.receive_text()
        assert 'hx-swap-oob="beforeend"' in grill_push
        assert (
            "Brigade Burger" in grill_push
            and "Medium" in grill_push
            and "allergic to sesame" in grill_push
        )
        assert "Lager Draft" not in grill_push
        bar_push = bar.receive_text()
        assert "Lager Draft" in bar_push and "Brigade Burger" not in bar_push

        ticket = re.search(r'id="ticket-(\d+)"', grill_push)
        assert ticket
        kds_headers = ode.csrf(f"/kds/{stations['Grill']}")
        bumped = ode.use().post(
            f"/kds/{stations['Grill']}/tickets/{ticket.group(1)}/bump", headers=kds_headers
        )
        assert bumped.status_code == 200
        assert f'<div id="ticket-{ticket.group(1)}" hx-swap-oob="delete">' in grill.receive_text()

    # A screen that reconnects gets the open tickets again, and never the bumped one.
    with ode.use().websocket_connect(f"/kds/{stations['Grill']}/feed") as grill_again:
        assert "Brigade Burger" not in grill_again.receive_text()
    with ode.use().websocket_connect(f"/kds/{stations['Bar']}/feed") as bar_again:
        assert "Lager Draft" in bar_again.receive_text()


def test_websocket_without_a_session_is_refused(client_: TestClient[Litestar]) -> None:
    from litestar.exceptions import WebSocketDisconnect

    anonymous = client_
    with pytest.raises(WebSocketDisconnect), anonymous.websocket_connect("/ws/floor") as socket:
        socket.receive_text()
