"""``brigade-print-agent``: prints the server's kitchen tickets on printers of the restaurant LAN.

Runs on any small machine next to the printers (network port 9100, USB or serial). It holds
a websocket to the server, prints each job it receives with python-escpos and acknowledges
it; the server counts a job printed only on that acknowledgement.

Never lose, never repeat: the server sends again every job not yet acknowledged whenever the
agent (re)connects, and the agent remembers on disk the ids it printed recently, written
*before* the acknowledgement leaves. A lost ack, a dropped connection or a restarted agent
therefore means "acknowledge again", never "print again".

Its token: ``--pair`` shows a one-time code for a manager to type on the Devices screen and
keeps the token it gets in ``--token-file`` (``printers/agent_pairing.py``); ``--token`` takes
one issued on the console (``brigade print-agent add``).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import logging
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus, WebSocketException

from printers import agent_pairing
from printers.transport import PrintFailed, deliver

log = logging.getLogger("brigade.print_agent")
PATH = "/api/v1/print-agent"
BACKOFF_S = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


class TokenRefused(Exception):
    """The server does not know this token (revoked, mistyped): retrying will not help."""


class PrintedJobs:
    """Ids of jobs printed recently, kept in a small JSON file replaced atomically."""

    def __init__(self, path: Path, keep: int = 5000) -> None:
        self.path, self.keep = path, keep
        self._ids: list[int] = []
        with contextlib.suppress(FileNotFoundError, ValueError):
            self._ids = [int(i) for i in json.loads(path.read_text())]
        self._set = set(self._ids)

    def __contains__(self, job_id: int) -> bool:
        return job_id in self._set

    def add(self, job_id: int) -> None:
        self._ids = [*self._ids, job_id][-self.keep :]
        self._set = set(self._ids)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("w") as file:
            json.dump(self._ids, file)
            file.flush()
            os.fsync(file.fileno())  # on disk before the ack: a power cut cannot undo it
        os.replace(tmp, self.path)


class PrintAgent:
    def __init__(
        self,
        server: str,
        token: str,
        state: Path,
        *,
        timeout_s: float = 5.0,
        deliver: Callable[[str, bytes, float], None] = deliver,
    ) -> None:
        self.url = server.rstrip("/") + PATH
        self.token = token
        self.printed = PrintedJobs(state)
        self.timeout_s = timeout_s
        self._deliver = deliver
        self._socket: ClientConnection | None = None
        #: One queue and one task per printer: a jammed printer never holds up the others,
        #: and a print in progress outlives a dropped connection (its ack goes on the next).
        self._queues: dict[str, asyncio.Queue[dict[str, Any]]] = {}
        self._workers: list[asyncio.Task[None]] = []
        self._pending: set[int] = set()

    async def run(self) -> None:
        """Connect, print, reconnect with backoff; forever (or until the token is refused)."""
        failures = 0
        try:
            while True:
                try:
                    await self.serve_once()
                    failures = 0
                except TokenRefused:
                    raise
                except (OSError, WebSocketException, TimeoutError) as exc:
                    log.warning("connection to %s lost: %s", self.url, exc)
                delay = BACKOFF_S[min(failures, len(BACKOFF_S) - 1)]
                failures += 1
                await asyncio.sleep(delay * random.uniform(0.8, 1.2))  # herds of agents spread
        finally:
            for task in self._workers:
                task.cancel()

    async def serve_once(self) -> None:
        """One connection: take jobs until the server goes away."""
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            async with connect(self.url, additional_headers=headers, proxy=None) as socket:
                log.info("connected to %s", self.url)
                self._socket = socket
                async for raw in socket:
                    self.receive(json.loads(raw))
        except InvalidStatus as exc:
            if exc.response.status_code in (401, 403):
                raise TokenRefused(f"the server refused this agent's token ({self.url})") from exc
            raise
        finally:
            self._socket = None

    def receive(self, message: dict[str, Any]) -> None:
        if message.get("type") != "job":
            return
        job_id = int(message["id"])
        if job_id in self._pending:
            return  # already on its way to the printer; its ack will follow
        self._pending.add(job_id)
        address = str(message["address"])
        if address not in self._queues:
            self._queues[address] = asyncio.Queue()
            self._workers.append(asyncio.create_task(self._printer_loop(address)))
        self._queues[address].put_nowait(message)

    async def _printer_loop(self, address: str) -> None:
        queue = self._queues[address]
        while True:
            message = await queue.get()
            job_id = int(message["id"])
            try:
                await self.handle(job_id, address, base64.b64decode(message["payload"]))
            except Exception:  # one bad job must not stop this printer for the night
                log.exception("job %s could not be handled", job_id)
            finally:
                self._pending.discard(job_id)

    async def handle(self, job_id: int, address: str, payload: bytes) -> None:
        if job_id not in self.printed:
            try:
                await asyncio.to_thread(self._deliver, address, payload, self.timeout_s)
            except PrintFailed as failed:
                await self.send({"type": "fail", "id": job_id, "reason": failed.reason})
                return
            except Exception as exc:  # a bad address, a USB stack error: the server retries
                log.exception("job %s crashed on %s", job_id, address)
                await self.send({"type": "fail", "id": job_id, "reason": f"unreachable ({exc})"})
                return
            await asyncio.to_thread(self.printed.add, job_id)  # fsync: off the event loop
            log.info("printed job %s on %s", job_id, address)
        await self.send({"type": "ack", "id": job_id})

    async def send(self, message: dict[str, Any]) -> None:
        """Best effort: without a connection the server sends the job again later."""
        socket = self._socket
        if socket is None:
            return
        with contextlib.suppress(WebSocketException, OSError):
            await socket.send(json.dumps(message))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="brigade-print-agent", description="Print Brigade's kitchen tickets on the LAN."
    )
    parser.add_argument("--server", required=True, help="ws://brigade.local:8000 (or wss://)")
    parser.add_argument(
        "--token",
        default=os.environ.get("BRIGADE_AGENT_TOKEN"),
        help="the agent's device token (or BRIGADE_AGENT_TOKEN)",
    )
    parser.add_argument(
        "--pair",
        action="store_true",
        help="no token yet: show a pairing code for a manager to type on the Devices screen, "
        "then keep the token in --token-file",
    )
    parser.add_argument(
        "--token-file",
        type=Path,
        default=Path.home() / ".brigade-print-agent.token",
        help="where the paired agent's token is kept (read at every start)",
    )
    parser.add_argument(
        "--state",
        type=Path,
        default=Path.home() / ".brigade-print-agent.json",
        help="file of recently printed job ids (keep it across restarts)",
    )
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds a printer may take")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    token = args.token or agent_pairing.read_token(args.token_file)
    try:
        if not token and args.pair:
            token = asyncio.run(agent_pairing.pair(args.server, args.token_file))
        if not token:
            parser.error("--pair (to pair with a code), --token or BRIGADE_AGENT_TOKEN is required")
        agent = PrintAgent(args.server, token, args.state, timeout_s=args.timeout)
        asyncio.run(agent.run())
    except agent_pairing.PairingFailed as failed:
        print(f"brigade-print-agent: not paired: {failed}", file=sys.stderr)
        return 2
    except TokenRefused as refused:
        again = "" if args.token else f"; to pair again, delete {args.token_file} and use --pair"
        print(f"brigade-print-agent: {refused}{again}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
