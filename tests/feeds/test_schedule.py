"""The scheduler's rules, as pure functions over plain values."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from syndic.feeds import next_check_at

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
    # seconds, as the fetcher read them (syndic.bounds.retry_after; its own tests are in tests/test_bounds.py)
    assert _wait(retry_after=7200.0) == timedelta(hours=2)
    assert _wait(retry_after=3 * 24 * 3600.0) == timedelta(days=3)
    assert _wait(retry_after=365 * 24 * 3600.0) == timedelta(days=7)
    assert _wait(retry_after=1e20) == timedelta(days=7)
    assert _wait(retry_after=float("nan")) == timedelta(hours=1)
    assert _wait(retry_after=None) == timedelta(hours=1)


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
    assert _wait(error_count=1, retry_after=3600.0, rng=random.Random(1)) == timedelta(hours=1)


def test_bounds_are_checked() -> None:
    with pytest.raises(ValueError):
        next_check_at(NOW, min_interval=timedelta(hours=2), max_interval=timedelta(hours=1))
    assert _wait(min_interval=timedelta(hours=3), entry_times=_every(timedelta(minutes=1))) == timedelta(
        hours=3
    )


def test_numbers_a_server_writes_never_overflow() -> None:
    """Reproduction (issue 11): `max-age=99999999999999` and `<ttl>9999999999999</ttl>` raised OverflowError."""
    assert _wait(cache_control="max-age=99999999999999") == MAX
    assert _wait(cache_control="max-age=1e400, s-maxage=" + "9" * 5000) == MAX
    assert _wait(ttl_minutes=9999999999999) == MAX
    assert _wait(ttl_minutes=-5) == timedelta(hours=1)
    assert _wait(expires="Fri, 31 Dec 9999 23:59:59 GMT") == MAX
    assert _wait(error_count=10**9, rng=random.Random(3)) <= MAX
    wide = next_check_at(NOW, min_interval=timedelta(days=30), max_interval=timedelta(days=3650), error_count=200)
    assert wide - NOW <= timedelta(days=3650)
