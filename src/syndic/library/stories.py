"""Stories (one per event, every outlet's copy in it) and their articles and revisions; full-text search.

    with syndic.open() as s:
        for story in s.stories.latest(limit=10):
            detail = s.stories.get(story.id)
            print(story.title, detail.original.url if detail and detail.original else None)
        for hit in s.stories.search("harbour crane"):
            print(hit.title, hit.snippet_html)

A story groups the copies of one article (the wire's report and every
outlet's reprint); its `original_article_id` is the copy elected as the
original. Articles keep every version of their text (`revisions`). Rows are
frozen dataclasses (`syndic.types`, `syndic.store.views`, `syndic.store.search`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from syndic.library.core import Core
from syndic.store import views
from syndic.store.search import SearchHit
from syndic.store.search import search as search_articles
from syndic.store.views import ArticleSummary, StoryCopy
from syndic.types import ArticleRevision, StoredArticle, Story

__all__ = [
    "ArticleRevision",
    "ArticleSummary",
    "SearchHit",
    "StoredArticle",
    "Stories",
    "Story",
    "StoryCopy",
    "StoryDetail",
]


@dataclass(frozen=True)
class StoryDetail:
    """A story with its original article (None if it is not among the articles read) and its other copies."""

    story: Story
    original: StoryCopy | None
    copies: list[StoryCopy]


class Stories:
    """Stories (one per event, every outlet's copy in it) and their articles and revisions; full-text search."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def latest(self, limit: int = 20, offset: int = 0) -> list[Story]:
        """Stories, newest first, without their articles (`get` has those)."""
        with self._core.store.engine.connect() as conn:
            return views.list_stories(conn, limit=limit, offset=offset)

    def get(self, story_id: int, *, limit: int = 1000) -> StoryDetail | None:
        """A story with its original and its copies (oldest first, at most `limit` articles); None if none.

        A story that merged into another is gone: its articles are the other's.
        """
        with self._core.store.engine.connect() as conn:
            story = views.get_story(conn, story_id)
            if story is None:
                return None
            members = views.story_articles(conn, story_id, limit=limit)
        original = next((m for m in members if m.id == story.original_article_id), None)
        return StoryDetail(story, original, [m for m in members if m is not original])

    def copies(self, story_id: int, *, limit: int = 100) -> list[StoryCopy]:
        """The story's articles, the original first, then the copies oldest first (empty for no story)."""
        with self._core.store.engine.connect() as conn:
            return views.story_articles(conn, story_id, limit=limit)

    def article(self, article_id: int) -> StoredArticle | None:
        """One article's current version: sanitized HTML, text and metadata; None if there is no such article."""
        with self._core.store.engine.connect() as conn:
            return views.get_article(conn, article_id)

    def revisions(self, article_id: int) -> list[ArticleRevision]:
        """Every stored version of the article, oldest first; the last is the current one."""
        with self._core.store.engine.connect() as conn:
            return views.revisions(conn, article_id)

    def articles(self, *, limit: int = 50, offset: int = 0, since: datetime | None = None) -> list[ArticleSummary]:
        """Articles, newest stored first; with `since` (an aware datetime), only those published since."""
        with self._core.store.engine.connect() as conn:
            return views.list_articles(conn, limit=limit, offset=offset, since=since)

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Articles matching every word of `query`, best first, with `<mark>`-highlighted, escaped snippets.

        The query is words, never query syntax: quotes and operators are
        taken as text. An empty query finds nothing.
        """
        return search_articles(self._core.store, query, limit=limit, offset=offset)
