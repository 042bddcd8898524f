"""The baseline for ``kds_fanout``: a bare Litestar app that only broadcasts.

No database, no templates: ``POST /fire`` publishes a ticket-sized HTML fragment through
Litestar's channels plugin (memory backend) and every websocket on ``/feed`` sends it on, as
the kitchen screens' feed does. ``POST /bump/{ticket}`` announces a removal the same way. Served by
granian like Brigade, so the difference measured is Brigade's own work.

    python -m bench.baseline_app --port 8100
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from typing import Any

from litestar import Litestar, WebSocket, post, websocket
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.exceptions import WebSocketDisconnect
from litestar.params import FromPath

CHANNEL = "station"
#: About the size of a rendered ticket card (one item, a note, the bump buttons).
CARD = (
    '<div id="tickets" hx-swap-oob="beforeend"><article id="ticket-{id}" class="ticket" '
    'data-ticket="{id}" data-seq="{id}"><header class="t-head"><span class="t-table">'
    'Table {table}</span></header><ul class="t-items"><li class="ti"><span class="ti-qty">'
    '1</span><span class="ti-name">Fish &amp; Chips</span><span class="ti-note">{note}</span>'
    "</li></ul>{padding}</article></div>"
)
PADDING = "<!-- " + "x" * 1200 + " -->"


def make_app() -> Litestar:
    plugin = ChannelsPlugin(backend=MemoryChannelsBackend(), arbitrary_channels_allowed=True)
    counter = iter(range(1, 1 << 62))

    @post("/fire", status_code=200)
    async def fire(data: dict[str, Any]) -> dict[str, int]:
        ticket = next(counter)
        card = CARD.format(
            id=ticket, table=data.get("table", ""), note=data.get("note", ""), padding=PADDING
        )
        plugin.publish(card, CHANNEL)
        return {"ticket": ticket}

    @post("/bump/{ticket:int}", status_code=200)
    async def bump(ticket: FromPath[int]) -> dict[str, bool]:
        plugin.publish(f'<div id="ticket-{ticket}" hx-swap-oob="delete"></div>', CHANNEL)
        return {"ok": True}

    @websocket("/feed")
    async def feed(socket: WebSocket[Any, Any, Any]) -> None:
        await socket.accept()
        async with plugin.start_subscription([CHANNEL]) as subscriber:
            await socket.send_text('<div id="tickets" hx-swap-oob="true"></div>')

            async def pump() -> None:
                async for raw in subscriber.iter_events():
                    await socket.send_text(raw.decode())

            task = asyncio.create_task(pump())
            try:
                while True:
                    await socket.receive_text()
            except WebSocketDisconnect:
                pass
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    return Litestar(route_handlers=[fire, bump, feed], plugins=[plugin])


def main() -> None:
    from granian.constants import Interfaces
    from granian.server import Server

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args()
    Server(
        "bench.baseline_app:make_app",
        address="127.0.0.1",
        port=args.port,
        interface=Interfaces.ASGI,
        workers=1,
        factory=True,
        websockets=True,
    ).serve()


if __name__ == "__main__":
    main()
