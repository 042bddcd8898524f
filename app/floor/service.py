"""Commands on the dining room during service: bussing, sections, and the table other areas see.

The floor plan itself is read in ``app.floor.views`` (re-exported here for the areas that
already ask the floor service for it); the layout editor's commands are in
``app.floor.layout``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.floor.models import DiningTable, Floor
from app.floor.views import (
    SECTION_ROLES,
    FloorView,
    TableView,
    floor_plan,
    table_view,
)
from app.orders.models import Check
from app.platform import audit
from app.platform.db import UnitOfWork
from app.platform.models import Staff

__all__ = [
    "FloorView",
    "TableRef",
    "TableView",
    "assign_section",
    "floor_plan",
    "mark_clean",
    "picked_up",
    "table_needs_bussing",
    "table_ref",
    "table_view",
]


@dataclass(frozen=True, slots=True)
class TableRef:
    id: int
    name: str


async def table_ref(session: AsyncSession, table_id: int) -> TableRef:
    """A table a party can sit at (or a check can name), for other areas' commands.

    Removed tables are refused. The row is share-locked (FOR KEY SHARE) until the caller's
    transaction ends, so a manager removing the table at that moment either waits and then
    sees the new check (and refuses), or commits first and this refuses: never a check on a
    table that is no longer on the plan. Moving the table meanwhile is not blocked.
    """
    table = (
        await session.execute(
            select(DiningTable.id, DiningTable.name, DiningTable.archived_at)
            .where(DiningTable.id == table_id)
            .with_for_update(read=True, key_share=True)
        )
    ).first()
    if table is None or table.archived_at is not None:
        raise NotFound("That table does not exist.")
    return TableRef(table.id, table.name)


async def table_needs_bussing(session: AsyncSession, table_id: int) -> None:
    """The guests have left: the table waits for a busser before the next party.

    For ``close_check`` to call in its own transaction. It announces nothing itself: the
    close already tells the floor about this table, and the plan draws "needs bussing" as
    soon as no check is open on it.
    """
    # The parts of a split check share the table: it is left when the last of them is paid.
    others = select(Check.id).where(Check.table_id == table_id, Check.status == "open")
    done = await session.execute(
        update(DiningTable)
        .where(DiningTable.id == table_id, DiningTable.archived_at.is_(None), ~others.exists())
        .values(bussing_since=func.now())
        .returning(DiningTable.id)
    )
    if done.scalar_one_or_none() is None and await session.get(DiningTable, table_id) is None:
        raise NotFound("That table does not exist.")


async def mark_clean(uow: UnitOfWork, table_id: int, staff_id: int) -> bool:
    """The table is bussed and set. Returns whether it was waiting (a second tap is harmless)."""
    session = uow.session
    waiting = func.extract("epoch", func.now() - DiningTable.bussing_since)
    table = (
        await session.execute(
            select(DiningTable.name, waiting.label("waited")).where(
                DiningTable.id == table_id, DiningTable.archived_at.is_(None)
            )
        )
    ).first()
    if table is None:
        raise NotFound("That table does not exist.")
    # Two people tapping "Mark clean" at once: the second UPDATE finds nothing left to do.
    cleaned = await session.execute(
        update(DiningTable)
        .where(DiningTable.id == table_id, DiningTable.bussing_since.is_not(None))
        .values(bussing_since=None)
        .returning(DiningTable.id)
    )
    if cleaned.scalar_one_or_none() is None:
        return False
    # How long tables wait for a busser is what a manager staffs the next Friday by.
    await audit.record(
        session,
        "mark_clean",
        f"table:{table_id}",
        actor_id=staff_id,
        table=table.name,
        waited_seconds=int(table.waited or 0),
    )
    uow.announce("floor", {"table": table_id})
    return True


async def picked_up(uow: UnitOfWork, table_id: int, staff_id: int) -> bool:
    """The server took the plates from the pass: the table stops showing "food ready".

    Returns whether it was showing it (a second tap, or the next fire that came first, is
    harmless). Only the mark is cleared: the tickets left expo when it passed them.
    """
    session = uow.session
    waiting = func.extract("epoch", func.now() - Check.food_ready_at)
    # The check's own column (kds.expo writes it, the next fire clears it): the floor is
    # the one place a server says the food went out. Locked, so two taps audit once.
    done = (
        await session.execute(
            select(Check.id, waiting.label("waited"))
            .where(
                Check.table_id == table_id,
                Check.status == "open",
                Check.food_ready_at.is_not(None),
            )
            .with_for_update()
        )
    ).first()
    if done is None:
        if await session.get(DiningTable, table_id) is None:
            raise NotFound("That table does not exist.")
        return False
    await session.execute(
        update(Check)
        .where(Check.id == done.id, Check.food_ready_at.is_not(None))
        .values(food_ready_at=None)
    )
    check_id, waited = done
    # How long plates sat at the pass is what expo and the floor manager talk about.
    await audit.record(
        session,
        "food_picked_up",
        f"check:{check_id}",
        actor_id=staff_id,
        table=table_id,
        waited_seconds=int(waited or 0),
    )
    uow.announce("floor", {"table": table_id})
    uow.announce(f"check:{check_id}", {"check": check_id, "food_ready": False})
    return True


async def assign_section(
    uow: UnitOfWork, table_id: int, server_id: int | None, manager_id: int, location_id: int
) -> int:
    """Put the table in a server's section (or in nobody's). Returns the table's floor."""
    session = uow.session
    table = (
        await session.execute(
            select(DiningTable.id, DiningTable.name, DiningTable.floor_id, DiningTable.server_id)
            .join(Floor, Floor.id == DiningTable.floor_id)
            .where(
                DiningTable.id == table_id,
                DiningTable.archived_at.is_(None),
                Floor.location_id == location_id,
            )
            .with_for_update(of=DiningTable, key_share=True)
        )
    ).first()
    if table is None:
        raise NotFound("That table does not exist.")
    if server_id is not None:
        server = (
            await session.execute(
                select(Staff.name, Staff.role, Staff.active).where(
                    Staff.id == server_id, Staff.location_id == location_id
                )
            )
        ).first()
        if server is None or not server.active:
            raise NotFound("That server is not on the staff list.")
        if server.role not in SECTION_ROLES:
            raise BadInput(f"{server.name} is a {server.role}; only floor staff have sections.")
    if table.server_id == server_id:
        return int(table.floor_id)
    await session.execute(
        update(DiningTable).where(DiningTable.id == table_id).values(server_id=server_id)
    )
    await audit.record(
        session,
        "assign_section",
        f"table:{table_id}",
        actor_id=manager_id,
        table=table.name,
        from_server=table.server_id,
        to_server=server_id,
    )
    uow.announce("floor", {"table": table_id})
    return int(table.floor_id)
