"""Full-text search over articles: FTS5 on SQLite, tsvector on PostgreSQL.

The user's query is never passed to the engine as query syntax: it is split
into words and each is quoted, so a stray `"` or `NEAR(` cannot raise a syntax
error or change the meaning. Snippets are escaped before `<mark>` is added.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text

from syndic.store.database import Store

_WORD = re.compile(r"\w+", re.UNICODE)
_OPEN, _CLOSE = "\x02", "\x03"
# Ranking every match costs time in proportion to the matches; past this many
# (a word found in nearly every article) newest-first is as useful and ~40x faster.
RANK_AT_MOST = 10_000


@dataclass(frozen=True)
class SearchHit:
    article_id: int
    title: str | None
    snippet_html: str
    url: str
    site_name: str | None = None
    published: datetime | None = None
    is_original: bool = False  # the story's original (else one of its copies)
    copy_count: int = 1  # articles in its story


def _moment(value: object) -> datetime | None:
    """A raw SQL row's timestamp (SQLite gives text) as an aware UTC datetime."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _marked_to_html(snippet: str) -> str:
    return html.escape(snippet).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


def query_words(query: str) -> list[str]:
    return _WORD.findall(query)[:16]


def search(store: Store, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
    """Articles matching every word of `query`, best first, with highlighted snippets."""
    words = query_words(query)
    if not words:
        return []
    with store.engine.connect() as connection:
        if store.dialect == "sqlite":
            match = " ".join('"' + w.replace('"', "") + '"*' for w in words)
            matches = connection.execute(
                text("SELECT count(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match "
                     "LIMIT :cap)"),
                {"match": match, "cap": RANK_AT_MOST + 1},
            ).scalar()
            order = "bm25(articles_fts, 5.0, 1.0)" if (matches or 0) <= RANK_AT_MOST else "articles_fts.rowid DESC"
            rows = connection.execute(
                text(
                    "SELECT a.id, a.title, a.url, a.site_name, a.published, "
                    "s.original_article_id = a.id AS is_original, s.copy_count, "
                    "snippet(articles_fts, 1, :o, :c, '…', 24) AS snip "
                    "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
                    "LEFT JOIN stories s ON s.id = a.story_id "
                    f"WHERE articles_fts MATCH :match ORDER BY {order} "
                    "LIMIT :limit OFFSET :offset"
                ),
                {"match": match, "o": _OPEN, "c": _CLOSE, "limit": limit, "offset": offset},
            ).all()
        else:
            tsquery = " & ".join(w + ":*" for w in words)
            rows = connection.execute(
                text(
                    "SELECT a.id, a.title, a.url, a.site_name, a.published, "
                    "s.original_article_id = a.id AS is_original, s.copy_count, "
                    "ts_headline('simple', left(a.text, 20000), "
                    "to_tsquery('simple', :q), :opts) AS snip FROM articles a "
                    "LEFT JOIN stories s ON s.id = a.story_id "
                    "WHERE a.search_vector @@ to_tsquery('simple', :q) "
                    "ORDER BY ts_rank(a.search_vector, to_tsquery('simple', :q)) DESC "
                    "LIMIT :limit OFFSET :offset"
                ),
                {
                    "q": tsquery,
                    "opts": f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=35, MinWords=15",
                    "limit": limit,
                    "offset": offset,
                },
            ).all()
    return [
        SearchHit(r.id, r.title, _marked_to_html(r.snip or ""), r.url, r.site_name, _moment(r.published),
                  bool(r.is_original), int(r.copy_count or 1))
        for r in rows
    ]
