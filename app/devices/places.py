"""Where a paired device works: a kitchen screen's station, a print agent's printers.

Stations belong to the kitchen (``kds``) and printers to ``printers``, which ``app`` knows
only in ``main.py``; so the devices screens get them through this seam, wired there as
``app.state.device_places`` (as the floor's alerts are).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class Place:
    id: int
    name: str
    #: A printer's print agent now (None: the server prints to it itself).
    agent_id: int | None = None


class Places(Protocol):
    async def stations(self, session: AsyncSession, location_id: int) -> list[Place]:
        """The stations a kitchen screen can open on (expo included)."""
        ...

    async def printers(self, session: AsyncSession, location_id: int) -> list[Place]:
        """Every printer, with the agent that reaches it."""
        ...

    async def give_printers(
        self, session: AsyncSession, location_id: int, device_id: int, printer_ids: list[int]
    ) -> None:
        """From now on these printers are reached through this print agent."""
        ...


class NoPlaces:
    """An app with no kitchen wired in: nothing to pick."""

    async def stations(self, session: AsyncSession, location_id: int) -> list[Place]:
        return []

    async def printers(self, session: AsyncSession, location_id: int) -> list[Place]:
        return []

    async def give_printers(
        self, session: AsyncSession, location_id: int, device_id: int, printer_ids: list[int]
    ) -> None:
        return None
