"""The kitchen on the floor plan: food ready (until "Picked up" or the next fire), check
printed, and the banner of kitchen alerts (tickets nobody saw, printers in trouble)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient, TestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.floor import views
from app.orders import firing
from app.orders import service as orders
from app.orders.models import Check
from app.platform.models import AuditEntry
from kds import expo
from kds.alerts import raise_overdue
from kds.live import run_command
from kds.models import Ticket
from kds.service import acknowledge
from printers.models import Printer
from tests.conftest import sign_in
from tests.demo_ids import item_id, station_id, table_id
from tests.integration.test_many_hands import kitchen
from tests.web.test_kds_live import Kitchen
from tests.web.test_kds_station import MARIA, ODE, send_order
from tests.web.test_live_screens import Device

HX = {"HX-Request": "true"}
NOT_SEEN = "Grill has not seen ticket #1 (table 5)"


def tile(page: str, table: int) -> str:
    start = page.index(f'id="table-{table}"')
    return page[start : page.index("</a>", start)]


async def food_ready_at(session: AsyncSession, check: int) -> Any:
    session.expire_all()
    found = await session.scalar(select(Check.food_ready_at).where(Check.id == check))
    await session.rollback()
    return found


async def passed(uow_factory: Any, session: AsyncSession, table: str) -> tuple[int, int]:
    """Maria's order for the table went through the kitchen and expo passed it."""
    check = await send_order(uow_factory, session, table, ["Salmon"])
    await uow_factory(expo.food_ready, 1, check, ODE)
    return check, await table_id(session, table)


@pytest.mark.parametrize(
    ("fired", "paid", "ready", "presented", "state"),
    [
        (True, 0, False, False, "ordered"),
        (True, 0, True, False, "ready"),
        (True, 0, False, True, "printed"),
        (True, 0, True, True, "ready"),  # the plates first: the bill can wait a minute
        (True, 500, False, True, "paying"),  # money taken: further along than the bill
        (True, 500, True, True, "ready"),
        (False, 0, False, True, "printed"),  # drinks only, nothing fired: the bill is out
    ],
)
def test_food_ready_outranks_paying_which_outranks_check_printed(
    fired: bool, paid: int, ready: bool, presented: bool, state: str
) -> None:
    drawn = views.table_state(True, fired, paid, None, food_ready=ready, presented=presented)
    assert drawn == state
    assert views.table_state(False, False, 0, None, food_ready=ready, presented=presented) == "free"


async def test_food_ready_table_stands_out_and_its_sheet_offers_picked_up(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check, five = await passed(uow_factory, session, "5")
    await sign_in(client, "Maria")

    drawn = tile((await client.get("/floor")).text, five)

    assert "state-ready" in drawn and 'class="t-flag flag-ready"' in drawn
    assert 'aria-label="Table 5, food ready"' in drawn
    assert f'hx-get="/floor/tables/{five}/ready"' in drawn
    sheet = (await client.get(f"/floor/tables/{five}/ready", headers=HX)).text
    assert "Food ready at the pass" in sheet and "Picked up" in sheet
    assert f'href="/checks/{check}"' in sheet


async def test_picked_up_clears_food_ready_once_and_is_audited(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check, five = await passed(uow_factory, session, "5")
    headers = {**HX, "X-CSRF-Token": await sign_in(client, "Maria")}

    tapped = await client.post(f"/floor/tables/{five}/picked-up", headers=headers)

    assert tapped.status_code == 200
    assert f'<a id="table-{five}" hx-swap-oob="outerHTML"' in tapped.text
    assert "state-ordered" in tapped.text and "flag-ready" not in tapped.text
    assert await food_ready_at(session, check) is None
    again = await client.post(f"/floor/tables/{five}/picked-up", headers=headers)
    assert again.status_code == 200  # a second tap is harmless
    audits = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "food_picked_up"))
    ).all()
    assert [(a.subject, a.actor_id) for a in audits] == [(f"check:{check}", MARIA)]
    # The sheet of a table no longer ready sends the server to the check instead.
    late = await client.get(f"/floor/tables/{five}/ready", headers=HX)
    assert late.headers["hx-redirect"] == f"/checks/{check}"


