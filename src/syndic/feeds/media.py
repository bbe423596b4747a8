"""Media RSS and iTunes: the pictures, media and podcast details a reader shows.

Media RSS (`media:` — Yahoo's vocabulary, used by news sites, YouTube,
Flickr) gives an entry its thumbnails, its media files, who made them
(`media:credit`), a caption and a rating; `media:group` bundles the
alternatives of one media object, and a `media:content` may carry its own
thumbnail and credits. The iTunes vocabulary (`itunes:`) gives a podcast
and each episode an image, a duration, an author, an explicit flag and
directory categories.

Values are read as feedparser reads them where both model a field:
`media:category` without a scheme gets Media RSS's default scheme, iTunes
categories and keywords become categories in the scheme
`http://www.itunes.com/`, and only the value "Yes" blocks a show (Apple's
rule). `itunes:explicit` is read leniently, in any case and with spaces:
"yes", "true" and "explicit" say explicit, "no", "false" and "clean" say
not; anything else says nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lxml import etree

from syndic import bounds
from syndic.feeds.markup import html_to_text
from syndic.feeds.names import element_key
from syndic.types import Category, Chapter, Credit, Enclosure, Media, MediaObject, Podcast

if TYPE_CHECKING:
    from syndic.feeds.elements import Collector, Fields

MEDIA_CATEGORY_SCHEME = "http://search.yahoo.com/mrss/category_schema"
ITUNES_SCHEME = "http://www.itunes.com/"
_EXPLICIT = {"yes": True, "true": True, "explicit": True, "no": False, "false": False, "clean": False}


class MediaParts:
    """Media RSS elements of one item, gathered before they become a frozen `Media`."""

    __slots__ = ("contents", "credits", "description", "license", "player", "rating", "thumbnails")

    def __init__(self) -> None:
        self.thumbnails: list[MediaObject] = []
        self.contents: list[MediaObject] = []
        self.credits: list[Credit] = []
        self.description: str | None = None
        self.rating: str | None = None
        self.license: str | None = None
        self.player: str | None = None

    def build(self) -> Media:
        return Media(
            thumbnails=tuple(dict.fromkeys(self.thumbnails)),
            contents=tuple(dict.fromkeys(self.contents)),
            credits=tuple(dict.fromkeys(self.credits)),
            description=self.description,
            rating=self.rating,
            license=self.license,
            player=self.player,
        )


def build_podcast(parts: dict[str, Any] | None) -> Podcast | None:
    return Podcast(**parts) if parts else None


def _parts(f: Fields) -> MediaParts:
    if f.media is None:
        f.media = MediaParts()
    return f.media


def _podcast(f: Fields) -> dict[str, Any]:
    if f.podcast is None:
        f.podcast = {}
    return f.podcast


def _number(value: str | None) -> int | None:
    """A width, height or file size, read and clamped by `syndic.bounds`."""
    return bounds.count(value, upper=bounds.MAX_INT32)


def _seconds(value: str | None) -> float | None:
    """A media duration in seconds ("30", "12.5"), clamped by `syndic.bounds`."""
    return bounds.seconds(value)


def _text(e: etree._Element) -> str | None:
    return (e.text or "").strip() or None


def _object(c: Collector, e: etree._Element) -> MediaObject | None:
    url = c.resolve(e, e.get("url") or (e.text if len(e) == 0 else None))
    if not url:
        return None
    return MediaObject(
        url=url,
        type=(e.get("type") or "").strip() or None,
        medium=(e.get("medium") or "").strip().lower() or None,
        width=_number(e.get("width")),
        height=_number(e.get("height")),
        duration_s=_seconds(e.get("duration")),
        file_size=_number(e.get("fileSize")),
    )


def _media_content(c: Collector, f: Fields, e: etree._Element) -> None:
    item = _object(c, e)
    if item is not None:
        _parts(f).contents.append(item)
        if all(enclosure.url != item.url for enclosure in f.enclosures):
            f.enclosures.append(Enclosure(item.url, item.type, item.file_size))
    _media_children(c, f, e)


def _media_children(c: Collector, f: Fields, e: etree._Element) -> None:
    """What `media:group` bundles, and what a `media:content` says about itself."""
    for child in e:
        key = element_key(child)
        if key.startswith("media:"):
            handler = HANDLERS.get(key)
            if handler is not None:
                handler(c, f, child)


def _thumbnail(c: Collector, f: Fields, e: etree._Element) -> None:
    item = _object(c, e)
    if item is not None:
        _parts(f).thumbnails.append(item)


def _credit(c: Collector, f: Fields, e: etree._Element) -> None:
    name = _text(e)
    if name:
        role = (e.get("role") or "").strip().lower() or None
        _parts(f).credits.append(Credit(name, role, (e.get("scheme") or "").strip() or None))


def _media_description(c: Collector, f: Fields, e: etree._Element) -> None:
    value = _text(e)
    if value:
        if (e.get("type") or "").strip().lower() == "html":
            value = html_to_text(value)
        _parts(f).description = value


def _rating(c: Collector, f: Fields, e: etree._Element) -> None:
    value = _text(e)
    if value:
        _parts(f).rating = value


def _license(c: Collector, f: Fields, e: etree._Element) -> None:
    value = c.resolve(e, e.get("href")) or _text(e)
    if value:
        _parts(f).license = value


def _player(c: Collector, f: Fields, e: etree._Element) -> None:
    url = c.resolve(e, e.get("url"))
    if url:
        _parts(f).player = url


def _media_category(c: Collector, f: Fields, e: etree._Element) -> None:
    term = _text(e)
    if term:
        scheme = (e.get("scheme") or "").strip() or MEDIA_CATEGORY_SCHEME
        f.categories.append(Category(term, scheme, (e.get("label") or "").strip() or None))


def _itunes_image(c: Collector, f: Fields, e: etree._Element) -> None:
    url = c.resolve(e, e.get("href") or e.get("url"))
    if url is None:
        for child in e:
            if element_key(child) in ("url", "itunes:url"):
                url = c.resolve(child, child.text)
                break
        else:
            url = c.resolve(e, e.text if len(e) == 0 else None)
    if url:
        _podcast(f)["image"] = url


def _itunes_link(c: Collector, f: Fields, e: etree._Element) -> None:
    if (e.get("rel") or "").strip().lower() == "image":
        url = c.resolve(e, e.get("href"))
        if url:
            _podcast(f)["image"] = url


def _itunes_duration(c: Collector, f: Fields, e: etree._Element) -> None:
    value = _text(e)
    if value:
        _podcast(f)["duration"] = value


def _itunes_author(c: Collector, f: Fields, e: etree._Element) -> None:
    value = _text(e)
    if value:
        _podcast(f)["author"] = value
        if not f.authors:
            f.authors.append(value)


def _itunes_explicit(c: Collector, f: Fields, e: etree._Element) -> None:
    _podcast(f)["explicit"] = _EXPLICIT.get((e.text or "").strip().lower())


def _itunes_block(c: Collector, f: Fields, e: etree._Element) -> None:
    _podcast(f)["block"] = (e.text or "") in ("Yes", "yes")


def _itunes_subtitle(c: Collector, f: Fields, e: etree._Element) -> None:
    value = _text(e)
    if value:
        _podcast(f)["subtitle"] = value


def _itunes_owner(c: Collector, f: Fields, e: etree._Element) -> None:
    for child in e:
        key = element_key(child)
        if key.endswith("name"):
            _podcast(f)["owner_name"] = _text(child)
        elif key.endswith("email"):
            _podcast(f)["owner_email"] = _text(child)


def _itunes_episode_type(c: Collector, f: Fields, e: etree._Element) -> None:
    value = _text(e)
    if value:
        _podcast(f)["episode_type"] = value.lower()


def _itunes_category(c: Collector, f: Fields, e: etree._Element) -> None:
    term = (e.get("text") or "").strip()
    if term:
        f.categories.append(Category(term, ITUNES_SCHEME))
    for child in e:
        if element_key(child) == "itunes:category":
            _itunes_category(c, f, child)


def _itunes_keywords(c: Collector, f: Fields, e: etree._Element) -> None:
    for word in (e.text or "").split(","):
        word = word.strip()
        if word:
            f.categories.append(Category(word, ITUNES_SCHEME))


def _clock(value: str | None) -> float | None:
    """Podlove's normal play time: "SS", "MM:SS" or "HH:MM:SS", with optional ".mmm"."""
    parts = (value or "").strip().split(":")
    if not 1 <= len(parts) <= 3:
        return None
    seconds = 0.0
    for part in parts[:-1]:
        if not part.isdigit():
            return None
        seconds = seconds * 60 + int(part)
    last = bounds.seconds(parts[-1], upper=60.0 if len(parts) > 1 else bounds.MAX_DELAY_SECONDS)
    return None if last is None else seconds * 60 + last if len(parts) > 1 else last


