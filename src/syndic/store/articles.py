"""Articles, their revisions, and the story each belongs to — written in one transaction.

`record_article` is the single write that follows extraction: it stores the
article under its dedupe key (`url_key`) with its real address (`url`), finds
near-duplicates through the LSH band table, joins or starts a story,
re-elects the story's original, and marks the entry done.

A *revision* is a change of the text at the same address after its first
full extraction; the step from the feed's own text to the page's full text
replaces the first version instead. A *copy* (another outlet's or another
address's version) is never a revision, whatever its canonical link says:
its key is its own address, and it joins the story as one more article.
Doing all of it in one transaction is what keeps the store consistent when a
process dies half-way: either the entry is done and its story is right, or
the entry is still pending and will be done again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from syndic import dedupe
from syndic.store import views
from syndic.store.database import Store, storable, store_errors
from syndic.store.entries import dialect_insert
from syndic.store.feeds import utcnow
from syndic.store.schema import article_bands, article_revisions, articles, entries, posts, stories
from syndic.types import Article, ArticleRevision, StoredArticle

MAX_CANDIDATES = 50


@dataclass(frozen=True)
class RecordedArticle:
    article_id: int
    story_id: int
    revision: int
    is_new_article: bool
    is_new_revision: bool
    joined_existing_story: bool


@dataclass(frozen=True)
class _Found:
    """The story an article copies, whether it is an excerpt, and other stories it also copies."""

    story_id: int
    is_excerpt: bool
    also: frozenset[int] = frozenset()


_TEXT_FIELDS = ("url", "title", "html", "text", "authors", "image", "language", "canonical_url", "site_name",
                "description", "byline_problem")
"""Article fields written to the store (made storable first, see database.storable)."""


def content_hash(article: Article) -> str:
    return hashlib.sha256(((article.title or "") + "\n" + article.text).encode("utf-8")).hexdigest()


def _article_values(
    article: Article, url: str, fetched_url: str | None, is_excerpt: bool, from_feed: bool
) -> dict[str, Any]:
    return {
        "url": url,
        "canonical_url": article.canonical_url,
        "from_feed": from_feed,
        "fetched_url": fetched_url,
        "title": article.title,
        "html": article.html,
        "text": article.text,
        "authors": list(article.authors),
        "published": article.published,
        "modified": article.modified,
        "image": article.image,
        "language": article.language,
        "site_name": article.site_name,
        "description": article.description,
        "byline_problem": article.byline_problem,
        "word_count": article.word_count,
        "is_excerpt": is_excerpt,
        "content_hash": content_hash(article),
    }


def exact_key(digest: str) -> int:
    """The one band key of a text too short for MinHash: its content hash as a signed 64-bit int.

    A short or repetitive text (one sentence twenty times) has no LSH keys;
    it is still a story, and an identical copy (same title and text) must
    find it, so it is indexed by this key and matched by `content_hash`.
    """
    return int.from_bytes(bytes.fromhex(digest[:16]), "big", signed=True)


def _find_exact(connection: Connection, article_id: int | None, digest: str) -> _Found | None:
    """The story of an earlier article with exactly this title and text (for texts without LSH keys)."""
    story = connection.execute(
        select(articles.c.story_id)
        .join(article_bands, article_bands.c.article_id == articles.c.id)
        .where(article_bands.c.band_key == exact_key(digest), articles.c.id != (article_id or 0),
               articles.c.content_hash == digest, articles.c.story_id.is_not(None))
        .order_by(articles.c.id)
        .limit(1)
    ).scalar()
    return _Found(int(story), False) if story is not None else None


# Built once with expanding parameters: a statement with ~60 literal band keys
# costs more to construct and cache-key in SQLAlchemy than to run.
_SHARED = func.count().label("shared")
_CANDIDATES = (
    select(article_bands.c.article_id, _SHARED)
    .where(article_bands.c.band_key.in_(bindparam("keys", expanding=True)),
           article_bands.c.article_id != bindparam("self_id"))
    .group_by(article_bands.c.article_id)
    .order_by(_SHARED.desc(), article_bands.c.article_id)
    .limit(MAX_CANDIDATES)
)
_CANDIDATE_SIGNATURES = select(articles.c.id, articles.c.signature, articles.c.story_id, articles.c.url_key).where(
    articles.c.id.in_(bindparam("ids", expanding=True)), articles.c.signature.is_not(None)
)


_INSERT_ARTICLE = insert(articles)
_INSERT_REVISION = insert(article_revisions)
_INSERT_BANDS = insert(article_bands)
_INSERT_STORY = insert(stories)
_SET_STORY = update(articles).where(articles.c.id == bindparam("article_id")).values(story_id=bindparam("story_id"))
_EXISTING = select(
    articles.c.id, articles.c.content_hash, articles.c.revision, articles.c.story_id, articles.c.from_feed,
)


def _index_lookups_only(connection: Connection) -> None:
    """On PostgreSQL, plan this transaction's lookups on their indexes, never as a table scan.

    Without statistics on article_band (a new database, or a server with
    autovacuum off: nothing has run ANALYZE) PostgreSQL guesses that an IN of
    ~60 band keys matches a third of the table and scans all of it, in
    parallel: 120 ms per article at 40,000 articles instead of 0.6 ms, and
    growing with the store. Every statement of the write path is a lookup by
    key, so the setting is safe for the whole transaction; SET LOCAL ends with it.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0")


