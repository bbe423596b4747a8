"""The values that flow between pipeline stages.

Every stage is a function from one of these to another, so they are frozen
dataclasses: a stage cannot change what an earlier stage produced, and the
same value can be handed to a process pool or a Celery task unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Enclosure:
    """A media file attached to an entry (podcast audio, a lead image)."""

    url: str
    type: str | None = None
    length: int | None = None


@dataclass(frozen=True)
class ParsedEntry:
    """One item of a feed as the publisher wrote it, before we fetch its page.

    `content_html` and `summary_html` are the publisher's HTML, not yet
    sanitized; everything leaving syndic passes through `clean.sanitize`.
    """

    guid: str | None = None
    link: str | None = None
    title: str | None = None
    summary_html: str | None = None
    content_html: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    categories: tuple[str, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()
    comments_url: str | None = None

    @property
    def key(self) -> str | None:
        """The identity of the entry within its feed: GUID, else link."""
        return self.guid or self.link


@dataclass(frozen=True)
class ParsedFeed:
    """A feed document turned into plain values.

    `version` names the format ("rss20", "rss10", "rss09x", "atom10",
    "atom03", "json10", "json11"). `hubs` and `self_url` come from WebSub
    links; `ttl` is the RSS `<ttl>` in minutes.
    """

    version: str
    title: str | None = None
    link: str | None = None
    description: str | None = None
    language: str | None = None
    updated: datetime | None = None
    image: str | None = None
    authors: tuple[str, ...] = ()
    entries: tuple[ParsedEntry, ...] = ()
    hubs: tuple[str, ...] = ()
    self_url: str | None = None
    ttl: int | None = None
    encoding: str | None = None
    bozo: str | None = None  # why the document was not well-formed, if it was recovered


@dataclass(frozen=True)
class Article:
    """An article extracted from a page.

    `html` is sanitized (safe to show), `text` is plain text with paragraphs
    separated by blank lines. `error` is set, and the content empty, when the
    page held no article; extraction then says why rather than guessing.
    """

    url: str
    title: str | None = None
    html: str = ""
    text: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    modified: datetime | None = None
    image: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    description: str | None = None
    byline_problem: str | None = None
    error: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def word_count(self) -> int:
        return len(self.text.split())
