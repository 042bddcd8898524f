"""PIN guesses in parallel on real PostgreSQL: the throttle counts each one, none slips by.

Before the redesign the per-tablet count was read before the staff row was locked, so 60
guesses at once checked 30 PINs against a limit of 20.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Refused
from app.platform import auth
from app.platform.models import PinAttempt
from app.platform.pin_throttle import PinGate, PinLimits, TooManyTries
from tests.conftest import PINS, STAFF_IDS

GUESSES = 60


async def guess(sessionmaker_, name: str, gate: PinGate, start: asyncio.Event) -> str:  # type: ignore[no-untyped-def]
    """One wrong PIN in its own connection and transaction, as one request would try it."""
    async with sessionmaker_() as s:
        await s.connection()  # connected before the starting gun: the tries really overlap
        await start.wait()
        try:
            await auth.sign_in(s, STAFF_IDS[name], "0000", gate)
        except TooManyTries:
            return "paused"
        except Refused:
            return "wrong"
        finally:
            await s.commit()
    return "signed in"


async def all_at_once(sessionmaker_, names: list[str], gate: PinGate) -> list[str]:  # type: ignore[no-untyped-def]
    start = asyncio.Event()
    tasks = [asyncio.create_task(guess(sessionmaker_, n, gate, start)) for n in names]
    await asyncio.sleep(0.5)
    start.set()
    return await asyncio.gather(*tasks)


async def wrong_pins_checked(session: AsyncSession) -> int:
    session.expire_all()
    found = await session.scalar(select(func.count()).select_from(PinAttempt).where(~PinAttempt.ok))
    await session.rollback()
    return int(found or 0)


async def test_sixty_guesses_at_once_from_one_tablet_check_no_more_than_its_limit(
    sessionmaker_, session: AsyncSession
) -> None:
    names = [list(STAFF_IDS)[n % len(STAFF_IDS)] for n in range(GUESSES)]
    gate = PinGate("cookie:stolen-tablet", "10.0.0.9", PinLimits(device_limit=20))

    answers = await all_at_once(sessionmaker_, names, gate)

    assert answers.count("wrong") == 20, answers
    assert answers.count("paused") == GUESSES - 20
    assert await wrong_pins_checked(session) == 20


async def test_sixty_guesses_at_once_for_the_manager_check_three_pins(
    sessionmaker_, session: AsyncSession
) -> None:
    gate = PinGate("cookie:host-stand", "10.0.0.9")

    answers = await all_at_once(sessionmaker_, ["Mia"] * GUESSES, gate)

    assert answers.count("wrong") == PinLimits().free_tries
    assert await wrong_pins_checked(session) == PinLimits().free_tries
    # Mia herself, at the tablet she always uses, is not held up by any of it.
    async with sessionmaker_() as s:
        office = PinGate("cookie:office", "10.0.0.10")
        assert await auth.sign_in(s, STAFF_IDS["Mia"], PINS["Mia"], office)
        await s.commit()
