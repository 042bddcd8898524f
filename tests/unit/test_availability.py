"""The 86 rule: what a server may order, worked out from the item's row and the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.availability import availability, clock_time

NEW_YORK = ZoneInfo("America/New_York")
# Hypothesis takes naive bounds; the moments it draws all carry UTC.
moments = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001
    max_value=datetime(2035, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)
gaps = st.timedeltas(min_value=timedelta(seconds=-86_400 * 3), max_value=timedelta(days=3))
countdowns = st.none() | st.integers(min_value=0, max_value=999)


@given(available=st.booleans(), now=moments, gap=st.none() | gaps, countdown=countdowns)
def test_a_server_is_told_why_exactly_when_the_item_cannot_be_ordered(
    available: bool, now: datetime, gap: timedelta | None, countdown: int | None
) -> None:
    until = None if gap is None else now + gap
    orderable, why, left = availability(available, until, countdown, now)
    assert orderable == (why is None)
    assert left == countdown  # the countdown is shown as it stands, 86'd or not
    if why is not None:
        assert why.startswith("86'd")


@given(available=st.booleans(), now=moments, gap=st.none() | gaps)
def test_the_last_portion_gone_is_86d_whatever_the_flag_says(
    available: bool, now: datetime, gap: timedelta | None
) -> None:
    until = None if gap is None else now + gap
    assert availability(available, until, 0, now).orderable is False


@given(now=moments, gap=st.none() | gaps, countdown=st.none() | st.integers(1, 999))
def test_an_item_on_with_portions_left_is_orderable(
    now: datetime, gap: timedelta | None, countdown: int | None
) -> None:
    # A stale end time on an item that is on means nothing.
    until = None if gap is None else now + gap
    assert availability(True, until, countdown, now) == (True, None, countdown)


@given(now=moments, countdown=countdowns)
def test_86_without_an_end_time_stays_86d_until_someone_brings_it_back(
    now: datetime, countdown: int | None
) -> None:
    for later in (now, now + timedelta(hours=6), now + timedelta(days=30)):
        orderable, why, _ = availability(False, None, countdown, later)
        assert not orderable and why == "86'd"


@given(now=moments, ahead=st.timedeltas(timedelta(seconds=1), timedelta(hours=12)))
def test_timed_86_lifts_by_itself_at_its_time(now: datetime, ahead: timedelta) -> None:
    until = now + ahead
    before = availability(False, until, None, now)
    assert not before.orderable and before.why is not None and "until" in before.why
    assert availability(False, until, None, until).orderable
    assert availability(False, until, None, until + timedelta(minutes=1)).orderable


@given(
    available=st.booleans(),
    now=moments,
    gap=st.none() | gaps,
    countdown=countdowns,
    wait=st.timedeltas(timedelta(0), timedelta(days=2)),
)
def test_an_item_never_goes_off_by_itself_as_time_passes(
    available: bool, now: datetime, gap: timedelta | None, countdown: int | None, wait: timedelta
) -> None:
    """Only people and sends take items off; the clock only ever brings them back."""
    until = None if gap is None else now + gap
    if availability(available, until, countdown, now).orderable:
        assert availability(available, until, countdown, now + wait).orderable


def test_burrata_86d_until_half_past_nine_reads_in_the_restaurants_time() -> None:
    now = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)  # 6:00 PM in New York
    until = datetime(2026, 11, 21, 2, 30, tzinfo=UTC)  # 9:30 PM in New York
    assert availability(False, until, None, now, NEW_YORK).why == "86'd until 9:30 PM"


@pytest.mark.parametrize(
    ("until", "reads"),
    [
        (datetime(2026, 11, 20, 17, 5, tzinfo=NEW_YORK), "5:05 PM"),
        (datetime(2026, 11, 20, 0, 15, tzinfo=NEW_YORK), "12:15 AM"),
        (datetime(2026, 11, 20, 12, 0, tzinfo=NEW_YORK), "12:00 PM"),
        (datetime(2026, 11, 21, 11, 0, tzinfo=NEW_YORK), "Sat 11:00 AM"),
        (datetime(2026, 12, 5, 11, 0, tzinfo=NEW_YORK), "Dec 5 11:00 AM"),
    ],
)
def test_end_times_read_like_a_kitchen_says_them(until: datetime, reads: str) -> None:
    now = datetime(2026, 11, 20, 9, 0, tzinfo=NEW_YORK)  # a Friday morning
    assert clock_time(until, now, NEW_YORK) == reads


def test_naive_times_are_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        availability(False, datetime(2026, 11, 20, 21, 30), None, datetime.now(UTC))  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        availability(True, None, None, datetime(2026, 11, 20, 21, 30))  # noqa: DTZ001


def test_a_negative_countdown_is_a_bug_not_a_state() -> None:
    with pytest.raises(ValueError, match="never negative"):
        availability(True, None, -1, datetime.now(UTC))
