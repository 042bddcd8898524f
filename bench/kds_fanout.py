"""Kitchen fan-out: how long from "Send" on a tablet to the ticket on every kitchen screen.

N tablets (each its own table and check) fire tickets over the JSON API while M screens are
connected to the grill's websocket feed; every ticket routes to the grill, so every ticket
must appear on all M screens. A cook bumps each ticket once every screen shows it (as a
kitchen does), and each screen acknowledges what it rendered (as the station page does).

Measured, per ticket: from the moment the send request is written to the moment the last of
the M screens has received the card (p50, p99, max), and deliveries per second (a ticket
reaching one screen is one delivery). In the same run, the baseline: a bare Litestar app
that publishes a card of the same size through Litestar's channels (memory backend) to M
websockets, driven by the same tablets and screens (``bench/baseline_app.py``). The ratio
app/baseline is Brigade's own cost.

Load is open-loop: each tablet fires every ``--interval`` seconds from a random phase,
whether or not its last ticket has arrived (a late tablet fires at once, and that counts).

Everything runs on this machine: the server (granian), PostgreSQL, and the clients in two
processes (tablets; screens and the cook). ``perf_counter`` is the system-wide monotonic
clock, so times taken in the two client processes compare.

    .venv/bin/python -m bench.kds_fanout --tablets 50 --screens 20 --duration 20

The database is a fresh copy of the demo restaurant (extra tables added for the tablets) on
``BRIGADE_TEST_DATABASE_URL`` if set (any PostgreSQL where we may create databases), else
on an embedded PostgreSQL under ``var/bench-pgdata``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing as mp
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

ITEM = "Fish & Chips"  # routed to the grill alone, no required choices
STATION = "Grill"
FLOOR_STAFF = [(1, "1111"), (2, "2222"), (3, "3333")]  # Maria, Sam, Lee
KITCHEN_STAFF = (5, "5555")  # Ode
#: The demo's API key (app.demo.DEMO_API_KEY): signing in over the API needs one.
DEMO_API_KEY = "demo-api-key"
CSRF = re.compile(r'"X-CSRF-Token": "([0-9a-f]*)"')
CARD = re.compile(r'<article id="ticket-(\d+)"[^>]*?data-seq="(\d+)"')
TOKEN = re.compile(r"bench t(\d+)n(\d+)")
#: After the run, how long stragglers may still arrive before they count as missing.
GRACE_S = 5.0
START_TIMEOUT_S = 60.0


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    name: str
    url: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]


def start_server(name: str, argv: list[str], env: dict[str, str], port: int) -> Server:
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - open for the server's life
        prefix=f"bench-{name}-", suffix=".log", delete=False
    )
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    server = Server(name, f"http://127.0.0.1:{port}", proc, Path(log.name))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited early:\n{server.tail()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            time.sleep(0.5)  # listening; let the worker finish its startup
            return server
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"{name} did not start:\n{server.tail()}")


def stop_server(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
    try:
        server.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.proc.pid, signal.SIGKILL)  # its own session: only its workers
        server.proc.wait(timeout=5)
    server.log_path.unlink(missing_ok=True)


def brigade_server(database_url: str, workers: int, channels: str) -> Server:
    port = free_port()
    brigade = Path(sys.executable).with_name("brigade")
    env = {
        **os.environ,
        "BRIGADE_DATABASE_URL": database_url,
        "BRIGADE_WORKERS": str(workers),
        "BRIGADE_CHANNELS": channels,
        "BRIGADE_SECRET_KEY": secrets.token_urlsafe(32),
        # Every tablet signs in from this one address: do not throttle the benchmark.
        "BRIGADE_DEVICE_PIN_LIMIT": "100000",
    }
    argv = [str(brigade), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return start_server("brigade", argv, env, port)


def baseline_server() -> Server:
    port = free_port()
    argv = [sys.executable, "-m", "bench.baseline_app", "--port", str(port)]
    return start_server("baseline", argv, dict(os.environ), port)


# --------------------------------------------------------------------------- database


@dataclass
class Demo:
    database_url: str
    checks: list[int]  # one open check per tablet, each on its own table
    item_id: int
    station_id: int
    printers: dict[str, int]  # the demo's printers: name -> the port they are told to use


async def prepare_database(tablets: int) -> tuple[Demo, str, str]:
    """A fresh demo restaurant with at least ``tablets`` free tables: (demo, server, name)."""
    from sqlalchemy import select, text

    from app.floor.models import DiningTable
    from app.menu.models import MenuItem
    from app.orders import service as orders
    from app.platform.db import UnitOfWork, make_engine, make_sessionmaker
    from app.platform.models import Location
    from kds.models import Station
    from tests import pg

    server = pg.server_url()
    await asyncio.to_thread(pg.build_template, server)
    name = await pg.fresh_database(server)
    url = pg.with_database(server, name)
    engine = make_engine(url, pool="null")
    async with make_sessionmaker(engine)() as session:
        have = await session.scalar(select(text("count(*)")).select_from(DiningTable))
        missing = max(0, tablets - int(have or 0))
        if missing:
            await session.execute(
                text(
                    "INSERT INTO dining_table "
                    "(floor_id, name, shape, seats, x, y, width, height, rotation) "
                    "SELECT (SELECT min(id) FROM floor), 'B' || g, 'square', 4, 0, 0, 5, 5, 0 "
                    "FROM generate_series(1, :n) AS g"
                ),
                {"n": missing},
            )
            await session.commit()
        tables = list(
            (
                await session.scalars(
                    select(DiningTable.id)
                    .where(DiningTable.archived_at.is_(None))
                    .order_by(DiningTable.id)
                )
            ).all()
        )
        item = await session.scalar(select(MenuItem.id).where(MenuItem.name == ITEM))
        station = await session.scalar(select(Station.id).where(Station.name == STATION))
        location = await session.scalar(select(Location.id).order_by(Location.id).limit(1))
        # The demo's printers, moved to free ports (fake printers may be started there).
        printers = {
            name: free_port() for name in await session.scalars(text("SELECT name FROM printer"))
        }
        for name, port in printers.items():
            await session.execute(
                text("UPDATE printer SET address = :address WHERE name = :name"),
                {"address": f"127.0.0.1:{port}", "name": name},
            )
        await session.commit()
    # The checks are opened here with the app's own command, one connection each: opening
    # more than five tables on one pooled connection currently fails (see docs/scaling.md).
    checks = []
    for n, table in enumerate(tables[:tablets]):
        async with make_sessionmaker(engine)() as session:
            uow = UnitOfWork(session)
            staff = FLOOR_STAFF[n % len(FLOOR_STAFF)][0]
            checks.append(await orders.open_table(uow, table, 2, staff, int(location or 0)))
            await uow.commit()
    await engine.dispose()
    return Demo(url, checks, int(item or 0), int(station or 0), printers), server, name


def fake_printers(printers: dict[str, int]) -> subprocess.Popen[bytes]:
    """The demo's printers as fake network printers (``printers.fake``), all switched on."""
    argv = [sys.executable, "-m", "printers.fake", "serve", "--control", str(free_port())]
    for name, port in printers.items():
        argv += ["--printer", f"{name}:{port}"]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT_S
    for port in printers.values():
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
                break
            time.sleep(0.1)
    return proc


