"""Hold and fire: the kitchen only ever receives fired lines, course by course."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput
from app.orders import firing
from app.orders import service as orders
from app.orders.models import CheckCourse, CheckLine
from kds.models import Ticket, TicketItem
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id, option_id, table_id
from tests.integration.test_many_hands import kitchen

MARIA = STAFF_IDS["Maria"]


async def at_kitchen(session: AsyncSession, check: int) -> list[str]:
    session.expire_all()
    rows = await session.scalars(
        select(TicketItem.name)
        .join(Ticket, Ticket.id == TicketItem.ticket_id)
        .where(Ticket.check_id == check, Ticket.kind == "fire")
        .order_by(TicketItem.id)
    )
    return list(rows.all())


async def statuses(session: AsyncSession, check: int) -> dict[str, str]:
    session.expire_all()
    rows = await session.execute(
        select(CheckLine.name, CheckLine.status).where(CheckLine.check_id == check)
    )
    return dict(rows.all())


async def _table_of_four(uow_factory, session: AsyncSession) -> int:  # type: ignore[no-untyped-def]
    check = await uow_factory(orders.open_table, await table_id(session, "9"), 4, MARIA, 1)
    medium = await option_id(session, "Medium")
    for name, options in [
        ("Prosecco", []),
        ("Calamari", []),
        ("Salmon", []),
        ("Pork Chop", [medium]),
        ("Tiramisu", []),
    ]:
        await uow_factory(
            orders.add_line,
            check,
            orders.NewLine(await item_id(session, name), option_ids=options),
            MARIA,
        )
    return int(check)


async def test_send_fires_drinks_and_the_first_course_and_holds_the_rest(
    uow_factory, session
) -> None:
    bus = kitchen()
    check = await _table_of_four(uow_factory, session)
    assert await uow_factory(firing.send_order, check, MARIA, bus) == 2
    assert await at_kitchen(session, check) == ["Calamari", "Prosecco"] or sorted(
        await at_kitchen(session, check)
    ) == ["Calamari", "Prosecco"]
    assert await statuses(session, check) == {
        "Prosecco": "fired",
        "Calamari": "fired",
        "Salmon": "held",
        "Pork Chop": "held",
        "Tiramisu": "held",
    }
    fired_courses = set(
        (
            await session.scalars(select(CheckCourse.course).where(CheckCourse.check_id == check))
        ).all()
    )
    assert fired_courses == {"drinks", "starters"}


async def test_firing_mains_sends_only_the_mains_and_records_when(uow_factory, session) -> None:
    bus = kitchen()
    check = await _table_of_four(uow_factory, session)
    await uow_factory(firing.send_order, check, MARIA, bus)
    assert await uow_factory(firing.fire_course, check, "mains", MARIA, bus) == 2
    assert sorted(await at_kitchen(session, check)) == [
        "Calamari",
        "Pork Chop",
        "Prosecco",
        "Salmon",
    ]
    assert (await statuses(session, check))["Tiramisu"] == "held"
    fired_at = await session.scalar(
        select(CheckCourse.fired_at).where(
            CheckCourse.check_id == check, CheckCourse.course == "mains"
        )
    )
    assert fired_at is not None


async def test_firing_a_course_with_nothing_held_is_refused(uow_factory, session) -> None:
    bus = kitchen()
    check = await _table_of_four(uow_factory, session)
    await uow_factory(firing.send_order, check, MARIA, bus)
    with pytest.raises(BadInput, match="Nothing held in Starters to fire"):
        await uow_factory(firing.fire_course, check, "starters", MARIA, bus)
    with pytest.raises(BadInput, match="Nothing held in Sides to fire"):
        await uow_factory(firing.fire_course, check, "sides", MARIA, bus)


async def test_adding_to_a_course_already_fired_goes_straight_in(uow_factory, session) -> None:
    bus = kitchen()
    check = await _table_of_four(uow_factory, session)
    await uow_factory(firing.send_order, check, MARIA, bus)
    await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Burrata")), MARIA
    )
    await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Cheesecake")), MARIA
    )
    assert await uow_factory(firing.send_order, check, MARIA, bus) == 1
    states = await statuses(session, check)
    assert states["Burrata"] == "fired" and states["Cheesecake"] == "held"


async def test_a_held_line_stays_back_when_its_course_fires(uow_factory, session) -> None:
    bus = kitchen()
    check = await _table_of_four(uow_factory, session)
    await uow_factory(firing.send_order, check, MARIA, bus)
    salmon = await session.scalar(
        select(CheckLine.id).where(CheckLine.check_id == check, CheckLine.name == "Salmon")
    )
    await uow_factory(firing.hold_line, check, salmon, MARIA, True, bus)
    assert await uow_factory(firing.fire_course, check, "mains", MARIA, bus) == 1
    assert (await statuses(session, check))["Salmon"] == "held"
    # Released after its course fired: it goes in at once.
    await uow_factory(firing.hold_line, check, salmon, MARIA, False, bus)
    assert (await statuses(session, check))["Salmon"] == "fired"


async def test_fire_all_sends_everything_held(uow_factory, session) -> None:
    bus = kitchen()
    check = await _table_of_four(uow_factory, session)
    await uow_factory(firing.send_order, check, MARIA, bus)
    assert await uow_factory(firing.fire_all, check, MARIA, bus) == 3
    assert set((await statuses(session, check)).values()) == {"fired"}
    with pytest.raises(BadInput, match="Nothing is held"):
        await uow_factory(firing.fire_all, check, MARIA, bus)


async def test_fired_line_cannot_be_held(uow_factory, session) -> None:
    bus = kitchen()
    check = await _table_of_four(uow_factory, session)
    await uow_factory(firing.send_order, check, MARIA, bus)
    calamari = await session.scalar(
        select(CheckLine.id).where(CheckLine.check_id == check, CheckLine.name == "Calamari")
    )
    with pytest.raises(BadInput, match="already at the kitchen"):
        await uow_factory(firing.hold_line, check, calamari, MARIA, True, bus)
