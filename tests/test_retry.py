"""The retry policy, decided without I/O: states after a failure, backoff, when an entry is due."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from syndic import retry

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_a_transient_failure_waits_its_backoff() -> None:
    decision = retry.after_failure(0, max_attempts=3, retryable=True, now=NOW, rng=random.Random(1))
    assert decision.state == "failed" and decision.attempts == 1
    assert decision.next_at is not None
    assert NOW + timedelta(minutes=2, seconds=30) <= decision.next_at <= NOW + timedelta(minutes=5)


def test_the_last_attempt_is_given_up() -> None:
    assert retry.after_failure(1, max_attempts=3, retryable=True, now=NOW).state == "failed"
    given_up = retry.after_failure(2, max_attempts=3, retryable=True, now=NOW)
    assert given_up == retry.Decision("given_up", 3, None)


def test_a_permanent_error_is_given_up_at_once() -> None:
    assert retry.after_failure(0, max_attempts=5, retryable=False, now=NOW).state == "given_up"


def test_backoff_doubles_and_is_capped() -> None:
    backoff = retry.Backoff(base=timedelta(seconds=10), cap=timedelta(seconds=100))
    top = [backoff.delay(n, random.Random(0)).total_seconds() for n in range(1, 8)]
    ceilings = [10, 20, 40, 80, 100, 100, 100]
    for delay, ceiling in zip(top, ceilings, strict=True):
        assert ceiling / 2 <= delay <= ceiling
    # a huge attempt count is still the cap, never an overflow
    assert backoff.delay(10**9).total_seconds() <= 100


def test_due() -> None:
    assert retry.is_due("pending", None, NOW)
    assert retry.is_due("failed", NOW - timedelta(seconds=1), NOW)
    assert not retry.is_due("failed", NOW + timedelta(seconds=1), NOW)
    assert not retry.is_due("given_up", None, NOW) and not retry.is_due("done", None, NOW)
