"""PIN sign-in on real PostgreSQL: hashes, lock-outs, device throttling, session revocation."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, Refused
from app.platform import auth
from app.platform.models import AuditEntry, PinAttempt, Staff
from app.platform.pin_throttle import PinGate, PinLimits, TooManyTries
from tests.conftest import PINS, STAFF_IDS


async def try_pin(
    sessionmaker_,
    name: str,
    pin: str,
    device: str = "cookie:tablet-1",
    limits: PinLimits = PinLimits(),
    address: str = "",
) -> str:
    """One PIN attempt as the sign-in route makes it: the attempt is committed even when refused."""
    async with sessionmaker_() as s:
        try:
            return await auth.sign_in(s, STAFF_IDS[name], pin, PinGate(device, address, limits))
        finally:
            await s.commit()


async def test_pin_is_stored_as_a_hash_never_as_digits(session: AsyncSession) -> None:
    hashes = (await session.scalars(select(Staff.pin_hash))).all()
    assert all(h.startswith("$argon2") for h in hashes)
    assert not any(pin in h for h in hashes for pin in PINS.values())


async def test_three_wrong_pins_make_sams_next_try_wait_and_a_manager_clears_it(
    sessionmaker_, session: AsyncSession
) -> None:
    for left in ("2 more tries", "1 more try"):
        with pytest.raises(Refused, match=rf"Wrong PIN\. {left} before a wait\."):
            await try_pin(sessionmaker_, "Sam", "0000")
    with pytest.raises(Refused, match=r"Wrong PIN\. Wait 30 seconds before the next try\."):
        await try_pin(sessionmaker_, "Sam", "0000")
    with pytest.raises(TooManyTries, match="Too many wrong PINs for Sam on this tablet") as paused:
        await try_pin(sessionmaker_, "Sam", PINS["Sam"])
    assert 0 < paused.value.retry_after <= 30
    async with sessionmaker_() as s:
        await auth.unlock_staff(s, STAFF_IDS["Sam"], STAFF_IDS["Mia"])
        await s.commit()
    assert await try_pin(sessionmaker_, "Sam", PINS["Sam"])
    actions = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()
    assert actions == ["pin_unlock"]


async def test_a_paused_try_checks_no_pin_and_records_nothing(
    sessionmaker_, session: AsyncSession
) -> None:
    for _ in range(3):
        with pytest.raises(Refused, match="Wrong PIN"):
            await try_pin(sessionmaker_, "Lee", "0000")
    for _ in range(5):
        with pytest.raises(TooManyTries):
            await try_pin(sessionmaker_, "Lee", "0000")
    tries = (await session.scalars(select(PinAttempt.ok))).all()
    assert tries == [False, False, False], "a refused try must not lengthen the wait"


async def test_sams_wrong_pins_on_one_tablet_do_not_stop_him_on_his_own_tablet(
    sessionmaker_,
) -> None:
    """Sam signs in on the bar tablet every night; someone guesses his PIN at the host stand."""
    assert await try_pin(sessionmaker_, "Sam", PINS["Sam"], device="cookie:bar")
    for _ in range(3):
        with pytest.raises(Refused, match="Wrong PIN"):
            await try_pin(sessionmaker_, "Sam", "0000", device="cookie:host-stand")
    with pytest.raises(TooManyTries):
        await try_pin(sessionmaker_, "Sam", PINS["Sam"], device="cookie:host-stand")
    assert await try_pin(sessionmaker_, "Sam", PINS["Sam"], device="cookie:bar")


async def test_guesses_for_the_manager_from_many_new_devices_pause_only_new_devices(
    sessionmaker_,
) -> None:
    """A stranger tries Mia's PIN from five fresh browsers: after the person's limit new
    devices wait, but Mia's own office tablet still lets her in at once."""
    assert await try_pin(sessionmaker_, "Mia", PINS["Mia"], device="cookie:office")
    for n in range(5):
        with pytest.raises(Refused, match="Wrong PIN"):
            await try_pin(sessionmaker_, "Mia", "0000", device=f"cookie:stranger-{n}")
    with pytest.raises(TooManyTries, match="Too many wrong PINs for Mia lately"):
        await try_pin(sessionmaker_, "Mia", "0000", device="cookie:stranger-new")
    assert await try_pin(sessionmaker_, "Mia", PINS["Mia"], device="cookie:office")


async def test_one_tablet_guessing_many_names_is_throttled(sessionmaker_) -> None:
    limits = PinLimits(device_limit=10)
    for name in ["Maria", "Sam", "Lee", "Hana", "Ode"] * 2:
        with pytest.raises(Refused, match="Wrong PIN"):
            await try_pin(sessionmaker_, name, "0000", device="cookie:guessing", limits=limits)
    with pytest.raises(TooManyTries, match="Too many wrong PINs on this tablet"):
        await try_pin(sessionmaker_, "Mia", PINS["Mia"], device="cookie:guessing", limits=limits)
    # Another tablet is not punished for it.
    assert await try_pin(sessionmaker_, "Mia", PINS["Mia"], device="cookie:bar", limits=limits)


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
