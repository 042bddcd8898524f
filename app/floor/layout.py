"""The manager's layout editor: add, move, resize, turn, rename and remove tables.

Each command is one small change (one drag, one tap), so two managers editing the same
room never overwrite more than the one thing both touched: the last drag wins, nobody gets
an error. Every change is announced on "floor" so each tablet redraws the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, Conflict, NotFound
from app.floor import geometry
from app.floor.floors import floor_here
from app.floor.models import DiningTable, Floor
from app.orders.models import Check
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork
from app.platform.models import Staff


@dataclass(frozen=True, slots=True)
class NewTable:
    name: str
    shape: str = "square"
    seats: int = 4


def _here(location_id: int) -> ColumnElement[bool]:
    """Tables of this restaurant that are still on the plan."""
    return DiningTable.archived_at.is_(None) & DiningTable.floor_id.in_(
        select(Floor.id).where(Floor.location_id == location_id)
    )


async def _free_the_name(
    session: AsyncSession, floor: Floor, name: str, table_id: int | None = None
) -> int | None:
    """Refuse a name another table on this floor has. A removed table keeps its name in old
    checks; returns its id so the caller can bring it back or move the name aside."""
    holders = (
        await session.execute(
            select(DiningTable.id, DiningTable.name, DiningTable.archived_at).where(
                DiningTable.floor_id == floor.id,
                func.lower(DiningTable.name) == name.lower(),
                DiningTable.id != (table_id or 0),
            )
        )
    ).all()
    if any(h.archived_at is None for h in holders):
        raise BadInput(f"{floor.name} already has a table {name}. Pick another name.")
    return next((h.id for h in holders if h.name == name), None)


def _duplicate(floor: Floor, name: str) -> BadInput:
    # Two managers typed the same name at the same moment: the unique index caught it.
    return BadInput(f"{floor.name} already has a table {name}. Pick another name.")


async def add_table(
    uow: UnitOfWork,
    location_id: int,
    floor_id: int,
    new: NewTable,
    manager_id: int,
    key: str | None = None,
) -> int:
    """Put a new table on a free spot of the floor. Returns its id."""
    session = uow.session
    payload = {"floor": floor_id, "name": new.name, "shape": new.shape, "seats": new.seats}
    claim = await idempotency.claim(session, key, "add_table", payload)
    if claim.replay is not None:
        return int(claim.replay["table_id"])
    name = geometry.table_name(new.name)
    shape = geometry.shape(new.shape)
    seats = geometry.seats(new.seats)
    floor = await floor_here(session, location_id, floor_id)
    removed = await _free_the_name(session, floor, name)
    width, height, _ = geometry.STARTING[shape]
    taken = (
        await session.execute(
            select(DiningTable.x, DiningTable.y, DiningTable.width, DiningTable.height).where(
                DiningTable.floor_id == floor.id, DiningTable.archived_at.is_(None)
            )
        )
    ).all()
    x, y = geometry.free_spot((geometry.Rect(*r) for r in taken), width, height)
    values: dict[str, Any] = {
        "shape": shape,
        "seats": seats,
        "x": x,
        "y": y,
        "width": width,
        "height": height,
        "rotation": 0,
        "server_id": None,
        "bussing_since": None,
        "archived_at": None,
    }
    try:
        if removed is not None:
            # Table 7 removed last month and added again is the same table 7: its old
            # checks and its new ones stay together in the reports.
            await session.execute(
                update(DiningTable).where(DiningTable.id == removed).values(**values)
            )
            table_id = removed
        else:
            table_id = (
                await session.execute(
                    insert(DiningTable)
                    .values(floor_id=floor.id, name=name, **values)
                    .returning(DiningTable.id)
                )
            ).scalar_one()
    except IntegrityError:
        raise _duplicate(floor, name) from None
    await audit.record(
        session,
        "add_table",
        f"table:{table_id}",
        actor_id=manager_id,
        floor=floor.name,
        table=name,
        shape=shape,
        seats=seats,
    )
    uow.announce("floor", {"floor": floor.id})
    await idempotency.remember(session, claim, {"table_id": table_id})
    return int(table_id)


async def _place(
    uow: UnitOfWork,
    location_id: int,
    table_id: int,
    command: str,
    values: dict[str, Any],
    key: str | None,
) -> None:
    """One UPDATE of the table's place on the plan: the row lock orders two managers'
    drags, and the second simply wins."""
    session = uow.session
    claim = await idempotency.claim(session, key, command, {"table": table_id, **values})
    if claim.replay is not None:
        return
    moved = await session.execute(
        update(DiningTable)
        .where(DiningTable.id == table_id, _here(location_id))
        .values(**values)
        .returning(DiningTable.id)
        .execution_options(synchronize_session=False)
    )
    if moved.scalar_one_or_none() is None:
        raise NotFound("That table does not exist.")
    uow.announce("floor", {"table": table_id})
    await idempotency.remember(session, claim, {})


async def move_table(
    uow: UnitOfWork, location_id: int, table_id: int, x: int, y: int, key: str | None = None
) -> None:
    x, y = geometry.position(x, y)
    # The far edge stays on the floor, whatever width another manager has just given it.
    values = {
        "x": func.greatest(0, func.least(x, 100 - DiningTable.width)),
        "y": func.greatest(0, func.least(y, 100 - DiningTable.height)),
    }
    await _place(uow, location_id, table_id, "move_table", values, key)


async def resize_table(
    uow: UnitOfWork,
    location_id: int,
    table_id: int,
    width: int,
    height: int,
    key: str | None = None,
) -> None:
    width, height = geometry.size(width, height)
    values = {
        "width": width,
        "height": height,
        "x": func.least(DiningTable.x, 100 - width),
        "y": func.least(DiningTable.y, 100 - height),
    }
    await _place(uow, location_id, table_id, "resize_table", values, key)


async def rotate_table(
    uow: UnitOfWork, location_id: int, table_id: int, degrees: int, key: str | None = None
) -> None:
    values = {"rotation": geometry.rotation(degrees)}
    await _place(uow, location_id, table_id, "rotate_table", values, key)


async def _locked_table(
    session: AsyncSession, location_id: int, table_id: int, *, remove: bool = False
) -> DiningTable:
    # Removing takes FOR UPDATE: it waits for anyone seating a party there (their FOR KEY
    # SHARE), then sees their check. Renaming only needs FOR NO KEY UPDATE.
    table = await session.scalar(
        select(DiningTable)
        .where(DiningTable.id == table_id, _here(location_id))
        .with_for_update(key_share=not remove)
    )
    if table is None:
        raise NotFound("That table does not exist.")
    return table


async def edit_table(
    uow: UnitOfWork,
    location_id: int,
    table_id: int,
    new: NewTable,
    manager_id: int,
    key: str | None = None,
) -> None:
    """Rename the table, change its seats or its shape."""
    session = uow.session
    payload = {"table": table_id, "name": new.name, "shape": new.shape, "seats": new.seats}
    claim = await idempotency.claim(session, key, "edit_table", payload)
    if claim.replay is not None:
        return
    name = geometry.table_name(new.name)
    shape = geometry.shape(new.shape)
    seats = geometry.seats(new.seats)
    table = await _locked_table(session, location_id, table_id)
    floor = await floor_here(session, location_id, table.floor_id)
    before = {"name": table.name, "shape": table.shape, "seats": table.seats}
    if name != table.name:
        removed = await _free_the_name(session, floor, name, table.id)
        if removed is not None:
            # A removed table holds the name; its old checks now read "7·41".
            suffix = f"·{removed}"
            await session.execute(
                update(DiningTable)
                .where(DiningTable.id == removed)
                .values(name=name[: geometry.NAME_LENGTH - len(suffix)] + suffix)
            )
    try:
        await session.execute(
            update(DiningTable)
            .where(DiningTable.id == table.id)
            .values(name=name, shape=shape, seats=seats)
            .execution_options(synchronize_session=False)
        )
    except IntegrityError:
        raise _duplicate(floor, name) from None
    after = {"name": name, "shape": shape, "seats": seats}
    if after != before:
        await audit.record(
            session,
            "edit_table",
            f"table:{table.id}",
            actor_id=manager_id,
            before=before,
            after=after,
        )
    uow.announce("floor", {"table": table.id})
    await idempotency.remember(session, claim, {})


async def remove_table(
    uow: UnitOfWork, location_id: int, table_id: int, manager_id: int, key: str | None = None
) -> int:
    """Take the table off the plan (archive it: old checks still name it). Returns its floor.

    Refused while a party sits there: their check must move or close first.
    """
    session = uow.session
    claim = await idempotency.claim(session, key, "remove_table", {"table": table_id})
    if claim.replay is not None:
        return int(claim.replay["floor_id"])
    table = await _locked_table(session, location_id, table_id, remove=True)
    holder = (
        await session.execute(
            select(Check.number, Staff.name)
            .join(Staff, Staff.id == Check.server_id)
            .where(Check.table_id == table.id, Check.status == "open")
        )
    ).first()
    if holder is not None:
        raise Conflict(
            f"Table {table.name} has check {holder.number} open ({holder.name}). "
            "Close the check or move the party to another table first."
        )
    await session.execute(
        update(DiningTable)
        .where(DiningTable.id == table.id)
        .values(archived_at=func.now(), bussing_since=None)
        .execution_options(synchronize_session=False)
    )
    await audit.record(
        session, "remove_table", f"table:{table.id}", actor_id=manager_id, table=table.name
    )
    uow.announce("floor", {"floor": table.floor_id})
    await idempotency.remember(session, claim, {"floor_id": table.floor_id})
    return int(table.floor_id)


async def suggested_name(session: AsyncSession, floor_id: int) -> str:
    names = await session.scalars(
        select(DiningTable.name).where(
            DiningTable.floor_id == floor_id, DiningTable.archived_at.is_(None)
        )
    )
    return geometry.next_name(list(names.all()))
