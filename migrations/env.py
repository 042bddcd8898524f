"""Alembic environment: async, on PostgreSQL, every migration inside one transaction."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

# Every area's tables. Migrations are the one place outside main.py that names kds.
from app.accounting import models as accounting_models
from app.billing import models as billing_models
from app.devices import models as device_models
from app.floor import models as floor_models
from app.inventory import models as inventory_models
from app.inventory import purchase_models
from app.menu import models as menu_models
from app.orders import models as orders_models
from app.platform import models as platform_models
from app.platform.db import Base
from kds import models as kds_models
from printers import models as printer_models

AREAS = (
    accounting_models,
    billing_models,
    device_models,
    floor_models,
    inventory_models,
    purchase_models,
    menu_models,
    orders_models,
    platform_models,
    kds_models,
    printer_models,
)
metadata = Base.metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "the brigade CLI sets sqlalchemy.url"
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        asyncio.run(_run_async(url))


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
