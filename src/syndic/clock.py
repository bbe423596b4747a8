"""The one rule for times: aware, in UTC. A naive datetime is read as UTC.

The store's datetime columns (store.schema.UTCDateTime) already hand back
aware UTC values, so code reading the store needs none of this; `as_utc` is
for values that come from elsewhere: a caller's `now`, a query parameter,
a test's datetime.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
@overload
def as_utc(value: datetime | None) -> datetime | None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """`value` in UTC; a naive value is taken to be UTC already; None stays None."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def utcnow() -> datetime:
    """Now, aware, in UTC."""
    return datetime.now(UTC)
