"""KDS-6 on real PostgreSQL: over random category -> stations maps and item overrides, set
through the manager's routing commands, every fired line has tickets at exactly the
stations named for it, one each."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders import firing
from app.orders import service as orders
from app.orders.models import Check, CheckLine
from kds.models import Ticket, TicketItem
from kds.stations import route_category, route_item
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id, station_id, table_id
from tests.integration.test_many_hands import kitchen
from tests.invariants import CLOSED
from tests.web.test_kds_routing_screen import category_id

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]
STATIONS = ("Grill", "Cold", "Pastry", "Bar")
MENU = {  # items that need no modifier choice, by category
    "Starters": ("Burrata", "Calamari"),
    "Mains": ("Salmon", "Fish & Chips"),
    "Desserts": ("Tiramisu", "Cheesecake"),
    "Drinks": ("Lemonade", "Prosecco"),
}
ITEMS = [item for items in MENU.values() for item in items]
station_sets = st.frozensets(st.sampled_from(STATIONS))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    categories=st.fixed_dictionaries({name: station_sets for name in MENU}),
    overrides=st.dictionaries(st.sampled_from(ITEMS), station_sets.filter(bool), max_size=4),
    picks=st.lists(st.sampled_from(ITEMS), min_size=1, max_size=6),
)
async def test_each_fired_line_reaches_exactly_the_stations_named_for_it(
    uow_factory: Any,
    session: AsyncSession,
    categories: dict[str, frozenset[str]],
    overrides: dict[str, frozenset[str]],
    picks: list[str],
) -> None:
    ids = {name: await station_id(session, name) for name in STATIONS}
    for name, routed in categories.items():
        await uow_factory(
            route_category, 1, await category_id(session, name), [ids[s] for s in routed], MIA
        )
    for item in ITEMS:
        chosen = [ids[s] for s in overrides[item]] if item in overrides else None
        await uow_factory(route_item, 1, await item_id(session, item), chosen, MIA)

    check = await uow_factory(orders.open_table, await table_id(session, "P5"), 6, MARIA, 1)
    lines = {}
    for name in picks:
        line = await uow_factory(
            orders.add_line, check, orders.NewLine(await item_id(session, name)), MARIA
        )
        lines[int(line)] = name
    await uow_factory(firing.send_order, check, MARIA, kitchen())
    session.expire_all()
    held = await session.scalar(
        select(func.count()).where(CheckLine.check_id == check, CheckLine.status == "held")
    )
    if held:  # later courses wait for the server; fire them so every line has gone
        await uow_factory(firing.fire_all, check, MARIA, kitchen())

    session.expire_all()
    reached = (
        await session.execute(
            select(TicketItem.line_id, Ticket.station_id)
            .join(Ticket, Ticket.id == TicketItem.ticket_id)
            .where(Ticket.check_id == check)
        )
    ).all()
    category_of = {item: cat for cat, items in MENU.items() for item in items}
    for line_id, name in lines.items():
        named = overrides.get(name) or categories[category_of[name]]
        got = [station for line, station in reached if line == line_id]
        assert sorted(got) == sorted(ids[s] for s in named), (name, named)
    # Clear the table for Hypothesis's next example (same database, same table).
    await session.execute(update(Check).where(Check.id == check).values(**CLOSED))
    await session.commit()
