"""Migration 0013 gives a location that existed before it an account for each stock purpose,
at the next free code when the manager had already used the default one; down again, it
takes away only what it added."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from app.platform import migrate
from app.platform.db import make_engine
from tests import pg

PURPOSES = "SELECT a.purpose, c.code FROM account_purpose a JOIN account c ON c.id = a.account_id "
STOCK = "WHERE a.purpose IN ('inventory', 'payables', 'cogs', 'waste', 'shrinkage')"


async def test_an_existing_chart_gets_the_stock_accounts_around_a_taken_code(
    pg_server: str,
) -> None:
    name = f"brigade_stock_chart_{id(pg_server)}"
    await pg._admin(pg_server, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    url = pg.with_database(pg_server, name)
    engine = make_engine(url, pool="null")
    try:
        await asyncio.to_thread(migrate.upgrade, url, "0012_hot_paths")
        async with engine.begin() as db:
            await db.execute(
                text(
                    "INSERT INTO location (id, name, currency, locale, timezone, "
                    "prices_include_tax) VALUES (7, 'Old place', 'USD', 'en_US', 'UTC', false)"
                )
            )
            # The manager already used the inventory account's default code for a bank.
            await db.execute(
                text(
                    "INSERT INTO account (location_id, code, name, kind) "
                    "VALUES (7, '1300', 'Bank', 'asset')"
                )
            )
        await asyncio.to_thread(migrate.upgrade, url)
        async with engine.connect() as db:
            mapped = dict((await db.execute(text(PURPOSES + STOCK))).all())
        assert mapped == {
            "inventory": "1301",
            "payables": "2400",
            "cogs": "5000",
            "waste": "5100",
            "shrinkage": "5200",
        }
        await asyncio.to_thread(migrate.downgrade, url, "0012_hot_paths")
        async with engine.connect() as db:
            assert (await db.execute(text(PURPOSES + STOCK))).all() == []
            codes = (await db.execute(text("SELECT code FROM account WHERE code = '1300'"))).all()
            assert codes == [("1300",)]  # the bank stays
            left = await db.scalar(text("SELECT count(*) FROM account WHERE code = '1301'"))
            assert left == 0
    finally:
        await engine.dispose()
        await pg.drop_database(pg_server, name)
