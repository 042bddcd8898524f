"""Expo passes a course on its own: a check's starters go out while its mains still cook, and
a paid check's food still goes out (expo and the stations keep it until it is done)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders import firing
from app.orders import service as orders
from app.orders.models import Check
from app.platform.models import AuditEntry
from kds.expo import PAID_FOOD_KEPT
from kds.models import Ticket
from tests.demo_ids import item_id
from tests.integration.test_many_hands import kitchen
from tests.invariants import CLOSED
from tests.web.test_kds_station import MARIA, cook, send_order, ticket_at


def cards(page: str, check: int) -> dict[str, str]:
    """The check's cards on the expo board, by the course named on each."""
    found = {}
    for chunk in page.split(f'id="expo-check-{check}-')[1:]:
        card = chunk.split("</article>")[0]
        course = card.split('class="expo-course">')[1].split("<")[0]
        found[course] = card
    return found


async def starters_drinks_and_mains(uow_factory: Any, session: AsyncSession, table: str) -> int:
    """Burrata and a Lemonade go in on Send; the Salmon is fired a minute later."""
    check = await send_order(uow_factory, session, table, ["Burrata", "Lemonade", "Salmon"])
    await uow_factory(firing.fire_course, check, "mains", MARIA, kitchen())
    return check


async def expo_at(session: AsyncSession, check: int) -> dict[str, bool]:
    session.expire_all()
    rows = await session.execute(
        select(Ticket.id, Ticket.expo_at).where(Ticket.check_id == check, Ticket.kind == "fire")
    )
    await session.rollback()
    return {str(ticket_id): passed is not None for ticket_id, passed in rows}


async def test_starters_done_are_ready_to_pass_while_the_mains_still_cook(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check = await starters_drinks_and_mains(uow_factory, session, "8")
    cold = await ticket_at(session, "Cold", check)
    headers = await cook(client)
    await client.post(f"/kds/{cold.station_id}/tickets/{cold.id}/bump", headers=headers)

    board = cards((await client.get("/kds/expo")).text, check)

    assert set(board) == {"Drinks", "Starters", "Mains"}
    starters = board["Starters"]
    assert "Burrata" in starters and "Salmon" not in starters and "Lemonade" not in starters
    assert "Food ready" in starters and "Waiting on" not in starters
    assert 'class="ticket expo-check ready"' in starters
    assert "Waiting on Grill" in board["Mains"] and "Waiting on Bar" in board["Drinks"]


async def test_passing_the_starters_leaves_the_mains_at_expo(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check = await starters_drinks_and_mains(uow_factory, session, "8")
    cold = await ticket_at(session, "Cold", check)
    grill = await ticket_at(session, "Grill", check)
    headers = await cook(client)
    await client.post(f"/kds/{cold.station_id}/tickets/{cold.id}/bump", headers=headers)
    starters = cards((await client.get("/kds/expo")).text, check)["Starters"]
    assert f'hx-post="/kds/expo/tickets/{cold.id}/ready"' in starters

    passed = await client.post(f"/kds/expo/tickets/{cold.id}/ready", headers=headers)

    assert passed.status_code == 200
    left = cards(passed.text, check)
    assert set(left) == {"Drinks", "Mains"} and "Salmon" in left["Mains"]
    state = await expo_at(session, check)
    assert state[str(cold.id)] and not state[str(grill.id)]
    assert sum(state.values()) == 1
    # The starters wait at the pass: the floor shows the table's food ready.
    assert (await session.get(Check, check)).food_ready_at is not None  # type: ignore[union-attr]
    audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "food_ready"))
    assert audit is not None and audit.detail.get("courses") == ["starters"]

    again = await client.post(f"/kds/expo/tickets/{cold.id}/ready", headers=headers)
    assert again.status_code == 409 and "already passed" in again.text
    missing = await client.post("/kds/expo/tickets/98765/ready", headers=headers)
    assert missing.status_code == 404


async def test_a_starter_fired_after_expo_looked_is_not_passed_with_the_others(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check = await send_order(uow_factory, session, "8", ["Burrata"])
    first = await ticket_at(session, "Cold", check)
    headers = await cook(client)
    seen = cards((await client.get("/kds/expo")).text, check)["Starters"]
    # Seat 3 wants a Caesar too: it goes straight in (starters are already fired).
    line = orders.NewLine(await item_id(session, "Caesar Salad"))
    await uow_factory(orders.add_line, check, line, MARIA)
    await uow_factory(firing.send_order, check, MARIA, kitchen())
    second = await ticket_at(session, "Cold", check)
    assert second.id != first.id

    await client.post(f"/kds/expo/tickets/{first.id}/ready", headers=headers)

    assert f"/kds/expo/tickets/{first.id}/ready" in seen
    state = await expo_at(session, check)
    assert state == {str(first.id): True, str(second.id): False}
    left = cards((await client.get("/kds/expo")).text, check)
    assert "Caesar Salad" in left["Starters"] and "Burrata" not in left["Starters"]


async def test_a_paid_checks_food_stays_at_expo_and_on_the_station_until_it_goes_out(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    # The bar tab is paid while the kitchen is still cooking its burrata: it must go out.
    check = await send_order(uow_factory, session, "8", ["Burrata"])
    cold = await ticket_at(session, "Cold", check)
    await session.execute(update(Check).where(Check.id == check).values(**CLOSED))
    await session.commit()
    headers = await cook(client)

    station = (await client.get(f"/kds/{cold.station_id}")).text
    board = cards((await client.get("/kds/expo")).text, check)

    assert f'id="ticket-{cold.id}"' in station
    assert "PAID" in board["Starters"] and "Burrata" in board["Starters"]
    await client.post(f"/kds/{cold.station_id}/tickets/{cold.id}/bump", headers=headers)
    passed = await client.post(f"/kds/expo/tickets/{cold.id}/ready", headers=headers)
    assert passed.status_code == 200 and f'id="expo-check-{check}-' not in passed.text
    # A closed check is terminal: passing its food does not write on it.
    session.expire_all()
    assert (await session.get(Check, check)).food_ready_at is None  # type: ignore[union-attr]


async def test_a_paid_checks_food_fired_hours_ago_no_longer_waits_at_expo(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    # Last night's tab, never passed (this kitchen runs no expo): not on today's pass.
    check = await send_order(uow_factory, session, "8", ["Burrata"])
    await session.execute(update(Check).where(Check.id == check).values(**CLOSED))
    await session.execute(
        update(Ticket)
        .where(Ticket.check_id == check)
        .values(fired_at=func.now() - PAID_FOOD_KEPT - timedelta(minutes=1))
    )
    await session.commit()
    await cook(client)

    assert f'id="expo-check-{check}-' not in (await client.get("/kds/expo")).text
