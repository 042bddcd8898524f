"""The print agent's websocket: jobs go out, acknowledgements come back.

A print agent is a ``Device`` of kind "agent" holding its own token (no PIN, no session):
it sends ``Authorization: Bearer <token>`` on the websocket handshake. The route checks the
token itself (``AgentTokenMiddleware``, on this route only) and the app's role guard then
sees a kitchen-role principal; anything else connecting here (a staff API session, a kitchen
screen) is refused by the handler.

Messages are JSON. Server -> agent: ``{"type": "job", "id", "printer", "address",
"payload" (base64)}``. Agent -> server: ``{"type": "ack", "id"}`` once the printer confirmed,
``{"type": "fail", "id", "reason"}`` when it did not. A job is printed only on its ack.
On every (re)connection the server sends again each job of the agent's printers that is
queued or was sent and never acknowledged; the agent skips ids it already printed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
from typing import Any

from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy import func, select, update

from app.platform.auth import Principal, token_digest
from app.platform.db import UnitOfWork
from app.platform.models import Device
from app.platform.realtime import origin_allowed
from app.platform.web import principal_of
from printers.outcomes import record_failure, record_printed
from printers.service import PRINTERS_CHANNEL, claim_for_agent
from printers.worker import publisher

log = logging.getLogger(__name__)
AGENT_KIND = "agent"
#: The role an agent's principal carries through the app's guard (devices are "kitchen").
AGENT_ROLES = frozenset({"kitchen"})
POLL_S = 1.0


class AgentTokenMiddleware(ASGIMiddleware):
    """Turns a valid agent token into a principal, for this route only."""

    scopes = ("websocket",)  # type: ignore[assignment]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if token and scope.get("principal") is None:
            async with scope["litestar_app"].state.sessionmaker() as session:
                # Stamped at each connection: the Devices screen's "last seen" for an agent.
                device = (
                    await session.execute(
                        update(Device)
                        .where(
                            Device.token_hash == token_digest(token),
                            Device.kind == AGENT_KIND,
                            Device.revoked_at.is_(None),
                        )
                        .values(last_seen_at=func.now())
                        .returning(Device.id, Device.name)
                    )
                ).first()
                await session.commit()
            if device is not None:
                principal = Principal("", "kitchen", device.name, device_id=device.id)
                scope["principal"] = principal  # type: ignore[typeddict-unknown-key]
        await next_app(scope, receive, send)


async def _agent_device(socket: WebSocket[Any, Any, Any]) -> int | None:
    principal = principal_of(socket)
    if principal is None or principal.device_id is None or principal.staff_id is not None:
        return None
    async with socket.app.state.sessionmaker() as session:
        kind = await session.scalar(
            select(Device.kind).where(Device.id == principal.device_id, Device.revoked_at.is_(None))
        )
    return principal.device_id if kind == AGENT_KIND else None


@websocket(
    "/api/v1/print-agent",
    opt={"roles": AGENT_ROLES, "api": True},
    middleware=[AgentTokenMiddleware()],
)
async def print_agent_feed(socket: WebSocket[Any, Any, Any]) -> None:
    app = socket.app
    device_id = await _agent_device(socket)
    if device_id is None or not origin_allowed(socket, app.state.settings.allowed_origins):
        await socket.close(code=4403, reason="print agents only")
        return
    await socket.accept()
    sent: set[int] = set()
    wake = asyncio.Event()

    async def unit(command: Any) -> None:
        async with app.state.sessionmaker() as session:
            uow = UnitOfWork(session, publisher(app.state.channels))
            await command(uow)
            await uow.commit()

    async def push_jobs() -> None:
        try:
            await push_forever()
        except Exception:
            # Without pushes the agent would sit connected and idle: make it reconnect.
            log.exception("print agent feed failed", extra={"device_id": device_id})
            with contextlib.suppress(Exception):
                await socket.close(code=1011, reason="server error")

    async def push_forever() -> None:
        while True:
            async with app.state.sessionmaker() as session:
                claims = await claim_for_agent(session, device_id, sent)
                await session.commit()
            for claim in claims:
                sent.add(claim.job_id)
                await socket.send_text(
                    json.dumps(
                        {
                            "type": "job",
                            "id": claim.job_id,
                            "printer": claim.printer,
                            "address": claim.address,
                            "payload": base64.b64encode(claim.payload).decode(),
                        }
                    )
                )
            wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), POLL_S)

    async def listen() -> None:
        with contextlib.suppress(Exception):  # no wake-ups: the poll still finds the jobs
            async with app.state.channels.start_subscription([PRINTERS_CHANNEL]) as sub:
                async for _ in sub.iter_events():
                    wake.set()

    tasks = [asyncio.create_task(push_jobs()), asyncio.create_task(listen())]
    try:
        while True:
            message = json.loads(await socket.receive_text())
            job_id = message.get("id")
            # Only jobs this connection sent: an agent settles its own jobs, nobody else's.
            if not isinstance(job_id, int) or job_id not in sent:
                continue
            if message.get("type") == "ack":
                await unit(lambda uow, j=job_id: record_printed(uow, j, agent_id=device_id))
            elif message.get("type") == "fail":
                reason = str(message.get("reason") or "not printing")[:80]
                await unit(lambda uow, j=job_id, r=reason: record_failure(uow, j, r))
                wake.set()
            else:
                continue
            # Settled: forget it, so the "sent" list stays short over a whole service.
            sent.discard(job_id)
    except (WebSocketDisconnect, json.JSONDecodeError):
        pass
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
