"""The app that cannot start says why in one line, and the server gets no traceback to print
a second time (granian logs a failed startup's message and its exception)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from litestar import Litestar

from app.platform.migrate import SchemaOutOfDate
from app.platform.request_log import RequestLog


async def _start(app: Any) -> list[dict[str, Any]]:
    """Drive the ASGI lifespan startup as a server does; what the app sent back."""
    sent: list[dict[str, Any]] = []
    inbox = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]

    async def receive() -> dict[str, Any]:
        return inbox.pop(0)

    async def send(message: Any) -> None:
        sent.append(message)

    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    return sent


async def test_an_app_refused_at_startup_says_why_in_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def refuse(_: Litestar) -> None:
        raise SchemaOutOfDate("The database is at revision none. Run `brigade db upgrade`.")

    caplog.set_level(logging.INFO)
    sent = await _start(RequestLog(Litestar(on_startup=[refuse], logging_config=None)))

    assert sent == [{"type": "lifespan.startup.failed", "message": ""}]
    said = [r for r in caplog.records if r.name == "brigade.startup"]
    assert len(said) == 1 and said[0].levelname == "ERROR"
    assert said[0].getMessage() == (
        "Brigade could not start: The database is at revision none. Run `brigade db upgrade`."
    )
    assert said[0].exc_info is None  # a known refusal needs no traceback


async def test_an_unexpected_startup_error_keeps_its_traceback_inside_its_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(_: Litestar) -> None:
        raise RuntimeError("the receipt printer module is missing")

    caplog.set_level(logging.INFO)
    sent = await _start(RequestLog(Litestar(on_startup=[broken], logging_config=None)))

    assert sent == [{"type": "lifespan.startup.failed", "message": ""}]
    said = [r for r in caplog.records if r.name == "brigade.startup"]
    assert len(said) == 1 and "receipt printer module is missing" in said[0].getMessage()
    assert said[0].exc_info is not None  # formatted into the line's "exc" field


async def test_a_good_startup_passes_through() -> None:
    sent = await _start(RequestLog(Litestar(logging_config=None)))
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_a_card_number_in_a_logged_path_is_masked() -> None:
    from app.platform.logs import JsonFormatter

    record = logging.makeLogRecord(
        {"name": "brigade.request", "msg": "request", "path": "/checks/4111111111111111"}
    )
    line = JsonFormatter().format(record)
    assert "4111111111111111" not in line and "/checks/" in line
