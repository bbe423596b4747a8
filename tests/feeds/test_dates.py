"""The date formats feeds write, each with the UTC instant it names."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from syndic.feeds.dates import parse_date

UTC = UTC

CASES = [
    # RFC 822 / RFC 2822 as the RSS spec asks
    ("Sat, 07 Sep 2002 00:00:01 GMT", datetime(2002, 9, 7, 0, 0, 1, tzinfo=UTC)),
    ("Sat, 07 Sep 2002 00:00:01 +0200", datetime(2002, 9, 6, 22, 0, 1, tzinfo=UTC)),
    ("Sun, 29 Nov 2026 08:30:00 EST", datetime(2026, 11, 29, 13, 30, tzinfo=UTC)),
    ("Sun, 29 Nov 2026 08:30:00 PDT", datetime(2026, 11, 29, 15, 30, tzinfo=UTC)),
    ("Sun, 29 Nov 2026 08:30:00 CEST", datetime(2026, 11, 29, 6, 30, tzinfo=UTC)),
    ("Sun, 29 Nov 2026 08:30:00 Z", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),
    ("Sun, 29 Nov 2026 08:30:00 UT", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),
    # the broken variants
    ("29 Nov 2026 08:30:00 +0000", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),  # no weekday
    ("Sun, 29 Nov 26 08:30:00 GMT", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),  # two-digit year
    ("Sun, 29 Nov 2026 08:30 GMT", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),  # no seconds
    ("Sunday, 29 November 2026 08:30:00 GMT", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),
    ("Sun, 29 Nov 2026 08:30:00", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),  # no zone → UTC
    ("Sun, 29 Nov 2026 08:30:00 +05:30", datetime(2026, 11, 29, 3, 0, tzinfo=UTC)),  # colon in offset
    ("Sun, 29 Nov 2026 08:30:00 +0000 (UTC)", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),
    ("Sun, 29 Nov 2026 8:30:00 PM EST", datetime(2026, 11, 30, 1, 30, tzinfo=UTC)),
    ("Sun,29 Nov 2026 08:30:00 GMT", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),
    ("Sun, 29-Nov-2026 08:30:00 GMT", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),
    ("Wed Nov 25 14:00:00 2026", datetime(2026, 11, 25, 14, 0, tzinfo=UTC)),  # asctime
    ("November 25, 2026 2:00 PM EST", datetime(2026, 11, 25, 19, 0, tzinfo=UTC)),
    # ISO 8601 / RFC 3339 and their variants
    ("2026-11-29T08:30:00Z", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),
    ("2026-11-29T08:30:00.123456+01:00", datetime(2026, 11, 29, 7, 30, 0, 123456, tzinfo=UTC)),
    ("2026-11-29T08:30:00-0800", datetime(2026, 11, 29, 16, 30, tzinfo=UTC)),
    ("2026-11-29 08:30:00", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),  # space, no zone
    ("2026-11-29T08:30Z", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),  # no seconds
    ("2026-11-29", datetime(2026, 11, 29, tzinfo=UTC)),  # date only
    ("2026-11", datetime(2026, 11, 1, tzinfo=UTC)),
    ("20261129T083000Z", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),  # compact
    ("2026-11-29T08:30:00+01", datetime(2026, 11, 29, 7, 30, tzinfo=UTC)),  # hour-only offset
    ("2026-11-29T24:00:00Z", datetime(2026, 11, 30, 0, 0, tzinfo=UTC)),
    ("  2026-11-29T08:30:00Z\n", datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_date_formats(text: str, expected: datetime) -> None:
    value = parse_date(text)
    assert value == expected
    assert value is not None and value.utcoffset() is not None


@pytest.mark.parametrize(
    "text", [None, "", "   ", "not a date", "Sun, 45 Foo 2026 99:99:99 GMT", "2026-13-45", "x" * 500]
)
def test_unreadable_dates_are_none(text: str | None) -> None:
    assert parse_date(text) is None