# --------------------------------------------------------------------------- screens


@dataclass
class ScreenSetup:
    ws_url: str
    cookie: str
    screens: int
    bump_url: str  # "{ticket}" is replaced; empty: no bumping
    bump_headers: dict[str, str]
    ack: bool


@dataclass
class ScreenResult:
    #: token -> arrival time on each screen that received it (first sight only)
    arrivals: dict[str, list[float]] = field(default_factory=dict)
    messages: int = 0
    bytes: int = 0
    bumps: int = 0
    errors: list[str] = field(default_factory=list)


async def _screens(setup: ScreenSetup, pipe: Connection) -> ScreenResult:
    result = ScreenResult()
    tickets: dict[str, int] = {}
    cook: asyncio.Queue[int] = asyncio.Queue()
    stop = asyncio.Event()

    async def screen(n: int, ready: asyncio.Event) -> None:
        seen: set[str] = set()
        headers = {"Cookie": setup.cookie} if setup.cookie else {}
        async with connect(setup.ws_url, additional_headers=headers, max_size=2**24) as ws:
            await ws.recv()  # the snapshot
            ready.set()
            while not stop.is_set():
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=0.5)
                except TimeoutError:
                    continue
                now = time.perf_counter()
                message = raw if isinstance(raw, str) else raw.decode()
                result.messages += 1
                result.bytes += len(message)
                acks = []
                for chunk in message.split("<article ")[1:]:
                    token = TOKEN.search(chunk)
                    card = CARD.search("<article " + chunk)
                    if token is None or card is None or token.group(0) in seen:
                        continue
                    key = token.group(0)
                    seen.add(key)
                    acks.append(int(card.group(2)))
                    arrived = result.arrivals.setdefault(key, [])
                    arrived.append(now)
                    tickets[key] = int(card.group(1))
                    if len(arrived) == setup.screens and setup.bump_url:
                        cook.put_nowait(tickets[key])
                if acks and setup.ack:
                    await ws.send(json.dumps({"ack": acks}))

    async def cook_worker(client: httpx.AsyncClient) -> None:
        while True:
            ticket = await cook.get()
            url = setup.bump_url.replace("{ticket}", str(ticket))
            try:
                answer = await client.post(url, headers=setup.bump_headers)
                if answer.status_code >= 400:
                    result.errors.append(f"bump {answer.status_code}")
                result.bumps += 1
            except httpx.HTTPError as exc:
                result.errors.append(f"bump {exc!r}")

    readies = [asyncio.Event() for _ in range(setup.screens)]
    tasks = [asyncio.create_task(screen(n, r)) for n, r in enumerate(readies)]
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=4)) as client:
        cooks = [asyncio.create_task(cook_worker(client)) for _ in range(4)]
        try:
            await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), timeout=60)
        except TimeoutError:
            failed = [t.exception() for t in tasks if t.done() and t.exception()]
            raise RuntimeError(f"screens did not connect: {failed[:3]}") from None
        pipe.send("ready")
        await asyncio.to_thread(pipe.recv)  # "stop"
        stop.set()
        done, _ = await asyncio.wait(tasks, timeout=5)
        for task in done:
            if task.exception():
                result.errors.append(f"screen: {task.exception()!r}")
        for task in [*cooks, *tasks]:
            task.cancel()
    return result


