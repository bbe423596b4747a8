"""WebSub subscription state on a feed row, one transition per function.

A feed's push subscription moves through: nothing → a request sent
(`websub_pending` = the mode asked for) → verified by the hub
(`websub_state` = "subscribed", with the lease's end) or refused ("denied",
"error"). The secret is written *before* the request leaves, because a hub
may verify intent and push content before it even answers our POST.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, case, update

from syndic.store.database import Store
from syndic.store.feeds import utcnow
from syndic.store.schema import feeds


def _set(store: Store, feed_id: int, **values: object) -> None:
    with store.engine.begin() as connection:
        connection.execute(update(feeds).where(feeds.c.id == feed_id).values(**values))


def record_request(store: Store, feed_id: int, *, hub: str, topic: str, secret: str, mode: str) -> None:
    """We are about to ask `hub` to (un)subscribe us to `topic` with `secret`."""
    _set(
        store, feed_id,
        hub_url=hub, websub_topic=topic, websub_secret=secret, websub_pending=mode,
        websub_requested_at=utcnow(), websub_error=None,
    )


def record_request_failed(store: Store, feed_id: int, error: str) -> None:
    """The hub did not accept the request: keep any live subscription, say why."""
    _set(store, feed_id, websub_pending=None, websub_error=error, websub_state=_state_after_failure())


def _state_after_failure() -> ColumnElement[str]:
    """A lease still running stays "subscribed"; otherwise the feed's push is in error."""
    return case(
        (
            (feeds.c.websub_state == "subscribed") & (feeds.c.websub_lease_until > utcnow()),
            "subscribed",
        ),
        else_="error",
    )


def record_verified(store: Store, feed_id: int, mode: str, lease_seconds: int | None, default_lease: int) -> None:
    """The hub verified our intent: the subscription is live (or gone, for unsubscribe)."""
    now = utcnow()
    values: dict[str, object]
    if mode == "subscribe":
        lease = lease_seconds if lease_seconds is not None else default_lease
        values = {
            "websub_state": "subscribed",
            "websub_lease_until": now + timedelta(seconds=lease),
            "websub_pending": None,
            "websub_error": None,
        }
    else:
        values = {"websub_state": None, "websub_lease_until": None, "websub_pending": None}
    _set(store, feed_id, **values)


def record_denied(store: Store, feed_id: int, reason: str) -> None:
    """The hub refused (or later cancelled) the subscription."""
    _set(
        store, feed_id,
        websub_state="denied", websub_pending=None, websub_lease_until=None,
        websub_error=f"hub denied the subscription: {reason}" if reason else "hub denied the subscription",
    )


def record_push(store: Store, feed_id: int) -> None:
    """A content distribution was accepted (its entries are stored separately)."""
    _set(store, feed_id, last_push_at=utcnow())


def record_push_refused(store: Store, feed_id: int, error: str) -> None:
    """A content distribution was dropped (bad signature, unreadable body): say why on the feed."""
    _set(store, feed_id, websub_error=error)
