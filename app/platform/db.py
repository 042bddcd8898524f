"""Database engine, the declarative base, and the unit of work every command runs in.

One command is one transaction. Realtime announcements collected during the command are
published only after the commit, so a tablet is never told about state that rolled back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, MetaData, func
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import NullPool

from app.platform.closing import BackOfficeBus

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {int: BigInteger, datetime: DateTime(timezone=True)}


def created_at_column() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


def make_engine(url: str, pool: str = "queue") -> AsyncEngine:
    kwargs: dict[str, Any] = {"pool_pre_ping": False}
    if pool == "null":
        kwargs["poolclass"] = NullPool
    else:
        kwargs.update(pool_size=10, max_overflow=20)
    return create_async_engine(url, **kwargs)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


Announce = Callable[[str, Any], Awaitable[None]]


class UnitOfWork:
    """A session plus the announcements to send once it commits."""

    def __init__(
        self,
        session: AsyncSession,
        announce: Announce | None = None,
        back_office: BackOfficeBus | None = None,
    ) -> None:
        self.session = session
        self._announce = announce
        #: Where closes and money moves are posted (accounting, inventory, guests): wired in
        #: app/main.py. None only for commands that never move money (the kitchen, printers).
        self.back_office = back_office
        self._pending: list[tuple[str, Any]] = []
        self._last_steps: list[Callable[[], Awaitable[None]]] = []

    @property
    def books(self) -> BackOfficeBus:
        """The back office, for a command that moves money: refused loudly when not wired
        (a close that posted nowhere would be money the books never see)."""
        if self.back_office is None:
            raise RuntimeError("This unit of work moves money but has no back office wired.")
        return self.back_office

    def last_step(self, step: Callable[[], Awaitable[None]]) -> None:
        """Run ``step`` in this transaction just before it commits.

        For writes that take a hot lock (a station's ticket counter): done last, the lock is
        held for the commit only, not for the rest of the command and the page it renders.
        """
        self._last_steps.append(step)

    def announce(self, channel: str, message: Any) -> None:
        """Queue a realtime announcement; sent after commit, dropped on rollback."""
        if (channel, message) not in self._pending:
            self._pending.append((channel, message))

    async def run_last_steps(self) -> None:
        """The last steps, now (for a caller that commits the session itself: the demo)."""
        while self._last_steps:
            step = self._last_steps.pop(0)
            await step()

    async def commit(self) -> None:
        await self.run_last_steps()
        await self.session.commit()
        pending, self._pending = self._pending, []
        if self._announce is not None:
            for channel, message in pending:
                await self._announce(channel, message)

    async def rollback(self) -> None:
        self._pending.clear()
        self._last_steps.clear()
        await self.session.rollback()
