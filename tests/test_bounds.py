"""`syndic.bounds`: every number read from a feed, a header or a destination, parsed once and clamped."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from syndic import bounds

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
WEEK = 7 * 24 * 3600.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        ("0", 0.0),
        (" 30 ", 30.0),
        ("2.5", 2.5),
        ("Sun, 29 Nov 2026 12:10:00 GMT", 600.0),
        ("Sun, 29 Nov 2026 11:00:00 GMT", 0.0),  # in the past: now
        ("Sunday, 29-Nov-26 12:01:00 GMT", 60.0),  # RFC 850
        ("-5", None),
        ("", None),
        (None, None),
        ("tomorrow", None),
        ("nan", None),
        ("inf", None),
        # what used to overflow: clamped to a week
        ("1e20", WEEK),
        ("99999999999999999999999999999", WEEK),
        ("9" * 10_000, WEEK),
        ("1e99999", WEEK),
        ("1e-99999", 0.0),
        ("Fri, 31 Dec 9999 23:59:59 GMT", WEEK),
        ("Mon, 01 Jan 0001 00:00:00 GMT", 0.0),
        ("Mon, 99 Foo 99999 99:99:99 GMT", None),
    ],
)
def test_retry_after(value: str | None, expected: float | None) -> None:
    assert bounds.retry_after(value, NOW) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("public, max-age=3600", 3600.0),
        ("max-age=60, s-maxage=7200", 7200.0),
        ('max-age="120"', 120.0),
        ("max-age=99999999999999", bounds.MAX_DELAY_SECONDS),
        ("max-age=" + "9" * 5000, bounds.MAX_DELAY_SECONDS),
        ("max-age=-1", None),
        ("max-age=soon", None),
        ("no-cache, max-age=7200", None),
        ("private", None),
        ("", None),
        (None, None),
    ],
)
def test_max_age(header: str | None, expected: float | None) -> None:
    assert bounds.max_age(header) == expected


def test_freshness_prefers_max_age_then_expires() -> None:
    assert bounds.freshness("max-age=60", "Sun, 29 Nov 2026 15:00:00 GMT", NOW) == 60.0
    assert bounds.freshness(None, "Sun, 29 Nov 2026 15:00:00 GMT", NOW) == 3 * 3600.0
    assert bounds.freshness("no-store", "Sun, 29 Nov 2026 15:00:00 GMT", NOW) is None
    assert bounds.freshness(None, "garbage", NOW) is None
    assert bounds.freshness(None, "Fri, 31 Dec 9999 23:59:59 GMT", NOW) == bounds.MAX_DELAY_SECONDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" +3 ", 3),
        ("007", 7),
        ("9999999999999", bounds.MAX_INT32),
        ("9" * 100_000, bounds.MAX_INT32),  # beyond Python's int-from-str digit limit
        ("-1", None),
        ("1.5", None),
        ("", None),
        ("twelve", None),
        (None, None),
    ],
)
def test_count(text: str | None, expected: int | None) -> None:
    assert bounds.count(text, upper=bounds.MAX_INT32) == expected


def test_clamp_count_and_seconds_take_parsed_numbers() -> None:
    assert bounds.clamp_count(10**40) == bounds.MAX_COUNT
    assert bounds.clamp_count(float("inf")) == bounds.MAX_COUNT
    assert bounds.clamp_count(float("nan")) is None
    assert bounds.clamp_count(True) is None and bounds.clamp_count("3") is None and bounds.clamp_count(-1) is None
    assert bounds.clamp_seconds(1e300, upper=60) == 60
    assert bounds.clamp_seconds(float("nan")) is None and bounds.clamp_seconds(-0.5) is None


def test_backoff_grows_is_jittered_and_never_overflows() -> None:
    rng = random.Random(5)
    waits = [bounds.backoff(n, 30, 3600, rng) for n in range(1, 12)]
    for n, wait in enumerate(waits, start=1):
        step = min(30 * 2 ** (n - 1), 3600)
        assert step / 2 <= wait <= step
    assert bounds.backoff(0, 30, 3600) == 0
    assert bounds.backoff(10**12, 30, 3600, rng) <= 3600
    assert bounds.backoff(10**12, 1e300, 1e308, rng) <= 1e308
