"""WebSub, the subscriber side: ask hubs to push, answer their checks, take their content.

When a polled feed names a hub (`<link rel="hub">`) and syndic has a
`public_url` hubs can reach, the poller asks the hub to subscribe us to the
feed's self URL, with a fresh random secret and the lease we want. The hub
then calls `GET {public_url}/websub/{feed_id}` to verify that intent
(`answer_verification`), and later POSTs new content there
(`accept_distribution`), signed with the secret. A push without a valid
signature is acknowledged and dropped: the spec requires the 2xx, and a
stranger who guesses the callback URL must not be able to inject entries.

A feed with a live subscription is polled only every
`pushed_poll_interval_s` (a safety net for a hub that misses an update), and
early enough to renew its lease before it runs out. A hub that refuses, is
unreachable or never verifies is tried again after a while; meanwhile the
feed is simply polled as usual, so push never costs an update.

The hub URL comes from the feed, i.e. from a stranger: the request goes
through the same guarded client as every fetch (no private addresses, no
redirect that turns the POST into a GET).
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urljoin

from syndic import feeds
from syndic.config import Settings
from syndic.errors import FeedError, FetchError
from syndic.feeds.websub import check_intent, parse_lease, verify_signature, websub_subscribe_params
from syndic.net import Fetcher
from syndic.store import Store
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store import websub as store_websub
from syndic.types import Feed

log = logging.getLogger("syndic.websub")

PENDING_RETRY = timedelta(hours=1)
"""A request the hub never verified is sent again after this."""
REFUSED_RETRY = timedelta(hours=24)
"""A hub that denied us or failed is asked again after this."""
DEFAULT_LEASE_S = 10 * 24 * 3600
"""The lease assumed when a hub verifies a subscription without naming one (the spec requires it)."""
MIN_RENEW_MARGIN = timedelta(minutes=1)
MAX_RENEW_MARGIN = timedelta(days=1)


def callback_url(public_url: str, feed_id: int) -> str:
    """Where the hub reaches us for this feed."""
    return f"{public_url.rstrip('/')}/websub/{feed_id}"


_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_REL = re.compile(r"""rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE)


def header_links(values: Iterable[str], base: str) -> dict[str, list[str]]:
    """`Link: <url>; rel="hub"` headers as {rel: [absolute url, ...]}, in order.

    WebSub discovery looks here first: a hub named in the HTTP headers wins
    over one named in the document (a publisher may not be able to edit
    the feed body, e.g. behind a CDN that adds the header).
    """
    found: dict[str, list[str]] = {}
    for value in values:
        for match in _LINK.finditer(value):
            target, params = match.group(1).strip(), match.group(2)
            rel = _REL.search(params)
            if not target or rel is None:
                continue
            for name in (rel.group(1) or rel.group(2) or "").lower().split():
                found.setdefault(name, []).append(urljoin(base, target))
    return found


def discover_hub(
    header_values: Iterable[str], document_hubs: Sequence[str], document_self: str | None, fetched_url: str
) -> tuple[str | None, str]:
    """The hub and topic to subscribe with: HTTP Link headers first, then the document."""
    links = header_links(header_values, fetched_url)
    hubs = links.get("hub") or list(document_hubs)
    hub = hubs[0] if hubs else None
    topic = (links.get("self") or [document_self or fetched_url])[0]
    return hub, topic


def _renew_margin(feed: Feed) -> timedelta:
    """How long before the lease ends we renew it: a tenth of the lease, within bounds."""
    granted = (
        feed.websub_lease_until - feed.websub_requested_at
        if feed.websub_lease_until is not None and feed.websub_requested_at is not None
        else MAX_RENEW_MARGIN * 10
    )
    return min(max(granted / 10, MIN_RENEW_MARGIN), MAX_RENEW_MARGIN)


def is_pushed(feed: Feed, now: datetime) -> bool:
    """True while the feed has a verified subscription whose lease has not run out."""
    return (
        feed.websub_state == "subscribed"
        and feed.websub_lease_until is not None
        and feed.websub_lease_until > now
    )


def subscription_wanted(
    feed: Feed, hub: str | None, topic: str | None, now: datetime, settings: Settings
) -> bool:
    """Should we send the hub a subscribe request for this feed now?"""
    if not settings.websub_enabled() or not hub or not topic:
        return False
    same = feed.hub_url == hub and feed.websub_topic == topic
    requested: datetime | None = feed.websub_requested_at
    if same and feed.websub_pending == "subscribe" and requested is not None and now - requested < PENDING_RETRY:
        return False  # asked recently; the hub has not verified yet
    lease_until = feed.websub_lease_until
    if same and lease_until is not None and is_pushed(feed, now):
        return lease_until - now <= _renew_margin(feed)
    if same and feed.websub_state in ("denied", "error") and requested is not None:
        return now - requested >= REFUSED_RETRY
    return True


