"""Station screens over websockets: one feed per station per process, however many screens.

A feed subscribes once to its station's channel, the floor and routing changes; on a batch
of announcements it reads and renders once (``kds.screen.StationBoard``) and puts the same
text in the outbox of every screen of the station. Announcements that arrive while a read is
in flight are taken together by the next read: the work grows with stations, not screens.

- Order: each screen has one outbox, filled by the feed alone, so every screen applies the
  same messages in the same order. A screen that joins gets the whole board after the
  announcements before its joining and the differences after, never a gap.
- The feed subscribes before its first read, and every few seconds re-reads everything, so an
  announcement lost on the way delays a ticket, never loses it.
- If a read fails, every screen of the station is closed (1011) rather than left open and
  silent: they show "Reconnecting…", reconnect and get a fresh board.
- A screen that stops reading (its outbox past ``MAX_BACKLOG``) is closed the same way.
- Acknowledgements: a ticket's first screen to say it rendered it tells the database; the
  other screens' acknowledgements of the same ticket never reach it (no queue on the row).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from litestar import Litestar, WebSocket
from litestar.channels import ChannelsPlugin
from litestar.exceptions import WebSocketDisconnect

from app.platform.realtime import origin_allowed
from app.platform.web import principal_of
from kds import live, service
from kds.models import Station
from kds.screen import Nudges, StationBoard
from kds.stations import ROUTING_CHANNEL

log = logging.getLogger(__name__)

#: Messages a screen may fall behind before it is closed to reconnect and start afresh.
MAX_BACKLOG = 500
_CLOSE = None  # in an outbox: close the socket so the screen reconnects


class Screen:
    """One connected socket: what the feed has for it, sent in order by its own task."""

    def __init__(self, socket: WebSocket[Any, Any, Any]) -> None:
        self.socket = socket
        self.outbox: asyncio.Queue[str | None] = asyncio.Queue()
        self.gone = False

    def put(self, text: str | None) -> bool:
        if self.gone:
            return False
        if text is not _CLOSE and self.outbox.qsize() >= MAX_BACKLOG:
            self.outbox.put_nowait(_CLOSE)
            return False
        self.outbox.put_nowait(text)
        return True

    async def send_all(self) -> None:
        try:
            while True:
                text = await self.outbox.get()
                if text is _CLOSE:
                    break
                await self.socket.send_text(text)
        except Exception:
            log.debug("kitchen screen send failed", exc_info=True)
        with contextlib.suppress(Exception):
            await self.socket.close(code=1011, reason="update failed")


class StationFeed:
    def __init__(self, app: Litestar, station: Station) -> None:
        self.app = app
        self.station = station
        self.channel = service.station_channel(station.id)
        self.board = StationBoard(app.template_engine, station)  # type: ignore[arg-type]
        self.screens: list[Screen] = []
        self.joining: list[Screen] = []
        self.nudges = Nudges.everything()
        self.wake = asyncio.Event()
        self.acking: set[int] = set()
        self.task = asyncio.create_task(self._run())

    @property
    def empty(self) -> bool:
        return not self.screens and not self.joining

    def join(self, screen: Screen) -> None:
        self.joining.append(screen)
        self.wake.set()

    def leave(self, screen: Screen) -> None:
        screen.gone = True
        for group in (self.screens, self.joining):
            if screen in group:
                group.remove(screen)

    async def _run(self) -> None:
        plugin: ChannelsPlugin = self.app.state.channels
        channels = [self.channel, "floor", ROUTING_CHANNEL]
        async with plugin.start_subscription(channels) as subscriber:
            listener = asyncio.create_task(self._listen(subscriber))
            loop = asyncio.get_running_loop()
            due = loop.time() + live.POLL_S
            try:
                while True:
                    await self._update()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.wake.wait(), timeout=due - loop.time())
                    self.wake.clear()
                    if loop.time() >= due:
                        # The periodic re-check, whatever else is going on.
                        self.nudges = Nudges.everything()
                        due = loop.time() + live.POLL_S
            finally:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await listener

    async def _listen(self, subscriber: Any) -> None:
        async for raw in subscriber.iter_events():
            event = json.loads(raw)
            if isinstance(event, dict):
                self.nudges.add(event)
                if self.nudges:
                    self.wake.set()

    async def _update(self) -> None:
        nudges, self.nudges = self.nudges, Nudges()
        joining, self.joining = self.joining, []
        if joining:
            nudges.all_tickets = True  # a screen's board must be no older than its joining
        if not nudges:
            return
        try:
            async with self.app.state.sessionmaker() as session:
                # One message per batch: a screen applies it whole.
                cards = await self.board.refresh_tickets(session, nudges)
                change = cards + await self.board.refresh_panels(session, nudges)
            if change:
                self.screens = [s for s in self.screens if s.put(change)]
        except Exception:
            log.exception("kitchen screens update failed; closing them so they reconnect")
            for screen in self.screens + joining:
                screen.put(_CLOSE)
            self.screens = []
            self.board = StationBoard(self.app.template_engine, self.station)  # type: ignore[arg-type]
            self.nudges = Nudges.everything()
            return
        if joining:
            board = self.board.snapshot()
            self.screens += [s for s in joining if s.put(board)]

    async def acknowledge(self, seqs: list[Any]) -> None:
        wanted = {s for s in seqs if type(s) is int and s > 0}
        wanted -= self.board.acknowledged | self.acking
        if not wanted:
            return
        self.acking |= wanted
        try:
            done = await live.run_command(self.app, service.acknowledge, self.station.id, wanted)
            self.board.acknowledged.update(done)
        finally:
            self.acking -= wanted


def _feeds(app: Litestar) -> dict[int, StationFeed]:
    feeds: dict[int, StationFeed] | None = app.state.get("kds_feeds")
    if feeds is None:
        feeds = {}
        app.state["kds_feeds"] = feeds
    return feeds


async def station_stream(socket: WebSocket[Any, Any, Any], station: Station) -> None:
    app = socket.app
    if principal_of(socket) is None or not origin_allowed(
        socket, app.state.settings.allowed_origins
    ):
        await socket.close(code=4401, reason="sign in first")
        return
    await socket.accept()
    feeds = _feeds(app)
    feed = feeds.get(station.id)
    if feed is None:
        feed = feeds[station.id] = StationFeed(app, station)
    screen = Screen(socket)
    feed.join(screen)
    sender = asyncio.create_task(screen.send_all())
    try:
        while True:
            message = live.parse(await socket.receive_text())
            if message is not None and isinstance(message.get("ack"), list):
                await feed.acknowledge(message["ack"])
    except WebSocketDisconnect:
        pass
    finally:
        feed.leave(screen)
        if feed.empty and feeds.get(station.id) is feed:
            del feeds[station.id]
            feed.task.cancel()
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender
