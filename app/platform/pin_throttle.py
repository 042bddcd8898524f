"""Wrong PINs slow the guesser down; they never lock the real person out of the restaurant.

The rule (written out for managers in docs/sign-in.md), counted from ``pin_attempt`` rows:

- **One person on one device.** ``free_tries`` wrong PINs, then every further try waits,
  30 s doubling to at most 15 minutes; counted since their last right PIN on that device, a
  manager's reset, or 24 hours.
- **One device**, whoever is tried: at most ``device_limit`` wrong PINs per 15 minutes.
- **One person on devices they never signed in on**: after ``staff_limit`` wrong PINs
  (since their last right PIN anywhere, a reset, or 24 hours) such devices wait too, doubling
  to at most an hour. Tablets they have signed in on before are not affected: a stranger
  guessing the manager's PIN cannot keep the manager off the floor.
- **One address, devices new to the restaurant**: at most ``device_limit`` wrong PINs per
  15 minutes, so a browser that throws its cookie away at every guess is still one guesser.
  A tablet someone has signed in on is never paused for its neighbours behind the same proxy.

Counting is atomic: every try takes advisory locks on its device, its address and the
person, always in that order (so two tries never deadlock), and holds them until the try is
committed. Sixty parallel guesses are therefore counted one after another; none reads a
count that another is about to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Refused

WINDOW = timedelta(minutes=15)
HORIZON = timedelta(hours=24)
PAIR_CAP = 15 * 60
STAFF_CAP = 60 * 60


class TooManyTries(Refused):
    """A pause, not a lock: says how long to wait (``retry_after`` seconds)."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class PinLimits:
    free_tries: int = 3
    backoff_seconds: int = 30
    device_limit: int = 20
    staff_limit: int = 5

    @classmethod
    def from_settings(cls, settings: Any) -> PinLimits:
        return cls(
            settings.pin_free_tries,
            settings.pin_backoff_seconds,
            settings.device_pin_limit,
            settings.staff_pin_limit,
        )


@dataclass(frozen=True, slots=True)
class PinGate:
    """Where a PIN is typed: the device (never a header the client writes) and its address."""

    device_key: str
    client_ip: str = ""
    limits: PinLimits = PinLimits()


def backoff(wrong: int, free: int, base: int, cap: int) -> int:
    """Seconds to wait after the last wrong PIN, once ``free`` have been used up."""
    if wrong < free:
        return 0
    doublings: int = min(wrong - free, 20)
    return min(base * (1 << doublings), cap)


def say_wait(seconds: int) -> str:
    if seconds < 90:
        return f"{max(seconds, 1)} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes" if minutes < 90 else f"{-(-minutes // 60)} hours"


_LOCK = text(
    "SELECT pg_advisory_xact_lock(k, hashtext(v)) FROM (VALUES (1, :device), (2, :address), "
    "(3, :staff_key)) AS keys(k, v) WHERE v <> '' ORDER BY k"
)

_COUNTS = text("""
WITH since AS (
  SELECT greatest(coalesce(pins_reset_at, '-infinity'),
                  clock_timestamp() - CAST(:horizon AS interval)) AS since_at
  FROM staff WHERE id = :staff
), pair_ok AS (
  SELECT max(at) AS ok_at FROM pin_attempt
  WHERE staff_id = :staff AND device_key = :device AND ok
), staff_ok AS (
  SELECT max(at) AS ok_at FROM pin_attempt WHERE staff_id = :staff AND ok
), pair AS (
  SELECT count(*) AS wrong, max(a.at) AS last FROM pin_attempt a, since, pair_ok
  WHERE a.staff_id = :staff AND a.device_key = :device AND NOT a.ok
    AND a.at > greatest(since_at, coalesce(pair_ok.ok_at, '-infinity'))
), everywhere AS (
  SELECT count(*) AS wrong, max(a.at) AS last FROM pin_attempt a, since, staff_ok
  WHERE a.staff_id = :staff AND NOT a.ok
    AND a.at > greatest(since_at, coalesce(staff_ok.ok_at, '-infinity'))
)
SELECT clock_timestamp() AS now,
  (SELECT at FROM pin_attempt WHERE device_key = :device AND NOT ok
     AND at > clock_timestamp() - CAST(:window AS interval)
     ORDER BY at DESC OFFSET :full LIMIT 1) AS device_full,
  (SELECT at FROM pin_attempt WHERE client_ip = :address AND NOT ok AND NOT device_known
     AND at > clock_timestamp() - CAST(:window AS interval)
     ORDER BY at DESC OFFSET :full LIMIT 1) AS address_full,
  EXISTS (SELECT 1 FROM pin_attempt WHERE device_key = :device AND ok) AS device_known,
  (SELECT ok_at FROM pair_ok) IS NOT NULL AS known_here,
  pair.wrong AS pair_wrong, pair.last AS pair_last,
  everywhere.wrong AS staff_wrong, everywhere.last AS staff_last
FROM pair, everywhere
""")


