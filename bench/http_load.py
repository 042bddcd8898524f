"""A lean HTTP/1.1 keep-alive client for load generation (what ``wrk`` is to a shell).

The benchmark client runs on the same two CPUs as the app and the database: httpx spends
about a millisecond of CPU on each request, which the app would be charged for. This client
writes a request's bytes and reads the status line, headers and a ``Content-Length`` body
from one kept-alive connection: a few tens of microseconds. Only what the benchmarks need:
no TLS, no chunked bodies, no redirects.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Connection:
    """One kept-alive connection; requests on it go one at a time."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> Connection:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._writer is not None:
            self._writer.close()

    async def post_json(self, path: str, payload: Any, headers: dict[str, str]) -> Answer:
        assert self._reader is not None
        assert self._writer is not None
        body = json.dumps(payload).encode()
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self._writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{head}\r\n".encode()
            + body
        )
        status_line = await self._reader.readuntil(b"\r\n")
        length = 0
        while (line := await self._reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
            elif name.strip().lower() == b"transfer-encoding":
                raise RuntimeError("chunked answers are not supported by this load client")
        return Answer(int(status_line.split()[1]), await self._reader.readexactly(length))
