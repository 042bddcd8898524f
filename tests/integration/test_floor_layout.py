"""The layout editor under concurrency on real PostgreSQL: two managers, a server seating
guests while a table is removed, double taps. Interleavings are forced: the first command
is written but not committed when the second arrives."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, Conflict, NotFound
from app.floor import geometry, layout
from app.floor.models import DiningTable
from app.orders import service as orders
from app.orders.models import Check
from app.platform.db import UnitOfWork
from tests.conftest import STAFF_IDS
from tests.demo_ids import table_id

MARIA, MIA, OLIVIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"], STAFF_IDS["Olivia"]
LOCATION = 1
PAUSE = 0.3


async def placed(session: AsyncSession, table: int) -> tuple[int, int, int, int]:
    session.expire_all()
    row = (
        await session.execute(
            select(DiningTable.x, DiningTable.y, DiningTable.width, DiningTable.height).where(
                DiningTable.id == table
            )
        )
    ).one()
    return row.x, row.y, row.width, row.height


async def floor_of(session: AsyncSession, table: str) -> int:
    tid = await table_id(session, table)
    return int(await session.scalar(select(DiningTable.floor_id).where(DiningTable.id == tid)) or 0)


async def waits(second: Awaitable[Any]) -> asyncio.Task[Any]:
    """Start the second command and check it is blocked behind the first one's lock."""
    task = asyncio.ensure_future(second)
    await asyncio.sleep(PAUSE)
    assert not task.done(), "the second command must wait for the first, not race past it"
    return task


async def test_two_managers_drag_the_same_table_the_last_drop_wins_without_error(
    sessionmaker_, session: AsyncSession
) -> None:
    seven = await table_id(session, "7")
    async with sessionmaker_() as first, sessionmaker_() as second:
        mia = UnitOfWork(first)
        await layout.move_table(mia, LOCATION, seven, 10, 20)
        olivia = UnitOfWork(second)
        olivias_drag = await waits(layout.move_table(olivia, LOCATION, seven, 40, 50))
        await mia.commit()
        await olivias_drag
        await olivia.commit()
    assert (await placed(session, seven))[:2] == (40, 50)


async def test_resize_while_another_manager_moves_keeps_the_table_on_the_floor(
    sessionmaker_, session: AsyncSession
) -> None:
    seven = await table_id(session, "7")  # 20 wide
    async with sessionmaker_() as first, sessionmaker_() as second:
        mia = UnitOfWork(first)
        await layout.move_table(mia, LOCATION, seven, 78, 30)  # right edge at 98
        olivia = UnitOfWork(second)
        widening = await waits(layout.resize_table(olivia, LOCATION, seven, 30, 14))
        await mia.commit()
        await widening
        await olivia.commit()
    # Olivia's width stands; the table slid left so its far edge is still on the floor.
    assert await placed(session, seven) == (70, 30, 30, 14)


async def test_server_seats_a_table_while_a_manager_removes_it_the_removal_is_refused(
    sessionmaker_, session: AsyncSession
) -> None:
    twelve = await table_id(session, "12")
    async with sessionmaker_() as first, sessionmaker_() as second:
        maria = UnitOfWork(first)
        await orders.open_table(maria, twelve, 2, MARIA, LOCATION)
        mia = UnitOfWork(second)
        removal = await waits(layout.remove_table(mia, LOCATION, twelve, MIA))
        await maria.commit()
        with pytest.raises(Conflict, match=r"Table 12 has check \d+ open \(Maria\)"):
            await removal
        await mia.rollback()
    session.expire_all()
    assert (
        await session.scalar(select(DiningTable.archived_at).where(DiningTable.id == twelve))
        is None
    )


async def test_manager_removes_a_table_while_a_server_seats_it_the_seating_is_refused(
    sessionmaker_, session: AsyncSession
) -> None:
    twelve = await table_id(session, "12")
    async with sessionmaker_() as first, sessionmaker_() as second:
        mia = UnitOfWork(first)
        await layout.remove_table(mia, LOCATION, twelve, MIA)
        maria = UnitOfWork(second)
        seating = await waits(orders.open_table(maria, twelve, 2, MARIA, LOCATION))
        await mia.commit()
        with pytest.raises(NotFound, match="That table does not exist"):
            await seating
        await maria.rollback()
    session.expire_all()
    open_there = await session.scalar(
        select(func.count()).select_from(Check).where(Check.table_id == twelve)
    )
    assert open_there == 0  # never a check on a table that is no longer on the plan


async def test_two_managers_give_two_tables_one_name_the_second_gets_a_clear_refusal(
    sessionmaker_, session: AsyncSession
) -> None:
    one, two = await table_id(session, "1"), await table_id(session, "2")
    async with sessionmaker_() as first, sessionmaker_() as second:
        mia = UnitOfWork(first)
        await layout.edit_table(mia, LOCATION, one, layout.NewTable("Window", "square", 2), MIA)
        olivia = UnitOfWork(second)
        naming = await waits(
            layout.edit_table(olivia, LOCATION, two, layout.NewTable("Window", "square", 2), OLIVIA)
        )
        await mia.commit()
        with pytest.raises(BadInput, match="Dining room already has a table Window"):
            await naming
        await olivia.rollback()
    session.expire_all()
    names = (
        await session.scalars(select(DiningTable.name).where(DiningTable.id.in_([one, two])))
    ).all()
    assert sorted(names) == ["2", "Window"]


async def test_double_tap_on_add_table_adds_one_table(uow_factory, session: AsyncSession) -> None:
    dining_room = await floor_of(session, "1")
    new = layout.NewTable("14", "round", 4)
    taps = [
        uow_factory(layout.add_table, LOCATION, dining_room, new, MIA, key="add-14")
        for _ in range(4)
    ]
    added = await asyncio.gather(*taps)
    assert len(set(added)) == 1
    session.expire_all()
    count = await session.scalar(
        select(func.count()).select_from(DiningTable).where(DiningTable.name == "14")
    )
    assert count == 1


async def test_new_table_goes_where_it_overlaps_no_other_table(
    uow_factory, session: AsyncSession
) -> None:
    dining_room = await floor_of(session, "1")
    new_id = await uow_factory(
        layout.add_table, LOCATION, dining_room, layout.NewTable("14", "square", 4), MIA
    )
    x, y, w, h = await placed(session, new_id)
    others = (
        await session.execute(
            select(DiningTable.x, DiningTable.y, DiningTable.width, DiningTable.height).where(
                DiningTable.floor_id == dining_room, DiningTable.id != new_id
            )
        )
    ).all()
    spot = geometry.Rect(x, y, w, h)
    assert not any(spot.overlaps(geometry.Rect(*other), gap=0) for other in others)
    assert (w, h) == geometry.STARTING["square"][:2]


def test_next_table_name_follows_the_floors_own_numbering() -> None:
    assert geometry.next_name([str(n) for n in range(1, 14)] + ["Bar 1", "Bar 2"]) == "14"
    assert geometry.next_name([f"P{n}" for n in range(1, 9)]) == "P9"
    assert geometry.next_name([]) == "1"
    assert geometry.next_name(["Window", "Booth"]) == "3"


def test_a_full_floor_puts_the_new_table_in_the_middle() -> None:
    everything = [geometry.Rect(0, 0, 100, 100)]
    assert geometry.free_spot(everything, 12, 16) == (44, 42)
