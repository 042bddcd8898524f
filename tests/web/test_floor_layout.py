"""The layout editor through the web: who may use it; add, move, resize and turn a table,
with every bad input. (Rename, remove and floors: test_floor_layout_edits.py.)"""

from __future__ import annotations

import pytest
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.floor.models import DiningTable, Floor
from app.platform.models import AuditEntry
from tests.conftest import sign_in
from tests.demo_ids import table_id

Client = AsyncTestClient[Litestar]


async def manager(client: Client, name: str = "Mia") -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": await sign_in(client, name)}


async def row(session: AsyncSession, name: str, floor: str = "Dining room") -> DiningTable:
    session.expire_all()
    found = await session.scalar(
        select(DiningTable)
        .join(Floor, Floor.id == DiningTable.floor_id)
        .where(DiningTable.name == name, Floor.name == floor)
    )
    assert found is not None, f"no table {name} on {floor}"
    return found


async def dining_room(session: AsyncSession) -> int:
    return int(await session.scalar(select(Floor.id).where(Floor.name == "Dining room")) or 0)


def refused(answer: Response, status: int, message: str) -> None:
    assert answer.status_code == status, answer.text
    assert message in answer.text, answer.text
    assert answer.headers["hx-retarget"] == "#flash"  # htmx shows it; the page stays


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Maria", "Lee", "Hana"])
async def test_only_managers_and_owners_edit_the_layout_or_the_sections(
    client: Client, session: AsyncSession, name: str
) -> None:
    headers = await manager(client, name)
    seven = await table_id(session, "7")
    for path in ("/floor/layout", "/floor/sections", f"/floor/tables/{seven}/layout"):
        assert (await client.get(path)).status_code == 403, path
    moved = await client.post(
        f"/floor/tables/{seven}/move", data={"x": "1", "y": "1"}, headers=headers
    )
    assert moved.status_code == 403 and "cannot do that here" in moved.text
    assert ((await row(session, "7")).x, (await row(session, "7")).y) == (4, 36)


async def test_owner_opens_the_layout_editor_with_every_floor(client: Client) -> None:
    await sign_in(client, "Olivia")
    page = await client.get("/floor/layout")
    assert page.status_code == 200 and page.text.startswith("<!doctype html>")
    assert "Dining room" in page.text and "Patio" in page.text
    assert page.text.count('class="table shape-') == 15
    assert 'value="14"' in page.text  # the next table's name, ready to add
    assert "/static/floor-editor.js" in page.text


# --- add ----------------------------------------------------------------------------------------


async def test_manager_adds_a_round_table_it_appears_on_the_board_and_in_the_audit(
    client: Client, session: AsyncSession
) -> None:
    headers = await manager(client)
    floor = await dining_room(session)
    added = await client.post(
        "/floor/layout/tables",
        data={"floor": str(floor), "name": " 14 ", "shape": "round", "seats": "6", "key": "k-14"},
        headers=headers,
    )
    assert added.status_code == 200, added.text
    table = await row(session, "14")
    assert (table.shape, table.seats, table.rotation) == ("round", 6, 0)
    assert 'id="layout-panel"' in added.text and "Table 14" in added.text  # selected, to edit
    assert 'id="layout-board" class="floor layout-board" hx-swap-oob="outerHTML"' in added.text
    assert f'id="lt-{table.id}"' in added.text
    plan = await client.get("/floor")
    assert f'id="table-{table.id}"' in plan.text
    audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "add_table"))
    assert audit is not None and audit.detail["table"] == "14"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "7", "Dining room already has a table 7. Pick another name."),
        ("name", "bar 1", "Dining room already has a table bar 1."),
        ("name", "   ", "Give the table a name"),
        ("name", "The long table by the window", "A table name is at most 20 characters"),
        ("seats", "0", "A table seats 1 to 40 guests, not 0."),
        ("seats", "41", "A table seats 1 to 40 guests, not 41."),
        ("seats", "four", "Seats must be a whole number, not four."),
        ("shape", "hexagon", "A table is square, round or rectangle."),
    ],
)
async def test_bad_new_table_is_refused_with_a_clear_message_and_adds_nothing(
    client: Client, session: AsyncSession, field: str, value: str, message: str
) -> None:
    headers = await manager(client)
    data = {"floor": str(await dining_room(session)), "name": "14", "shape": "square", "seats": "4"}
    answer = await client.post("/floor/layout/tables", data={**data, field: value}, headers=headers)
    refused(answer, 422, message)
    count = await session.scalar(select(func.count()).select_from(DiningTable))
    assert count == 23