_RECORD = text(
    "INSERT INTO pin_attempt (staff_id, device_key, client_ip, device_known, ok, at) "
    "VALUES (:staff, :device, :address, :known, :ok, clock_timestamp())"
)


@dataclass(frozen=True, slots=True)
class Standing:
    """What the throttle knew when it let a try through."""

    device_known: bool
    pair_wrong: int


def _left(since: datetime | None, wait: int, now: datetime) -> int:
    if since is None or wait <= 0:
        return 0
    return max(0, int((since + timedelta(seconds=wait) - now).total_seconds() + 0.999))


async def admit(session: AsyncSession, staff_id: int, name: str, gate: PinGate) -> Standing:
    """Lock this try's counters and refuse it if any of them says wait. Nothing is written:
    a refused try checked no PIN, so it does not count against anyone."""
    limits = gate.limits
    keys = {"device": gate.device_key, "address": gate.client_ip, "staff": staff_id}
    await session.execute(_LOCK, {**keys, "staff_key": str(staff_id)})
    row = (
        await session.execute(
            _COUNTS,
            {**keys, "horizon": HORIZON, "window": WINDOW, "full": max(limits.device_limit - 1, 0)},
        )
    ).one()
    now = row.now
    if (left := _left(row.device_full, int(WINDOW.total_seconds()), now)) > 0:
        raise TooManyTries(
            f"Too many wrong PINs on this tablet. Try again in {say_wait(left)}.", left
        )
    if gate.client_ip and not row.device_known and (left := _left(row.address_full, 900, now)) > 0:
        raise TooManyTries(
            "Too many wrong PINs from new devices on this network. Use a tablet staff have "
            f"signed in on before, or try again in {say_wait(left)}.",
            left,
        )
    pair_wait = backoff(row.pair_wrong, limits.free_tries, limits.backoff_seconds, PAIR_CAP)
    if (left := _left(row.pair_last, pair_wait, now)) > 0:
        raise TooManyTries(
            f"Too many wrong PINs for {name} on this tablet. Try again in {say_wait(left)}, "
            "or ask a manager to clear it.",
            left,
        )
    if not row.known_here:
        wait = backoff(row.staff_wrong, limits.staff_limit, limits.backoff_seconds, STAFF_CAP)
        if (left := _left(row.staff_last, wait, now)) > 0:
            raise TooManyTries(
                f"Too many wrong PINs for {name} lately. {name} can still sign in on a tablet "
                f"they have used before, or try here again in {say_wait(left)}.",
                left,
            )
    return Standing(bool(row.device_known), int(row.pair_wrong))


async def record(
    session: AsyncSession, staff_id: int, gate: PinGate, standing: Standing, ok: bool
) -> None:
    await session.execute(
        _RECORD,
        {
            "staff": staff_id,
            "device": gate.device_key,
            "address": gate.client_ip,
            "known": standing.device_known,
            "ok": ok,
        },
    )


def wrong_pin_message(standing: Standing, limits: PinLimits) -> str:
    """After a wrong PIN: how many more before this tablet makes the person wait."""
    wrong = standing.pair_wrong + 1
    left = limits.free_tries - wrong
    if left > 0:
        return f"Wrong PIN. {left} more tr{'y' if left == 1 else 'ies'} before a wait."
    wait = backoff(wrong, limits.free_tries, limits.backoff_seconds, PAIR_CAP)
    return f"Wrong PIN. Wait {say_wait(wait)} before the next try."


_RECENT = text("""
SELECT s.id, count(a.id) AS wrong FROM staff s
LEFT JOIN pin_attempt a ON a.staff_id = s.id AND NOT a.ok
  AND a.at > greatest(coalesce(s.pins_reset_at, '-infinity'),
    clock_timestamp() - CAST(:horizon AS interval),
    coalesce((SELECT max(at) FROM pin_attempt o WHERE o.staff_id = s.id AND o.ok), '-infinity'))
WHERE s.location_id = :location
GROUP BY s.id
""")


async def recent_wrong_pins(session: AsyncSession, location_id: int) -> dict[int, int]:
    """Wrong PINs per person since their last right one (or a reset, or 24 hours): what the
    manager's Staff screen shows next to each name."""
    rows = await session.execute(_RECENT, {"location": location_id, "horizon": HORIZON})
    return {int(r.id): int(r.wrong) for r in rows}
