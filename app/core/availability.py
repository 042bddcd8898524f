"""Can this item be ordered right now? The 86 rule, from the item's row and the clock.

An item is out ("86'd") when the kitchen says so, or when its countdown of portions left
tonight has reached zero. An 86 with an end time lifts by itself when that time passes:
nothing has to run at 9:30 PM, every reader works it out from the clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import NamedTuple

EIGHTY_SIXED = "86'd"


class Availability(NamedTuple):
    #: True when a server may put it on a check now.
    orderable: bool
    #: Why not, in words for a server ("86'd", "86'd until 9:30 PM"); None when orderable.
    why: str | None
    #: Portions left tonight when the kitchen keeps a countdown, else None (no limit).
    left: int | None


def availability(
    available: bool,
    unavailable_until: datetime | None,
    countdown: int | None,
    now: datetime,
    zone: tzinfo = UTC,
) -> Availability:
    """The rule. ``zone`` is the restaurant's time zone, for the time staff read."""
    if now.tzinfo is None or (unavailable_until is not None and unavailable_until.tzinfo is None):
        # A naive time is a bug waiting for daylight saving: refuse it loudly.
        raise ValueError("availability needs timezone-aware datetimes")
    if countdown is not None and countdown < 0:
        raise ValueError("a countdown is never negative")
    if not available and (unavailable_until is None or now < unavailable_until):
        why = EIGHTY_SIXED
        if unavailable_until is not None:
            why = f"{EIGHTY_SIXED} until {clock_time(unavailable_until, now, zone)}"
        return Availability(False, why, countdown)
    if countdown == 0:
        # The last portion went out: sold out is 86'd, whatever the flag says.
        return Availability(False, EIGHTY_SIXED, 0)
    return Availability(True, None, countdown)


def clock_time(moment: datetime, now: datetime, zone: tzinfo = UTC) -> str:
    """ "9:30 PM" tonight; "Tue 11:00 AM" on another day this week; "Mar 5 11:00 AM" later."""
    local = moment.astimezone(zone)
    hour = local.hour % 12 or 12
    text = f"{hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    days = (local.date() - now.astimezone(zone).date()).days
    if days == 0:
        return text
    if 0 < days < 7:
        return f"{local:%a} {text}"
    return f"{local:%b} {local.day} {text}"
