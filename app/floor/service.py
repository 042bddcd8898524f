"""The floor plan as tablets see it: every table with its live state."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, case, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.check_math import PricedLine, check_totals
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
    sent = (
        select(CheckLine.check_id.label("check_id"))
        .where(CheckLine.status == "fired")
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
            case(
                (Check.id.is_(None), "free"),
                (sent.c.check_id.is_not(None), "ordered"),
                else_="seated",
            ),
        )
        .outerjoin(Check, (Check.table_id == DiningTable.id) & (Check.status == "open"))
        .outerjoin(Staff, Staff.id == Check.server_id)
        .outerjoin(sent, sent.c.check_id == Check.id)
    )


async def _totals(
    session: AsyncSession, check_ids: list[int], prices_include_tax: bool
) -> dict[int, int]:
    """What each open check owes, tax included: the same arithmetic as the check itself."""
    if not check_ids:
        return {}
    rows = (
        await session.execute(
            select(
                CheckLine.check_id, CheckLine.quantity, CheckLine.unit_price, CheckLine.tax_rate_ppm
            ).where(CheckLine.check_id.in_(check_ids), CheckLine.status != "void")
        )
    ).all()
    lines: dict[int, list[PricedLine]] = defaultdict(list)
    for check_id, quantity, unit_price, rate in rows:
        lines[check_id].append(PricedLine(quantity, unit_price, rate))
    return {
        check_id: check_totals(priced, prices_include_tax=prices_include_tax).total
        for check_id, priced in lines.items()
    }


async def _views(
    session: AsyncSession, rows: Sequence[Row[Any]], prices_include_tax: bool
) -> list[TableView]:
    plain: list[tuple[Any, ...]] = [tuple(r) for r in rows]
    owed = await _totals(session, [r[1] for r in plain if r[1] is not None], prices_include_tax)
    views = []
    for t, check_id, number, guests, opened_at, server, state in plain:
        views.append(
            TableView(
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
                owed.get(check_id, 0),
            )
        )
    return views


async def floor_plan(
    session: AsyncSession, location_id: int, prices_include_tax: bool = False
) -> list[FloorView]:
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
    tables = await _views(session, rows, prices_include_tax)
    return [FloorView(f.id, f.name, [t for t in tables if t.floor_id == f.id]) for f in floors]


async def table_view(
    session: AsyncSession, table_id: int, prices_include_tax: bool = False
) -> TableView:
    rows = (await session.execute(_table_query().where(DiningTable.id == table_id))).all()
    if not rows:
        raise NotFound("That table does not exist.")
    return (await _views(session, rows, prices_include_tax))[0]


async def table_ref(session: AsyncSession, table_id: int) -> TableRef:
    table = await session.get(DiningTable, table_id)
    if table is None:
        raise NotFound("That table does not exist.")
    return TableRef(table.id, table.name)
