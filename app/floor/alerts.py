"""Kitchen trouble on the floor plan: a ticket no screen has shown, a printer that is off.

The kitchen and the printers own these problems; the floor only draws them, as a banner
above the plan. ``app.main`` hands the floor its readers (``app.state.floor_alerts``), so
the floor never imports the kitchen. Each reader returns the problems standing now: a
problem that was solved (the ticket was seen, the printer printed) is simply not returned,
and the banner redraws without it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession


class FloorAlert(Protocol):
    @property
    def key(self) -> str:
        """The same problem keeps the same key: a tablet that dismissed it keeps it
        dismissed across redraws; a new problem has a new key and shows again."""
        ...

    @property
    def text(self) -> str: ...

    @property
    def since(self) -> datetime:
        """When the trouble started: the banner says how long it has lasted."""
        ...


AlertReader = Callable[[AsyncSession, int], Awaitable[Sequence[FloorAlert]]]


async def floor_alerts(state: Any, session: AsyncSession, location_id: int) -> list[FloorAlert]:
    """Every standing problem, oldest first (it has waited longest)."""
    readers: Sequence[AlertReader] = getattr(state, "floor_alerts", ())
    found: list[FloorAlert] = []
    for read in readers:
        found.extend(await read(session, location_id))
    return sorted(found, key=lambda alert: alert.since)


def is_alert_event(event: dict[str, Any]) -> bool:
    """``{"alert": text}`` when a problem starts, ``{"alerts": why}`` when one is solved."""
    return "alert" in event or "alerts" in event
