"""Feed documents written from plain values: RSS 2.0, Atom 1.0, JSON Feed 1.1.

Every output of syndic (a feed, a campaign, a search, the Full-Text-RSS
compatible endpoint) is a `FeedDocument` first and bytes last, so the three
formats carry the same facts: the cleaned full text, authors, dates, the
lead image (RSS `<enclosure>` + `media:content`, Atom `rel="enclosure"`,
JSON Feed `image`), the original's link and the story's copy count.

RSS and Atom are built with lxml rather than feedgen: syndic needs several
authors without e-mail addresses, its own namespace for the copy count and
the original's link, and an exact, predictable mapping that the round-trip
tests pin. lxml escapes every text node, so no input can break out of its
element; item HTML is sanitized again here, whatever the caller promised.

Sanitized at the writer (`safe_document`), whatever the caller built: text
fields (titles, descriptions, authors, categories) are plain text, HTML
fields go through the one allowlist sanitizer, and every URL is an absolute
http(s) one or left out. RSS readers (feedparser among them) read an item's
title, description, dc:creator and category as HTML, so in RSS those plain
texts are HTML-escaped (`_html_text`): a reader shows "<img onerror=…>" as
the text it is, never as an element. Atom says type="text"; JSON Feed's
fields are plain text by the spec.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from lxml import etree

from syndic.clean.sanitize import http_url, plain_text, sanitize_html
from syndic.clock import as_utc
from syndic.types import Enclosure

SYNDIC_NS = "https://syndic.dev/ns/1.0"
NAMESPACES = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "atom": "http://www.w3.org/2005/Atom",
    "media": "http://search.yahoo.com/mrss/",
    "syndic": SYNDIC_NS,
}
ATOM_NS = NAMESPACES["atom"]
GENERATOR = "syndic"

MEDIA_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


@dataclass(frozen=True)
class FeedItem:
    """One article as a feed item.

    `link` is where this copy lives, `original_url` the story's original
    (the same URL when this copy is the original). `summary` is plain text.
    """

    id: str
    title: str | None = None
    link: str | None = None
    content_html: str = ""
    summary: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    image: Enclosure | None = None
    categories: tuple[str, ...] = ()
    original_url: str | None = None
    copy_count: int | None = None
    language: str | None = None


@dataclass(frozen=True)
class FeedDocument:
    title: str
    link: str | None = None
    description: str | None = None
    self_url: str | None = None
    language: str | None = None
    updated: datetime | None = None
    items: tuple[FeedItem, ...] = field(default_factory=tuple)


def _html_text(text: str) -> str:
    """A plain text where RSS expects HTML: escaped, so markup in it is shown, not rendered."""
    return html.escape(text, quote=False)


def _text(value: str | None) -> str | None:
    return None if value is None else plain_text(value)


def _safe_item(item: FeedItem) -> FeedItem:
    image = item.image
    if image is not None:
        url = http_url(image.url)
        image = replace(image, url=url, type=plain_text(image.type) or None) if url else None
    return replace(
        item,
        title=_text(item.title),
        link=http_url(item.link),
        content_html=sanitize_html(item.content_html) if item.content_html else "",
        summary=_text(item.summary) or None,
        authors=tuple(a for a in (plain_text(x) for x in item.authors) if a),
        categories=tuple(c for c in (plain_text(x) for x in item.categories) if c),
        image=image,
        original_url=http_url(item.original_url),
        language=_text(item.language) or None,
    )


def safe_document(doc: FeedDocument) -> FeedDocument:
    """The document as it may be written: plain text, sanitized HTML, http(s) URLs (see the module doc)."""
    return replace(
        doc,
        title=plain_text(doc.title) or "syndic",
        link=http_url(doc.link),
        description=_text(doc.description) or None,
        self_url=http_url(doc.self_url),
        language=_text(doc.language) or None,
        items=tuple(_safe_item(item) for item in doc.items),
    )


def _utc(value: datetime) -> datetime:
    """Feed dates carry whole seconds."""
    return as_utc(value).replace(microsecond=0)


def _rfc822(value: datetime) -> str:
    return format_datetime(_utc(value))


def _iso(value: datetime) -> str:
    return _utc(value).isoformat().replace("+00:00", "Z")


def _xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters)."""
    return "".join(
        ch
        for ch in text
        if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd") or ch > "\uffff"
    )


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: _xml_safe(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _xml_safe(text)
    return element


def _q(prefix: str, name: str) -> str:
    return f"{{{NAMESPACES[prefix]}}}{name}"


def _document_updated(doc: FeedDocument) -> datetime:
    if doc.updated is not None:
        return doc.updated
    stamps = [item.updated or item.published for item in doc.items]
    present = [_utc(s) for s in stamps if s is not None]
    return max(present) if present else datetime(1970, 1, 1, tzinfo=UTC)


def write_rss(doc: FeedDocument) -> bytes:
    """RSS 2.0 with content:encoded, dc:creator, enclosure, media:content and syndic:* elements."""
    doc = safe_document(doc)
    nsmap = {k: v for k, v in NAMESPACES.items() if k != "dcterms"} | {"dcterms": NAMESPACES["dcterms"]}
    rss = etree.Element("rss", {"version": "2.0"}, nsmap=nsmap)
    channel = _sub(rss, "channel")
    _sub(channel, "title", _html_text(doc.title))
    _sub(channel, "link", doc.link or doc.self_url or "")
    _sub(channel, "description", _html_text(doc.description or doc.title))
    if doc.self_url:
        _sub(channel, _q("atom", "link"), rel="self", href=doc.self_url, type="application/rss+xml")
    if doc.language:
        _sub(channel, "language", doc.language)
    _sub(channel, "lastBuildDate", _rfc822(_document_updated(doc)))
    _sub(channel, "generator", GENERATOR)
    for item in doc.items:
        node = _sub(channel, "item")
        if item.title is not None:
            _sub(node, "title", _html_text(item.title))
        if item.link:
            _sub(node, "link", item.link)
        _sub(node, "guid", item.id, isPermaLink="false")
        if item.summary:
            _sub(node, "description", _html_text(item.summary))
        if item.content_html:
            _sub(node, _q("content", "encoded"), sanitize_html(item.content_html))
        for author in item.authors:
            _sub(node, _q("dc", "creator"), _html_text(author))
        if item.published is not None:
            _sub(node, "pubDate", _rfc822(item.published))
        if item.updated is not None:
            _sub(node, _q("dcterms", "modified"), _iso(item.updated))
        for category in item.categories:
            _sub(node, "category", _html_text(category))
        if item.image is not None:
            image_type = item.image.type or "image/jpeg"
            _sub(node, "enclosure", url=item.image.url, type=image_type, length=str(item.image.length or 0))
            _sub(node, _q("media", "content"), url=item.image.url, type=image_type, medium="image")
        if item.original_url:
            _sub(node, _q("syndic", "original"), item.original_url)
        if item.copy_count is not None:
            _sub(node, _q("syndic", "copies"), str(item.copy_count))
    return bytes(etree.tostring(rss, xml_declaration=True, encoding="utf-8"))


def write_atom(doc: FeedDocument) -> bytes:
    """Atom 1.0; the lead image is a `rel="enclosure"` link, the original a `rel="related"` link."""
    doc = safe_document(doc)
    nsmap: Any = {None: ATOM_NS, "syndic": SYNDIC_NS, "media": NAMESPACES["media"]}
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap=nsmap)
    a = f"{{{ATOM_NS}}}"
    _sub(feed, a + "id", doc.self_url or doc.link or f"urn:syndic:{doc.title}")
    _sub(feed, a + "title", doc.title)
    if doc.description:
        _sub(feed, a + "subtitle", doc.description, type="text")
    _sub(feed, a + "updated", _iso(_document_updated(doc)))
    if doc.link:
        _sub(feed, a + "link", rel="alternate", href=doc.link)
    if doc.self_url:
        _sub(feed, a + "link", rel="self", href=doc.self_url, type="application/atom+xml")
    _sub(feed, a + "generator", GENERATOR)
    # Atom wants an author for every entry; the feed's stands in for entries without a byline.
    _sub(_sub(feed, a + "author"), a + "name", doc.title)
    for item in doc.items:
        entry = _sub(feed, a + "entry")
        _sub(entry, a + "id", item.id)
        _sub(entry, a + "title", item.title or "", type="text")
        if item.link:
            _sub(entry, a + "link", rel="alternate", href=item.link, type="text/html")
        if item.original_url:
            _sub(entry, a + "link", rel="related", href=item.original_url, type="text/html")
        updated = item.updated or item.published
        _sub(entry, a + "updated", _iso(updated) if updated else _iso(_document_updated(doc)))
        if item.published is not None:
            _sub(entry, a + "published", _iso(item.published))
        for name in item.authors:
            author = _sub(entry, a + "author")
            _sub(author, a + "name", name)
        for category in item.categories:
            _sub(entry, a + "category", term=category)
        if item.summary:
            _sub(entry, a + "summary", item.summary, type="text")
        if item.content_html:
            _sub(entry, a + "content", sanitize_html(item.content_html), type="html")
        if item.image is not None:
            attrs = {"rel": "enclosure", "href": item.image.url, "type": item.image.type or "image/jpeg"}
            if item.image.length:
                attrs["length"] = str(item.image.length)
            _sub(entry, a + "link", **attrs)
        if item.original_url:
            _sub(entry, _q("syndic", "original"), item.original_url)
        if item.copy_count is not None:
            _sub(entry, _q("syndic", "copies"), str(item.copy_count))
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="utf-8"))


