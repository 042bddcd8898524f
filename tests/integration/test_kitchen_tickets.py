"""Sending to the kitchen: each fired line reaches exactly the stations its category routes to."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders import firing
from app.orders import service as orders
from app.orders.models import Check, CheckLine
from kds.bumps import bump_ticket
from kds.models import Ticket, TicketItem
from kds.service import open_tickets, tickets_after
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id, option_id, station_id, table_id
from tests.integration.test_many_hands import kitchen
from tests.invariants import CLOSED

MARIA = STAFF_IDS["Maria"]


async def _tickets(session: AsyncSession, check: int) -> dict[int, list[str]]:
    session.expire_all()
    rows = (
        await session.execute(
            select(Ticket.station_id, TicketItem.name)
            .join(TicketItem, TicketItem.ticket_id == Ticket.id)
            .where(Ticket.check_id == check)
            .order_by(TicketItem.id)
        )
    ).all()
    out: dict[int, list[str]] = {}
    for station, name in rows:
        out.setdefault(station, []).append(name)
    return out


async def test_mixed_order_fires_drinks_and_starters_and_holds_the_mains(
    uow_factory, session: AsyncSession
) -> None:
    bus = kitchen()
    check = await uow_factory(orders.open_table, await table_id(session, "3"), 2, MARIA, 1)
    steak = orders.NewLine(
        await item_id(session, "Ribeye 12oz"),
        option_ids=[await option_id(session, "Rare"), await option_id(session, "Mash")],
        note="no salt",
        seat=1,
    )
    for new in (
        steak,
        orders.NewLine(await item_id(session, "Burrata"), seat=2),
        orders.NewLine(await item_id(session, "Negroni"), quantity=2),
    ):
        await uow_factory(orders.add_line, check, new, MARIA)
    await uow_factory(firing.send_order, check, MARIA, bus)
    grill, cold, bar, pastry = [
        await station_id(session, n) for n in ("Grill", "Cold", "Bar", "Pastry")
    ]
    # Drinks go at once, the first course goes with the order, the mains wait.
    assert await _tickets(session, check) == {cold: ["Burrata"], bar: ["Negroni"]}
    assert await open_tickets(session, grill) == []
    await uow_factory(firing.fire_course, check, "mains", MARIA, bus)
    assert await _tickets(session, check) == {
        grill: ["Ribeye 12oz"],
        cold: ["Burrata"],
        bar: ["Negroni"],
    }
    (ticket,) = await open_tickets(session, grill)
    assert ticket.items[0].modifiers == "Rare, Mash" and ticket.items[0].note == "no salt"
    assert ticket.items[0].seat == 1 and ticket.table_name == "3" and ticket.server_name == "Maria"
    assert await open_tickets(session, pastry) == []


async def test_sending_more_sends_only_what_is_new(uow_factory, session: AsyncSession) -> None:
    bus = kitchen()
    check = await uow_factory(orders.open_table, await table_id(session, "4"), 2, MARIA, 1)
    await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Calamari")), MARIA
    )
    await uow_factory(firing.send_order, check, MARIA, bus)
    await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Oysters (6)")), MARIA
    )
    await uow_factory(firing.send_order, check, MARIA, bus)
    cold = await station_id(session, "Cold")
    assert [t.items[0].name for t in await tickets_after(session, cold, 0)] == [
        "Calamari",
        "Oysters (6)",
    ]
    assert [t.seq for t in await tickets_after(session, cold, 0)] == [1, 2]
    assert [t.seq for t in await tickets_after(session, cold, 1)] == [2]


async def test_bumped_ticket_leaves_the_screen_but_stays_on_record(
    uow_factory, session: AsyncSession
) -> None:
    bus = kitchen()
    check = await uow_factory(orders.open_table, await table_id(session, "6"), 2, MARIA, 1)
    await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Tiramisu")), MARIA
    )
    await uow_factory(firing.send_order, check, MARIA, bus)
    pastry = await station_id(session, "Pastry")
    (ticket,) = await open_tickets(session, pastry)
    await uow_factory(bump_ticket, pastry, ticket.id, STAFF_IDS["Ode"])
    session.expire_all()
    assert await open_tickets(session, pastry) == []
    assert len(await tickets_after(session, pastry, 0)) == 1


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    picks=st.lists(
        st.sampled_from(["Burrata", "Salmon", "Cheesecake", "Lemonade", "Lamb Rack", "Prosecco"]),
        min_size=1,
        max_size=6,
    )
)
async def test_every_fired_line_reaches_its_station_exactly_once(
    uow_factory, session: AsyncSession, picks: list[str]
) -> None:
    route = {
        "Burrata": "Cold",
        "Salmon": "Grill",
        "Cheesecake": "Pastry",
        "Lemonade": "Bar",
        "Lamb Rack": "Grill",
        "Prosecco": "Bar",
    }
    temperature = await option_id(session, "Medium")
    bus = kitchen()
    table = await table_id(session, "P5")
    check = await uow_factory(orders.open_table, table, 6, MARIA, 1)
    for name in picks:
        options = [temperature] if name == "Lamb Rack" else []
        await uow_factory(
            orders.add_line,
            check,
            orders.NewLine(await item_id(session, name), option_ids=options),
            MARIA,
        )
    await uow_factory(firing.send_order, check, MARIA, bus)
    held = await session.scalar(
        select(func.count()).where(CheckLine.check_id == check, CheckLine.status == "held")
    )
    if held:  # later courses wait for the server; fire them so every line has gone
        await uow_factory(firing.fire_all, check, MARIA, bus)
    expected: dict[int, list[str]] = {}
    for name in picks:
        expected.setdefault(await station_id(session, route[name]), []).append(name)
    assert await _tickets(session, check) == expected
    # Clear the table for Hypothesis's next example (same database, same table).
    await session.execute(update(Check).where(Check.id == check).values(**CLOSED))
    await session.commit()
