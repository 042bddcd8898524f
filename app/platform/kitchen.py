"""The seam between orders and the kitchen.

Orders announce fired lines here; the kitchen display (and later printers) listen. They are
wired together only in ``app/main.py``, so orders never import the kitchen. Listeners run in
the same transaction as the send: a ticket exists exactly when its lines are marked sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from app.platform.db import UnitOfWork


@dataclass(frozen=True, slots=True)
class FiredLine:
    line_id: int
    category_id: int
    name: str
    quantity: int
    modifiers: str
    note: str
    seat: int | None
    course: str
    #: The menu item, for routing overrides (an item sent to another station than its
    #: category's).
    item_id: int = 0


@dataclass(frozen=True, slots=True)
class FiredOrder:
    check_id: int
    check_number: int
    table_name: str
    server_name: str
    lines: tuple[FiredLine, ...]
    #: The party's allergies: every ticket of the check carries them.
    allergies: str = ""
    #: "fire": make these; "void": stop making these (they were fired before).
    kind: str = "fire"


KitchenListener = Callable[[UnitOfWork, FiredOrder], Awaitable[None]]


class KitchenBus:
    def __init__(self) -> None:
        self._listeners: list[KitchenListener] = []

    def subscribe(self, listener: KitchenListener) -> None:
        self._listeners.append(listener)

    async def fired(self, uow: UnitOfWork, order: FiredOrder) -> None:
        for listener in self._listeners:
            await listener(uow, order)
