"""A ticket no screen has shown is a table that will not get its food: say so loudly (KDS-2).

Screens acknowledge what they render. A small watcher started with the app looks every few
seconds for tickets still unacknowledged after their station's ``ack_within_s`` and raises
one alert each: on expo (a banner, until a screen acknowledges) and on the floor channel.
Several server processes may each run a watcher; ``SKIP LOCKED`` plus ``alerted_at`` keeps
it to one alert per ticket.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, literal_column, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db import UnitOfWork
from kds.live import run_command
from kds.models import Station, Ticket
from kds.service import EXPO_CHANNEL

log = logging.getLogger(__name__)

#: How often the watcher looks. An alert comes at most this much after it is due.
CHECK_EVERY_S = 2.0
#: At most this many alerts per look: a bounded transaction even after a long outage.
BATCH = 50
_SECOND: ColumnElement[Any] = literal_column("interval '1 second'")


def alert_text(station: str, seq: int, table_name: str) -> str:
    return f"{station} has not seen ticket #{seq} (table {table_name})"


def _unseen() -> tuple[Any, ...]:
    # ack_within_s = 0 means the station has no screen to acknowledge (printer only).
    return (
        Ticket.acknowledged_at.is_(None),
        Ticket.bumped_at.is_(None),
        Station.ack_within_s > 0,
    )


async def raise_overdue(uow: UnitOfWork) -> list[str]:
    """Alert once for each ticket past its station's acknowledgement time."""
    session = uow.session
    due = (
        await session.execute(
            select(Ticket.id, Ticket.seq, Ticket.table_name, Station.name)
            .join(Station, Station.id == Ticket.station_id)
            .where(
                *_unseen(),
                Ticket.alerted_at.is_(None),
                Ticket.fired_at < func.now() - Station.ack_within_s * _SECOND,
            )
            .order_by(Ticket.id)
            .limit(BATCH)
            .with_for_update(of=Ticket, skip_locked=True)
        )
    ).all()
    if not due:
        return []
    await session.execute(
        update(Ticket).where(Ticket.id.in_([row.id for row in due])).values(alerted_at=func.now())
    )
    messages = [alert_text(row.name, row.seq, row.table_name) for row in due]
    for message in messages:
        uow.announce("floor", {"alert": message})
    uow.announce(EXPO_CHANNEL, {"alerts": len(messages)})
    return messages


@dataclass(frozen=True, slots=True)
class OpenAlert:
    ticket_id: int
    text: str
    fired_at: datetime

    # What the floor plan's banner reads (app.floor.alerts.FloorAlert).
    @property
    def key(self) -> str:
        return f"ticket-{self.ticket_id}"

    @property
    def since(self) -> datetime:
        return self.fired_at


async def open_alerts(session: AsyncSession, location_id: int) -> list[OpenAlert]:
    """Alerts still standing: raised, and still no screen has shown the ticket."""
    rows = await session.execute(
        select(Ticket.id, Ticket.seq, Ticket.table_name, Ticket.fired_at, Station.name)
        .join(Station, Station.id == Ticket.station_id)
        .where(*_unseen(), Ticket.alerted_at.is_not(None), Station.location_id == location_id)
        .order_by(Ticket.fired_at, Ticket.id)
        .limit(BATCH)
    )
    return [OpenAlert(r.id, alert_text(r.name, r.seq, r.table_name), r.fired_at) for r in rows]


async def check_once(app: Any) -> list[str]:
    """One look, in its own short transaction; announcements go out after the commit."""
    return await run_command(app, raise_overdue)


async def _watch(app: Any, every_s: float) -> None:
    while True:
        await asyncio.sleep(every_s)
        try:
            for message in await check_once(app):
                log.warning("kitchen alert", extra={"alert": message})
        except asyncio.CancelledError:
            raise
        except Exception:  # a database blip must not stop the alerts for the rest of the night
            log.exception("kitchen alert watcher failed; trying again")


def _watchers(app: Any) -> dict[asyncio.AbstractEventLoop, asyncio.Task[None]]:
    # One watcher per event loop: the test clients may run one app on two loops at once.
    watchers = getattr(app.state, "kds_alert_watchers", None)
    if watchers is None:
        watchers = app.state.kds_alert_watchers = {}
    return watchers


async def start(app: Any) -> None:
    """on_startup: run the watcher for the life of the app."""
    every_s = float(getattr(app.state, "kds_alert_every_s", CHECK_EVERY_S))
    _watchers(app)[asyncio.get_running_loop()] = asyncio.create_task(_watch(app, every_s))


async def stop(app: Any) -> None:
    """on_shutdown, before the engine goes: cancel the watcher and wait for it."""
    task = _watchers(app).pop(asyncio.get_running_loop(), None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
