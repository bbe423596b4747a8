"""The scheduler's rules, as pure functions over plain values."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from syndic.feeds import next_check_at, parse_retry_after

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
MIN = timedelta(minutes=5)
MAX = timedelta(hours=24)


def _wait(**kwargs: object) -> timedelta:
    return next_check_at(NOW, **kwargs) - NOW  # type: ignore[arg-type]


def _every(gap: timedelta, count: int = 10, last: timedelta = timedelta(0)) -> list[datetime]:
    return [NOW - last - gap * i for i in range(count)]


def test_busy_feed_is_checked_often_but_not_below_min() -> None:
    assert _wait(entry_times=_every(timedelta(hours=2))) == timedelta(hours=1)
    assert _wait(entry_times=_every(timedelta(minutes=1))) == MIN


def test_slow_feed_is_checked_rarely_and_capped_at_max() -> None:
    assert _wait(entry_times=_every(timedelta(hours=10))) == timedelta(hours=5)
    assert _wait(entry_times=_every(timedelta(days=7))) == MAX


def test_feed_that_went_quiet_is_checked_less_often() -> None:
    busy_then_quiet = _every(timedelta(hours=1), last=timedelta(days=2))
    assert _wait(entry_times=busy_then_quiet) == timedelta(hours=12)


def test_few_entries_fall_back_to_an_hour() -> None:
    assert _wait(entry_times=[]) == timedelta(hours=1)
    assert _wait(entry_times=[NOW]) == timedelta(hours=1)


def test_naive_and_future_entry_times_are_tolerated() -> None:
    naive = [t.replace(tzinfo=None) for t in _every(timedelta(hours=2))]
    assert _wait(entry_times=[*naive, NOW + timedelta(days=300)]) == timedelta(hours=1)


def test_ttl_raises_the_interval() -> None:
    busy = _every(timedelta(minutes=10))
    assert _wait(entry_times=busy, ttl_minutes=90) == timedelta(minutes=90)
    assert _wait(entry_times=busy, ttl_minutes=60 * 48) == MAX


def test_cache_control_and_expires_raise_the_interval() -> None:
    busy = _every(timedelta(minutes=10))
    assert _wait(entry_times=busy, cache_control="public, max-age=3600") == timedelta(hours=1)
    assert _wait(entry_times=busy, cache_control="max-age=60, s-maxage=7200") == timedelta(hours=2)
    assert _wait(entry_times=busy, cache_control="no-cache, max-age=7200") == MIN
    assert _wait(entry_times=busy, expires="Sun, 29 Nov 2026 15:00:00 GMT") == timedelta(hours=3)
    assert _wait(entry_times=busy, expires="garbage") == MIN
    # a server never lowers what the feed's own rhythm asks
    assert _wait(entry_times=_every(timedelta(hours=4)), cache_control="max-age=60") == timedelta(hours=2)


def test_retry_after_is_honoured_beyond_max_but_bounded() -> None:
    assert _wait(retry_after="7200") == timedelta(hours=2)
    assert _wait(retry_after="Sun, 29 Nov 2026 14:30:00 GMT") == timedelta(hours=2, minutes=30)
    assert _wait(retry_after=str(3 * 24 * 3600)) == timedelta(days=3)
    assert _wait(retry_after=str(365 * 24 * 3600)) == timedelta(days=7)
    assert _wait(retry_after="soon") == timedelta(hours=1)


def test_error_backoff_grows_with_jitter_and_is_capped() -> None:
    rng = random.Random(7)
    waits = [_wait(error_count=n, rng=rng) for n in range(1, 16)]
    for n, wait in enumerate(waits, start=1):
        step = min(MIN * 2 ** (n - 1), MAX)
        assert max(step / 2, MIN) <= wait <= step
    assert waits[-1] <= MAX
    assert waits[5] > waits[0]
    # jitter: the same error count does not always give the same wait
    spread = {_wait(error_count=6, rng=random.Random(seed)) for seed in range(20)}
    assert len(spread) > 10


def test_errors_with_retry_after_wait_at_least_that_long() -> None:
    assert _wait(error_count=1, retry_after="3600", rng=random.Random(1)) == timedelta(hours=1)


def test_bounds_are_checked() -> None:
    with pytest.raises(ValueError):
        next_check_at(NOW, min_interval=timedelta(hours=2), max_interval=timedelta(hours=1))
    assert _wait(min_interval=timedelta(hours=3), entry_times=_every(timedelta(minutes=1))) == timedelta(
        hours=3
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", timedelta(minutes=2)),
        ("0", timedelta(0)),
        ("Sun, 29 Nov 2026 12:10:00 GMT", timedelta(minutes=10)),
        ("Sun, 29 Nov 2026 11:00:00 GMT", timedelta(0)),
        ("-5", None),
        ("", None),
        (None, None),
        ("tomorrow", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: timedelta | None) -> None:
    assert parse_retry_after(value, NOW) == expected
