"""Reading campaigns, their posts and their delivery log: one query each, frozen rows out.

The writes are the publish stage's (`publish.campaigns.save_campaign`, the
outbox, the review queue); these are the reads the library, the web pages
and the JSON API share, so a column renamed in `schema` breaks here, under
mypy, and not in a template at run time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection, RowMapping

from syndic.store import schema
from syndic.store.database import Store

C, CF, P, L = schema.campaigns, schema.campaign_feeds, schema.posts, schema.post_log


@dataclass(frozen=True)
class Campaign:
    """A campaign as stored: its config is the raw JSON (secrets included; redact before showing it)."""

    id: int
    name: str
    config: Mapping[str, Any]
    enabled: bool
    public: bool
    created_at: datetime
    last_run_at: datetime | None
    next_run_at: datetime | None
    feed_ids: tuple[int, ...]
    review_count: int = 0  # posts waiting in the review queue

    @property
    def feed_count(self) -> int:
        return len(self.feed_ids)


@dataclass(frozen=True)
class Post:
    """One story's post for a campaign (the outbox row, without its rendered payload)."""

    id: int
    campaign_id: int
    story_id: int
    article_id: int
    state: str  # pending | sending | sent | failed | rejected | review | dismissed | duplicate | gone
    remote_url: str | None
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class PostLogLine:
    """One delivery event of a campaign, with the post and article it concerns (none for a run line)."""

    at: datetime
    event: str
    detail: str | None
    state: str | None
    remote_url: str | None
    article_id: int | None
    article_title: str | None


def _feed_ids(conn: Connection, campaign_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    out: dict[int, list[int]] = {}
    rows = conn.execute(
        select(CF.c.campaign_id, CF.c.feed_id).where(CF.c.campaign_id.in_(list(campaign_ids))).order_by(CF.c.feed_id)
    )
    for campaign_id, feed_id in rows:
        out.setdefault(int(campaign_id), []).append(int(feed_id))
    return {k: tuple(v) for k, v in out.items()}


def _campaign(row: RowMapping, feed_ids: tuple[int, ...], review_count: int = 0) -> Campaign:
    config = row["config"]
    return Campaign(
        id=int(row["id"]), name=str(row["name"]), config=dict(config) if isinstance(config, Mapping) else {},
        enabled=bool(row["enabled"]), public=bool(row["public"]), created_at=row["created_at"],
        last_run_at=row["last_run_at"], next_run_at=row["next_run_at"], feed_ids=feed_ids,
        review_count=review_count,
    )


def list_campaigns(store: Store) -> list[Campaign]:
    """Every campaign by name, with its feeds and how many posts wait for review."""
    review_per = (
        select(P.c.campaign_id, func.count().label("review_count"))
        .where(P.c.state == "review").group_by(P.c.campaign_id).subquery()
    )
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(C, func.coalesce(review_per.c.review_count, 0).label("review_count"))
            .outerjoin(review_per, review_per.c.campaign_id == C.c.id)
            .order_by(C.c.name)
        ).mappings().all()
        feeds = _feed_ids(conn, [int(r["id"]) for r in rows])
    return [_campaign(r, feeds.get(int(r["id"]), ()), int(r["review_count"])) for r in rows]


def get_campaign(store: Store, campaign_id: int) -> Campaign | None:
    """The campaign with this id, or None."""
    with store.engine.connect() as conn:
        row = conn.execute(select(C).where(C.c.id == campaign_id)).mappings().first()
        if row is None:
            return None
        review = conn.execute(
            select(func.count()).where(P.c.campaign_id == campaign_id, P.c.state == "review")
        ).scalar()
        return _campaign(row, _feed_ids(conn, [campaign_id]).get(campaign_id, ()), int(review or 0))


def set_enabled(store: Store, campaign_id: int, enabled: bool) -> bool:
    """Turn the campaign's schedule on or off; False when there is no such campaign."""
    with store.engine.begin() as conn:
        return bool(conn.execute(update(C).where(C.c.id == campaign_id).values(enabled=enabled)).rowcount)


def delete_campaign(store: Store, campaign_id: int) -> bool:
    """Delete the campaign, its feed set, posts and log; False when there is no such campaign.

    Posts already on a destination stay there: syndic forgets it made them.
    """
    with store.engine.begin() as conn:
        conn.execute(delete(L).where(L.c.campaign_id == campaign_id))
        conn.execute(delete(P).where(P.c.campaign_id == campaign_id))
        conn.execute(delete(CF).where(CF.c.campaign_id == campaign_id))
        return bool(conn.execute(delete(C).where(C.c.id == campaign_id)).rowcount)


def list_posts(store: Store, campaign_id: int, *, state: str | None = None, limit: int = 200) -> list[Post]:
    """The campaign's posts, newest first (only those in `state` when given)."""
    query = select(P).where(P.c.campaign_id == campaign_id)
    if state is not None:
        query = query.where(P.c.state == state)
    with store.engine.connect() as conn:
        rows = conn.execute(query.order_by(P.c.id.desc()).limit(limit)).mappings().all()
    return [
        Post(
            id=int(r["id"]), campaign_id=int(r["campaign_id"]), story_id=int(r["story_id"]),
            article_id=int(r["article_id"]), state=str(r["state"]), remote_url=r["remote_url"],
            attempts=int(r["attempts"] or 0), last_error=r["last_error"], next_attempt_at=r["next_attempt_at"],
            updated_at=r["updated_at"],
        )
        for r in rows
    ]


def campaign_log(store: Store, campaign_id: int, limit: int = 100) -> list[PostLogLine]:
    """The latest delivery events of a campaign, newest first, with the post they concern."""
    A = schema.articles
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(L.c.at, L.c.event, L.c.detail, P.c.state, P.c.remote_url, P.c.article_id,
                   A.c.title.label("article_title"))
            .outerjoin(P, P.c.id == L.c.post_id)
            .outerjoin(A, A.c.id == P.c.article_id)
            .where(L.c.campaign_id == campaign_id)
            .order_by(L.c.at.desc(), L.c.id.desc())
            .limit(limit)
        ).all()
    return [
        PostLogLine(at=r.at, event=str(r.event), detail=r.detail, state=r.state, remote_url=r.remote_url,
                    article_id=None if r.article_id is None else int(r.article_id), article_title=r.article_title)
        for r in rows
    ]


@dataclass(frozen=True)
class FeedChoice:
    """A feed a campaign may take stories from, as a form lists it."""

    id: int
    title: str | None
    url: str


def feed_choices(store: Store) -> list[FeedChoice]:
    """Every feed, by title (or address when untitled), case-insensitively."""
    F = schema.feeds
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(F.c.id, F.c.title, F.c.url).order_by(func.lower(func.coalesce(F.c.title, F.c.url)))
        ).all()
    return [FeedChoice(id=int(r.id), title=r.title, url=str(r.url)) for r in rows]
