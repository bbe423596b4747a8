"""Numbers that come from outside — a feed, a header, a destination — read once, and clamped.

A server writes whatever digits it likes: `Cache-Control: max-age=99999999999999`,
`<ttl>9999999999999</ttl>`, `Retry-After: 1e20`. Handed straight to
`timedelta` or to an INTEGER column such values overflow, and one feed or one
destination then stops a whole batch. Every duration, size or count syndic
reads from the outside goes through one of the functions here instead:

    count(text, upper=)            a whole number ≥ 0 ("12", " +3 "), clamped to `upper`
    clamp_count(value, upper=)     the same for a number already parsed (JSON, a library)
    seconds(text, upper=)          a duration in seconds, fractions allowed, clamped
    clamp_seconds(value, upper=)   the same for a float already parsed
    http_date(text)                an RFC 9110 date, timezone-aware, or None
    retry_after(text, now)         Retry-After (delta-seconds or a date) as seconds from now
    max_age(cache_control)         Cache-Control's s-maxage/max-age, in seconds
    expires_in(text, now)          Expires as seconds from now
    freshness(cache_control, expires, now)   how long a response stays fresh (RFC 9111)
    backoff(failures, base, cap, rng)        the wait after the n-th failure, jittered, never overflowing

None of them raises. What cannot be read is None (the caller falls back to
its default, as if the value were absent); negative, NaN or infinite values
are refused (None) or clamped; anything too large becomes the bound. The
bounds are generous (a year for a delay, 2**53 for a size) — what they
prevent is an overflow and a feed parked forever, not an unusual setting.
"""

from __future__ import annotations

import math
import random
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

YEAR_SECONDS = 365 * 24 * 3600
MAX_DELAY_SECONDS = float(YEAR_SECONDS)
"""The longest delay any outside value may ask for."""
RETRY_AFTER_CAP_SECONDS = 7 * 24 * 3600.0
"""Retry-After is obeyed up to a week: a hostile header cannot park a feed or a post forever."""
MAX_COUNT = 2**53
"""Sizes and counts: exact in a float, in JSON and in any database's BIGINT."""
MAX_INT32 = 2**31 - 1
"""For INTEGER columns (PostgreSQL's int4)."""

_COUNT = re.compile(r"\s*\+?(\d+)\s*")
_SECONDS = re.compile(r"\s*\+?(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?\s*")
_MAX_AGE = re.compile(r"(?:^|[,;])\s*(s-maxage|max-age)\s*=\s*\"?\s*([^\s,;\"]*)", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-cache|no-store)\b", re.IGNORECASE)
_MAX_DIGITS = 18  # below int64 and far below Python's int-from-str digit limit


def clamp_count(value: object, *, upper: int = MAX_COUNT) -> int | None:
    """A parsed number as a whole count in [0, upper]; None for negatives, bools and non-numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float):
        if math.isnan(value) or value < 0:
            return None
        if value >= upper:  # also +inf
            return upper
        return int(value)
    return None if value < 0 else min(value, upper)


def count(text: str | None, *, upper: int = MAX_COUNT) -> int | None:
    """A whole number ≥ 0 written as digits (surrounding space and a '+' allowed), clamped to `upper`."""
    if text is None:
        return None
    match = _COUNT.fullmatch(text)
    if match is None:
        return None
    digits = match.group(1).lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS:
        return upper
    return min(int(digits), upper)


def clamp_seconds(value: float | None, *, upper: float = MAX_DELAY_SECONDS) -> float | None:
    """A parsed duration within [0, upper]; None for NaN and anything negative."""
    if value is None or math.isnan(value) or value < 0:
        return None
    return min(float(value), upper)


def seconds(text: str | None, *, upper: float = MAX_DELAY_SECONDS) -> float | None:
    """A duration in seconds: "30", "2.5", "1e20" (clamped to `upper`); None if unreadable or negative."""
    if text is None:
        return None
    match = _SECONDS.fullmatch(text)
    if match is None:
        return None
    mantissa, exponent = match.group(1), match.group(2)
    if exponent is not None and len(exponent.lstrip("+-").lstrip("0")) > 4:
        # 1e99999: float() would give inf or 0.0 anyway; decide without building the number
        return 0.0 if exponent.startswith("-") or float(mantissa) == 0 else upper
    return clamp_seconds(float(mantissa + (f"e{exponent}" if exponent else "")), upper=upper)


def http_date(text: str | None) -> datetime | None:
    """An HTTP date (RFC 9110: IMF-fixdate, RFC 850, asctime), timezone-aware; None if unreadable."""
    if not text or len(text) > 200:
        return None
    try:
        parsed = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _until(when: datetime | None, now: datetime, upper: float) -> float | None:
    if when is None:
        return None
    moment = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    try:
        delta = (when - moment).total_seconds()
    except OverflowError:  # pragma: no cover - datetimes are within years 1..9999
        return upper
    return clamp_seconds(max(0.0, delta), upper=upper)


def retry_after(text: str | None, now: datetime | None = None, *,
                upper: float = RETRY_AFTER_CAP_SECONDS) -> float | None:
    """Retry-After as seconds from `now`: delta-seconds or an HTTP date, within [0, upper]."""
    if text is None or not text.strip():
        return None
    delay = seconds(text, upper=upper)
    if delay is not None:
        return delay
    return _until(http_date(text), now or datetime.now(UTC), upper)


def max_age(cache_control: str | None, *, upper: float = MAX_DELAY_SECONDS) -> float | None:
    """How long Cache-Control says a response stays fresh (s-maxage over max-age); None if it does not say.

    `no-cache` and `no-store` say nothing about an interval: None.
    """
    if not cache_control or _NO_CACHE.search(cache_control):
        return None
    ages: dict[str, float] = {}
    for name, raw in _MAX_AGE.findall(cache_control[:4096]):
        value = seconds(raw, upper=upper)
        if value is not None:
            ages.setdefault(name.lower(), value)
    if not ages:
        return None
    return ages.get("s-maxage", ages.get("max-age"))


def expires_in(text: str | None, now: datetime, *, upper: float = MAX_DELAY_SECONDS) -> float | None:
    """An Expires header as seconds from `now` (0 for a date in the past), within [0, upper]."""
    return _until(http_date(text), now, upper)


def freshness(cache_control: str | None, expires: str | None, now: datetime, *,
              upper: float = MAX_DELAY_SECONDS) -> float | None:
    """Seconds a response stays fresh: max-age over Expires (RFC 9111); None when neither says.

    `no-cache`/`no-store` say "ask every time", which is no lifetime at all.
    """
    if cache_control and _NO_CACHE.search(cache_control):
        return None
    lifetime = max_age(cache_control, upper=upper)
    return lifetime if lifetime is not None else expires_in(expires, now, upper=upper)


def backoff(failures: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `failures`-th failure in a row: exponential from `base`, at most `cap`.

    "Equal jitter": a random point in the upper half of the step, so waits
    still grow while many failing items spread out instead of returning
    together. Computed in floats with the exponent capped, so a count of a
    million failures is as safe as one.
    """
    if failures <= 0:
        return 0.0
    base, cap = max(0.0, base), max(0.0, cap)
    step = min(base * 2.0 ** min(failures - 1, 64), cap)
    source = rng if rng is not None else random.Random()
    return step / 2 + (step / 2) * source.random()
