"""Moving parties, lines and checks: explicit, audited, and nothing lost or doubled."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, Conflict
from app.orders import moves, party
from app.orders import service as orders
from app.orders.models import Check, CheckLine
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id, table_id

MARIA, SAM = STAFF_IDS["Maria"], STAFF_IDS["Sam"]


async def _open(uow_factory, session, table: str, guests: int, *items: str) -> int:  # type: ignore[no-untyped-def]
    check = await uow_factory(orders.open_table, await table_id(session, table), guests, MARIA, 1)
    for name in items:
        await uow_factory(
            orders.add_line, check, orders.NewLine(await item_id(session, name), seat=1), MARIA
        )
    return int(check)


async def test_party_moves_to_a_free_table(uow_factory, session: AsyncSession) -> None:
    check = await _open(uow_factory, session, "1", 2, "Lemonade")
    await uow_factory(moves.transfer_check, check, await table_id(session, "P1"), MARIA)
    session.expire_all()
    assert (await session.get(Check, check)).table_id == await table_id(session, "P1")  # type: ignore[union-attr]


async def test_party_cannot_move_onto_an_occupied_table(uow_factory, session: AsyncSession) -> None:
    first = await _open(uow_factory, session, "1", 2)
    await _open(uow_factory, session, "2", 2)
    with pytest.raises(Conflict, match="merge the checks instead"):
        await uow_factory(moves.transfer_check, first, await table_id(session, "2"), MARIA)


async def test_merge_brings_every_line_and_renumbers_the_seats(
    uow_factory, session: AsyncSession
) -> None:
    into = await _open(uow_factory, session, "3", 2, "Negroni")
    other = await _open(uow_factory, session, "4", 3, "Prosecco", "Lemonade")
    assert await uow_factory(moves.merge_checks, into, other, SAM) == 2
    session.expire_all()
    merged = await session.get(Check, other)
    assert merged is not None and merged.status == "merged" and merged.merged_into_id == into
    seats = dict(
        (
            await session.execute(
                select(CheckLine.name, CheckLine.seat).where(CheckLine.check_id == into)
            )
        ).all()
    )
    assert seats == {"Negroni": 1, "Prosecco": 3, "Lemonade": 3}
    assert (await session.get(Check, into)).guest_count == 5  # type: ignore[union-attr]
    # The merged table is free again.
    await _open(uow_factory, session, "4", 2)


async def test_two_tablets_moving_lines_across_each_other_lose_nothing(
    uow_factory, session: AsyncSession
) -> None:
    a = await _open(uow_factory, session, "5", 2, "Espresso", "Espresso")
    b = await _open(uow_factory, session, "6", 2, "Cappuccino", "Cappuccino")
    a_lines = (await session.scalars(select(CheckLine.id).where(CheckLine.check_id == a))).all()
    b_lines = (await session.scalars(select(CheckLine.id).where(CheckLine.check_id == b))).all()
    await asyncio.gather(
        uow_factory(moves.move_lines, a, a_lines[:1], b, None, MARIA),
        uow_factory(moves.move_lines, b, b_lines[:1], a, 2, SAM),
    )
    session.expire_all()
    total = await session.scalar(
        select(func.count()).select_from(CheckLine).where(CheckLine.check_id.in_([a, b]))
    )
    assert total == 4
    on_a = sorted(
        (await session.scalars(select(CheckLine.name).where(CheckLine.check_id == a))).all()
    )
    assert on_a == ["Cappuccino", "Espresso"]


async def test_moving_to_a_seat_that_does_not_exist_is_refused(
    uow_factory, session: AsyncSession
) -> None:
    a = await _open(uow_factory, session, "7", 2, "Espresso")
    b = await _open(uow_factory, session, "8", 2)
    line = await session.scalar(select(CheckLine.id).where(CheckLine.check_id == a))
    with pytest.raises(BadInput, match="Seat 5 is not at that table"):
        await uow_factory(moves.move_lines, a, [line], b, 5, MARIA)
    with pytest.raises(BadInput, match="different check"):
        await uow_factory(moves.move_lines, a, [line], a, None, MARIA)


async def test_guest_count_cannot_drop_below_a_seat_with_items(
    uow_factory, session: AsyncSession
) -> None:
    check = await uow_factory(orders.open_table, await table_id(session, "10"), 4, MARIA, 1)
    await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Espresso"), seat=3), MARIA
    )
    with pytest.raises(BadInput, match="Seat 3 still has items"):
        await uow_factory(party.change_guests, check, 2, MARIA)
    await uow_factory(party.change_guests, check, 3, MARIA)
    with pytest.raises(BadInput, match="between 1 and 99"):
        await uow_factory(party.change_guests, check, 0, MARIA)


async def test_allergies_reach_every_later_ticket(uow_factory, session: AsyncSession) -> None:
    from app.orders import firing
    from kds.models import Ticket
    from tests.integration.test_many_hands import kitchen

    check = await _open(uow_factory, session, "11", 2, "Burrata")
    await uow_factory(party.set_party_notes, check, "anniversary", "seat 1 shellfish", MARIA)
    await uow_factory(firing.send_order, check, MARIA, kitchen())
    session.expire_all()
    assert (
        await session.scalars(select(Ticket.allergies).where(Ticket.check_id == check))
    ).all() == ["seat 1 shellfish"]


async def test_repeat_round_orders_the_last_drinks_again(
    uow_factory, session: AsyncSession
) -> None:
    from app.orders import firing
    from tests.integration.test_many_hands import kitchen

    check = await _open(uow_factory, session, "12", 2, "IPA Draft", "Negroni")
    with pytest.raises(BadInput, match="No round"):
        await uow_factory(party.repeat_round, check, MARIA)
    await uow_factory(firing.send_order, check, MARIA, kitchen())
    assert await uow_factory(party.repeat_round, check, MARIA) == 2
    new = (
        await session.scalars(
            select(CheckLine.name)
            .where(CheckLine.check_id == check, CheckLine.status == "new")
            .order_by(CheckLine.id)
        )
    ).all()
    assert new == ["IPA Draft", "Negroni"]
