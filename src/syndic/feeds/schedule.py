"""When to check a feed next: a pure decision over plain values.

The interval starts from how often the feed publishes (half the median gap
between its recent entries, longer when it has gone quiet), is raised to
what the server asks (Cache-Control max-age, Expires, RSS `<ttl>`,
Retry-After) and is kept within [min_interval, max_interval]. After errors
it backs off exponentially from min_interval with jitter, capped at
max_interval. Retry-After is a floor even above max_interval (the server
said so), but never more than a week: a hostile header cannot park a feed
forever.

No clock, no I/O: `now` and the random source are passed in.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from itertools import pairwise
from statistics import median

RETRY_AFTER_CAP = timedelta(days=7)
_QUIET_FACTOR = 4
_RECENT_ENTRIES = 20
_MAX_AGE = re.compile(r"(?:^|,)\s*(s-maxage|max-age)\s*=\s*\"?(\d+)", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(no-cache|no-store)\b", re.IGNORECASE)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _http_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return _aware(parsed)


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """A Retry-After header (seconds or an HTTP date) as a wait from `now`."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return timedelta(seconds=min(int(value), int(RETRY_AFTER_CAP.total_seconds())))
    when = _http_date(value)
    if when is None:
        return None
    return max(timedelta(0), when - _aware(now))


def cache_lifetime(cache_control: str | None, expires: str | None, now: datetime) -> timedelta | None:
    """How long the server says the response stays fresh, if it says."""
    if cache_control:
        if _NO_CACHE.search(cache_control):
            return None
        ages = {name.lower(): int(seconds) for name, seconds in _MAX_AGE.findall(cache_control)}
        if ages:
            return timedelta(seconds=ages.get("s-maxage", ages.get("max-age", 0)))
    if expires:
        when = _http_date(expires)
        if when is not None:
            return max(timedelta(0), when - _aware(now))
    return None


def publishing_interval(now: datetime, entry_times: Sequence[datetime]) -> timedelta | None:
    """Half the typical gap between recent entries, stretched when the feed went quiet."""
    times = sorted({_aware(t) for t in entry_times if _aware(t) <= _aware(now)}, reverse=True)[
        :_RECENT_ENTRIES
    ]
    if len(times) < 2:
        return None
    gaps = [(newer - older).total_seconds() for newer, older in pairwise(times) if newer > older]
    if not gaps:
        return None
    interval = timedelta(seconds=median(gaps) / 2)
    quiet = _aware(now) - times[0]
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
    retry_after: str | None = None,
    error_count: int = 0,
    rng: random.Random | None = None,
) -> datetime:
    """The time to check a feed next; see the module docstring for the rules."""
    if min_interval > max_interval:
        raise ValueError("min_interval is longer than max_interval")
    now = _aware(now)
    if error_count > 0:
        source = rng if rng is not None else random.Random()
        grown = min_interval * (2 ** min(error_count - 1, 32)) if error_count < 40 else max_interval
        ceiling = min(grown, max_interval)
        # "Equal jitter": at least half the step, so the backoff still grows.
        interval = ceiling / 2 + (ceiling / 2) * source.random()
    else:
        interval = publishing_interval(now, entry_times) or timedelta(hours=1)
        asked = [cache_lifetime(cache_control, expires, now)]
        if ttl_minutes is not None and ttl_minutes > 0:
            asked.append(timedelta(minutes=ttl_minutes))
        for value in asked:
            if value is not None:
                interval = max(interval, value)
    interval = max(min_interval, min(interval, max_interval))
    wait = parse_retry_after(retry_after, now)
    if wait is not None:
        interval = max(interval, min(wait, RETRY_AFTER_CAP))
    return now + interval