async def request_subscription(
    fetcher: Fetcher, store: Store, settings: Settings, feed: Feed, hub: str, topic: str,
    *, mode: str = "subscribe",
) -> str | None:
    """Send a (un)subscribe request to `hub`; None when accepted, else the error (also stored)."""
    feed_id = int(feed.id)
    # keep the secret across renewals to the same hub: pushes signed with it may be in flight
    secret = feed.websub_secret if feed.websub_secret and feed.hub_url == hub else secrets.token_hex(32)
    params = websub_subscribe_params(
        topic, callback_url(settings.public_url, feed_id), secret,
        settings.websub_lease_s if mode == "subscribe" else None, mode=mode,
    )
    store_websub.record_request(store, feed_id, hub=hub, topic=topic, secret=secret, mode=mode)
    try:
        await fetcher.post_form(hub, params)
    except FetchError as exc:
        error = f"hub {hub} refused the {mode} request: {exc}"
        store_websub.record_request_failed(store, feed_id, error)
        log.info("feed %s: %s", feed_id, error, extra={"feed_id": feed_id, "hub": hub, "error": error})
        return error
    log.info("feed %s: %s request accepted by %s", feed_id, mode, hub,
             extra={"feed_id": feed_id, "hub": hub, "topic": topic, "mode": mode})
    return None


def next_check_when_pushed(feed: Feed, normal: datetime, now: datetime, settings: Settings) -> datetime:
    """Poll a pushed feed rarely, but in time to renew its lease."""
    lease_until = feed.websub_lease_until
    if lease_until is None or not is_pushed(feed, now):
        return normal
    rare = max(normal, now + timedelta(seconds=settings.pushed_poll_interval_s))
    renew_at = lease_until - _renew_margin(feed)
    return max(min(rare, renew_at), now + MIN_RENEW_MARGIN)


# --- the callback side (the web app calls these; no network) ---


@dataclass(frozen=True)
class CallbackAnswer:
    """What the callback endpoint answers the hub."""

    status: int
    body: str = ""
    new_entries: int = 0


def answer_verification(store: Store, feed_id: int, query: Mapping[str, str]) -> CallbackAnswer:
    """A hub's GET: echo the challenge only for a request syndic made and is waiting on.

    - subscribe / unsubscribe: answered only when that very mode is pending
      (we asked the hub and it has not verified yet) for the topic we asked
      about; an active subscription is never "re-verified" by a stranger.
    - the lease is clamped to 1 hour … 30 days; a malformed number is a 400.
    - denied: taken only for a subscription that is pending or active, on its topic.
    """
    mode = query.get("hub.mode")
    if mode not in ("subscribe", "unsubscribe", "denied"):
        return CallbackAnswer(400, "hub.mode must be subscribe, unsubscribe or denied")
    lease: int | None = None
    if mode == "subscribe":
        try:
            lease = parse_lease(query.get("hub.lease_seconds"))
        except ValueError as exc:
            return CallbackAnswer(400, str(exc))
    feed = store_feeds.get_feed(store, feed_id)
    if feed is None or not feed.websub_topic:
        return CallbackAnswer(404, "no subscription here")
    if mode == "denied":
        live = feed.websub_pending is not None or feed.websub_state == "subscribed"
        if query.get("hub.topic") != feed.websub_topic or not live:
            return CallbackAnswer(404, "no such subscription")
        store_websub.record_denied(store, feed_id, (query.get("hub.reason") or "")[:500])
        return CallbackAnswer(200)
    wanted = {feed.websub_pending} if feed.websub_pending else set()
    challenge = check_intent(query, feed.websub_topic, wanted)
    if challenge is None:
        return CallbackAnswer(404, "no such request pending")
    store_websub.record_verified(store, feed_id, str(mode), lease, DEFAULT_LEASE_S)
    log.info("feed %s: hub verified our %s request (lease %s s)", feed_id, mode, lease or "unstated",
             extra={"feed_id": feed_id, "mode": mode, "lease_seconds": lease})
    return CallbackAnswer(200, challenge)


def accept_distribution(
    store: Store, feed_id: int, body: bytes, content_type: str | None, signature: str | None
) -> CallbackAnswer:
    """A hub's POST of new content: check the signature, then store the entries like a poll would."""
    feed = store_feeds.get_feed(store, feed_id)
    if feed is None:
        return CallbackAnswer(410, "no such feed")
    if not feed.websub_secret or not verify_signature(feed.websub_secret, body, signature):
        store_websub.record_push_refused(
            store, feed_id, "a push without a valid signature (X-Hub-Signature) was ignored"
        )
        log.warning("feed %s: push with a missing or wrong signature ignored", feed_id,
                    extra={"feed_id": feed_id, "signature_sent": signature is not None})
        return CallbackAnswer(202, "ignored")
    base = feed.websub_topic or feed.url
    try:
        parsed = feeds.parse_feed(body, url=base, content_type=content_type)
    except FeedError as exc:
        store_websub.record_push_refused(store, feed_id, f"pushed content unreadable: {exc}")
        return CallbackAnswer(400, f"not a feed: {exc}")
    new_ids = store_entries.upsert_entries(store, feed_id, parsed.entries, base_url=base)
    store_websub.record_push(store, feed_id)
    log.info("feed %s: push of %d entries, %d new", feed_id, len(parsed.entries), len(new_ids),
             extra={"feed_id": feed_id, "entries": len(parsed.entries), "new_entries": len(new_ids)})
    return CallbackAnswer(200, f"{len(new_ids)} new entries", len(new_ids))