async def test_picked_up_refuses_hosts_and_unknown_tables(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check, five = await passed(uow_factory, session, "5")
    host = {**HX, "X-CSRF-Token": await sign_in(client, "Hana")}
    assert (await client.post(f"/floor/tables/{five}/picked-up", headers=host)).status_code == 403
    assert await food_ready_at(session, check) is not None
    server = {**HX, "X-CSRF-Token": await sign_in(client, "Maria")}
    missing = await client.post("/floor/tables/98765/picked-up", headers=server)
    assert missing.status_code == 404 and "That table does not exist." in missing.text


async def test_next_fire_takes_food_ready_off_the_table(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check, five = await passed(uow_factory, session, "5")
    line = orders.NewLine(await item_id(session, "Lemonade"))
    await uow_factory(orders.add_line, check, line, MARIA)
    await uow_factory(firing.send_order, check, MARIA, kitchen())
    await sign_in(client, "Maria")

    drawn = tile((await client.get("/floor")).text, five)

    assert "state-ordered" in drawn and "flag-ready" not in drawn


async def test_check_printed_shows_on_the_table(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check = await send_order(uow_factory, session, "7", ["Salmon"])
    seven = await table_id(session, "7")
    # What the bill helper writes when the check is printed or shown.
    await session.execute(update(Check).where(Check.id == check).values(presented_at=func.now()))
    await session.commit()
    await sign_in(client, "Maria")

    drawn = tile((await client.get("/floor")).text, seven)

    assert "state-printed" in drawn and 'class="t-flag flag-printed"' in drawn
    assert 'aria-label="Table 7, check printed"' in drawn
    assert f'hx-get="/floor/tables/{seven}/open"' in drawn  # tapping it opens the check


async def standing_alert(session: AsyncSession, check: int) -> None:
    """The Grill's screen never showed the ticket, and the watcher raised the alert."""
    await session.execute(
        update(Ticket)
        .where(Ticket.check_id == check)
        .values(fired_at=func.now() - timedelta(minutes=4))
    )
    await session.commit()


async def test_banner_shows_standing_kitchen_alerts_and_printer_trouble(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check = await send_order(uow_factory, session, "5", ["Salmon"])
    await standing_alert(session, check)
    assert await uow_factory(raise_overdue) == [NOT_SEEN]
    await session.execute(
        update(Printer)
        .where(Printer.name == "Bar")
        .values(trouble="out of paper", trouble_since=func.now() - timedelta(minutes=2))
    )
    await session.commit()
    await sign_in(client, "Maria")

    page = (await client.get("/floor")).text

    banner = page[page.index('id="floor-alerts"') : page.index('class="legend"')]
    assert " hidden" not in banner.split(">")[0]
    rows = re.findall(
        r'data-alert="([^"]+)"[\s\S]*?k-text">([^<]+)<[\s\S]*?k-age">(\d+) min', banner
    )
    assert [(text, age) for _, text, age in rows] == [
        (NOT_SEEN, "4"),  # oldest first
        ("Bar printer is out of paper", "2"),
    ]
    assert rows[0][0].startswith("ticket-") and rows[1][0].startswith("printer-")
    assert banner.count("data-dismiss-alert=") == 2

    # The Grill's screen shows the ticket: the alert is solved and leaves the banner.
    grill = await station_id(session, "Grill")
    await uow_factory(acknowledge, grill, [1])
    await session.execute(update(Printer).values(trouble=None, trouble_since=None))
    await session.commit()
    page = (await client.get("/floor")).text
    assert NOT_SEEN not in page
    assert '<div id="floor-alerts" class="floor-alerts" aria-live="assertive" hidden>' in page


# --- live: every tablet follows without a reload ---------------------------------------


@pytest.fixture
def client_(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app) as client:
        yield client


def test_alert_reaches_the_floor_banner_live_and_leaves_when_the_screen_shows_it(
    client_: TestClient[Litestar], sessionmaker_: Any
) -> None:
    line = Kitchen(client_, sessionmaker_)
    maria = Device(client_, "Maria")
    check = line.order("5", ["Salmon"])

    async def overdue(session: AsyncSession) -> None:
        await standing_alert(session, check)

    line.call(overdue)
    with maria.use().websocket_connect("/ws/floor") as floor:
        assert client_.blocking_portal.call(run_command, client_.app, raise_overdue) == [NOT_SEEN]
        pushed = floor.receive_text()
        assert pushed.startswith('<div id="floor-alerts" class="floor-alerts" hx-swap-oob')
        assert NOT_SEEN in pushed

        grill = line.station("Grill")
        line.portal.call(line.uow, acknowledge, grill, [1])
        cleared = floor.receive_text()
        assert cleared.startswith('<div id="floor-alerts"') and NOT_SEEN not in cleared
        assert " hidden>" in cleared


def test_picked_up_on_one_tablet_redraws_the_table_on_the_others(
    client_: TestClient[Litestar], sessionmaker_: Any
) -> None:
    line = Kitchen(client_, sessionmaker_)
    maria, sam = Device(client_, "Maria"), Device(client_, "Sam")
    check = line.order("5", ["Salmon"])
    line.portal.call(line.uow, expo.food_ready, 1, check, ODE)
    five = line.call(table_id, "5")
    with sam.use().websocket_connect("/ws/floor") as floor:
        headers = maria.csrf("/floor")
        assert maria.use().post(f"/floor/tables/{five}/picked-up", headers=headers).is_success
        pushed = floor.receive_text()
    assert pushed.startswith(f'<a id="table-{five}" hx-swap-oob="outerHTML"')
    assert "state-ordered" in pushed
