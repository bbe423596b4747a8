"""The values that flow between pipeline stages.

Every stage is a function from one of these to another, so they are frozen
dataclasses: a stage cannot change what an earlier stage produced, and the
same value can be handed to a process pool or a Celery task unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


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
