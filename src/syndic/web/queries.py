"""What the metrics endpoint and the feed-management forms still query here.

The reader's reads moved to `syndic.store.views` (the one read layer, typed
rows) and reach the web through `syndic.library` (`Reading`, `Stories`).
What is left belongs to the areas still moving (feed management, metrics)
and goes with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, case, func, or_, select, update

from syndic.store import schema

AnyRow = Row[*tuple[Any, ...]]

E = schema.entries
F = schema.feeds
A = schema.articles


def set_feed_public(conn: Connection, feed_id: int, public: bool) -> bool:
    return conn.execute(update(F).where(F.c.id == feed_id).values(public=public)).rowcount > 0


def delete_feed(conn: Connection, feed_id: int) -> bool:
    return conn.execute(F.delete().where(F.c.id == feed_id)).rowcount > 0


def health_summary(conn: Connection) -> dict[str, int]:
    """Numbers for the metrics endpoint: feeds by state, the extraction queue, articles."""
    rows = conn.execute(select(F.c.state, func.count()).group_by(F.c.state))
    by_state = {str(state): int(count) for state, count in rows}
    pending = conn.execute(
        select(func.count()).select_from(E).where(E.c.extract_state == "pending")
    ).scalar()
    articles = conn.execute(select(func.count()).select_from(A)).scalar()
    due_posts = conn.execute(
        select(func.count()).select_from(schema.posts).where(schema.posts.c.state == "pending")
    ).scalar()
    return {
        **{f"feeds_{k}": int(v) for k, v in by_state.items()},
        "extract_queue": int(pending or 0),
        "articles": int(articles or 0),
        "post_queue": int(due_posts or 0),
    }


def fetch_stats(conn: Connection, since: datetime) -> Sequence[AnyRow]:
    """Fetches by kind since `since`: count, failures, total time (for the metrics endpoint)."""
    L = schema.fetch_log
    failed = or_(L.c.error.is_not(None), L.c.status >= 400)
    return conn.execute(
        select(
            L.c.kind,
            func.count().label("total"),
            func.coalesce(func.sum(case((failed, 1), else_=0)), 0).label("errors"),
            func.coalesce(func.sum(L.c.elapsed_ms), 0.0).label("elapsed_ms"),
        )
        .where(L.c.at >= since.astimezone(UTC))
        .group_by(L.c.kind)
    ).all()
