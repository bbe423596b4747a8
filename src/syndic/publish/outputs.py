"""What goes into a full-text feed: store rows turned into a `FeedDocument`.

Three sources: one subscribed feed (its entries, newest first, with the
extracted article when there is one), one campaign (the entries of its
feeds, one item per story however many feeds carried it), and a search
(articles matching the words). Every item carries the story's copy count
and the original's URL when the dedupe stage has found one.

An entry whose page was not extracted falls back to the publisher's own
content or summary (already sanitized when stored); nothing is fetched here.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.engine import Connection, RowMapping

from syndic.store import schema
from syndic.store.database import Store
from syndic.store.feeds import read_feed
from syndic.types import Enclosure, Feed

from .writers import FeedDocument, FeedItem

MAX_ITEMS = 200
EXCERPT_CHARS = 300

_original = schema.articles.alias("original")


def _article_columns() -> tuple[Any, ...]:
    """The article, story and original columns every output item is built from."""
    a, s = schema.articles, schema.stories
    return (
        a.c.id.label("article_id"),
        a.c.url.label("article_url"),
        a.c.title.label("article_title"),
        a.c.html,
        a.c.text,
        a.c.authors.label("article_authors"),
        a.c.published.label("article_published"),
        a.c.modified.label("article_modified"),
        a.c.image,
        a.c.language,
        a.c.description,
        a.c.story_id,
        s.c.copy_count,
        _original.c.url.label("original_url"),
    )


class NotFound(LookupError):
    """The feed or campaign asked for does not exist."""


def guess_image_type(url: str) -> str:
    guessed, _ = mimetypes.guess_type(url.split("?", 1)[0])
    return guessed if guessed and guessed.startswith("image/") else "image/jpeg"


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first `limit` characters of `text`, cut at a word, with an ellipsis when cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _entry_query() -> Select[Any]:
    e, a, s = schema.entries, schema.articles, schema.stories
    return (
        select(
            e.c.id.label("entry_id"),
            e.c.feed_id,
            e.c.key,
            e.c.guid,
            e.c.link,
            e.c.title.label("entry_title"),
            e.c.summary.label("entry_summary"),
            e.c.content.label("entry_content"),
            e.c.authors.label("entry_authors"),
            e.c.categories,
            e.c.enclosures,
            e.c.published.label("entry_published"),
            e.c.updated.label("entry_updated"),
            e.c.image.label("entry_image"),
            e.c.language.label("entry_language"),
            *_article_columns(),
        )
        .select_from(
            e.outerjoin(a, a.c.id == e.c.article_id)
            .outerjoin(s, s.c.id == a.c.story_id)
            .outerjoin(_original, _original.c.id == s.c.original_article_id)
        )
        .order_by(func.coalesce(a.c.published, e.c.published, e.c.first_seen_at).desc(), e.c.id.desc())
    )


def _image_of(row: Mapping[Any, Any]) -> Enclosure | None:
    """The article's lead image, else the picture the feed gave the entry (Media RSS, iTunes)."""
    for column in ("image", "entry_image"):
        if row.get(column):
            return Enclosure(url=row[column], type=guess_image_type(row[column]))
    for enclosure in row.get("enclosures") or []:
        if isinstance(enclosure, dict) and str(enclosure.get("type") or "").startswith("image/"):
            length = enclosure.get("length")
            return Enclosure(
                url=enclosure["url"], type=enclosure["type"], length=int(length) if length else None
            )
    return None


def item_from_row(row: Mapping[Any, Any], item_id: str) -> FeedItem:
    """A feed item from one joined entry/article/story row."""
    has_article = row["article_id"] is not None and bool(row["html"])
    content = row["html"] if has_article else (row["entry_content"] or row["entry_summary"] or "")
    text = row["text"] if has_article else ""
    summary = row["description"] or (excerpt(text) if text else None)
    authors: Sequence[str] = row["article_authors"] or row["entry_authors"] or []
    published: datetime | None = row["article_published"] or row["entry_published"]
    updated: datetime | None = row["article_modified"] or row["entry_updated"]
    return FeedItem(
        id=item_id,
        title=row["article_title"] or row["entry_title"],
        link=row["article_url"] or row["link"],
        content_html=content,
        summary=summary,
        authors=tuple(authors),
        published=published,
        updated=updated,
        image=_image_of(row),
        categories=tuple(row["categories"] or ()),
        original_url=row["original_url"] or (row["article_url"] if row["story_id"] is not None else None),
        copy_count=row["copy_count"],
        language=row["language"] or row.get("entry_language"),
    )


