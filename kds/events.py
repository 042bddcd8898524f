"""Tickets just created, for whoever else must act on them (the printers).

Listeners run in the same transaction as the send: a print job exists exactly when its
ticket does. The kitchen display knows nothing of printers; app/main.py wires them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.platform.db import UnitOfWork

TicketListener = Callable[[UnitOfWork, list[int]], Awaitable[None]]


class TicketBus:
    def __init__(self) -> None:
        self._listeners: list[TicketListener] = []

    def subscribe(self, listener: TicketListener) -> None:
        self._listeners.append(listener)

    async def created(self, uow: UnitOfWork, ticket_ids: list[int]) -> None:
        if not ticket_ids:
            return
        for listener in self._listeners:
            await listener(uow, ticket_ids)
