"""The values that flow between pipeline stages, and the rows the store hands back.

Every stage is a function from one of these to another, so they are frozen
dataclasses: a stage cannot change what an earlier stage produced, and the
same value can be handed to a process pool or a Celery task unchanged.

The row types at the end (Feed, Entry, StoredArticle, ArticleRevision, Story)
are what `syndic.store` returns instead of SQLAlchemy rows, so
a renamed column is a type error, not an AttributeError at run time. Their
fields are the table's columns, in the table's order (tests/store/test_row_types.py
pins both), which lets the store build one from a row positionally: the poller
and the extractor read thousands of rows a second.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, Self, TypeVar


@dataclass(frozen=True)
class Enclosure:
    """A media file attached to an entry (podcast audio, a lead image)."""

    url: str
    type: str | None = None
    length: int | None = None


@dataclass(frozen=True)
class Link:
    """One typed link of a feed or entry, as Atom writes them (`rel`, `type`, `title`).

    `rel` is "alternate" (the page), "enclosure", "related", "replies",
    "self", "hub", "via" or any other the publisher wrote.
    """

    href: str
    rel: str = "alternate"
    type: str | None = None
    title: str | None = None
    length: int | None = None


@dataclass(frozen=True)
class Category:
    """A category, tag or keyword: its term, the vocabulary it belongs to, a label to show."""

    term: str
    scheme: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class MediaObject:
    """A Media RSS `media:content` or `media:thumbnail`: a picture, video or sound."""

    url: str
    type: str | None = None
    medium: str | None = None  # image | audio | video | document | executable
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    file_size: int | None = None


@dataclass(frozen=True)
class Credit:
    """A Media RSS `media:credit`: who made the media, in which role."""

    name: str
    role: str | None = None
    scheme: str | None = None


@dataclass(frozen=True)
class Media:
    """What Media RSS says about an entry (or feed): pictures, media files, credits.

    `description` is the media's caption (plain text); `rating` is
    `media:rating` ("adult", "nonadult", or a scheme's value); `player` the
    URL of an embeddable player.
    """

    thumbnails: tuple[MediaObject, ...] = ()
    contents: tuple[MediaObject, ...] = ()
    credits: tuple[Credit, ...] = ()
    description: str | None = None
    rating: str | None = None
    license: str | None = None
    player: str | None = None


@dataclass(frozen=True)
class Chapter:
    """A chapter mark of an episode (Podlove Simple Chapters): where it starts, what it is called."""

    start_s: float
    title: str
    href: str | None = None
    image: str | None = None


@dataclass(frozen=True)
class Podcast:
    """What the iTunes podcast vocabulary says about a feed or an episode.

    `duration` is kept as written ("3:00", "1:02:03", "3600") and read by
    `duration_s`. `explicit` is None when the publisher did not say (or
    said something that is neither yes/true/explicit nor no/false/clean).
    `block` follows Apple: only "Yes" hides the show from directories.
    """

    image: str | None = None
    duration: str | None = None
    author: str | None = None
    explicit: bool | None = None
    block: bool = False
    subtitle: str | None = None
    owner_name: str | None = None
    owner_email: str | None = None
    episode_type: str | None = None
    chapters: tuple[Chapter, ...] = ()

    @property
    def duration_s(self) -> int | None:
        """The duration in seconds: "SS", "MM:SS" or "HH:MM:SS" (fractions dropped)."""
        if not self.duration:
            return None
        total = 0
        parts = self.duration.strip().split(":")
        if len(parts) > 3:
            return None
        for part in parts:
            head = part.strip().split(".", 1)[0]
            if not head.isdigit():
                return None
            total = total * 60 + int(head)
        return total


Position = tuple[float, ...]


@dataclass(frozen=True)
class Geo:
    """Where an entry is about (GeoRSS), as GeoJSON writes it: longitude first.

    `kind` is "Point" (`coordinates` is one position), "LineString" or
    "Box" (a tuple of positions: a box is its two corners), or "Polygon" (a
    tuple of rings, each a tuple of positions).
    """

    kind: str
    coordinates: Position | tuple[Position, ...] | tuple[tuple[Position, ...], ...]


@dataclass(frozen=True)
class Source:
    """The feed an entry was first published in, when it was copied from another (RSS/Atom `source`)."""

    title: str | None = None
    link: str | None = None
    url: str | None = None  # the source feed's own address
    id: str | None = None
    updated: datetime | None = None


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
    categories: tuple[Category, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()
    comments_url: str | None = None
    # The title as HTML when the publisher wrote markup in it (Atom type="html"
    # or "xhtml", RSS titles with tags); `title` is always its plain text.
    title_html: str | None = None
    created: datetime | None = None
    links: tuple[Link, ...] = ()
    language: str | None = None
    media: Media | None = None
    podcast: Podcast | None = None
    source: Source | None = None
    where: Geo | None = None

    @property
    def key(self) -> str | None:
        """The identity of the entry within its feed: GUID, else link."""
        return self.guid or self.link

    @property
    def terms(self) -> tuple[str, ...]:
        """The category terms, without their schemes and labels."""
        return tuple(dict.fromkeys(c.term for c in self.categories))

    @property
    def image(self) -> str | None:
        """The picture a reader shows beside the entry, from what the feed says.

        Media RSS thumbnail first, then an image `media:content`, the
        episode's iTunes image, and an image enclosure.
        """
        media = self.media
        if media is not None:
            if media.thumbnails:
                return media.thumbnails[0].url
            for item in media.contents:
                if item.medium == "image" or (item.type or "").startswith("image/"):
                    return item.url
        if self.podcast is not None and self.podcast.image:
            return self.podcast.image
        for enclosure in self.enclosures:
            if (enclosure.type or "").startswith("image/"):
                return enclosure.url
        return None


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
    id: str | None = None  # Atom's feed id: the feed's identity when its address changes
    title_html: str | None = None
    links: tuple[Link, ...] = ()
    categories: tuple[Category, ...] = ()
    podcast: Podcast | None = None
    created: datetime | None = None


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


class Fetched(Protocol):
    """What a fetch gives back (syndic.net.FetchResult is one): the extraction path and the
    Full-Text RSS service both take any fetch that answers this way, so tests and archives can
    hand pages in without the network."""

    @property
    def final_url(self) -> str: ...
    @property
    def body(self) -> bytes: ...
    @property
    def content_type(self) -> str | None: ...


Fetch = Callable[[str], Awaitable[Fetched]]
"""A URL in, its page out (the guarded client, with or without robots.txt)."""


# --- rows of the store (syndic.store returns these; see the module docstring) ---

_R = TypeVar("_R")


def _row(cls: type[_R], values: Iterable[Any]) -> _R:
    """A row type from its column values, in field order, without running its `__init__`.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`:
    for a 23-column entry that is four times the cost of filling its `__dict__`,
    and the poller and the extractor build thousands a second. The row types have
    no defaults and no `__post_init__`, so nothing is skipped; `strict` refuses a
    row with more or fewer columns than fields.
    """
    row = object.__new__(cls)
    row.__dict__.update(zip(cls.__match_args__, values, strict=True))  # type: ignore[attr-defined]
    return row


@dataclass(frozen=True)
class Feed:
    """A subscription and its polling and WebSub state: one row of `feeds`."""

    id: int
    url: str
    title: str | None
    site_url: str | None
    description: str | None
    language: str | None
    image: str | None
    version: str | None
    category: str | None  # the OPML folder
    etag: str | None
    last_modified: str | None
    state: str  # new | ok | error
    last_error: str | None
    error_count: int
    last_status: int | None
    last_checked_at: datetime | None
    last_success_at: datetime | None
    next_check_at: datetime | None
    ttl_minutes: int | None
    hub_url: str | None
    websub_secret: str | None
    websub_lease_until: datetime | None
    websub_topic: str | None
    websub_state: str | None  # None | subscribed | denied | error
    websub_pending: str | None
    websub_requested_at: datetime | None
    websub_error: str | None
    last_push_at: datetime | None
    public: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: Iterable[Any]) -> Self:
        """A `select(feeds)` row (its columns are the fields, in order)."""
        return _row(cls, row)


def _enclosure(value: Mapping[str, Any]) -> Enclosure:
    return Enclosure(url=value["url"], type=value.get("type"), length=value.get("length"))


@dataclass(frozen=True)
class Entry:
    """One item of a feed as stored, and its extraction state: one row of `entries`.

    `summary` and `content` are the publisher's HTML, sanitized. `details` is
    what `store.entries.entry_details` kept beyond the columns (title_html,
    media, podcast, source, where), as JSON.
    """

    id: int
    feed_id: int
    key: str
    guid: str | None
    link: str | None
    title: str | None
    summary: str | None
    content: str | None
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    enclosures: tuple[Enclosure, ...]
    published: datetime | None
    updated: datetime | None
    language: str | None
    image: str | None
    comments_url: str | None
    details: dict[str, Any] | None
    first_seen_at: datetime
    extract_state: str  # see syndic/retry.py
    extract_error: str | None
    extract_attempts: int
    extract_next_at: datetime | None
    article_id: int | None

    @classmethod
    def from_row(cls, row: Iterable[Any]) -> Self:
        """A `select(entries)` row; the JSON lists become tuples (and enclosures Enclosures)."""
        values = list(row)
        values[8] = tuple(values[8] or ())  # authors
        values[9] = tuple(values[9] or ())  # categories
        values[10] = tuple(map(_enclosure, values[10] or ()))
        return _row(cls, values)


@dataclass(frozen=True)
class StoredArticle:
    """An article as the store keeps it: one row of `articles`.

    Not `Article`: that name is the *extracted* article, the value the
    extraction stages produce and `store.articles.record_article` takes (no
    id, no story, an `error` when the page held none). This is what the store
    made of it: its identity (`id`, the dedupe key `url_key`), its revision,
    its MinHash signature and the story it belongs to. Keeping the two apart
    keeps the extraction API unchanged and says which one a function wants.
    """

    id: int
    url: str
    url_key: str
    canonical_url: str | None
    from_feed: bool
    fetched_url: str | None
    title: str | None
    html: str
    text: str
    authors: tuple[str, ...]
    published: datetime | None
    modified: datetime | None
    image: str | None
    language: str | None
    site_name: str | None
    description: str | None
    byline_problem: str | None
    word_count: int
    is_excerpt: bool
    content_hash: str | None
    revision: int
    signature: bytes | None
    story_id: int | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Iterable[Any]) -> Self:
        """A `select(articles)` row; the JSON author list becomes a tuple."""
        values = list(row)
        values[9] = tuple(values[9] or ())  # authors
        return _row(cls, values)


@dataclass(frozen=True)
class ArticleRevision:
    """One version of an article's text: one row of `article_revisions`."""

    id: int
    article_id: int
    revision: int
    title: str | None
    html: str
    text: str
    content_hash: str | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: Iterable[Any]) -> Self:
        """A `select(article_revisions)` row."""
        return _row(cls, row)


@dataclass(frozen=True)
class Story:
    """Articles that are copies of one another, and the one elected original: one row of `stories`."""

    id: int
    original_article_id: int | None
    title: str | None
    copy_count: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Iterable[Any]) -> Self:
        """A `select(stories)` row."""
        return _row(cls, row)