def screens_process(setup: ScreenSetup, pipe: Connection) -> None:
    try:
        pipe.send(asyncio.run(_screens(setup, pipe)))
    except Exception as exc:
        pipe.send(RuntimeError(repr(exc)))


# --------------------------------------------------------------------------- tablets


@dataclass
class TabletResult:
    sent: dict[str, float] = field(default_factory=dict)  # token -> send request written
    answered: dict[str, float] = field(default_factory=dict)  # token -> send answer read
    send_ms: list[float] = field(default_factory=list)  # the send request's round trip
    late_ms: list[float] = field(default_factory=list)  # how late each fire was
    errors: list[str] = field(default_factory=list)


class Tablets:
    """Fires tickets at ``interval`` per tablet until ``until`` (perf_counter)."""

    def __init__(self, client: httpx.AsyncClient, count: int, interval: float) -> None:
        self.client = client
        self.count = count
        self.interval = interval
        self.result = TabletResult()

    async def setup(self, n: int) -> Any:
        return None

    async def fire(self, n: int, state: Any, token: str) -> None:
        raise NotImplementedError

    async def _tablet(self, n: int, start: float, until: float) -> None:
        state = await self.setup(n)
        due = start + random.uniform(0, self.interval)
        k = 0
        while due < until:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            self.result.late_ms.append(max(0.0, time.perf_counter() - due) * 1000)
            try:
                await self.fire(n, state, f"bench t{n}n{k}")
            except (httpx.HTTPError, AssertionError) as exc:
                self.result.errors.append(repr(exc)[:200])
            k += 1
            due += self.interval

    async def run(self, start: float, until: float) -> TabletResult:
        await asyncio.gather(*(self._tablet(n, start, until) for n in range(self.count)))
        return self.result

    async def timed_send(self, token: str, path: str, **kwargs: Any) -> httpx.Response:
        sent = time.perf_counter()
        self.result.sent[token] = sent
        answer = await self.client.post(path, **kwargs)
        self.result.answered[token] = time.perf_counter()
        self.result.send_ms.append((self.result.answered[token] - sent) * 1000)
        if answer.status_code >= 400:
            raise AssertionError(f"{path}: {answer.status_code} {answer.text[:200]}")
        return answer