def _site(url_key: str) -> str:
    """The host of a dedupe key (keys are folded: no www., m., scheme or default port)."""
    return urlsplit(url_key).netloc


def _find_story(
    connection: Connection, article_id: int | None, sig: dedupe.Signature, keys: list[int], url_key: str
) -> _Found | None:
    """The story of the most similar earlier article that this one copies, and every other story it copies.

    Copies reach the store in any order: two excerpts that arrive before the
    full text match each other but not a copy with a different opening, so
    they start a story of their own. The article that copies both is the
    proof that they are one story; `_merge_stories` joins them.
    """
    # The articles sharing the most bands first: with many near matches (a
    # site's template, a story with hundreds of copies) the closest ones are
    # the ones verified, not whichever the engine happens to return.
    candidate_ids = [
        int(r[0]) for r in connection.execute(_CANDIDATES, {"keys": keys, "self_id": article_id or 0})
    ]
    if not candidate_ids:
        return None
    best: tuple[float, int, bool] | None = None
    matched: set[int] = set()
    site = _site(url_key)
    for row in connection.execute(_CANDIDATE_SIGNATURES, {"ids": candidate_ids}):
        other = dedupe.Signature.from_bytes(row.signature)
        if row.story_id is None or not dedupe.same_story(sig, other, same_site=_site(row.url_key) == site):
            continue
        matched.add(int(row.story_id))
        score = dedupe.similarity(sig, other)
        if best is None or score > best[0]:
            best = (score, int(row.story_id), dedupe.is_excerpt_of(sig, other))
    if best is None:
        return None
    # The oldest story keeps its number (links to it, posts made from it); the others join it.
    story_id = min(matched)
    return _Found(story_id, best[2], frozenset(matched - {story_id}))


def _merge_stories(connection: Connection, story_id: int, others: frozenset[int]) -> None:
    """Move every article of `others` into `story_id` and drop the emptied stories.

    A campaign that already posted one of the merged stories keeps that post
    for the merged story (so it is not posted twice); where it posted both,
    both posts stay on record under their old story numbers.
    """
    if not others:
        return
    ids = sorted(others)
    connection.execute(update(articles).where(articles.c.story_id.in_(ids)).values(story_id=story_id))
    posted = select(posts.c.campaign_id).where(posts.c.story_id == story_id).scalar_subquery()
    for other in ids:  # one story at a time: two merged stories posted by one campaign keep one post each
        connection.execute(
            update(posts).where(posts.c.story_id == other, posts.c.campaign_id.not_in(posted)).values(story_id=story_id)
        )
    connection.execute(stories.delete().where(stories.c.id.in_(ids)))


def _match(
    connection: Connection, article_id: int | None, sig: dedupe.Signature, digest: str, text: str, url_key: str
) -> tuple[list[int], _Found | None]:
    """The article's band keys and the story it copies (with whether it is an excerpt of it), if any."""
    if not text.strip():
        return [], None
    keys = sorted(set(dedupe.band_keys(sig)))
    if keys:
        return keys, _find_story(connection, article_id, sig, keys, url_key)
    return [exact_key(digest)], _find_exact(connection, article_id, digest)


