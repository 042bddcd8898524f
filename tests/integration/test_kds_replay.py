"""KDS-1 over real sockets: every fired ticket reaches its station's screen exactly once, in
order, whatever the disconnects and server restarts in between.

The real server (``brigade serve``) runs as a subprocess on this test's database. Screens
are websocket clients of the JSON feed that drop at random and reconnect with the last
number they saw, while a tablet fires orders over the API from another thread. The second
test kills the server (SIGKILL) mid-service and starts a new one on the same database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import pytest
from websockets.exceptions import InvalidStatus, WebSocketException
from websockets.sync.client import connect

from tests import pg
from tests.conftest import API_KEY, api_sign_in_body
from tests.e2e.server import ROOT, brigade_command, free_port

SENDS = 24
STATIONS = ("Bar", "Cold")  # each send: a Lemonade for the bar, a Burrata for cold


@dataclass
class Server:
    """``brigade serve`` on one port; ``restart`` kills it and starts a new one."""

    db_url: str
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=lambda: Path(tempfile.mkstemp(suffix=".log")[1]))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "BRIGADE_DATABASE_URL": self.db_url, "BRIGADE_WORKERS": "1"}
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [brigade_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            time.sleep(0.1)
        raise AssertionError(f"server did not start:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """kill -9 the server and its workers: no goodbye to any socket."""
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


@pytest.fixture
def server(db_url: str) -> Iterator[Server]:
    running = Server(db_url)
    running.start()
    try:
        yield running
    finally:
        running.kill()
        running.log.unlink(missing_ok=True)


def query(db_url: str, sql: str) -> list[asyncpg.Record]:
    async def run() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(pg.raw(db_url))
        try:
            return list(await conn.fetch(sql))
        finally:
            await conn.close()

    return asyncio.run(run())


def ids(db_url: str) -> dict[str, int]:
    rows = query(
        db_url,
        "SELECT 'station:' || name AS k, id FROM station UNION ALL "
        "SELECT 'item:' || name, id FROM menu_item UNION ALL "
        "SELECT 'table:' || name, id FROM dining_table",
    )
    return {r["k"]: r["id"] for r in rows}


def token(server: Server, name: str) -> str:
    while True:  # the server may be restarting
        with contextlib.suppress(httpx.HTTPError):
            made = httpx.post(
                f"{server.url}/api/v1/sessions",
                json=api_sign_in_body(name),
                headers=API_KEY,
                timeout=5,
            )
            if made.status_code == 201:
                return str(made.json()["token"])
        time.sleep(0.1)


def tablet(server: Server, known: dict[str, int], after_each_send: object = None) -> None:
    """Maria fires SENDS orders; every request is retried with its idempotency key until the
    server answers, so a restart neither loses nor doubles a line or a send."""
    bearer = {"Authorization": f"Bearer {token(server, 'Maria')}"}

    def post(path: str, body: object = None) -> dict[str, int]:
        key = uuid.uuid4().hex
        while True:
            with contextlib.suppress(httpx.HTTPError):
                answer = httpx.post(
                    server.url + path,
                    json=body,
                    headers={**bearer, "Idempotency-Key": key},
                    timeout=5,
                )
                if answer.status_code < 500:
                    assert answer.status_code < 300, answer.text
                    return dict(answer.json())
            time.sleep(0.05)

    check = post("/api/v1/checks", {"table_id": known["table:P5"], "guests": 2})["check_id"]
    for n in range(SENDS):
        for item in ("Lemonade", "Burrata"):
            post(f"/api/v1/checks/{check}/lines", {"item_id": known[f"item:{item}"]})
        assert post(f"/api/v1/checks/{check}/send") == {"sent": 2}
        if callable(after_each_send):
            after_each_send(n)


@dataclass
class Screen:
    """A wall screen on the JSON feed that drops its connection at random."""

    server: Server
    station: int
    bearer: str
    seed: int
    received: list[int] = field(default_factory=list)
    connections: int = 0
    target: int | None = None  # the station's last number, once the tablet is done

    def run(self, deadline: float) -> None:
        rng = random.Random(self.seed)
        while time.monotonic() < deadline:
            last = self.received[-1] if self.received else 0
            if self.target is not None and last >= self.target:
                return
            url = f"ws://127.0.0.1:{self.server.port}/api/v1/kds/{self.station}/feed?after={last}"
            try:
                with connect(url, additional_headers={"Authorization": self.bearer}) as ws:
                    self.connections += 1
                    for _ in range(rng.randint(1, 5)):  # then drop, one way or another
                        ticket = json.loads(ws.recv(timeout=rng.uniform(0.05, 0.6)))
                        self.received.append(ticket["seq"])
                        if rng.random() < 0.5:
                            ws.send(json.dumps({"ack": [ticket["seq"]]}))
                    if rng.random() < 0.5:
                        ws.close_socket()  # the network just goes: no closing handshake
            except (TimeoutError, WebSocketException, InvalidStatus, OSError):
                time.sleep(rng.uniform(0, 0.2))


def run_service(
    server: Server, restart_after: int | None = None
) -> tuple[dict[int, list[int]], list[Screen]]:
    """Fire SENDS orders while the screens drop and reconnect; returns what was fired per
    station (read from the database) and the screens."""
    known = ids(server.db_url)
    bearer = f"Bearer {token(server, 'Ode')}"
    screens = [
        Screen(server, known[f"station:{name}"], bearer, seed)
        for seed, name in enumerate(STATIONS * 2)  # two screens per station
    ]
    deadline = time.monotonic() + 120
    threads = [threading.Thread(target=s.run, args=(deadline,)) for s in screens]
    for thread in threads:
        thread.start()

    def maybe_restart(n: int) -> None:
        if n == restart_after:
            server.kill()
            server.start()  # a new app on the same database (and port)

    tablet(server, known, maybe_restart)
    fired: dict[int, list[int]] = {}
    for row in query(server.db_url, "SELECT station_id, seq FROM kitchen_ticket ORDER BY seq"):
        fired.setdefault(row["station_id"], []).append(row["seq"])
    for screen in screens:
        screen.target = fired[screen.station][-1]
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic()))
    return fired, screens


def assert_every_screen_got_every_ticket_once_in_order(
    fired: dict[int, list[int]], screens: list[Screen]
) -> None:
    assert sorted(fired) == sorted({s.station for s in screens})
    assert all(s.connections >= 4 for s in screens), "the screens hardly dropped: no test"
    for screen in screens:
        assert screen.received == fired[screen.station], screen.station
    # Every (station, seq) fired was received, and nothing else.
    received = {(s.station, seq) for s in screens for seq in s.received}
    assert received == {(station, seq) for station, seqs in fired.items() for seq in seqs}


def test_screens_dropping_at_random_get_every_ticket_once_in_order(server: Server) -> None:
    fired, screens = run_service(server)
    assert all(len(seqs) == SENDS for seqs in fired.values())
    assert_every_screen_got_every_ticket_once_in_order(fired, screens)


def test_server_killed_mid_service_and_restarted_loses_and_doubles_nothing(
    server: Server,
) -> None:
    fired, screens = run_service(server, restart_after=SENDS // 3)
    # Retried requests after the kill made no second line and no second ticket.
    assert {station: len(seqs) for station, seqs in fired.items()} == {
        s.station: SENDS for s in screens
    }
    assert_every_screen_got_every_ticket_once_in_order(fired, screens)
