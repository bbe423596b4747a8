"""Read the dates feeds write, in every format real publishers use.

RSS says RFC 822 (`Sat, 07 Sep 2002 00:00:01 GMT`), Atom and JSON Feed say
RFC 3339 (`2002-09-07T00:00:01Z`), and publishers write neither exactly:
four-digit and two-digit years, missing weekdays or seconds, named zones
(`EST`, `CEST`), zones in brackets, full month and weekday names, a space
instead of the `T`, compact ISO dates, fractions of a second. Two fast
regular expressions handle what feeds almost always write; `dateutil` is the
slow fallback for the rest.

Every date returned is timezone-aware and in UTC; a date without a zone is
taken as UTC. What cannot be read is `None`, never today's date.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, timezone

UTC = UTC

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janv", "ene", "gen", "jän"),
            ("feb", "february", "fév", "fev", "févr"),
            ("mar", "march", "mär", "mrz"),
            ("apr", "april", "avr", "abr"),
            ("may", "mai", "mayo", "mag"),
            ("jun", "june", "juin", "giu"),
            ("jul", "july", "juil", "lug"),
            ("aug", "august", "aoû", "ago"),
            ("sep", "sept", "september", "set"),
            ("oct", "october", "okt", "ott", "out"),
            ("nov", "november"),
            ("dec", "december", "déc", "dez", "dic"),
        ),
        start=1,
    )
    for name in names
}

# Offsets in hours of the zone names feeds write.
_ZONES: dict[str, float] = {
    "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
    "pst": -8, "pdt": -7, "akst": -9, "akdt": -8, "hst": -10,
    "ast": -4, "adt": -3, "nst": -3.5, "ndt": -2.5,
    "bst": 1, "ist": 1, "cet": 1, "met": 1, "cest": 2, "mest": 2, "west": 1,
    "eet": 2, "eest": 3, "msk": 3, "msd": 4,
    "jst": 9, "kst": 9, "hkt": 8, "sgt": 8, "awst": 8,
    "acst": 9.5, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
}  # fmt: skip
# RFC 822 military zones: A..I, K..M east (+1..+12), N..Y west (-1..-12).
for _i, _letter in enumerate("abcdefghiklm", start=1):
    _ZONES.setdefault(_letter, _i)
for _i, _letter in enumerate("nopqrstuvwxy", start=1):
    _ZONES.setdefault(_letter, -_i)

_RFC822 = re.compile(
    r"""^\s*(?:[^\W\d_]+\.?,?\s*)?          # weekday, optional
    (\d{1,2})[\s-]+([^\W\d_]+)\.?[\s-]+(\d{2,4})   # day month year
    (?:[\sT,]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,]\d+)?)?\s*(am|pm)?)?  # time
    \s*\(?([A-Za-z]{1,5}|[+-]\d{1,2}(?::?\d{2})?)?\)?   # zone
    (?:\s*[+-]?\d{4})?
    (?:\s*\(.*\))?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_ISO = re.compile(
    r"""^\s*(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?   # date, month and day optional
    (?:[T\s]+(\d{1,2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)?   # time
    \s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{2,5})?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
# "Wed Nov 29 14:00:00 2026" and "Nov 29, 2026 2:00 PM EST".
_MONTH_FIRST = re.compile(
    r"""^\s*(?:[^\W\d_]+,?\s+)?([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+
    (?:(\d{4})\s+)?(?:(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?\s*)?
    ([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?\s*(\d{4})?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def _offset(zone: str | None) -> timezone | None:
    """The zone a date names; `None` when it names one we do not know."""
    if not zone:
        return UTC
    if zone[0] in "+-":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        if len(digits) <= 2:
            hours, minutes = int(digits), 0
        else:
            hours, minutes = int(digits[:-2]), int(digits[-2:])
        if hours > 14 or minutes > 59:
            return None
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    named = _ZONES.get(zone.lower())
    if named is None:
        return None
    return timezone(timedelta(hours=named))


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 50 else 1900
    elif len(text) == 3:
        year += 1900
    return year


def _build(
    year: int, month: int, day: int, hour: int, minute: int, second: int,
    micro: int, zone: timezone | None,
) -> datetime | None:  # fmt: skip
    if zone is None:
        zone = UTC
    extra = timedelta()
    if hour == 24:
        hour, extra = 0, timedelta(days=1)
    if second == 60:
        second = 59
    try:
        value = datetime(year, month, day, hour, minute, second, micro, tzinfo=zone)
    except ValueError:
        return None
    return (value + extra).astimezone(UTC)


def _hour12(hour: int, meridian: str | None) -> int:
    if meridian is None:
        return hour
    meridian = meridian.lower()
    if meridian == "pm" and hour < 12:
        return hour + 12
    if meridian == "am" and hour == 12:
        return 0
    return hour


def _rfc822(match: re.Match[str]) -> datetime | None:
    day, month_name, year, hour, minute, second, meridian, zone = match.groups()
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return None
    return _build(
        _year(year), month, int(day),
        _hour12(int(hour or 0), meridian), int(minute or 0), int(second or 0),
        0, _offset(zone),
    )  # fmt: skip


def _iso(match: re.Match[str]) -> datetime | None:
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction + "000000")[:6]) if fraction else 0
    return _build(
        int(year), int(month or 1), int(day or 1),
        int(hour or 0), int(minute or 0), int(second or 0),
        micro, _offset(zone),
    )  # fmt: skip


def _month_first(match: re.Match[str]) -> datetime | None:
    month_name, day, year, hour, minute, second, meridian, zone, late_year = match.groups()
    month = _MONTHS.get(month_name.lower())
    year = year or late_year
    if month is None or year is None:
        return None
    return _build(
        _year(year), month, int(day),
        _hour12(int(hour or 0), meridian), int(minute or 0), int(second or 0),
        0, _offset(zone),
    )  # fmt: skip


def _fallback(text: str) -> datetime | None:
    from dateutil import parser as date_parser

    tzinfos = {name.upper(): int(hours * 3600) for name, hours in _ZONES.items() if len(name) > 1}
    try:
        with warnings.catch_warnings():
            # An unknown zone name ("LZ") is read as UTC below, not worth a warning per entry.
            warnings.simplefilter("ignore", date_parser.UnknownTimezoneWarning)
            value = date_parser.parse(text, tzinfos=tzinfos, fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def parse_date(text: str | None) -> datetime | None:
    """A UTC-aware datetime from any date format feeds use, or `None`."""
    if not text:
        return None
    text = text.strip()
    if not text or len(text) > 100:
        return None
    if text[0].isdigit() and len(text) >= 4 and text[:4].isdigit():
        match = _ISO.match(text)
        if match is not None:
            return _iso(match)
    match = _RFC822.match(text)
    if match is not None:
        return _rfc822(match)
    match = _MONTH_FIRST.match(text)
    if match is not None:
        return _month_first(match)
    if not any(ch.isdigit() for ch in text):
        return None
    return _fallback(text)
