"""Several server processes on one database: a ticket fired through one process reaches the
kitchen screens connected to another, over Redis channels (docs/scaling.md).

Two real ``brigade serve`` processes share a fresh demo database and a Redis server; a grill
screen is signed in on each; Maria fires an order through the JSON API of one of them.

Every kitchen screen also re-reads the database every few seconds (``kds.live.POLL_S``), so a
broken channel would still deliver, late. Each wait here is shorter than that re-check: a
ticket that arrives in time came over Redis.

Needs Redis at ``BRIGADE_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``): skipped when
it is not reachable, except on CI (``CI`` set), where that fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from app.platform.realtime import MAX_BACKOFF_S
from kds.live import POLL_S
from tests.conftest import API_KEY, CSRF, PINS, STAFF_IDS, api_sign_in_body
from tests.e2e.server import brigade_command, free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("BRIGADE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
GRILL = "Grill"
TABLE = "12"
ITEM = "Fish & Chips"  # a main with no required choices: routed to the grill alone
#: A ticket must arrive well before a screen's own re-check of the database could find it.
ARRIVES_WITHIN_S = min(2.0, POLL_S / 2)
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 15.0


def _redis_problem(url: str) -> str | None:
    """Why Redis cannot be used, or None."""
    try:
        import redis  # noqa: F401
    except ImportError:
        return "the redis client is not installed (pip install 'brigade-pos[redis]')"
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    try:
        with socket.create_connection((host, port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            reply = conn.recv(64)
    except OSError as exc:
        return f"nothing answers at {host}:{port} ({exc})"
    if not reply.startswith(b"+PONG"):
        return f"{host}:{port} answered {reply[:40]!r}, not PONG"
    return None


@pytest.fixture(scope="module")
def redis_url() -> str:
    problem = _redis_problem(REDIS_URL)
    if problem:
        message = f"Redis is needed for the several-process tests: {problem}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return REDIS_URL


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _wait_healthy(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"brigade serve exited early:\n{server.log()[-3000:]}")
        with (
            contextlib.suppress(OSError, urllib.error.URLError),
            urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as answer,  # noqa: S310
        ):
            if answer.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"brigade serve did not start:\n{server.log()[-3000:]}")


def _stop(server: Server) -> int:
    """SIGTERM, as a service manager would; the exit code (killed if it hangs)."""
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
    try:
        return server.proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.proc.pid, signal.SIGKILL)  # its own session: only its workers
        server.proc.wait(timeout=5)
        return -9


@contextlib.contextmanager
def serving(database_url: str, channels: str) -> Iterator[Server]:
    port = free_port()
    log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - open for the server's life
        prefix="brigade-mp-", suffix=".log", delete=False
    )
    env = {
        **os.environ,
        "BRIGADE_DATABASE_URL": database_url,
        "BRIGADE_CHANNELS": channels,
        "BRIGADE_WORKERS": "1",
        "BRIGADE_SECRET_KEY": secrets.token_urlsafe(32),
    }
    proc = subprocess.Popen(
        [brigade_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(f"http://127.0.0.1:{port}", proc, Path(log_file.name))
    try:
        _wait_healthy(server)
        yield server
    finally:
        _stop(server)
        log_file.close()
        server.log_path.unlink(missing_ok=True)


async def kitchen_cookie(client: httpx.AsyncClient, name: str = "Ode") -> tuple[str, str]:
    """Sign in on the PIN pad as a browser does: (Cookie header, CSRF token of the session)."""
    page = await client.get("/login")
    token = CSRF.search(page.text)
    assert token, "no CSRF token on /login"
    answer = await client.post(
        "/login",
        data={"staff_id": str(STAFF_IDS[name]), "pin": PINS[name]},
        headers={"X-CSRF-Token": token.group(1), "HX-Request": "true"},
    )
    assert answer.status_code == 204, answer.text
    home = await client.get(answer.headers["hx-redirect"])
    csrf = CSRF.search(home.text)
    assert csrf, "no CSRF token after sign-in"
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    return cookie, csrf.group(1)


async def next_message(ws: ClientConnection, within: float) -> str:
    message = await asyncio.wait_for(ws.recv(), timeout=within)
    return message if isinstance(message, str) else message.decode()


async def wait_for(ws: ClientConnection, pattern: str, within: float) -> str:
    """The first message matching ``pattern`` within ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"nothing matching {pattern!r} within {within:.1f}s")
        try:
            message = await next_message(ws, left)
        except TimeoutError:
            continue
        if re.search(pattern, message):
            return message