def json_feed_object(doc: FeedDocument) -> dict[str, Any]:
    """JSON Feed 1.1 as a dict; syndic's extra facts live under `_syndic` (the spec's extension rule)."""
    doc = safe_document(doc)
    out: dict[str, Any] = {"version": "https://jsonfeed.org/version/1.1", "title": doc.title}
    if doc.link:
        out["home_page_url"] = doc.link
    if doc.self_url:
        out["feed_url"] = doc.self_url
    if doc.description:
        out["description"] = doc.description
    if doc.language:
        out["language"] = doc.language
    items: list[dict[str, Any]] = []
    for item in doc.items:
        entry: dict[str, Any] = {"id": item.id}
        if item.link:
            entry["url"] = item.link
        if item.original_url and item.original_url != item.link:
            entry["external_url"] = item.original_url
        if item.title is not None:
            entry["title"] = item.title
        entry["content_html"] = sanitize_html(item.content_html) if item.content_html else ""
        if item.summary:
            entry["summary"] = item.summary
        if item.image is not None:
            entry["image"] = item.image.url
            entry["attachments"] = [
                {"url": item.image.url, "mime_type": item.image.type or "image/jpeg"}
                | ({"size_in_bytes": item.image.length} if item.image.length else {})
            ]
        if item.published is not None:
            entry["date_published"] = _iso(item.published)
        if item.updated is not None:
            entry["date_modified"] = _iso(item.updated)
        if item.authors:
            entry["authors"] = [{"name": name} for name in item.authors]
        if item.categories:
            entry["tags"] = list(item.categories)
        if item.language:
            entry["language"] = item.language
        extension: dict[str, Any] = {}
        if item.original_url:
            extension["original_url"] = item.original_url
        if item.copy_count is not None:
            extension["copy_count"] = item.copy_count
        if extension:
            entry["_syndic"] = extension
        items.append(entry)
    out["items"] = items
    return out


def write_json_feed(doc: FeedDocument) -> bytes:
    return json.dumps(json_feed_object(doc), ensure_ascii=False, indent=1).encode("utf-8")


WRITERS = {"rss": write_rss, "atom": write_atom, "json": write_json_feed}


def write_feed(doc: FeedDocument, fmt: str) -> tuple[bytes, str]:
    """The document in `fmt` ("rss", "atom" or "json") and its media type."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown feed format {fmt!r}; use rss, atom or json") from None
    return writer(doc), MEDIA_TYPES[fmt]
