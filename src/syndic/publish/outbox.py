"""The outbox: every post is a row first and a request second.

A campaign run writes what it wants posted into `posts` (one row per
campaign and story — the unique key is the rule "one post per story"), and
delivery works through the rows. That is what makes the promises hold:

- nothing is lost: a destination that is down, times out or answers 5xx
  leaves the row `pending` with `next_attempt_at` pushed out by exponential
  backoff (Retry-After honoured); after `MAX_ATTEMPTS` it is `failed`, still
  there for `retry_post`.
- nothing is posted twice: before sending, a row is claimed by a
  conditional UPDATE to `sending` with a lease (`next_attempt_at` = now +
  `SENDING_LEASE`). A process killed between sending and recording leaves the
  row `sending`; once the lease expires another delivery reclaims it, and the
  destination first looks for what the dead process may have created (the
  WordPress sender finds the post by its slug `syndic-<idempotency key>`; a
  webhook receiver gets the same `Idempotency-Key` header again).
- an update to a story updates the post: the payload's hash changes, the row
  goes back to `pending` with its `remote_id`, and the sender updates the
  remote post instead of creating one.
- a destination that refuses a post (401, 403, 413, an invalid category)
  marks that row `rejected` with the reason; the others go on.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from syndic import bounds
from syndic.config import load_settings, net_settings
from syndic.errors import ConfigError, PublishError
from syndic.net import NetSettings
from syndic.store import schema
from syndic.store.database import Store

from .campaigns import parse_config
from .sender import AlreadyOnDestination, Delivery, GoneFromDestination, OutgoingPost, Sender
from .webhook import WebhookSender
from .wordpress import WordPressSender

SENDING_LEASE = timedelta(minutes=5)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=6)
MAX_ATTEMPTS = 12
REMOTE_KEY = "_remote"  # sender-owned state kept in the payload, outside the hash
EDITS_KEY = "_edits"  # a reviewer's changes (title, categories), kept across re-renders, outside the hash
# pending → sending → sent | failed | rejected, plus:
#   review     waits for a reviewer (publish/review.py); approved → pending, rejected → dismissed
#   duplicate  the destination already had this story (found by its source URL or title): never sent
#   gone       the destination deleted (or trashed) the post we made: not posted again unless retried
STATES = ("pending", "sending", "sent", "failed", "rejected", "review", "dismissed", "duplicate", "gone")


@dataclass(frozen=True)
class DeliveryEvent:
    post_id: int
    story_id: int
    event: str  # created | updated | retry | failed | rejected | duplicate | gone
    detail: str = ""
    images: int = 0  # images uploaded to the destination's media library


SenderFactory = Callable[[int, Mapping[str, Any]], Sender]


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def payload_hash(payload: Mapping[str, Any]) -> str:
    content = {k: v for k, v in payload.items() if not k.startswith("_")}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """How long to wait after the `attempts`-th failed try (exponential, capped).

    `retry_after` is the destination's wish in seconds, already read by
    `syndic.bounds`; it is clamped again here because any caller may pass one.
    """
    cap = BACKOFF_MAX.total_seconds()
    delay = min(BACKOFF_BASE.total_seconds() * 2.0 ** min(max(0, attempts - 1), 64), cap)
    wish = bounds.clamp_seconds(retry_after, upper=cap)
    return timedelta(seconds=max(delay, wish or 0.0))


def log_event(
    conn: Connection, post_id: int, campaign_id: int, event: str, detail: str, now: datetime
) -> None:
    conn.execute(
        insert(schema.post_log).values(
            post_id=post_id, campaign_id=campaign_id, at=now, event=event, detail=detail[:2000]
        )
    )


def enqueue(
    store: Store,
    campaign_id: int,
    story_id: int,
    article_id: int,
    payload: Mapping[str, Any],
    *,
    now: datetime | None = None,
    state: str = "pending",
    detail: str = "",
) -> str:
    """Put the post for (campaign, story) in the outbox: 'created', 'changed' or 'unchanged'.

    A new post starts `pending`, or `review` when the campaign wants approval.

    A changed payload sends a `sent`, `failed` or `rejected` post again (as an
    update when it has a remote id); a post being sent keeps its state and the
    delivery notices the new hash when it records the result.
    """
    now = _now(now)
    p = schema.posts
    digest = payload_hash(payload)
    for _ in range(2):
        with store.engine.begin() as conn:
            row = conn.execute(
                select(p.c.id, p.c.state, p.c.payload_hash, p.c.payload).where(
                    p.c.campaign_id == campaign_id, p.c.story_id == story_id
                )
            ).first()
            if row is None:
                try:
                    with conn.begin_nested():
                        inserted = conn.execute(
                            insert(p).values(
                                campaign_id=campaign_id,
                                story_id=story_id,
                                article_id=article_id,
                                state=state,
                                payload=dict(payload),
                                payload_hash=digest,
                                idempotency_key=uuid.uuid4().hex,
                                attempts=0,
                                created_at=now,
                                updated_at=now,
                            )
                        ).inserted_primary_key
                except IntegrityError:
                    continue  # another run inserted it first: go round and treat it as existing
                event = "awaiting review" if state == "review" else "enqueued"
                log_event(conn, int(inserted[0]) if inserted else 0, campaign_id, event, detail, now)
                return "created"
            if row.payload_hash == digest:
                return "unchanged"
            kept = {k: v for k, v in (row.payload or {}).items() if k in (REMOTE_KEY, EDITS_KEY) and v}
            new_payload = dict(payload) | kept
            values: dict[str, Any] = {
                "payload": new_payload,
                "payload_hash": digest,
                "article_id": article_id,
                "updated_at": now,
            }
            if row.state in ("sent", "failed", "rejected"):
                values |= {"state": "pending", "attempts": 0, "next_attempt_at": None, "last_error": None}
            conn.execute(update(p).where(p.c.id == row.id).values(**values))
            log_event(conn, row.id, campaign_id, "changed", f"was {row.state}" + (f"; {detail}" if detail else ""), now)
            return "changed"
    raise PublishError(f"could not enqueue story {story_id} for campaign {campaign_id}")


def claim(store: Store, post_id: int, now: datetime) -> bool:
    """Mark the post `sending` if it is due (or its sender's lease ran out); True when we got it."""
    p = schema.posts
    due = or_(p.c.next_attempt_at.is_(None), p.c.next_attempt_at <= now)
    with store.engine.begin() as conn:
        result = conn.execute(
            update(p)
            .where(p.c.id == post_id, p.c.state.in_(("pending", "sending")), due)
            .values(
                state="sending",
                attempts=p.c.attempts + 1,
                next_attempt_at=now + SENDING_LEASE,
                updated_at=now,
            )
        )
        return result.rowcount == 1


def due_posts(store: Store, now: datetime, *, campaign_id: int | None = None, limit: int = 100) -> list[int]:
    p = schema.posts
    condition = and_(
        p.c.state.in_(("pending", "sending")),
        or_(p.c.next_attempt_at.is_(None), p.c.next_attempt_at <= now),
    )
    if campaign_id is not None:
        condition = and_(condition, p.c.campaign_id == campaign_id)
    with store.engine.connect() as conn:
        return list(conn.execute(select(p.c.id).where(condition).order_by(p.c.id).limit(limit)).scalars())


def _record_success(
    store: Store, post: OutgoingPost, sent_hash: str, delivery: Delivery, now: datetime
) -> str:
    p = schema.posts
    event = "updated" if post.remote_id else "created"
    remote_state = dict(delivery.remote_state)
    with store.engine.begin() as conn:
        current = conn.execute(select(p.c.payload).where(p.c.id == post.post_id)).scalar() or {}
        payload = dict(current) | ({REMOTE_KEY: remote_state} if remote_state else {})
        delivered = {
            "remote_id": delivery.remote_id,
            "remote_url": delivery.remote_url,
            "payload": payload,
            "next_attempt_at": None,
            "updated_at": now,
        }
        done = conn.execute(
            update(p)
            .where(p.c.id == post.post_id, p.c.payload_hash == sent_hash)
            .values(state="sent", last_error=None, **delivered)
        ).rowcount
        if not done:  # the story changed while we were sending: send the new version as an update
            conn.execute(update(p).where(p.c.id == post.post_id).values(state="pending", **delivered))
        detail = f"remote id {delivery.remote_id}" + "".join(f"; {note}" for note in delivery.notes)
        log_event(conn, post.post_id, post.campaign_id, event, detail, now)
    return event


def _record_failure(store: Store, post: OutgoingPost, error: Exception, now: datetime) -> DeliveryEvent:
    p = schema.posts
    retryable = getattr(error, "retryable", True)
    reason = str(error) or type(error).__name__
    if isinstance(error, AlreadyOnDestination):
        with store.engine.begin() as conn:
            conn.execute(
                update(p)
                .where(p.c.id == post.post_id)
                .values(state="duplicate", remote_id=error.remote_id, remote_url=error.remote_url,
                        last_error=reason[:2000], next_attempt_at=None, updated_at=now)
            )
            log_event(conn, post.post_id, post.campaign_id, "duplicate", reason, now)
        return DeliveryEvent(post.post_id, post.story_id, "duplicate", reason)
    gone: dict[str, Any] = {}
    if isinstance(error, GoneFromDestination):
        state, event, next_at = "gone", "gone", None
        gone = {"remote_id": None, "remote_url": None}  # a retry posts the story anew
    elif not retryable:
        state, event, next_at = "rejected", "rejected", None
    elif post.attempt >= MAX_ATTEMPTS:
        state, event, next_at = "failed", "failed", None
    else:
        state, event = "pending", "retry"
        next_at = now + backoff(post.attempt, getattr(error, "retry_after", None))
    with store.engine.begin() as conn:
        conn.execute(
            update(p)
            .where(p.c.id == post.post_id)
            .values(state=state, last_error=reason[:2000], next_attempt_at=next_at, updated_at=now, **gone)
        )
        log_event(conn, post.post_id, post.campaign_id, event, reason, now)
    return DeliveryEvent(post.post_id, post.story_id, event, reason)


def _load(store: Store, post_id: int) -> tuple[OutgoingPost, str, Mapping[str, Any]]:
    p, c = schema.posts, schema.campaigns
    with store.engine.connect() as conn:
        row = (
            conn.execute(
                select(p, c.c.config)
                .select_from(p.join(c, c.c.id == p.c.campaign_id))
                .where(p.c.id == post_id)
            )
            .mappings()
            .one()
        )
    payload = dict(row["payload"] or {})
    remote = payload.pop(REMOTE_KEY, None) or {}
    edits = payload.pop(EDITS_KEY, None) or {}
    payload |= {k: v for k, v in edits.items() if k in ("title", "categories")}  # the reviewer's word wins
    post = OutgoingPost(
        post_id=row["id"],
        campaign_id=row["campaign_id"],
        story_id=row["story_id"],
        idempotency_key=row["idempotency_key"],
        payload=payload,
        remote_id=row["remote_id"],
        remote_state=remote,
        attempt=row["attempts"],
    )
    return post, row["payload_hash"], row["config"]


def senders_on(net: NetSettings) -> SenderFactory:
    """A sender factory on a given network policy (what `syndic serve` was configured with)."""

    def factory(campaign_id: int, config: Mapping[str, Any]) -> Sender:
        destination = parse_config(config).destination
        if destination.type == "wordpress":
            return WordPressSender(destination, net=net)
        if destination.type == "webhook":
            return WebhookSender(destination, net=net)
        raise ConfigError(f"campaign {campaign_id} has no destination to deliver to")

    return factory


def default_sender_factory(campaign_id: int, config: Mapping[str, Any]) -> Sender:
    """The sender a campaign's destination names, on the configured network policy.

    Destinations are reached through syndic's guarded client: a private or
    loopback address is refused unless SYNDIC_ALLOW_NETWORKS names it.
    """
    return senders_on(net_settings(load_settings()))(campaign_id, config)


def deliver_pending(
    store: Store,
    now: datetime | None = None,
    *,
    campaign_id: int | None = None,
    sender_factory: SenderFactory = default_sender_factory,
    limit: int = 100,
) -> list[DeliveryEvent]:
    """Send every due post (or those of one campaign); returns what happened to each."""
    now = _now(now)
    events: list[DeliveryEvent] = []
    senders: dict[int, Sender] = {}
    for post_id in due_posts(store, now, campaign_id=campaign_id, limit=limit):
        if not claim(store, post_id, now):
            continue  # another worker has it
        post, sent_hash, config = _load(store, post_id)
        try:
            sender = senders.get(post.campaign_id)
            if sender is None:
                sender = senders[post.campaign_id] = sender_factory(post.campaign_id, config)
            delivery = sender.send(post)
        except (PublishError, ConfigError) as exc:
            if isinstance(exc, ConfigError):
                exc = PublishError(str(exc), retryable=False)
            events.append(_record_failure(store, post, exc, now))
            continue
        except Exception as exc:  # a sender bug or an unexpected transport error: retry later, keep going
            events.append(_record_failure(store, post, PublishError(f"{type(exc).__name__}: {exc}"), now))
            continue
        event = _record_success(store, post, sent_hash, delivery, now)
        events.append(
            DeliveryEvent(post.post_id, post.story_id, event, f"remote id {delivery.remote_id}",
                          delivery.images_uploaded)
        )
    for sender in senders.values():
        close = getattr(sender, "close", None)
        if callable(close):
            close()
    return events


def retry_post(store: Store, post_id: int, *, now: datetime | None = None) -> None:
    """Send a failed, rejected or deleted-on-the-site post again at the next delivery."""
    p = schema.posts
    with store.engine.begin() as conn:
        conn.execute(
            update(p)
            .where(p.c.id == post_id, p.c.state.in_(("failed", "rejected", "gone")))
            .values(state="pending", attempts=0, next_attempt_at=None, updated_at=_now(now))
        )


def retry_rejected(store: Store, campaign_id: int, *, now: datetime | None = None) -> int:
    """Give every rejected or failed post of a campaign another try (after its settings were fixed)."""
    p = schema.posts
    with store.engine.begin() as conn:
        return int(
            conn.execute(
                update(p)
                .where(p.c.campaign_id == campaign_id, p.c.state.in_(("failed", "rejected")))
                .values(state="pending", attempts=0, next_attempt_at=None, updated_at=_now(now))
            ).rowcount
        )