def _chapters(c: Collector, f: Fields, e: etree._Element) -> None:
    """`psc:chapters`: an episode's chapter marks. Only the first such element counts (the spec's rule)."""
    podcast = _podcast(f)
    if podcast.get("chapters"):
        return
    chapters = []
    for child in e:
        if element_key(child) != "psc:chapter":
            continue
        start = _clock(child.get("start"))
        title = (child.get("title") or "").strip()
        if start is None or not title:
            continue
        chapters.append(Chapter(start, title, c.resolve(child, child.get("href")), c.resolve(child, child.get("image"))))
    podcast["chapters"] = tuple(chapters[:1000])


_Handler = Callable[["Collector", "Fields", etree._Element], None]

HANDLERS: dict[str, _Handler] = {
    "media:content": _media_content,
    "media:group": _media_children,
    "media:thumbnail": _thumbnail,
    "media:credit": _credit,
    "media:description": _media_description,
    "media:rating": _rating,
    "media:license": _license,
    "media:player": _player,
    "media:category": _media_category,
    "itunes:image": _itunes_image,
    "itunes:link": _itunes_link,
    "itunes:duration": _itunes_duration,
    "itunes:author": _itunes_author,
    "itunes:explicit": _itunes_explicit,
    "itunes:block": _itunes_block,
    "itunes:subtitle": _itunes_subtitle,
    "itunes:owner": _itunes_owner,
    "itunes:episodeType": _itunes_episode_type,
    "itunes:category": _itunes_category,
    "itunes:keywords": _itunes_keywords,
    "psc:chapters": _chapters,
}
