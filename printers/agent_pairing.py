"""``brigade-print-agent --pair``: show a pairing code in the terminal, wait, keep the token.

The agent asks the server for a code (``POST /api/v1/device-pairings``), prints it large,
and asks every few seconds whether a manager has typed it on the Devices screen. The token
it was handed with the code is its device token from then on: it is written to the token
file (readable by its owner only) before the agent connects, so a restart never pairs again.
A code nobody typed in time is replaced by a new one; a server that is down is waited for.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ASK = "/api/v1/device-pairings"
WAIT = "/api/v1/device-pairings/wait"
#: Seconds between two questions, and before trying a server that did not answer again.
EVERY_S = 2.0
RETRY_S = 5.0
# Like the websocket (proxy=None): the server is on the restaurant's LAN, never via a proxy.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class PairingFailed(Exception):
    """The server refused to pair this agent, with its sentence: retrying will not help."""


def http_base(server: str) -> str:
    """``ws://host:8000`` -> ``http://host:8000`` (and wss -> https)."""
    base = server.rstrip("/")
    for ws, http in (("wss://", "https://"), ("ws://", "http://")):
        if base.startswith(ws):
            return http + base[len(ws) :]
    return base


def _post(url: str, body: dict[str, Any], timeout_s: float = 10.0) -> tuple[int, dict[str, Any]]:
    """(status, JSON answer); status 0 when the server could not be reached."""
    request = urllib.request.Request(  # noqa: S310 - http(s) only, built by http_base
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with _opener.open(request, timeout=timeout_s) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as refused:
        with contextlib.suppress(ValueError):
            return refused.code, json.loads(refused.read() or b"{}")
        return refused.code, {}
    except (OSError, ValueError) as exc:  # refused, reset, timed out, not JSON
        return 0, {"error": str(exc)}


def read_token(path: Path) -> str | None:
    with contextlib.suppress(FileNotFoundError):
        return path.read_text().strip() or None
    return None


def save_token(path: Path, token: str) -> None:
    """Owner-only, replaced whole, on disk before the agent uses it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(token + "\n")
        file.flush()
        os.fsync(file.fileno())
    os.replace(tmp, path)


def _until(expires_at: str) -> str:
    with contextlib.suppress(ValueError):
        return datetime.fromisoformat(expires_at).astimezone().strftime("%H:%M")
    return "ten minutes from now"


async def pair(
    server: str,
    token_file: Path,
    *,
    say: Callable[[str], None] = print,
    every_s: float = EVERY_S,
    retry_s: float = RETRY_S,
) -> str:
    """Pair this agent; returns its token, already saved to ``token_file``."""
    base = http_base(server)
    while True:
        status, asked = await asyncio.to_thread(_post, base + ASK, {"kind": "agent"})
        if status == 0 or status >= 500 or status == 429:
            say(f"The server did not give a code ({asked.get('error') or status}); trying again.")
            await asyncio.sleep(retry_s)
            continue
        if status != 201:
            raise PairingFailed(asked.get("error") or f"the server answered {status}")
        say(f"\n    Pairing code:   {asked['code']}\n")
        say(
            "In Brigade's back office (Office, Devices) a manager types this code, names "
            "this print agent and ticks the printers it reaches."
        )
        say(f"Waiting; the code works once, until {_until(str(asked['expires_at']))}.")
        token = str(asked["token"])
        while True:
            await asyncio.sleep(every_s)
            status, state = await asyncio.to_thread(_post, base + WAIT, {"token": token})
            if status == 200 and state.get("status") == "paired":
                await asyncio.to_thread(save_token, token_file, token)
                say(f"Paired as {state.get('name')!r}. Its token is kept in {token_file}.")
                return token
            if status == 410:
                say("Nobody typed the code in time; here is a new one.")
                break
            if status in (403, 404):
                raise PairingFailed(state.get("error") or f"the server answered {status}")
            # 200 waiting, or a server restarting (0, 5xx): ask again.