class BrigadeTablets(Tablets):
    def __init__(self, client: httpx.AsyncClient, demo: Demo, tokens: list[str], **kw: Any):
        super().__init__(client, **kw)
        self.demo = demo
        self.tokens = tokens

    def _headers(self, n: int) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.tokens[n % len(self.tokens)]}",
            "Idempotency-Key": uuid.uuid4().hex,
        }

    async def fire(self, n: int, state: Any, token: str) -> None:
        check = self.demo.checks[n]
        line = await self.client.post(
            f"/api/v1/checks/{check}/lines",
            json={"item_id": self.demo.item_id, "note": token},
            headers=self._headers(n),
        )
        if line.status_code >= 400:
            raise AssertionError(f"add line: {line.status_code} {line.text[:200]}")
        await self.timed_send(token, f"/api/v1/checks/{check}/send", headers=self._headers(n))


class BaselineTablets(Tablets):
    async def fire(self, n: int, state: Any, token: str) -> None:
        await self.timed_send(token, "/fire", json={"note": token, "table": f"B{n}"})


# --------------------------------------------------------------------------- one run


@dataclass
class Figures:
    name: str
    tickets: int
    missing: int
    p50: float
    p99: float
    max: float
    deliveries_per_s: float
    send_p50: float
    send_p99: float
    #: From the send's answer to the last screen: the fan-out alone, without the command.
    fanout_p50: float
    fanout_p99: float
    late_p99: float
    errors: list[str]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def run_load(
    name: str, setup: ScreenSetup, tablets: Tablets, duration: float, warmup: float
) -> Figures:
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=screens_process, args=(setup, child), daemon=True)
    proc.start()
    try:
        ready = await asyncio.to_thread(parent.poll, 90)
        first = parent.recv() if ready else RuntimeError("screens process did not answer")
        if first != "ready":
            raise RuntimeError(f"screens failed: {first!r}")
        start = time.perf_counter()
        until = start + warmup + duration
        result = await tablets.run(start, until)
        await asyncio.sleep(GRACE_S)
        parent.send("stop")
        answered = await asyncio.to_thread(parent.poll, 30)
        screens: ScreenResult | Exception = (
            parent.recv() if answered else RuntimeError("no results")
        )
    finally:
        proc.join(timeout=10)
        if proc.is_alive():
            proc.kill()
    if isinstance(screens, Exception):
        raise screens
    window = (start + warmup, until)
    latencies, fanouts, missing = [], [], 0
    for token, sent in result.sent.items():
        if not window[0] <= sent < window[1]:
            continue
        arrived = screens.arrivals.get(token, [])
        if len(arrived) < setup.screens:
            missing += 1
            continue
        latencies.append((max(arrived) - sent) * 1000)
        if token in result.answered:
            fanouts.append(max(0.0, max(arrived) - result.answered[token]) * 1000)
    deliveries = sum(
        1 for times in screens.arrivals.values() for t in times if window[0] <= t < window[1]
    )
    return Figures(
        name=name,
        tickets=len(latencies),
        missing=missing,
        p50=percentile(latencies, 0.50),
        p99=percentile(latencies, 0.99),
        max=max(latencies, default=float("nan")),
        deliveries_per_s=deliveries / duration,
        send_p50=percentile(result.send_ms, 0.50),
        send_p99=percentile(result.send_ms, 0.99),
        fanout_p50=percentile(fanouts, 0.50),
        fanout_p99=percentile(fanouts, 0.99),
        late_p99=percentile(result.late_ms, 0.99),
        errors=(result.errors + screens.errors)[:5],
    )


