"""The app refuses to serve a database that is not migrated, and says what to run."""

from __future__ import annotations

import asyncio

import pytest

from app.platform import migrate
from app.platform.db import make_engine
from tests import pg


async def test_unmigrated_database_is_refused_with_the_command_to_run(pg_server: str) -> None:
    name = f"brigade_empty_{id(pg_server)}"
    await pg._admin(pg_server, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    engine = make_engine(pg.with_database(pg_server, name), pool="null")
    try:
        with pytest.raises(migrate.SchemaOutOfDate, match="brigade db upgrade"):
            await migrate.ensure_migrated(engine)
    finally:
        await engine.dispose()
        await pg.drop_database(pg_server, name)


async def test_migrated_demo_database_is_accepted(db_url: str) -> None:
    engine = make_engine(db_url, pool="null")
    try:
        await migrate.ensure_migrated(engine)
        assert await migrate.current_revision(engine) == migrate.head_revision()
    finally:
        await engine.dispose()


async def test_migrations_go_down_and_up_again(pg_server: str) -> None:
    name = f"brigade_roundtrip_{id(pg_server)}"
    await pg._admin(pg_server, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    url = pg.with_database(pg_server, name)
    try:
        await asyncio.to_thread(migrate.upgrade, url)
        await asyncio.to_thread(migrate.downgrade, url, "base")
        await asyncio.to_thread(migrate.upgrade, url)
        engine = make_engine(url, pool="null")
        assert await migrate.current_revision(engine) == migrate.head_revision()
        await engine.dispose()
    finally:
        await pg.drop_database(pg_server, name)
