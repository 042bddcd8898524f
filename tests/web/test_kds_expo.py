"""Expo: every open check's tickets at the pass, which stations are done, and food ready."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders import firing
from app.orders.models import Check
from app.platform.models import AuditEntry
from kds.models import Ticket
from tests.integration.test_many_hands import kitchen
from tests.web.test_kds_station import MARIA, ODE, cook, send_order, ticket_at


async def test_expo_shows_each_course_of_a_check_and_which_stations_are_done(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check = await send_order(uow_factory, session, "8", ["Burrata", "Lemonade"])
    cold = await ticket_at(session, "Cold", check)
    headers = await cook(client)
    await client.post(f"/kds/{cold.station_id}/tickets/{cold.id}/bump", headers=headers)

    page = (await client.get("/kds/expo")).text

    drinks, starters = (
        chunk.split("</article>")[0] for chunk in page.split(f'id="expo-check-{check}-')[1:]
    )  # fired together: in serving order
    assert "Table 8" in starters and "Maria" in starters and "Table 8" in drinks
    assert "Cold #" in starters and "Bar #" in drinks
    assert "✓ Done" in starters and "Food ready" in starters
    assert "Cooking" in drinks and "Waiting on Bar" in drinks


async def test_food_ready_passes_the_checks_tickets_and_marks_the_check(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check = await send_order(uow_factory, session, "8", ["Burrata", "Lemonade"])
    headers = await cook(client)

    ready = await client.post(f"/kds/expo/checks/{check}/ready", headers=headers)

    assert ready.status_code == 200
    assert f'id="expo-check-{check}-' not in ready.text
    session.expire_all()
    passed = (await session.scalars(select(Ticket.expo_at).where(Ticket.check_id == check))).all()
    assert len(passed) == 2 and all(passed)
    guest_check = await session.get(Check, check)
    assert guest_check is not None and guest_check.food_ready_at is not None
    audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "food_ready"))
    assert audit is not None and audit.actor_id == ODE and audit.subject == f"check:{check}"

    again = await client.post(f"/kds/expo/checks/{check}/ready", headers=headers)
    assert again.status_code == 409
    assert "Nothing for check" in again.text
    missing = await client.post("/kds/expo/checks/98765/ready", headers=headers)
    assert missing.status_code == 404


async def test_firing_more_food_takes_the_food_ready_mark_off_the_table(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check = await send_order(uow_factory, session, "8", ["Burrata", "Salmon"])
    headers = await cook(client)
    await client.post(f"/kds/expo/checks/{check}/ready", headers=headers)
    session.expire_all()
    assert (await session.get(Check, check)).food_ready_at is not None  # type: ignore[union-attr]

    await uow_factory(firing.fire_course, check, "mains", MARIA, kitchen())

    session.expire_all()
    assert (await session.get(Check, check)).food_ready_at is None  # type: ignore[union-attr]
    page = (await client.get("/kds/expo")).text
    assert f'id="expo-check-{check}-' in page and "Salmon" in page
