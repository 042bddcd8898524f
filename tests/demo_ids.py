"""Look up demo rows by the names staff use, so tests read like a shift."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.floor.models import DiningTable
from app.menu.models import MenuItem, ModifierOption
from kds.models import Station


async def table_id(session: AsyncSession, name: str) -> int:
    return int((await session.scalar(select(DiningTable.id).where(DiningTable.name == name))) or 0)


async def item_id(session: AsyncSession, name: str) -> int:
    return int((await session.scalar(select(MenuItem.id).where(MenuItem.name == name))) or 0)


async def option_id(session: AsyncSession, name: str) -> int:
    return int(
        (await session.scalar(select(ModifierOption.id).where(ModifierOption.name == name))) or 0
    )


async def station_id(session: AsyncSession, name: str) -> int:
    return int((await session.scalar(select(Station.id).where(Station.name == name))) or 0)