@dataclass
class Floor:
    """Maria's tablet on the JSON API of one server."""

    client: httpx.AsyncClient

    @classmethod
    async def signed_in(cls, client: httpx.AsyncClient) -> Floor:
        answer = await client.post(
            "/api/v1/sessions", json=api_sign_in_body("Maria"), headers=API_KEY
        )
        assert answer.status_code == 201, answer.text
        client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        return cls(client)

    async def post(self, path: str, body: dict[str, object] | None = None) -> dict[str, int]:
        answer = await self.client.post(
            path, json=body, headers={"Idempotency-Key": uuid.uuid4().hex}
        )
        assert answer.status_code in (200, 201), answer.text
        return dict(answer.json())

    async def open(self, table_id: int) -> int:
        return (await self.post("/api/v1/checks", {"table_id": table_id, "guests": 2}))["check_id"]

    async def fire(self, check: int, item_id: int, note: str) -> None:
        """Order one item with ``note`` on it and send it to the kitchen."""
        await self.post(f"/api/v1/checks/{check}/lines", {"item_id": item_id, "note": note})
        sent = await self.post(f"/api/v1/checks/{check}/send")
        assert sent["sent"] >= 1, sent


@contextlib.asynccontextmanager
async def grill_screen(server: Server, grill: int) -> AsyncIterator[ClientConnection]:
    """A grill screen signed in on ``server``, past its snapshot."""
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        cookie, _ = await kitchen_cookie(client)
        ws_url = server.url.replace("http://", "ws://") + f"/kds/{grill}/feed"
        async with connect(ws_url, additional_headers={"Cookie": cookie}) as ws:
            await wait_for(ws, r'id="tickets"', within=10)  # the snapshot
            yield ws


@pytest.fixture
def two_servers(db_url: str, redis_url: str) -> Iterator[tuple[Server, Server]]:
    with serving(db_url, redis_url) as a, serving(db_url, redis_url) as b:
        yield a, b


async def test_ticket_fired_through_one_process_reaches_screens_on_both(
    two_servers: tuple[Server, Server], db_url: str
) -> None:
    a, b = two_servers
    note = f"mp-{uuid.uuid4().hex[:8]}"
    table_id, item_id, grill = await _demo_ids(db_url)
    async with (
        grill_screen(b, grill) as screen_b,
        grill_screen(a, grill) as screen_a,
        httpx.AsyncClient(base_url=a.url, timeout=10) as api,
    ):
        floor = await Floor.signed_in(api)
        await floor.fire(await floor.open(table_id), item_id, note)

        on_b = await wait_for(screen_b, note, within=ARRIVES_WITHIN_S)
        on_a = await wait_for(screen_a, note, within=ARRIVES_WITHIN_S)
        for message in (on_a, on_b):
            assert 'id="tickets" hx-swap-oob="beforeend"' in message
            assert "Fish &amp; Chips" in message
            assert f"Table {TABLE}" in message