async def sign_in_kitchen(client: httpx.AsyncClient) -> tuple[str, str]:
    page = await client.get("/login")
    token = CSRF.search(page.text)
    if token is None:
        raise RuntimeError("no CSRF token on /login")
    staff, pin = KITCHEN_STAFF
    answer = await client.post(
        "/login",
        data={"staff_id": str(staff), "pin": pin},
        headers={"X-CSRF-Token": token.group(1), "HX-Request": "true"},
    )
    if answer.status_code != 204:
        raise RuntimeError(f"kitchen sign-in refused: {answer.status_code} {answer.text[:200]}")
    home = await client.get(answer.headers["hx-redirect"])
    csrf = CSRF.search(home.text)
    if csrf is None:
        raise RuntimeError("no CSRF token after sign-in")
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items()), csrf.group(1)


async def run_brigade(args: argparse.Namespace, demo: Demo) -> Figures:
    printers = fake_printers(demo.printers) if args.printers == "fake" else None
    server = brigade_server(demo.database_url, args.workers, args.channels)
    try:
        limits = httpx.Limits(max_connections=args.tablets + 8)
        async with httpx.AsyncClient(base_url=server.url, timeout=30, limits=limits) as client:
            tokens = []
            for staff, pin in FLOOR_STAFF:
                answer = await client.post(
                    "/api/v1/sessions",
                    json={"staff_id": staff, "pin": pin},
                    headers={"X-API-Key": DEMO_API_KEY},
                )
                answer.raise_for_status()
                tokens.append(answer.json()["token"])
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as kitchen:
                cookie, csrf = await sign_in_kitchen(kitchen)
            station = demo.station_id
            setup = ScreenSetup(
                ws_url=server.url.replace("http://", "ws://") + f"/kds/{station}/feed",
                cookie=cookie,
                screens=args.screens,
                bump_url=""
                if args.no_bump
                else f"{server.url}/kds/{station}/tickets/{{ticket}}/bump",
                bump_headers={"X-CSRF-Token": csrf, "HX-Request": "true", "Cookie": cookie},
                ack=not args.no_ack,
            )
            tablets = BrigadeTablets(
                client, demo, tokens, count=args.tablets, interval=args.interval
            )
            return await run_load("brigade", setup, tablets, args.duration, args.warmup)
    except Exception:
        print(f"brigade server log:\n{server.tail()}", file=sys.stderr)
        raise
    finally:
        stop_server(server)
        if printers is not None:
            printers.terminate()
            printers.wait(timeout=10)


async def run_baseline(args: argparse.Namespace) -> Figures:
    server = baseline_server()
    try:
        limits = httpx.Limits(max_connections=args.tablets + 8)
        async with httpx.AsyncClient(base_url=server.url, timeout=30, limits=limits) as client:
            setup = ScreenSetup(
                ws_url=server.url.replace("http://", "ws://") + "/feed",
                cookie="",
                screens=args.screens,
                bump_url="" if args.no_bump else f"{server.url}/bump/{{ticket}}",
                bump_headers={},
                ack=False,
            )
            tablets = BaselineTablets(client, count=args.tablets, interval=args.interval)
            return await run_load("baseline", setup, tablets, args.duration, args.warmup)
    except Exception:
        print(f"baseline server log:\n{server.tail()}", file=sys.stderr)
        raise
    finally:
        stop_server(server)


# --------------------------------------------------------------------------- report