def _elect(connection: Connection, story_id: int) -> None:
    rows = connection.execute(
        select(
            articles.c.id, articles.c.url, articles.c.canonical_url, articles.c.published, articles.c.created_at,
            articles.c.word_count, articles.c.is_excerpt, articles.c.title,
        ).where(articles.c.story_id == story_id)
    ).all()
    if not rows:
        # Its last article left it (a revision that copies another story): an empty story is no story.
        connection.execute(stories.delete().where(stories.c.id == story_id))
        return
    copies = [
        dedupe.Copy(
            article_id=int(r.id),
            url=r.url,
            canonical_url=r.canonical_url,
            published=r.published,
            fetched_at=r.created_at,
            word_count=int(r.word_count),
            is_excerpt=bool(r.is_excerpt),
        )
        for r in rows
    ]
    original = dedupe.elect_original(copies)
    title = next((r.title for r in rows if int(r.id) == original.article_id), None)
    connection.execute(
        update(stories)
        .where(stories.c.id == story_id)
        .values(original_article_id=original.article_id, copy_count=len(rows), title=title, updated_at=utcnow())
    )


def _entry_done(connection: Connection, entry_id: int | None, article_id: int) -> None:
    if entry_id is not None:
        connection.execute(
            update(entries)
            .where(entries.c.id == entry_id)
            .values(extract_state="done", extract_error=None, extract_next_at=None, article_id=article_id,
                    extract_attempts=entries.c.extract_attempts + 1)
        )