async def test_bump_on_one_process_clears_the_ticket_on_the_other(
    two_servers: tuple[Server, Server], db_url: str
) -> None:
    a, b = two_servers
    note = f"mp-{uuid.uuid4().hex[:8]}"
    table_id, item_id, grill = await _demo_ids(db_url)
    async with (
        grill_screen(a, grill) as screen_a,
        httpx.AsyncClient(base_url=b.url, timeout=10) as kitchen_b,
        httpx.AsyncClient(base_url=b.url, timeout=10) as api,
    ):
        _, csrf_b = await kitchen_cookie(kitchen_b)
        floor = await Floor.signed_in(api)
        await floor.fire(await floor.open(table_id), item_id, note)  # through B this time
        card = await wait_for(screen_a, note, within=ARRIVES_WITHIN_S)
        ticket = re.search(r'id="ticket-(\d+)"', card)
        assert ticket, card

        bumped = await kitchen_b.post(
            f"/kds/{grill}/tickets/{ticket.group(1)}/bump",
            headers={"X-CSRF-Token": csrf_b, "HX-Request": "true"},
        )
        assert bumped.status_code == 200, bumped.text
        await wait_for(
            screen_a,
            rf'id="ticket-{ticket.group(1)}" hx-swap-oob="delete"',
            within=ARRIVES_WITHIN_S,
        )


async def test_servers_on_redis_stop_cleanly(db_url: str, redis_url: str) -> None:
    """SIGTERM with a screen still connected: the process exits 0, its Redis connections
    closed, nothing left hanging or complaining in its log."""
    _, _, grill = await _demo_ids(db_url)
    with serving(db_url, redis_url) as server:
        async with grill_screen(server, grill) as screen:
            await asyncio.to_thread(_stop, server)
            code = server.proc.returncode
            log = server.log()
            with contextlib.suppress(Exception):
                await screen.recv()  # the server closed it
    assert code == 0, log[-3000:]
    for trouble in ("Traceback", "Unclosed", "was destroyed but it is pending", "never awaited"):
        assert trouble not in log, log[-3000:]


async def _demo_ids(db_url: str) -> tuple[int, int, int]:
    """Table 12, Fish & Chips and the grill in this database."""
    from app.platform.db import make_engine, make_sessionmaker
    from tests import demo_ids

    engine = make_engine(db_url, pool="null")
    try:
        async with make_sessionmaker(engine)() as session:
            return (
                await demo_ids.table_id(session, TABLE),
                await demo_ids.item_id(session, ITEM),
                await demo_ids.station_id(session, GRILL),
            )
    finally:
        await engine.dispose()


@contextlib.contextmanager
def own_redis(port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A private Redis server on ``port`` (nothing kept on disk), stopped afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is needed to restart Redis under a running service"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    proc = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while _redis_problem(f"redis://127.0.0.1:{port}/0"):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def test_screens_hear_again_after_redis_restarts(db_url: str, redis_url: str) -> None:
    """Redis goes away mid-service and comes back: firing never fails, a ticket fired while
    Redis is down still reaches the screen (its database re-check), and once Redis is back
    tickets arrive over it again, at once."""
    port = free_port()
    channels = f"redis://127.0.0.1:{port}/0"
    table_id, item_id, grill = await _demo_ids(db_url)
    with own_redis(port) as first, serving(db_url, channels) as a, serving(db_url, channels) as b:
        async with (
            grill_screen(b, grill) as screen,
            httpx.AsyncClient(base_url=a.url, timeout=10) as api,
        ):
            floor = await Floor.signed_in(api)
            check = await floor.open(table_id)
            await floor.fire(check, item_id, "redis-up")
            await wait_for(screen, "redis-up", within=ARRIVES_WITHIN_S)

            first.terminate()
            first.wait(timeout=10)
            await floor.fire(check, item_id, "redis-down")  # the order goes in all the same
            await wait_for(screen, "redis-down", within=POLL_S * 2 + 2)

            with own_redis(port):
                # The listeners retry every few seconds at most; then three tickets in a row
                # arrive far quicker than a database re-check could bring them (each has
                # one chance in ten of coming by a re-check).
                fast, n, deadline = 0, 0, time.monotonic() + MAX_BACKOFF_S + 15
                while fast < 3:
                    assert time.monotonic() < deadline, "tickets never came over Redis again"
                    started = time.monotonic()
                    await floor.fire(check, item_id, f"redis-back-{n}")
                    await wait_for(screen, f"redis-back-{n}", within=POLL_S * 2 + 2)
                    fast = fast + 1 if time.monotonic() - started < POLL_S / 10 else 0
                    n += 1
        logs = a.log() + b.log()
    assert "Traceback" not in logs, logs[-3000:]