def report(args: argparse.Namespace, runs: list[Figures]) -> None:
    offered = args.tablets / args.interval
    print(
        f"\nkds_fanout: {args.tablets} tablets, {args.screens} screens on one station, "
        f"one ticket per tablet every {args.interval:g}s (~{offered:.0f} tickets/s offered), "
        f"{args.duration:g}s measured after {args.warmup:g}s warm-up; "
        f"workers={args.workers} channels={args.channels}; "
        f"bump={'off' if args.no_bump else 'on'}, ack={'off' if args.no_ack else 'on'}, "
        f"printers={args.printers}; "
        f"{os.cpu_count()} CPUs, load average {args.load_before:.2f} before the run"
    )
    head = (
        f"{'':<9}{'tickets':>8}{'missing':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        f"{'deliv/s':>9}{'send p50':>10}{'send p99':>10}{'fan p50':>9}{'fan p99':>9}"
        f"{'late p99':>10}"
    )
    print(head)
    for f in runs:
        print(
            f"{f.name:<9}{f.tickets:>8}{f.missing:>8}{f.p50:>9.1f}{f.p99:>9.1f}{f.max:>9.1f}"
            f"{f.deliveries_per_s:>9.0f}{f.send_p50:>10.1f}{f.send_p99:>10.1f}"
            f"{f.fanout_p50:>9.1f}{f.fanout_p99:>9.1f}{f.late_p99:>10.1f}"
        )
        for error in f.errors:
            print(f"  {f.name} error: {error}")
    by = {f.name: f for f in runs}
    if "brigade" in by and "baseline" in by:
        app, base = by["brigade"], by["baseline"]
        if not (base.p50 > 0 and base.p99 > 0 and base.deliveries_per_s > 0):
            print("no ratio: the baseline delivered nothing")
            return
        print(
            f"ratio brigade/baseline: p50 {app.p50 / base.p50:.1f}x, p99 {app.p99 / base.p99:.1f}x,"
            f" deliveries/s {app.deliveries_per_s / base.deliveries_per_s:.2f}x"
        )
    if "brigade" in by:
        verdict = "meets" if by["brigade"].p99 < 50 and not by["brigade"].missing else "misses"
        print(f"target p99 < 50 ms from send to every screen: brigade {verdict} it")
    print(
        "(latency: send request written -> card received by the last of the screens; "
        "send = the send request's own round trip; fan = from the send's answer to the last "
        "screen; late = how far behind schedule tablets fired)"
    )


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.kds_fanout", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--tablets", type=int, default=50)
    parser.add_argument("--screens", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds not measured")
    parser.add_argument(
        "--interval", type=float, default=5.0, help="seconds between two fires of one tablet"
    )
    parser.add_argument("--workers", type=int, default=1, help="granian workers for Brigade")
    parser.add_argument(
        "--channels",
        default="memory",
        help="BRIGADE_CHANNELS for Brigade (redis://... is needed with --workers > 1)",
    )
    parser.add_argument("--no-bump", action="store_true", help="leave tickets on the screens")
    parser.add_argument("--no-ack", action="store_true", help="screens do not acknowledge")
    parser.add_argument(
        "--printers",
        choices=("fake", "unreachable"),
        default="fake",
        help="the demo's kitchen printers: fake printers that print (default), or nothing "
        "listening (every ticket fails over to the backup, fails, and raises an alert)",
    )
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--skip-brigade", action="store_true")
    args = parser.parse_args(argv)
    if args.duration > 600 or args.warmup > 120:
        parser.error("keep a run under ten minutes")
    if args.workers > 1 and args.channels == "memory":
        parser.error("--workers > 1 needs --channels redis://127.0.0.1:6379/0")
    return args


async def main_async(args: argparse.Namespace) -> list[Figures]:
    runs = []
    if not args.skip_brigade:
        from tests import pg

        demo, server, name = await prepare_database(args.tablets)
        try:
            runs.append(await run_brigade(args, demo))
        finally:
            await pg.drop_database(server, name)
    if not args.skip_baseline:
        runs.append(await run_baseline(args))
    return runs


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    args.load_before = os.getloadavg()[0]  # other work on the machine skews every figure
    if not os.environ.get("BRIGADE_TEST_DATABASE_URL"):
        os.environ.setdefault("BRIGADE_TEST_PGDATA", str(ROOT / "var" / "bench-pgdata"))
    runs = asyncio.run(main_async(args))
    report(args, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