def _feed_or_404(conn: Connection, feed_id: int) -> Feed:
    feed = read_feed(conn, feed_id)
    if feed is None:
        raise NotFound(f"feed {feed_id} does not exist")
    return feed


def _campaign_name_or_404(conn: Connection, campaign_id: int) -> str:
    name = conn.execute(select(schema.campaigns.c.name).where(schema.campaigns.c.id == campaign_id)).scalar()
    if name is None:
        raise NotFound(f"campaign {campaign_id} does not exist")
    return str(name)


def feed_document(
    store: Store, feed_id: int, *, limit: int = 50, self_url: str | None = None
) -> FeedDocument:
    """The full-text version of one subscribed feed, newest first."""
    limit = max(1, min(limit, MAX_ITEMS))
    with store.engine.connect() as conn:
        feed = _feed_or_404(conn, feed_id)
        rows = conn.execute(_entry_query().where(schema.entries.c.feed_id == feed_id).limit(limit)).mappings()
        items = tuple(item_from_row(row, row["guid"] or row["key"]) for row in rows)
    return FeedDocument(
        title=feed.title or feed.url,
        link=feed.site_url or feed.url,
        description=feed.description,
        self_url=self_url,
        language=feed.language,
        items=items,
    )


def one_per_story(rows: Iterable[RowMapping], limit: int) -> list[RowMapping]:
    """Keep the first row of each story (rows come newest first), preferring the story's original."""
    chosen: dict[Any, RowMapping] = {}
    for row in rows:
        key = ("story", row["story_id"]) if row["story_id"] is not None else ("entry", row["entry_id"])
        current = chosen.get(key)
        is_original = bool(row["original_url"]) and row["article_url"] == row["original_url"]
        if current is None or is_original:
            chosen[key] = row
    return list(chosen.values())[:limit]


def campaign_document(
    store: Store, campaign_id: int, *, limit: int = 50, self_url: str | None = None
) -> FeedDocument:
    """A campaign's feeds merged, one item per story."""
    limit = max(1, min(limit, MAX_ITEMS))
    cf = schema.campaign_feeds
    with store.engine.connect() as conn:
        campaign_name = _campaign_name_or_404(conn, campaign_id)
        query = _entry_query().where(
            schema.entries.c.feed_id.in_(select(cf.c.feed_id).where(cf.c.campaign_id == campaign_id))
        )
        rows = list(conn.execute(query.limit(limit * 4)).mappings())
    items = tuple(
        item_from_row(
            row, f"urn:syndic:story:{row['story_id']}" if row["story_id"] else row["guid"] or row["key"]
        )
        for row in one_per_story(rows, limit)
    )
    return FeedDocument(title=campaign_name, self_url=self_url, link=self_url, items=items)


def search_document(
    store: Store, query: str, *, limit: int = 50, self_url: str | None = None
) -> FeedDocument:
    """Articles matching every word of `query`, as a feed (a saved search is its URL)."""
    from syndic.store.search import search

    limit = max(1, min(limit, MAX_ITEMS))
    hits = search(store, query, limit=limit)
    ids = [hit.article_id for hit in hits]
    a, s = schema.articles, schema.stories
    items: list[FeedItem] = []
    if ids:
        with store.engine.connect() as conn:
            query_rows = select(
                *_article_columns(),
            ).select_from(
                a.outerjoin(s, s.c.id == a.c.story_id).outerjoin(
                    _original, and_(_original.c.id == s.c.original_article_id)
                )
            )
            by_id = {r["article_id"]: r for r in conn.execute(query_rows.where(a.c.id.in_(ids))).mappings()}
        for article_id in ids:
            row = by_id.get(article_id)
            if row is None:
                continue
            full = dict(row) | {
                "entry_content": None,
                "entry_summary": None,
                "entry_authors": None,
                "entry_published": None,
                "entry_updated": None,
                "entry_title": None,
                "link": None,
                "categories": None,
                "enclosures": None,
            }
            items.append(item_from_row(full, f"urn:syndic:article:{article_id}"))
    return FeedDocument(title=f"syndic search: {query}", self_url=self_url, link=self_url, items=tuple(items))
