"""What every ``brigade ...`` chore on the server's console shares: one transaction on the
restaurant's database, and finding a thing by the name staff call it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db import make_engine, make_sessionmaker
from app.platform.models import Location

#: A chore: given the open session and the location's id, the process's exit code.
Chore = Callable[[AsyncSession, int], Awaitable[int]]


def run_chore(url: str, chore: Chore) -> int:
    """Run one chore in one transaction on the first (only) location."""
    return asyncio.run(_run(url, chore))


async def _run(url: str, chore: Chore) -> int:
    engine = make_engine(url, pool="null")
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            location = await session.scalar(select(Location.id).order_by(Location.id).limit(1))
            if location is None:
                print("No restaurant yet: run `brigade init` (or `brigade demo`) first.")
                return 1
            return await chore(session, location)
    finally:
        await engine.dispose()


def named(column: Any, name: str) -> Any:
    """A name as typed matches whatever its case, and only that name: ``%`` and ``_`` are
    letters here, not the wildcards ``ILIKE`` would make them."""
    return func.lower(column) == name.strip().lower()
