"""The pipeline's numbers for monitoring: feeds by state, queue depths, articles, recent fetches.

Read from the database when Prometheus scrapes (`syndic.web.metrics`), so
they are right whichever process or Celery worker did the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, case, func, or_, select

from syndic.store import schema

E = schema.entries
F = schema.feeds


@dataclass(frozen=True)
class FetchStats:
    """Fetches of one kind ("feed" or "page") in a window: how many, how many failed, their total time."""

    kind: str
    total: int
    errors: int
    elapsed_ms: float


def pipeline_counts(conn: Connection) -> dict[str, int]:
    """Feeds by state (`feeds_<state>`), the extraction queue, articles stored, posts waiting for delivery."""
    rows = conn.execute(select(F.c.state, func.count()).group_by(F.c.state))
    by_state = {str(state): int(count) for state, count in rows}
    pending = conn.execute(
        select(func.count()).select_from(E).where(E.c.extract_state == "pending")
    ).scalar()
    articles = conn.execute(select(func.count()).select_from(schema.articles)).scalar()
    due_posts = conn.execute(
        select(func.count()).select_from(schema.posts).where(schema.posts.c.state == "pending")
    ).scalar()
    return {
        **{f"feeds_{k}": int(v) for k, v in by_state.items()},
        "extract_queue": int(pending or 0),
        "articles": int(articles or 0),
        "post_queue": int(due_posts or 0),
    }


def fetch_stats(conn: Connection, since: datetime) -> list[FetchStats]:
    """Fetches by kind since `since`: count, failures (an error or an HTTP status >= 400), total time."""
    L = schema.fetch_log
    failed = or_(L.c.error.is_not(None), L.c.status >= 400)
    rows = conn.execute(
        select(
            L.c.kind,
            func.count().label("total"),
            func.coalesce(func.sum(case((failed, 1), else_=0)), 0).label("errors"),
            func.coalesce(func.sum(L.c.elapsed_ms), 0.0).label("elapsed_ms"),
        )
        .where(L.c.at >= since.astimezone(UTC))
        .group_by(L.c.kind)
    ).all()
    return [FetchStats(str(r.kind), int(r.total), int(r.errors), float(r.elapsed_ms)) for r in rows]
