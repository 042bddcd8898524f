"""The floor plan as tablets see it: every table with its live state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound
from app.floor.models import DiningTable, Floor
from app.orders.models import Check, CheckLine
from app.platform.models import Staff


@dataclass(frozen=True, slots=True)
class TableView:
    id: int
    floor_id: int
    name: str
    shape: str
    seats: int
    x: int
    y: int
    width: int
    height: int
    #: free, seated (open check, nothing sent), ordered (something sent)
    state: str
    check_id: int | None = None
    check_number: int | None = None
    guests: int | None = None
    server: str | None = None
    opened_at: datetime | None = None
    amount: int = 0


@dataclass(frozen=True, slots=True)
class FloorView:
    id: int
    name: str
    tables: list[TableView]


@dataclass(frozen=True, slots=True)
class TableRef:
    id: int
    name: str


def _table_query() -> Select[Any]:
    live = (
        select(
            CheckLine.check_id.label("check_id"),
            func.sum(CheckLine.quantity * CheckLine.unit_price).label("amount"),
            func.bool_or(CheckLine.status == "sent").label("sent"),
        )
        .where(CheckLine.status != "void")
        .group_by(CheckLine.check_id)
        .subquery()
    )
    return (
        select(
            DiningTable,
            Check.id,
            Check.number,
            Check.guest_count,
            Check.opened_at,
            Staff.name,
            func.coalesce(live.c.amount, 0),
            case((Check.id.is_(None), "free"), (live.c.sent, "ordered"), else_="seated"),
        )
        .outerjoin(Check, (Check.table_id == DiningTable.id) & (Check.status == "open"))
        .outerjoin(Staff, Staff.id == Check.server_id)
        .outerjoin(live, live.c.check_id == Check.id)
    )


def _view(row: Row[Any] | tuple[Any, ...]) -> TableView:
    t, check_id, number, guests, opened_at, server, amount, state = tuple(row)
    return TableView(
        t.id,
        t.floor_id,
        t.name,
        t.shape,
        t.seats,
        t.x,
        t.y,
        t.width,
        t.height,
        state,
        check_id,
        number,
        guests,
        server,
        opened_at,
        int(amount),
    )


async def floor_plan(session: AsyncSession, location_id: int) -> list[FloorView]:
    floors = (
        await session.scalars(
            select(Floor).where(Floor.location_id == location_id).order_by(Floor.sort, Floor.id)
        )
    ).all()
    rows = (
        await session.execute(
            _table_query()
            .where(DiningTable.floor_id.in_([f.id for f in floors]))
            .order_by(DiningTable.id)
        )
    ).all()
    tables = [_view(row) for row in rows]
    return [FloorView(f.id, f.name, [t for t in tables if t.floor_id == f.id]) for f in floors]


async def table_view(session: AsyncSession, table_id: int) -> TableView:
    row = (await session.execute(_table_query().where(DiningTable.id == table_id))).first()
    if row is None:
        raise NotFound("That table does not exist.")
    return _view(row)


async def table_ref(session: AsyncSession, table_id: int) -> TableRef:
    table = await session.get(DiningTable, table_id)
    if table is None:
        raise NotFound("That table does not exist.")
    return TableRef(table.id, table.name)
