"""Run Alembic from Python and check that a database is at the latest revision."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.errors import BrigadeError
from app.platform.settings import ROOT

MIGRATIONS = ROOT / "migrations"


class SchemaOutOfDate(BrigadeError):
    status = 503


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("postgresql://")).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


async def ensure_migrated(engine: AsyncEngine) -> None:
    """Refuse to serve an unmigrated database, saying what to run."""
    current, head = await current_revision(engine), head_revision()
    if current != head:
        raise SchemaOutOfDate(
            f"The database is at revision {current or 'none'} but this Brigade needs {head}. "
            "Run `brigade db upgrade` (or `make run`, which does it for you)."
        )


def migrations_dir() -> Path:
    return MIGRATIONS
