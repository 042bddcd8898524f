"""``brigade init`` opens a real restaurant on an empty database: its own owner and PIN,
no demo staff, no shared kitchen-screen token, no API key, training mode off."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from app.menu.models import Course, TaxRate
from app.platform.auth import pin_matches
from app.platform.db import make_engine, make_sessionmaker
from app.platform.models import ApiKey, AuditEntry, Device, Location, Staff
from app.platform.settings import ROOT
from tests import pg

CHEZ_LOU = [
    "--name", "Chez Lou", "--currency", "eur", "--locale", "fr-FR",
    "--timezone", "Europe/Paris", "--day-starts", "5", "--tax", "10",
    "--prices-include-tax", "--owner", "Lou",
]  # fmt: skip


@pytest.fixture
async def empty_db_url(pg_server: str) -> AsyncIterator[str]:
    """A database with nothing in it, as a new install has."""
    name = f"brigade_empty_{os.getpid()}_{id(pg_server)}"
    await pg._admin(pg_server, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    yield pg.with_database(pg_server, name)
    await pg.drop_database(pg_server, name)


async def init(url: str, *args: str, pin: str = "2468") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIGADE_DATABASE_URL": url}
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "app.cli", "init", *args, "--pin-stdin"],
        cwd=ROOT,
        env=env,
        input=pin + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_init_opens_a_real_restaurant_with_the_owners_own_pin(empty_db_url: str) -> None:
    done = await init(empty_db_url, *CHEZ_LOU)
    again = await init(empty_db_url, *CHEZ_LOU)

    assert done.returncode == 0, done.stderr
    assert "Chez Lou is open" in done.stdout and "sign in as Lou" in done.stdout
    assert again.returncode == 1
    assert "already has a restaurant" in again.stderr
    engine = make_engine(empty_db_url, pool="null")
    async with make_sessionmaker(engine)() as session:
        location = (await session.scalars(select(Location))).one()
        assert (location.name, location.currency, location.locale) == ("Chez Lou", "EUR", "fr_FR")
        assert (location.timezone, location.day_starts_hour) == ("Europe/Paris", 5)
        assert location.prices_include_tax and not location.training_mode
        staff = (await session.scalars(select(Staff))).all()
        assert [(s.name, s.role) for s in staff] == [("Lou", "owner")]
        assert pin_matches(staff[0].pin_hash, "2468")
        # No shared kitchen-screen token, no API key: devices are paired, keys issued.
        assert await session.scalar(select(func.count()).select_from(Device)) == 0
        assert await session.scalar(select(func.count()).select_from(ApiKey)) == 0
        courses = (await session.scalars(select(Course.name).order_by(Course.sort))).all()
        assert courses == ["drinks", "starters", "mains", "desserts"]
        assert (await session.scalars(select(TaxRate.name))).all() == ["Tax 10%"]
        actions = (await session.scalars(select(AuditEntry.action))).all()
        assert actions == ["open_restaurant"]
    await engine.dispose()


@pytest.mark.parametrize(
    ("flag", "value", "pin", "refusal"),
    [
        ("--currency", "XYZ", "2468", "XYZ is not a currency"),
        ("--timezone", "Mars/Olympus", "2468", "The time zone is a name"),
        ("--day-starts", "24", "2468", "between 0 and 23"),
        ("--tax", "abc", "2468", "The tax rate is a percentage"),
        ("--name", "Lou\x01s", "2468", "control character"),
        ("--owner", "Lou", "1111", "one digit repeated"),
        ("--owner", "Lou", "١٢٣٤", "A PIN is 4 to 6 digits"),
        ("--owner", "Lou", "12", "A PIN is 4 to 6 digits"),
    ],
)
async def test_init_refuses_what_a_restaurant_cannot_run_on_and_writes_nothing(
    empty_db_url: str, flag: str, value: str, pin: str, refusal: str
) -> None:
    args = [*CHEZ_LOU]
    args[args.index(flag) + 1] = value
    done = await init(empty_db_url, *args, pin=pin)

    assert done.returncode == 1
    assert refusal in done.stderr, done.stderr
    engine = make_engine(empty_db_url, pool="null")
    async with make_sessionmaker(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(Location)) == 0
    await engine.dispose()


async def test_init_without_a_name_in_a_script_is_refused_by_name(empty_db_url: str) -> None:
    done = await init(empty_db_url, "--owner", "Lou")

    assert done.returncode == 1
    assert "Give the restaurant a name" in done.stderr
