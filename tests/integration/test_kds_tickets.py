"""Tickets on real PostgreSQL: voids struck and announced, two screens bumping at once,
acknowledgements kept to their own station."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict
from app.orders import corrections
from app.platform.approvals import approve
from app.platform.auth import PinGate
from app.platform.db import UnitOfWork
from kds import bumps, service, views
from kds.models import Ticket
from kds.reads import load_tickets
from tests.conftest import PINS, STAFF_IDS
from tests.demo_ids import station_id
from tests.integration.test_many_hands import kitchen
from tests.web.test_kds_station import MARIA, ODE, send_order, ticket_at


async def test_void_after_fire_reaches_the_station_struck_and_must_be_cleared(
    uow_factory: Any, sessionmaker_: Any, session: AsyncSession
) -> None:
    check = await send_order(uow_factory, session, "2", ["Burrata", "Calamari"], allergies="gluten")
    fired = await ticket_at(session, "Cold", check)
    burrata = (await views.ticket(session, fired.id)).items[0].line_id
    async with sessionmaker_() as s:
        uow = UnitOfWork(s)
        ok = await approve(uow, STAFF_IDS["Mia"], PINS["Mia"], MARIA, PinGate("tablet"))
        await uow.commit()
    await uow_factory(corrections.void_line, check, burrata, "sent by mistake", True, ok, kitchen())

    cold = fired.station_id
    session.expire_all()
    fire, void = await views.open_tickets(session, cold)
    assert (void.kind, [i.name for i in void.items]) == ("void", ["Burrata"])
    assert [(i.name, i.voided) for i in fire.items] == [("Burrata", True), ("Calamari", False)]
    assert views.all_day([fire, void]) == [("Calamari", 1)]
    # The screens' feeds read the same tickets in one query: the same views, struck the same.
    open_at_cold = (Ticket.station_id == cold) & Ticket.bumped_at.is_(None)
    assert await load_tickets(session, open_at_cold) == [fire, void]
    assert await load_tickets(session, Ticket.id.in_([void.id, fire.id])) == [fire, void]
    # A void makes nothing: clearing it needs no allergy confirmation.
    await uow_factory(bumps.bump_ticket, cold, void.id, ODE)
    session.expire_all()
    assert [t.id for t in await views.open_tickets(session, cold)] == [fire.id]


async def test_two_screens_bump_the_same_ticket_at_once_and_exactly_one_wins(
    uow_factory: Any, sessionmaker_: Any, session: AsyncSession
) -> None:
    ticket = await ticket_at(
        session, "Pastry", await send_order(uow_factory, session, "3", ["Tiramisu"])
    )
    async with sessionmaker_() as first, sessionmaker_() as second:
        left = UnitOfWork(first)
        await bumps.bump_ticket(left, ticket.station_id, ticket.id, ODE)
        right = asyncio.create_task(
            bumps.bump_ticket(UnitOfWork(second), ticket.station_id, ticket.id, ODE)
        )
        await asyncio.sleep(0.2)
        assert not right.done(), "the second bump must wait for the first, not race past it"
        await left.commit()
        with pytest.raises(Conflict, match="already bumped"):
            await right


async def test_a_screen_acknowledges_only_its_own_stations_tickets(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await send_order(uow_factory, session, "4", ["Burrata", "Lemonade"])
    cold, bar = await station_id(session, "Cold"), await station_id(session, "Bar")
    assert (await ticket_at(session, "Cold", check)).seq == 1
    assert (await ticket_at(session, "Bar", check)).seq == 1

    assert await uow_factory(service.acknowledge, cold, [1, 1, 2, True, "1", 0]) == [1]
    assert await uow_factory(service.acknowledge, cold, [1]) == []  # the first ack counts

    session.expire_all()
    acked = (
        await session.execute(select(Ticket.station_id, Ticket.acknowledged_at.is_not(None)))
    ).all()
    assert sorted(acked) == sorted([(cold, True), (bar, False)])