@store_errors
def record_article(
    store: Store,
    entry_id: int | None,
    article: Article,
    *,
    url_key: str,
    url: str | None = None,
    fetched_url: str | None = None,
    is_excerpt: bool = False,
    from_feed: bool = False,
) -> RecordedArticle:
    """Store an extracted, cleaned article and everything that follows from it.

    `url_key` identifies the article (`dedupe.canonical_url` of its own
    address); `url` is the address shown and published, by default the
    page's own (`dedupe.real_address`). `from_feed` marks the feed's text kept
    when the page could not be had: the page's text replaces it later
    without counting as a revision, and it never replaces a page's text.
    """
    now = utcnow()
    article = replace(article, **{name: storable(getattr(article, name)) for name in _TEXT_FIELDS})
    url_key, url, fetched_url = storable(url_key), storable(url), storable(fetched_url)
    address = url or dedupe.real_address(article.url, article.canonical_url)
    sig = dedupe.signature(article.text)
    digest = content_hash(article)
    with store.engine.begin() as connection:
        _index_lookups_only(connection)
        existing = connection.execute(_EXISTING.where(articles.c.url_key == bindparam("key")), {"key": url_key}).first()
        if existing is None and entry_id is not None and not from_feed:
            # The entry's link redirected: its feed text was kept under the link's key.
            existing = connection.execute(
                _EXISTING.select_from(articles.join(entries, entries.c.article_id == articles.c.id))
                .where(entries.c.id == entry_id, articles.c.from_feed == True)  # noqa: E712
            ).first()
        values = _article_values(article, address, fetched_url, is_excerpt, from_feed)
        is_new_revision = False  # a new version at this address, kept in article_revisions
        text_changed = False  # the story must be found again
        if existing is None:
            # A new address: its story is found before it is written, so the common case
            # (a new article, a new or an existing story) costs a handful of statements.
            keys, found = _match(connection, None, sig, digest, article.text, url_key)
            if found is not None and found.is_excerpt:
                values["is_excerpt"] = True
            # Parameters apart from the statement: SQLAlchemy caches one compiled INSERT.
            article_id = int(
                connection.execute(
                    _INSERT_ARTICLE,
                    {"url_key": url_key, "revision": 1, "signature": sig.to_bytes(), "created_at": now,
                     "updated_at": now, "story_id": found.story_id if found else None, **values},
                ).inserted_primary_key[0]  # type: ignore[index]
            )
            connection.execute(
                _INSERT_REVISION,
                {"article_id": article_id, "revision": 1, "title": article.title, "html": article.html,
                 "text": article.text, "content_hash": digest, "created_at": now},
            )
            if keys:  # never an empty executemany: that is an INSERT of DEFAULT VALUES
                connection.execute(_INSERT_BANDS, [{"band_key": k, "article_id": article_id} for k in keys])
            if found is not None:
                story_id = found.story_id
                _merge_stories(connection, story_id, found.also)
                _elect(connection, story_id)
            else:
                story_id = int(
                    connection.execute(
                        _INSERT_STORY,
                        {"original_article_id": article_id, "title": article.title, "copy_count": 1,
                         "created_at": now, "updated_at": now},
                    ).inserted_primary_key[0]  # type: ignore[index]
                )
                connection.execute(_SET_STORY, {"article_id": article_id, "story_id": story_id})
            _entry_done(connection, entry_id, article_id)
            return RecordedArticle(
                article_id=article_id, story_id=story_id, revision=1, is_new_article=True, is_new_revision=True,
                joined_existing_story=found is not None,
            )
        article_id = int(existing.id)
        revision = int(existing.revision)
        changed = existing.content_hash != digest and bool(article.text.strip())
        if existing.from_feed and not from_feed and article.text.strip():
            # The page's full text arrives for an article we had only from the feed:
            # it is the first full extraction, not a revision.
            text_changed = True
            connection.execute(
                update(articles)
                .where(articles.c.id == article_id)
                .values(url_key=url_key, signature=sig.to_bytes(), updated_at=now, **values)
            )
            connection.execute(
                update(article_revisions)
                .where(article_revisions.c.article_id == article_id, article_revisions.c.revision == revision)
                .values(title=article.title, html=article.html, text=article.text, content_hash=digest)
            )
        elif changed and (from_feed == bool(existing.from_feed)):
            revision += 1
            is_new_revision = text_changed = True
            connection.execute(
                update(articles)
                .where(articles.c.id == article_id)
                .values(revision=revision, signature=sig.to_bytes(), updated_at=now, **values)
            )
        if is_new_revision:
            connection.execute(
                dialect_insert(connection, article_revisions)
                .values(
                    article_id=article_id, revision=revision, title=article.title, html=article.html,
                    text=article.text, content_hash=digest, created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["article_id", "revision"])
            )
        story_id = existing.story_id
        joined = False
        if story_id is None or text_changed:
            keys, found = _match(connection, article_id, sig, digest, article.text, url_key)
            if found is not None:
                joined = found.story_id != story_id
                story_id = found.story_id
                _merge_stories(connection, story_id, found.also)
                if found.is_excerpt and not is_excerpt:
                    connection.execute(
                        update(articles).where(articles.c.id == article_id).values(is_excerpt=True)
                    )
            elif story_id is None:
                story_id = int(
                    connection.execute(
                        insert(stories).values(
                            original_article_id=article_id, title=article.title, copy_count=1,
                            created_at=now, updated_at=now,
                        )
                    ).inserted_primary_key[0]  # type: ignore[index]
                )
            old_story = existing.story_id
            connection.execute(update(articles).where(articles.c.id == article_id).values(story_id=story_id))
            connection.execute(article_bands.delete().where(article_bands.c.article_id == article_id))
            if keys:  # never an empty executemany: that is an INSERT of DEFAULT VALUES
                connection.execute(insert(article_bands), [{"band_key": k, "article_id": article_id} for k in keys])
            _elect(connection, int(story_id))
            if old_story is not None and old_story != story_id:
                _elect(connection, int(old_story))
        _entry_done(connection, entry_id, article_id)
    return RecordedArticle(
        article_id=article_id,
        story_id=int(story_id),
        revision=revision,
        is_new_article=False,
        is_new_revision=is_new_revision,
        joined_existing_story=joined,
    )


def get_article(store: Store, article_id: int) -> StoredArticle | None:
    """One article's current version (`views.get_article` on a connection of its own)."""
    with store.engine.connect() as connection:
        return views.get_article(connection, article_id)


def article_revisions_of(store: Store, article_id: int) -> list[ArticleRevision]:
    """Every stored version of the article, oldest first (`views.revisions`)."""
    with store.engine.connect() as connection:
        return views.revisions(connection, article_id)


def story_articles(store: Store, story_id: int) -> list[views.StoryCopy]:
    """The story's articles, original first (`views.story_articles`)."""
    with store.engine.connect() as connection:
        return views.story_articles(connection, story_id, limit=10_000)


def story_count(store: Store) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(stories)).scalar() or 0)


def article_count(store: Store) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(articles)).scalar() or 0)
