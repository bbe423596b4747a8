"""The review queue: a campaign with `"review": true` posts nothing until someone approves it.

A run puts each new candidate in the outbox in state `review`, fully
rendered (rules, template, categories), so what the reviewer sees is what
would be posted. The reviewer may

- approve it: it becomes `pending` and the campaign's next run delivers it;
- edit its title and categories: kept beside the payload (outbox.EDITS_KEY),
  so they survive the story being re-rendered when the publisher updates it,
  and they win over the rendered values when it is sent;
- reject it: it becomes `dismissed` and is never offered or posted again.

Every decision is written to the campaign's log with who made it. A story
that changes while it waits stays in the queue with its new text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from syndic.errors import PublishError
from syndic.store import schema
from syndic.store.database import Store

from .outbox import EDITS_KEY, log_event

MAX_TITLE = 500
MAX_CATEGORIES = 50


@dataclass(frozen=True)
class Candidate:
    """One post awaiting review, as it would be posted (the reviewer's edits applied)."""

    post_id: int
    campaign_id: int
    story_id: int
    article_id: int
    title: str
    excerpt: str
    image_url: str | None
    categories: tuple[str | int, ...]
    permalink: str
    source: str
    queued_at: datetime
    edited: bool


def candidates(store: Store, campaign_id: int, *, limit: int = 200) -> list[Candidate]:
    """The campaign's posts awaiting review, oldest first."""
    p = schema.posts
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(p.c.id, p.c.campaign_id, p.c.story_id, p.c.article_id, p.c.payload, p.c.created_at)
            .where(p.c.campaign_id == campaign_id, p.c.state == "review")
            .order_by(p.c.id)
            .limit(limit)
        ).all()
    out: list[Candidate] = []
    for row in rows:
        payload: dict[str, Any] = dict(row.payload or {})
        edits = payload.get(EDITS_KEY) or {}
        image = payload.get("image_url")
        out.append(
            Candidate(
                post_id=int(row.id),
                campaign_id=int(row.campaign_id),
                story_id=int(row.story_id),
                article_id=int(row.article_id),
                title=str(edits.get("title", payload.get("title") or "")),
                excerpt=str(payload.get("excerpt") or ""),
                image_url=image if isinstance(image, str) and image.startswith(("http://", "https://")) else None,
                categories=tuple(edits.get("categories", payload.get("categories") or ())),
                permalink=str(payload.get("permalink") or ""),
                source=str(payload.get("source") or ""),
                queued_at=row.created_at,
                edited=bool(edits),
            )
        )
    return out


def _decide(
    store: Store, campaign_id: int, post_id: int, new_state: str, event: str, detail: str, now: datetime | None,
    payload_edits: dict[str, Any] | None = None,
) -> None:
    p = schema.posts
    now = now or datetime.now(UTC)
    with store.engine.begin() as conn:
        row = conn.execute(
            select(p.c.state, p.c.payload).where(p.c.id == post_id, p.c.campaign_id == campaign_id)
        ).first()
        if row is None:
            raise PublishError(f"campaign {campaign_id} has no post {post_id}", retryable=False)
        if row.state != "review":
            raise PublishError(f"post {post_id} is not awaiting review (it is {row.state})", retryable=False)
        values: dict[str, Any] = {"state": new_state, "updated_at": now}
        if payload_edits is not None:
            payload = dict(row.payload or {})
            payload[EDITS_KEY] = dict(payload.get(EDITS_KEY) or {}) | payload_edits
            values["payload"] = payload
        if new_state == "pending":
            values |= {"next_attempt_at": None, "attempts": 0}
        conn.execute(update(p).where(p.c.id == post_id, p.c.state == "review").values(**values))
        log_event(conn, post_id, campaign_id, event, detail, now)


def approve(store: Store, campaign_id: int, post_id: int, *, by: str, now: datetime | None = None) -> None:
    """Release the post: the campaign's next run delivers it."""
    _decide(store, campaign_id, post_id, "pending", "approved", f"by {by}", now)


def reject(store: Store, campaign_id: int, post_id: int, *, by: str, now: datetime | None = None) -> None:
    """Never post this story for this campaign."""
    _decide(store, campaign_id, post_id, "dismissed", "rejected", f"by {by}", now)


def edit(
    store: Store,
    campaign_id: int,
    post_id: int,
    *,
    by: str,
    title: str | None = None,
    categories: Sequence[str | int] | None = None,
    now: datetime | None = None,
) -> None:
    """Change what will be posted (title, categories); the post stays in the queue."""
    changes: dict[str, Any] = {}
    if title is not None:
        title = " ".join(title.split())
        if not title:
            raise PublishError("a post needs a title", retryable=False)
        if len(title) > MAX_TITLE:
            raise PublishError(f"a title has at most {MAX_TITLE} characters", retryable=False)
        changes["title"] = title
    if categories is not None:
        cleaned: list[str | int] = []
        for category in categories:
            value: str | int = category.strip() if isinstance(category, str) else category
            if value != "" and value not in cleaned:
                cleaned.append(value)
        if len(cleaned) > MAX_CATEGORIES:
            raise PublishError(f"at most {MAX_CATEGORIES} categories", retryable=False)
        changes["categories"] = cleaned
    if not changes:
        return
    detail = f"by {by}: " + ", ".join(f"{k} = {v!r}" for k, v in changes.items())
    _decide(store, campaign_id, post_id, "review", "edited", detail[:2000], now, changes)
