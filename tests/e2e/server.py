"""Start the real Brigade server on a fresh copy of the demo restaurant, for browser tests.

Shared by ``conftest.py`` (the e2e fixtures) and ``make_screenshots.py``: a migrated, seeded
template database is copied, ``brigade serve`` runs as a subprocess on a free port against
that copy, and everything is torn down afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from tests import pg

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("BRIGADE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def brigade_command() -> str:
    """The ``brigade`` script of the running virtualenv (``.venv/bin/brigade``)."""
    beside = Path(sys.executable).with_name("brigade")
    return str(beside if beside.exists() else ROOT / ".venv" / "bin" / "brigade")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _wait_healthy(proc: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last = "no answer yet"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"brigade serve exited with code {proc.returncode} before answering /healthz.\n"
                f"Server log ({log_path}):\n{_tail(log_path)}"
            )
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise RuntimeError(
        f"brigade serve did not answer 200 on /healthz within {START_TIMEOUT:.0f}s "
        f"(last: {last}).\nServer log ({log_path}):\n{_tail(log_path)}"
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server we started: SIGTERM to it, then SIGKILL to its own process group."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: only granian's workers
        proc.wait(timeout=5)


def _off_loop(fn: Callable[..., T], *args: object) -> T:
    """Run ``fn`` in a worker thread: the database helpers call ``asyncio.run``, which refuses
    to run while Playwright's sync API holds an event loop in this thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def _fresh_demo_database(server_url: str) -> str:
    pg.build_template(server_url)
    return asyncio.run(pg.fresh_database(server_url))


def empty_database(server_url: str) -> str:
    """A database with nothing in it, as a new install has (for ``brigade init``)."""
    return asyncio.run(pg.empty_database(server_url))


@dataclass(frozen=True)
class LiveServer:
    url: str
    log_path: Path

    def log_tail(self, lines: int = 60) -> str:
        return _tail(self.log_path, lines)


@contextlib.contextmanager
def running_server(
    make_database: Callable[[str], str] = _fresh_demo_database,
    before_serving: Callable[[str], None] | None = None,
) -> Iterator[LiveServer]:
    """Run ``brigade serve`` on a fresh demo database (or what ``make_database`` makes,
    then ``before_serving(database_url)``, such as ``brigade init``); yield its URL and log."""
    if not os.environ.get("BRIGADE_TEST_DATABASE_URL"):
        # Our own embedded server: an async test run going on at the same time rebuilds the
        # template in var/test-pgdata (DROP ... WITH FORCE) and would cut our copy short.
        os.environ.setdefault("BRIGADE_TEST_PGDATA", str(ROOT / "var" / "e2e-pgdata"))
    server_url = pg.server_url()
    name = _off_loop(make_database, server_url)
    if before_serving is not None:
        before_serving(pg.with_database(server_url, name))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept open for the server's life
        prefix="brigade-e2e-", suffix=".log", delete=False
    )
    log_path = Path(log_file.name)
    env = {
        **os.environ,
        "BRIGADE_DATABASE_URL": pg.with_database(server_url, name),
        "BRIGADE_SECRET_KEY": secrets.token_urlsafe(32),
        "BRIGADE_HOST": "127.0.0.1",
        "BRIGADE_WORKERS": "1",
        # The demo's printers are not on this machine: printing would only raise alerts.
        "BRIGADE_PRINT_WORKER": "0",
    }
    proc = subprocess.Popen(
        [brigade_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_healthy(proc, base_url, log_path)
        yield LiveServer(base_url, log_path)
    finally:
        _stop(proc)
        log_file.close()
        _off_loop(lambda: asyncio.run(pg.drop_database(server_url, name)))
        if os.environ.get("BRIGADE_E2E_KEEP_LOG"):
            print(f"server log kept at {log_path}", file=sys.stderr)
        else:
            log_path.unlink(missing_ok=True)
