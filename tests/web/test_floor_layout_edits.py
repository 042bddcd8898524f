"""The layout editor through the web: rename, reseat, reshape and remove tables; floors."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.floor.models import DiningTable, Floor
from app.platform.models import AuditEntry
from tests.conftest import sign_in
from tests.web.test_floor_layout import dining_room, manager, refused, row

Client = AsyncTestClient[Litestar]


# --- rename, seats, shape ---------------------------------------------------------------------


async def test_rename_reseat_and_reshape_a_table_in_one_save(
    client: Client, session: AsyncSession
) -> None:
    headers = await manager(client)
    seven = (await row(session, "7")).id
    data = {"name": "Window", "seats": "8", "shape": "round", "key": "edit-7"}
    saved = await client.post(f"/floor/tables/{seven}/details", data=data, headers=headers)
    assert saved.status_code == 200 and "Table Window" in saved.text
    table = await row(session, "Window")
    assert (table.id, table.seats, table.shape) == (seven, 8, "round")
    audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "edit_table"))
    assert audit is not None and audit.detail["before"]["name"] == "7"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "8"}, "Dining room already has a table 8."),
        ({"seats": "0"}, "A table seats 1 to 40 guests, not 0."),
        ({"seats": "41"}, "A table seats 1 to 40 guests, not 41."),
        ({"shape": "hexagon"}, "A table is square, round or rectangle."),
        ({"name": ""}, "Give the table a name"),
    ],
)
async def test_bad_table_details_are_refused_and_change_nothing(
    client: Client, session: AsyncSession, data: dict[str, str], message: str
) -> None:
    headers = await manager(client)
    seven = (await row(session, "7")).id
    base = {"name": "7", "seats": "6", "shape": "rectangle"}
    answer = await client.post(
        f"/floor/tables/{seven}/details", data={**base, **data}, headers=headers
    )
    refused(answer, 422, message)
    table = await row(session, "7")
    assert (table.seats, table.shape) == (6, "rectangle")


async def test_patio_may_have_its_own_table_7_and_a_plain_form_post_redirects(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    p1 = (await row(session, "P1", "Patio")).id
    data = {"name": "7", "seats": "2", "shape": "round", "_csrf": csrf}
    saved = await client.post(f"/floor/tables/{p1}/details", data=data, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/floor/tables/{p1}/layout"
    assert (await row(session, "7", "Patio")).id == p1


# --- remove -----------------------------------------------------------------------------------


async def test_removing_a_table_with_an_open_check_is_refused_naming_the_check(
    client: Client, session: AsyncSession
) -> None:
    server = {"HX-Request": "true", "X-CSRF-Token": await sign_in(client, "Maria")}
    five = (await row(session, "5")).id
    await client.post(f"/floor/tables/{five}/open", data={"guests": "2"}, headers=server)
    headers = await manager(client)
    answer = await client.post(f"/floor/tables/{five}/archive", headers=headers)
    refused(answer, 409, "Table 5 has check")
    assert "open (Maria). Close the check or move the party to another table first." in answer.text
    assert (await row(session, "5")).archived_at is None


async def test_removed_table_leaves_every_plan_and_cannot_be_opened(
    client: Client, session: AsyncSession
) -> None:
    headers = await manager(client)
    twelve = (await row(session, "12")).id
    removed = await client.post(f"/floor/tables/{twelve}/archive", headers=headers)
    assert removed.status_code == 200 and "Add a table to Dining room" in removed.text
    assert f'id="lt-{twelve}"' not in removed.text
    assert f'id="table-{twelve}"' not in (await client.get("/floor")).text
    for path in (f"/floor/tables/{twelve}/open", f"/floor/tables/{twelve}/layout"):
        assert (await client.get(path)).status_code == 404, path
    again = await client.post(f"/floor/tables/{twelve}/archive", headers=headers)
    refused(again, 404, "That table does not exist.")


async def test_double_tap_on_remove_answers_like_the_first_tap(
    client: Client, session: AsyncSession
) -> None:
    headers = await manager(client)
    twelve = (await row(session, "12")).id
    taps = [
        await client.post(f"/floor/tables/{twelve}/archive", data={"key": "rm-12"}, headers=headers)
        for _ in range(2)
    ]
    assert [t.status_code for t in taps] == [200, 200]
    assert "Add a table to Dining room" in taps[1].text


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("move", {"x": "1", "y": "1"}),
        ("resize", {"width": "10", "height": "10"}),
        ("rotate", {"rotation": "15"}),
        ("details", {"name": "X", "seats": "2", "shape": "round"}),
        ("archive", {}),
        ("section", {"server": ""}),
    ],
)
async def test_unknown_table_is_404_for_every_command(
    client: Client, action: str, data: dict[str, str]
) -> None:
    headers = await manager(client)
    answer = await client.post(f"/floor/tables/987654/{action}", data=data, headers=headers)
    refused(answer, 404, "That table does not exist.")


# --- floors -------------------------------------------------------------------------------------


async def test_manager_adds_a_floor_and_renames_it(client: Client, session: AsyncSession) -> None:
    headers = await manager(client)
    added = await client.post("/floor/layout/floors", data={"name": "Terrace"}, headers=headers)
    assert added.status_code == 204
    floor = await session.scalar(select(Floor).where(Floor.name == "Terrace"))
    assert floor is not None and added.headers["hx-redirect"] == f"/floor/layout?floor={floor.id}"
    empty = await client.get(added.headers["hx-redirect"])
    assert "No tables on Terrace yet" in empty.text
    renamed = await client.post(
        "/floor/layout/floors/rename",
        data={"floor": str(floor.id), "name": "Roof"},
        headers=headers,
    )
    assert renamed.status_code == 204
    assert "Roof" in (await client.get("/floor")).text


@pytest.mark.parametrize(
    ("name", "message"),
    [("patio", "There is already a floor called patio."), ("", "Give the floor a name")],
)
async def test_bad_floor_name_is_refused(
    client: Client, session: AsyncSession, name: str, message: str
) -> None:
    headers = await manager(client)
    refused(
        await client.post("/floor/layout/floors", data={"name": name}, headers=headers),
        422,
        message,
    )
    floor = await dining_room(session)
    answer = await client.post(
        "/floor/layout/floors/rename", data={"floor": str(floor), "name": name}, headers=headers
    )
    refused(answer, 422, message)
    assert await session.scalar(select(func.count()).select_from(Floor)) == 2


async def test_a_table_moved_by_someone_else_is_redrawn_where_the_server_has_it(
    client: Client, session: AsyncSession
) -> None:
    headers = await manager(client)
    seven = (await row(session, "7")).id
    await session.execute(update(DiningTable).where(DiningTable.id == seven).values(x=60))
    await session.commit()
    panel = await client.get(f"/floor/tables/{seven}/layout", headers=headers)
    assert panel.text.lstrip().startswith('<aside id="layout-panel"') and "Table 7" in panel.text
    assert 'data-x="60"' in (await client.get("/floor/layout")).text