async def test_adding_to_a_floor_that_does_not_exist_is_404(client: Client) -> None:
    headers = await manager(client)
    data = {"floor": "999", "name": "14", "shape": "square", "seats": "4"}
    refused(await client.post("/floor/layout/tables", data=data, headers=headers), 404, "floor")


async def test_a_removed_tables_name_brings_the_same_table_back(
    client: Client, session: AsyncSession
) -> None:
    headers = await manager(client)
    twelve = (await row(session, "12")).id
    assert (
        await client.post(f"/floor/tables/{twelve}/archive", headers=headers)
    ).status_code == 200
    data = {"floor": str(await dining_room(session)), "name": "12", "shape": "round", "seats": "3"}
    back = await client.post("/floor/layout/tables", data=data, headers=headers)
    assert back.status_code == 200, back.text
    table = await row(session, "12")
    assert (table.id, table.archived_at, table.shape, table.seats) == (twelve, None, "round", 3)


# --- move, resize, turn ---------------------------------------------------------------------------


async def test_drag_moves_the_table_and_the_answer_redraws_it(
    client: Client, session: AsyncSession
) -> None:
    headers = await manager(client)
    seven = (await row(session, "7")).id
    moved = await client.post(
        f"/floor/tables/{seven}/move", data={"x": "50", "y": "70", "key": "drag-1"}, headers=headers
    )
    assert moved.status_code == 200, moved.text
    assert (lambda t: (t.x, t.y))(await row(session, "7")) == (50, 70)
    assert f'id="lt-{seven}" hx-swap-oob="outerHTML"' in moved.text
    assert 'data-x="50" data-y="70"' in moved.text


@pytest.mark.parametrize(("x", "y"), [("120", "10"), ("10", "-5"), ("101", "101")])
async def test_dropping_a_table_off_the_floor_is_refused_and_it_stays_put(
    client: Client, session: AsyncSession, x: str, y: str
) -> None:
    headers = await manager(client)
    seven = (await row(session, "7")).id
    answer = await client.post(
        f"/floor/tables/{seven}/move", data={"x": x, "y": y}, headers=headers
    )
    refused(answer, 422, "That would put the table off the floor: drop it inside the plan.")
    assert (lambda t: (t.x, t.y))(await row(session, "7")) == (4, 36)


async def test_a_drop_hanging_over_the_edge_slides_back_onto_the_floor(
    client: Client, session: AsyncSession
) -> None:
    headers = await manager(client)
    seven = (await row(session, "7")).id  # 20 wide, 14 high
    await client.post(f"/floor/tables/{seven}/move", data={"x": "95", "y": "100"}, headers=headers)
    assert (lambda t: (t.x, t.y))(await row(session, "7")) == (80, 86)


async def test_resize_saves_the_size_and_refuses_a_table_too_small_to_tap(
    client: Client, session: AsyncSession
) -> None:
    headers = await manager(client)
    seven = (await row(session, "7")).id
    ok = await client.post(
        f"/floor/tables/{seven}/resize", data={"width": "30", "height": "20"}, headers=headers
    )
    assert ok.status_code == 200
    for width, height in (("3", "10"), ("10", "101")):
        answer = await client.post(
            f"/floor/tables/{seven}/resize",
            data={"width": width, "height": height},
            headers=headers,
        )
        refused(answer, 422, "A table is 4% to 100% of the floor wide and high")
    assert (lambda t: (t.width, t.height))(await row(session, "7")) == (30, 20)


async def test_turn_saves_the_angle_and_refuses_a_full_circle_or_less_than_none(
    client: Client, session: AsyncSession
) -> None:
    headers = await manager(client)
    seven = (await row(session, "7")).id
    turned = await client.post(
        f"/floor/tables/{seven}/rotate", data={"rotation": "45"}, headers=headers
    )
    assert turned.status_code == 200
    assert "--turn: 45deg" in turned.text and 'value="30"' in turned.text  # the -15° button
    for bad in ("360", "-15"):
        answer = await client.post(
            f"/floor/tables/{seven}/rotate", data={"rotation": bad}, headers=headers
        )
        refused(answer, 422, f"Turn a table 0 to 359 degrees, not {bad}.")
    refused(
        await client.post(f"/floor/tables/{seven}/rotate", data={"rotation": ""}, headers=headers),
        422,
        "Rotation must be a whole number.",
    )
    assert (await row(session, "7")).rotation == 45
