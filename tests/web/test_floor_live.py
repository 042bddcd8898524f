"""Every tablet's plan follows the floor live: sections, new and removed tables, moves.

Sync TestClient over real websockets (see test_live_screens.py for why).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.web.test_live_screens import Device

DINING, PATIO = 1, 2


@pytest.fixture
def client_(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app) as client:
        yield client


def tables(device: Device, floor: int = DINING) -> dict[str, int]:
    page = device.use().get(f"/floor?floor={floor}").text
    pattern = r'id="table-(\d+)"[\s\S]*?<span class="t-name">([^<]+)<'
    return {name: int(i) for i, name in re.findall(pattern, page)}


def test_manager_gives_maria_a_table_and_her_tablet_shows_it_without_reload(
    client_: TestClient[Litestar],
) -> None:
    maria, mia = Device(client_, "Maria"), Device(client_, "Mia")
    three = tables(maria)["3"]
    with maria.use().websocket_connect(f"/ws/floor?floor={DINING}&mine=1") as floor:
        headers = mia.csrf("/floor/sections")
        tapped = mia.use().post(
            f"/floor/tables/{three}/section", data={"server": "1", "picked": "1"}, headers=headers
        )
        assert tapped.status_code == 200
        push = floor.receive_text()
    assert push.startswith(f'<a id="table-{three}" hx-swap-oob="outerHTML"')
    assert "srv ring srv-1" in push and ">Ma<" in push
    assert " dimmed" not in push  # hers now, so her "my tables" view lights it up


def test_a_table_outside_my_section_arrives_dimmed_on_my_tables_view(
    client_: TestClient[Litestar],
) -> None:
    maria, mia = Device(client_, "Maria"), Device(client_, "Mia")
    three = tables(maria)["3"]
    with maria.use().websocket_connect(f"/ws/floor?floor={DINING}&mine=1") as floor:
        headers = mia.csrf("/floor/sections")
        mia.use().post(
            f"/floor/tables/{three}/section", data={"server": "2", "picked": "2"}, headers=headers
        )
        push = floor.receive_text()
    assert f'id="table-{three}"' in push and " dimmed" in push


def test_added_table_appears_and_removed_table_disappears_on_every_tablet(
    client_: TestClient[Litestar],
) -> None:
    sam, mia = Device(client_, "Sam"), Device(client_, "Mia")
    with sam.use().websocket_connect(f"/ws/floor?floor={DINING}") as floor:
        headers = mia.csrf("/floor/layout")
        added = mia.use().post(
            "/floor/layout/tables",
            data={"floor": str(DINING), "name": "14", "shape": "round", "seats": "4"},
            headers=headers,
        )
        new_id = re.search(r"/floor/tables/(\d+)/details", added.text)  # the new table's panel
        assert new_id
        with_it = floor.receive_text()
        assert with_it.startswith('<div id="floor-plan" class="floor-plan" hx-swap-oob="outerHTML"')
        assert f'id="table-{new_id.group(1)}"' in with_it
        assert with_it.count('class="table shape-') == 16
        # The plan's own tables are not out-of-band swaps of their own.
        assert with_it.count("hx-swap-oob") == 1

        mia.use().post(f"/floor/tables/{new_id.group(1)}/archive", headers=headers)
        without = floor.receive_text()
        assert f'id="table-{new_id.group(1)}"' not in without
        assert without.count('class="table shape-') == 15


def test_moved_table_is_redrawn_in_its_new_place(client_: TestClient[Litestar]) -> None:
    sam, mia = Device(client_, "Sam"), Device(client_, "Mia")
    seven = tables(sam)["7"]
    with sam.use().websocket_connect(f"/ws/floor?floor={DINING}") as floor:
        headers = mia.csrf("/floor/layout")
        mia.use().post(f"/floor/tables/{seven}/move", data={"x": "50", "y": "60"}, headers=headers)
        mia.use().post(f"/floor/tables/{seven}/rotate", data={"rotation": "90"}, headers=headers)
        moved, turned = floor.receive_text(), floor.receive_text()
    assert f'id="table-{seven}"' in moved and "left: 50%; top: 60%;" in moved
    assert "--turn: 90deg" in turned


def test_a_tablet_on_the_patio_is_not_sent_the_dining_rooms_tables(
    client_: TestClient[Litestar],
) -> None:
    sam, mia = Device(client_, "Sam"), Device(client_, "Mia")
    seven, p1 = tables(sam)["7"], tables(sam, PATIO)["P1"]
    with sam.use().websocket_connect(f"/ws/floor?floor={PATIO}") as floor:
        headers = mia.csrf("/floor/layout")
        mia.use().post(f"/floor/tables/{seven}/move", data={"x": "50", "y": "60"}, headers=headers)
        mia.use().post(f"/floor/tables/{p1}/move", data={"x": "30", "y": "30"}, headers=headers)
        first = floor.receive_text()
    assert first.startswith(f'<a id="table-{p1}"'), first[:80]


def test_a_new_floor_shows_up_in_every_tablets_tabs(client_: TestClient[Litestar]) -> None:
    sam, mia = Device(client_, "Sam"), Device(client_, "Mia")
    with sam.use().websocket_connect(f"/ws/floor?floor={PATIO}") as floor:
        headers = mia.csrf("/floor/layout")
        mia.use().post("/floor/layout/floors", data={"name": "Terrace"}, headers=headers)
        push = floor.receive_text()
    assert push.startswith('<div id="floor-plan"') and ">Terrace</a>" in push
    assert 'class="tab active" href="/floor?floor=2"' in push  # still on the patio


def test_a_tablet_that_does_not_say_its_floor_gets_the_first_floor(
    client_: TestClient[Litestar],
) -> None:
    sam, mia = Device(client_, "Sam"), Device(client_, "Mia")
    with sam.use().websocket_connect("/ws/floor") as floor:
        headers = mia.csrf("/floor/layout")
        mia.use().post(
            "/floor/layout/tables",
            data={"floor": str(DINING), "name": "14", "shape": "square", "seats": "2"},
            headers=headers,
        )
        push = floor.receive_text()
    assert push.startswith('<div id="floor-plan"') and ">14</span>" in push
