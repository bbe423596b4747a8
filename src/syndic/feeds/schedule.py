"""When to check a feed next: a pure decision over plain values.

The interval starts from how often the feed publishes (half the median gap
between its recent entries, longer when it has gone quiet), is raised to
what the server asks (Cache-Control max-age, Expires, RSS `<ttl>`,
Retry-After) and is kept within [min_interval, max_interval]. After errors
it backs off exponentially from min_interval with jitter, capped at
max_interval. Retry-After (seconds, already read by the fetcher) is a
floor even above max_interval (the server said so), but never more than a
week: a hostile header cannot park a feed forever. Every number a server
sends is read and clamped by `syndic.bounds`, so no value overflows here.

No clock, no I/O: `now` and the random source are passed in.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import pairwise
from statistics import median

from syndic import bounds
from syndic.clock import as_utc

RETRY_AFTER_CAP = timedelta(seconds=bounds.RETRY_AFTER_CAP_SECONDS)
_QUIET_FACTOR = 4
_RECENT_ENTRIES = 20


def cache_lifetime(cache_control: str | None, expires: str | None, now: datetime) -> timedelta | None:
    """How long the server says the response stays fresh, if it says (read by `syndic.bounds`)."""
    lifetime = bounds.freshness(cache_control, expires, as_utc(now))
    return timedelta(seconds=lifetime) if lifetime is not None else None


def publishing_interval(now: datetime, entry_times: Sequence[datetime]) -> timedelta | None:
    """Half the typical gap between recent entries, stretched when the feed went quiet."""
    times = sorted({as_utc(t) for t in entry_times if as_utc(t) <= as_utc(now)}, reverse=True)[
        :_RECENT_ENTRIES
    ]
    if len(times) < 2:
        return None
    gaps = [(newer - older).total_seconds() for newer, older in pairwise(times) if newer > older]
    if not gaps:
        return None
    interval = timedelta(seconds=median(gaps) / 2)
    quiet = as_utc(now) - times[0]
    return max(interval, quiet / _QUIET_FACTOR)


def next_check_at(
    now: datetime,
    *,
    entry_times: Sequence[datetime] = (),
    min_interval: timedelta = timedelta(minutes=5),
    max_interval: timedelta = timedelta(hours=24),
    cache_control: str | None = None,
    expires: str | None = None,
    ttl_minutes: int | None = None,
    retry_after: float | None = None,
    error_count: int = 0,
    rng: random.Random | None = None,
) -> datetime:
    """The time to check a feed next; see the module docstring for the rules."""
    if min_interval > max_interval:
        raise ValueError("min_interval is longer than max_interval")
    now = as_utc(now)
    if error_count > 0:
        interval = timedelta(seconds=bounds.backoff(
            error_count, min_interval.total_seconds(), max_interval.total_seconds(), rng
        ))
    else:
        interval = publishing_interval(now, entry_times) or timedelta(hours=1)
        asked = [cache_lifetime(cache_control, expires, now)]
        ttl = bounds.clamp_count(ttl_minutes, upper=int(bounds.MAX_DELAY_SECONDS // 60))
        if ttl:
            asked.append(timedelta(minutes=ttl))
        for value in asked:
            if value is not None:
                interval = max(interval, value)
    interval = max(min_interval, min(interval, max_interval))
    wait = bounds.clamp_seconds(retry_after, upper=bounds.RETRY_AFTER_CAP_SECONDS)
    if wait is not None:
        interval = max(interval, timedelta(seconds=wait))
    return now + interval
