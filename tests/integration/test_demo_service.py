"""The demo's earlier seatings go through the real commands and post like any close."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.models import JournalEntry
from app.demo_service import PARTIES, play_earlier_tonight
from app.orders.models import Check


async def test_earlier_tonight_closes_every_party_and_posts_each_close(
    db_url: str, session: AsyncSession
) -> None:
    assert await play_earlier_tonight(db_url) == len(PARTIES)

    open_checks = await session.scalar(
        select(func.count()).select_from(Check).where(Check.status == "open")
    )
    closed = await session.scalar(
        select(func.count()).select_from(Check).where(Check.status == "closed")
    )
    closes = await session.scalar(
        select(func.count()).select_from(JournalEntry).where(JournalEntry.kind == "close")
    )
    # Every table is free again; the split party closed as two parts (and its parent).
    assert open_checks == 0
    assert closes == closed
    assert closed is not None and closed >= len(PARTIES) + 1
