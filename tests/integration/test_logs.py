"""The server's log is JSON, one object per line, from the first line to the last: granian's
own lines, one line per request (who, what, how long, never the query string), and a trace of
every refusal, a wrong PIN among them. An unmigrated database is refused in one line before
the server says it is serving."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from app.platform import migrate
from tests import pg
from tests.conftest import PINS, STAFF_IDS
from tests.e2e.server import ROOT, brigade_command, free_port

API_KEY = {"X-API-Key": "demo-api-key", "Content-Type": "application/json"}


@dataclass
class Run:
    stdout: str
    stderr: str
    returncode: int

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stderr.splitlines()]


def _call(base: str, path: str, body: dict[str, Any] | None = None, **headers: str) -> int:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "BRIGADE_DATABASE_URL": database_url,
        "BRIGADE_WORKERS": "1",
        "BRIGADE_PRINT_WORKER": "0",
        "BRIGADE_LOG_LEVEL": "INFO",
    }


def serve_a_little(database_url: str) -> tuple[Run, str]:
    """Start `brigade serve`, do what a few devices do, stop it; its output and a token."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [brigade_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=_env(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    token = ""
    try:
        deadline = time.monotonic() + 60
        while _up(base) != 200:
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        _call(base, "/login?next=/floor&token=SECRET-IN-QUERY")
        mia = {"staff_id": STAFF_IDS["Mia"], "pin": "0000"}
        assert _call(base, "/api/v1/sessions", mia, **API_KEY) >= 400  # a wrong PIN
        request = urllib.request.Request(  # noqa: S310
            base + "/api/v1/sessions",
            data=json.dumps({**mia, "pin": PINS["Mia"]}).encode(),
            headers=API_KEY,
        )
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            token = json.loads(answer.read())["token"]
        assert _call(base, "/api/v1/menu", Authorization=f"Bearer {token}") == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate(timeout=5)
    return Run(out.decode(), err.decode(), proc.returncode), token


def _up(base: str) -> int:
    try:
        return _call(base, "/healthz")
    except OSError:
        return 0


async def test_every_line_the_server_writes_to_its_log_is_json(db_url: str) -> None:
    run, token = await asyncio.to_thread(serve_a_little, db_url)

    lines = run.lines()  # json.loads on every line: one that is not JSON fails here

    assert "Brigade is serving at" in run.stdout  # for the person at the console
    loggers = {line["logger"] for line in lines}
    assert "_granian" in loggers  # granian's own lines go through the JSON handler too
    requests = [line for line in lines if line["event"] == "request"]
    login = next(r for r in requests if r["path"] == "/login")
    assert login["method"] == "GET" and login["status"] == 200 and login["ms"] >= 0
    menu = next(r for r in requests if r["path"] == "/api/v1/menu")
    assert menu["status"] == 200 and menu["staff_id"] == STAFF_IDS["Mia"]
    assert len([r for r in requests if r["path"] == "/api/v1/menu"]) == 1  # once each
    # The query string can carry secrets: never logged.
    assert "SECRET-IN-QUERY" not in run.stderr
    assert token not in run.stderr
    # A wrong PIN leaves a trace: who was tried and what they were told, never the PIN.
    refused = [line for line in lines if line["event"] == "refused"]
    wrong = next(r for r in refused if r["path"] == "/api/v1/sessions")
    assert "Wrong PIN" in wrong["refusal"] and 400 <= wrong["status"] < 500
    assert wrong["level"] in ("info", "warning")
    assert '"0000"' not in run.stderr and PINS["Mia"] not in run.stderr


def test_a_database_on_an_older_revision_is_refused_in_one_clear_line(tmp_path: Any) -> None:
    """An empty database is a new install and is migrated; one on an older revision holds a
    restaurant, and its upgrade is the operator's decision (after a backup)."""
    server = pg.server_url()
    name = f"ops_unmigrated_{os.getpid()}"
    asyncio.run(pg._admin(server, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'))
    migrate.upgrade(pg.with_database(server, name), "0006_sign_in_backoff")
    try:
        done = subprocess.run(
            [brigade_command(), "serve", "--port", str(free_port())],
            cwd=ROOT,
            env=_env(pg.with_database(server, name)),
            capture_output=True,
            timeout=60,
            check=False,
        )
    finally:
        asyncio.run(pg.drop_database(server, name))

    assert done.returncode != 0
    assert "serving at" not in done.stdout.decode()
    err = done.stderr.decode().strip().splitlines()
    assert len(err) == 1, err
    line = json.loads(err[0])
    assert line["level"] == "error"
    assert "brigade db upgrade" in line["event"] and "revision 0006" in line["event"]
    assert "Traceback" not in done.stderr.decode()
