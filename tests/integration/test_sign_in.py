"""PIN sign-in on real PostgreSQL: hashes, lock-outs, device throttling, session revocation."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, Refused
from app.platform import auth
from app.platform.models import AuditEntry, Staff
from tests.conftest import PINS, STAFF_IDS


async def try_pin(
    sessionmaker_,
    name: str,
    pin: str,
    device: str = "tablet-1",
    lockout: int = 5,
    device_limit: int = 20,
) -> str:
    """One PIN attempt as the sign-in route makes it: the attempt is committed even when refused."""
    async with sessionmaker_() as s:
        try:
            return await auth.sign_in(
                s, STAFF_IDS[name], pin, device, lockout_after=lockout, device_limit=device_limit
            )
        finally:
            await s.commit()


async def test_pin_is_stored_as_a_hash_never_as_digits(session: AsyncSession) -> None:
    hashes = (await session.scalars(select(Staff.pin_hash))).all()
    assert all(h.startswith("$argon2") for h in hashes)
    assert not any(pin in h for h in hashes for pin in PINS.values())


async def test_five_wrong_pins_lock_until_a_manager_unlocks(
    sessionmaker_, session: AsyncSession
) -> None:
    for attempt in range(1, 5):
        with pytest.raises(Refused, match=f"{5 - attempt} more tr"):
            await try_pin(sessionmaker_, "Sam", "0000")
    with pytest.raises(Refused, match="now locked"):
        await try_pin(sessionmaker_, "Sam", "0000")
    with pytest.raises(Refused, match="locked after too many wrong PINs"):
        await try_pin(sessionmaker_, "Sam", PINS["Sam"])
    async with sessionmaker_() as s:
        await auth.unlock_staff(s, STAFF_IDS["Sam"], STAFF_IDS["Mia"])
        await s.commit()
    assert await try_pin(sessionmaker_, "Sam", PINS["Sam"])
    actions = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()
    assert actions == ["pin_lockout", "pin_unlock"]


async def test_one_tablet_guessing_many_names_is_throttled(sessionmaker_) -> None:
    for name in ["Maria", "Sam", "Lee", "Hana"] * 3:
        with pytest.raises(Refused):
            await try_pin(sessionmaker_, name, "0000", device="guessing-tablet", device_limit=10)
    with pytest.raises(Refused, match="Too many wrong PINs on this tablet"):
        await try_pin(sessionmaker_, "Mia", PINS["Mia"], device="guessing-tablet", device_limit=10)
    # Another tablet is not punished for it.
    assert await try_pin(sessionmaker_, "Mia", PINS["Mia"], device="bar-tablet", device_limit=10)


@pytest.mark.parametrize("pin", ["", "12", "1234567", "12a4", "    "])
async def test_malformed_pin_is_refused_before_any_lookup(sessionmaker_, pin: str) -> None:
    with pytest.raises(BadInput, match="4 to 6 digit"):
        await try_pin(sessionmaker_, "Maria", pin)


async def test_signed_out_session_no_longer_works(sessionmaker_) -> None:
    token = await try_pin(sessionmaker_, "Maria", PINS["Maria"])
    async with sessionmaker_() as s:
        principal = await auth.principal_for(s, token)
        assert principal is not None and principal.name == "Maria" and principal.role == "server"
        await auth.revoke_session(s, token)
        await s.commit()
        assert await auth.principal_for(s, token) is None


async def test_kitchen_screen_pairs_with_its_device_token(sessionmaker_) -> None:
    from app.demo import KITCHEN_DEVICE_TOKEN

    async with sessionmaker_() as s:
        token = await auth.pair_device(s, KITCHEN_DEVICE_TOKEN)
        await s.commit()
        principal = await auth.principal_for(s, token)
        assert principal is not None and principal.role == "kitchen" and principal.device_id
        with pytest.raises(Refused, match="not valid"):
            await auth.pair_device(s, "guessed-token")
