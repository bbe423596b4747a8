"""Read the elements of one channel or one item, whatever vocabulary they use.

Real feeds mix vocabularies: RSS items carry `dc:creator`, `content:encoded`,
`atom:link` and `media:content`; Atom feeds carry Dublin Core dates. So RSS
and Atom share this one collector: it maps each child element, by namespace
and local name, onto the fields of `ParsedEntry` and `ParsedFeed`, with the
publisher's core element winning over a borrowed one. `rss.py` and `atom.py`
only find the channel and the items and name the version; Media RSS and
iTunes are read by `media.py`.

Values follow feedparser's where syndic models the field, because that is
what publishers test their feeds against: a repeated element's last value
wins, relative URLs (links, permalink GUIDs, Atom ids) are resolved against
`xml:base` or the document's address, and a title written as HTML keeps
its markup in `title_html` beside its plain text.

It reads text and attributes and nothing else: no URL is fetched, and the
HTML it keeps is the publisher's, unsanitized (`clean.sanitize` does that).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from lxml import etree

from syndic import bounds
from syndic.feeds import geo, media
from syndic.feeds.dates import parse_date
from syndic.feeds.markup import (
    absolutize_html,
    fix_mojibake,
    html_to_text,
    inner_markup,
    join_url,
    looks_like_html,
    normalize_html,
    text_of,
    title_markup,
)
from syndic.feeds.names import ATOM03, ATOM10, RDF, XML_LANG, element_key, key_of
from syndic.feeds.urls import allowed_url
from syndic.types import Category, Enclosure, Geo, Link, ParsedEntry, ParsedFeed, Source

__all__ = ["ATOM03", "ATOM10", "RDF", "XML_LANG", "Collector", "Fields", "atom_text", "key_of"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HTTP = re.compile(r"https?://", re.IGNORECASE)


def _content_kind(element: etree._Element) -> str:
    """'text', 'html' or 'xhtml': how an Atom text construct is written."""
    kind = (element.get("type") or "").lower()
    mode = (element.get("mode") or "").lower()
    if kind in ("html", "text/html"):
        return "html"
    if kind in ("xhtml", "application/xhtml+xml"):
        return "xhtml"
    if kind in ("", "text", "text/plain", "plain"):
        if mode == "escaped" and kind == "":
            return "html"
        if mode == "xml" or len(element):
            return "xhtml"
        return "text" if kind else ("text" if element.tag.startswith("{" + ATOM10) else "html")
    return "html" if mode == "escaped" else "other"


def _is_binary(element: etree._Element) -> bool:
    """Atom 1.0: a media type that is neither text nor XML means base64."""
    kind = (element.get("type") or "").lower()
    return (
        element.tag.startswith("{" + ATOM10)
        and not kind.startswith("text/")
        and not kind.endswith(("+xml", "/xml"))
        and len(element) == 0
    )


def _html_wrapped_in_div(element: etree._Element) -> str | None:
    """The escaped HTML of a `type="html"` construct that wraps it in an XHTML `<div>`.

    Some blog engines (TypePad) write `<content type="html"><div xmlns=...>
    Example &lt;b&gt;bold&lt;/b&gt;</div></content>`: the div is an XHTML
    wrapper, its text is the escaped HTML. Read literally, the reader would
    show the tags as text. Only a lone div holding nothing but text counts.
    """
    if (element.text or "").strip() or len(element) != 1:
        return None
    div = element[0]
    if len(div) or (div.tail or "").strip() or key_of(div.tag) not in ("xhtml:div", "div"):
        return None
    return div.text or ""


def atom_text(element: etree._Element, as_html: bool) -> str:
    """An Atom text construct (title, summary, content), as HTML or as written."""
    kind = _content_kind(element)
    mode = (element.get("mode") or "").lower()
    if mode == "base64" or (kind == "other" and _is_binary(element)):
        try:
            value = base64.b64decode(element.text or "").decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            value = element.text or ""
        return value
    if kind == "xhtml":
        children = [c for c in element if isinstance(c.tag, str)]
        if (
            len(children) == 1
            and element.tag.startswith("{" + ATOM10)
            and key_of(children[0].tag) in ("xhtml:div", "?:div", "div", "atom:div")
            and not (element.text or "").strip()
            and not (children[0].tail or "").strip()
        ):
            return inner_markup(children[0]).strip()
        return inner_markup(element).strip()
    if kind == "html" and len(element):
        wrapped = _html_wrapped_in_div(element)
        if wrapped is not None:
            return wrapped
    value = text_of(element)
    if kind == "text" and as_html:
        return _escape(value)
    return value


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _is_markup(element: etree._Element) -> bool:
    """Whether an Atom text construct holds HTML (html, xhtml, or base64 of HTML)."""
    kind = _content_kind(element)
    if kind in ("html", "xhtml"):
        return True
    return (element.get("mode") or "").lower() == "base64" and kind != "text"


class Fields:
    """What one channel or item says, gathered element by element."""

    __slots__ = (
        "about",
        "alt_description",
        "alt_title",
        "authors",
        "base",
        "categories",
        "comments",
        "content",
        "content_lang",
        "created",
        "description",
        "enclosures",
        "guid",
        "guid_is_link",
        "hubs",
        "image",
        "lang_in_effect",
        "language",
        "link",
        "links",
        "media",
        "orig_link",
        "podcast",
        "published",
        "self_url",
        "source",
        "summary",
        "summary_is_core",
        "title",
        "title_html",
        "ttl",
        "updated",
        "where",
    )  # fmt: skip

    def __init__(self, base: str | None) -> None:
        self.title: str | None = None
        self.title_html: str | None = None
        self.link: str | None = None
        self.links: list[Link] = []
        self.guid: str | None = None
        self.guid_is_link = False
        self.summary: str | None = None
        self.summary_is_core = False
        self.content: str | None = None
        self.content_lang: str | None = None
        self.authors: list[str] = []
        self.published: datetime | None = None
        self.updated: datetime | None = None
        self.created: datetime | None = None
        self.categories: list[Category] = []
        self.enclosures: list[Enclosure] = []
        self.comments: str | None = None
        self.description: str | None = None
        self.language: str | None = None
        self.lang_in_effect: str | None = None
        self.image: str | None = None
        self.hubs: list[str] = []
        self.self_url: str | None = None
        self.ttl: int | None = None
        self.base = base
        self.about: str | None = None
        self.alt_title: str | None = None
        self.alt_description: str | None = None
        self.orig_link: str | None = None
        self.media: media.MediaParts | None = None
        self.podcast: dict[str, Any] | None = None
        self.source: Source | None = None
        self.where: Geo | None = None


def _language_in_effect(element: etree._Element) -> str | None:
    """The `xml:lang` that applies to `element`: "" when one says "no language", None when none does."""
    node: etree._Element | None = element
    while node is not None:
        lang = node.get(XML_LANG)
        if lang is not None:
            return lang.strip().replace("_", "-")
        node = node.getparent()
    return None


class Collector:
    """Walks the children of a channel or item and fills a `Fields`."""

    def __init__(
        self, url: str | None, has_xml_base: bool, has_xml_lang: bool = False, default_lang: str | None = None
    ) -> None:
        self.url = url
        self.has_xml_base = has_xml_base
        self.has_xml_lang = has_xml_lang or default_lang is not None
        # The server's Content-Language: the language of a document that names none itself.
        self.default_lang = default_lang

    def base_of(self, element: etree._Element) -> str | None:
        """The URL relative references in `element` are relative to."""
        if self.has_xml_base:
            base = element.base
            if base:
                return join_url(self.url, str(base)) if self.url else str(base)
        return self.url

    def html(self, element: etree._Element, markup: str) -> str:
        """Publisher HTML with its relative URLs made absolute."""
        if not markup:
            return markup
        return normalize_html(fix_mojibake(absolutize_html(markup, self.base_of(element))))

    def resolve(self, element: etree._Element, url: str | None) -> str | None:
        """A URL from the document made absolute, or None when it is empty or not allowed."""
        if not url:
            return None
        url = url.strip()
        if not url:
            return None
        if not url.startswith(("http://", "https://")):
            base = self.base_of(element)
            if base:
                url = join_url(base, url)
        return allowed_url(url)

    def identifier(self, element: etree._Element, value: str) -> str:
        """An id or permalink GUID: resolved against the base when it is a relative reference."""
        if _SCHEME.match(value):
            return value
        base = self.base_of(element)
        return join_url(base, value) if base else value

    def collect(self, parent: etree._Element, skip: str = "") -> Fields:
        fields = Fields(self.base_of(parent) if self.has_xml_base else self.url)
        for child in parent:
            key = key_of(child.tag)
            if key[0] == "?":
                key = element_key(child)
            if key == skip:
                continue
            handler = _HANDLERS.get(key)
            if handler is not None:
                handler(self, fields, child)
        if self.has_xml_lang:
            found = _language_in_effect(parent)
            fields.lang_in_effect = (self.default_lang if found is None else found) or None
        return fields

    def entry(self, fields: Fields) -> ParsedEntry:
        link = fields.orig_link or fields.link
        if link is None and fields.guid_is_link and fields.guid and _HTTP.match(fields.guid):
            link = allowed_url(fields.guid)
        summary = fields.summary
        title = fields.title if fields.title is not None else fields.alt_title
        if title and not fields.title_html:
            title = fix_mojibake(title)
        parts = fields.media
        if summary is None and parts is not None and parts.description:
            summary = _escape(parts.description)
        return ParsedEntry(
            guid=fields.guid or fields.about,
            link=link,
            title=title,
            title_html=fields.title_html,
            summary_html=summary,
            content_html=fields.content,
            authors=tuple(dict.fromkeys(fields.authors)),
            published=fields.published or fields.created,
            updated=fields.updated,
            created=fields.created,
            categories=tuple(dict.fromkeys(fields.categories)),
            enclosures=tuple(dict.fromkeys(fields.enclosures)),
            comments_url=fields.comments,
            links=tuple(fields.links),
            language=fields.content_lang or fields.lang_in_effect or fields.language,
            media=parts.build() if parts is not None else None,
            podcast=media.build_podcast(fields.podcast),
            source=fields.source,
            where=fields.where,
        )

    def feed(
        self, fields: Fields, version: str, entries: list[ParsedEntry],
        encoding: str | None, bozo: str | None,
    ) -> ParsedFeed:  # fmt: skip
        title = fields.title if fields.title is not None else fields.alt_title
        podcast = media.build_podcast(fields.podcast)
        description = fields.description or fields.summary
        if description is None and podcast is not None and podcast.subtitle:
            description = _escape(podcast.subtitle)
        if description is None:
            description = fields.alt_description
        image = fields.image or (podcast.image if podcast is not None else None)
        return ParsedFeed(
            version=version,
            id=fields.guid,
            title=title,
            title_html=fields.title_html,
            link=fields.link,
            links=tuple(fields.links),
            description=description,
            language=fields.language or fields.lang_in_effect,
            updated=fields.updated or fields.published or fields.created,
            image=image,
            authors=tuple(dict.fromkeys(fields.authors)),
            categories=tuple(dict.fromkeys(fields.categories)),
            entries=tuple(entries),
            hubs=tuple(dict.fromkeys(fields.hubs)),
            self_url=fields.self_url,
            ttl=fields.ttl,
            encoding=encoding,
            bozo=bozo,
            podcast=podcast,
            created=fields.created,
        )


_Handler = Callable[[Collector, Fields, etree._Element], None]


def _title(c: Collector, f: Fields, e: etree._Element) -> None:
    """RSS `<title>`: plain text, unless the publisher plainly wrote HTML in it."""
    if len(e):
        value = inner_markup(e).strip()
        is_html = True
    else:
        value = (e.text or "").strip()
        is_html = looks_like_html(value)
    if is_html:
        f.title_html = title_markup(c.html(e, value))
        f.title = html_to_text(f.title_html)
    else:
        f.title_html = None
        f.title = value


def _atom_title(c: Collector, f: Fields, e: etree._Element) -> None:
    value = atom_text(e, as_html=False).strip()
    if _is_markup(e):
        f.title_html = title_markup(c.html(e, value))
        f.title = html_to_text(f.title_html)
    else:
        f.title_html = None
        f.title = value


def _dc_title(c: Collector, f: Fields, e: etree._Element) -> None:
    if f.alt_title is None:
        f.alt_title = text_of(e).strip()


def _link(c: Collector, f: Fields, e: etree._Element) -> None:
    if e.get("href") is not None:
        _atom_link(c, f, e)
    elif len(e) == 0 and e.text and e.text.strip():
        url = c.resolve(e, e.text)
        if url:
            f.link = url
            f.links.append(Link(url, "alternate", "text/html"))


def _atom_link(c: Collector, f: Fields, e: etree._Element) -> None:
    href = e.get("href")
    rel = (e.get("rel") or "alternate").strip()
    if rel.lower() in _KNOWN_RELS:
        rel = rel.lower()
    kind = e.get("type") or None
    if href is None:
        text = (e.text or "").strip()
        if not text:
            return
        url = c.resolve(e, text)
    elif href.strip():
        url = c.resolve(e, href)
    elif rel in ("alternate", "self"):
        # An empty reference is the base itself (RFC 3986 5.2): `rel="self" href=""`
        # names the feed. An empty enclosure, hub or replies link names nothing.
        url = c.base_of(e)
    else:
        return
    if not url:
        return
    length = _int(e.get("length"))
    f.links.append(Link(url, rel, kind, e.get("title") or None, length))
    if rel == "alternate":
        if f.link is None:
            f.link = url
    elif rel == "enclosure":
        f.enclosures.append(Enclosure(url, kind, length))
    elif rel == "hub":
        f.hubs.append(url)
    elif rel == "self":
        f.self_url = url
    elif rel == "replies" and f.comments is None and (kind or "text/html") == "text/html":
        f.comments = url


_KNOWN_RELS = frozenset({"alternate", "enclosure", "hub", "self", "replies", "related", "via", "license"})


def _guid(c: Collector, f: Fields, e: etree._Element) -> None:
    value = (e.text or "").strip()
    if not value:
        return
    f.guid_is_link = (e.get("isPermaLink") or "true").strip().lower() == "true"
    f.guid = c.identifier(e, value) if f.guid_is_link else value


def _atom_id(c: Collector, f: Fields, e: etree._Element) -> None:
    value = (e.text or "").strip()
    if value:
        f.guid = c.identifier(e, value)
        f.guid_is_link = True  # used as the link only when it is an http(s) URL


def _set_summary(f: Fields, value: str) -> None:
    """RSS `<description>` or `<summary>`: the first is the summary, a second one the content."""
    if f.summary_is_core:
        if f.content is None:
            f.content = value
        return
    f.summary = value
    f.summary_is_core = True
    if f.description is None:
        f.description = value


def _description(c: Collector, f: Fields, e: etree._Element) -> None:
    _set_summary(f, c.html(e, text_of(e).strip()))
    _note_lang(c, f, e)


def _summary(c: Collector, f: Fields, e: etree._Element) -> None:
    if e.get("type") is not None or e.get("mode") is not None or len(e):
        _set_summary(f, c.html(e, atom_text(e, as_html=True).strip()))
    else:
        _set_summary(f, c.html(e, text_of(e).strip()))
    _note_lang(c, f, e)


def _dc_description(c: Collector, f: Fields, e: etree._Element) -> None:
    if f.summary is None:
        f.summary = c.html(e, text_of(e).strip())


def _atom_summary(c: Collector, f: Fields, e: etree._Element) -> None:
    value = c.html(e, atom_text(e, as_html=True).strip())
    f.summary = value
    f.summary_is_core = True
    f.description = value
    _note_lang(c, f, e)


def _content_encoded(c: Collector, f: Fields, e: etree._Element) -> None:
    f.content = c.html(e, text_of(e).strip())
    _note_lang(c, f, e)


def _atom_content(c: Collector, f: Fields, e: etree._Element) -> None:
    src = e.get("src")
    if src is not None and not (e.text or "").strip() and len(e) == 0:
        if f.link is None:
            f.link = c.resolve(e, src)
        return
    f.content = c.html(e, atom_text(e, as_html=True).strip())
    _note_lang(c, f, e)


def _note_lang(c: Collector, f: Fields, e: etree._Element) -> None:
    """The language of the text the reader will show: its own `xml:lang` comes first."""
    if c.has_xml_lang and f.content_lang is None:
        lang = e.get(XML_LANG)
        if lang is not None and lang.strip():
            f.content_lang = lang.strip().replace("_", "-")


def _date_into(attribute: str, override: bool) -> _Handler:
    def handler(c: Collector, f: Fields, e: etree._Element) -> None:
        if override or getattr(f, attribute) is None:
            value = parse_date(e.text)
            if value is not None:
                setattr(f, attribute, value)

    return handler


def _dc_date(c: Collector, f: Fields, e: etree._Element) -> None:
    value = parse_date(e.text)
    if value is None:
        return
    if f.updated is None:
        f.updated = value
    if f.published is None:
        f.published = value


def _author(c: Collector, f: Fields, e: etree._Element) -> None:
    if len(e):
        _atom_author(c, f, e)
        return
    value = (e.text or "").strip()
    if value:
        f.authors.append(value)


def _atom_author(c: Collector, f: Fields, e: etree._Element) -> None:
    name = email = None
    for child in e:
        key = key_of(child.tag)
        if key.endswith(":name") or key == "name":
            name = (child.text or "").strip() or None
        elif key.endswith(":email") or key == "email":
            email = (child.text or "").strip() or None
    if name and email:
        f.authors.append(f"{name} ({email})")
    elif name or email:
        f.authors.append(name or email or "")


def _category(c: Collector, f: Fields, e: etree._Element) -> None:
    """RSS `<category domain=...>` and Dublin Core `dc:subject`."""
    term = (e.text or "").strip()
    if term:
        f.categories.append(Category(term, (e.get("domain") or "").strip() or None))


def _atom_category(c: Collector, f: Fields, e: etree._Element) -> None:
    term = (e.get("term") or "").strip()
    label = (e.get("label") or "").strip() or None
    if not term and e.get("term") is None:
        term = (e.text or "").strip()
    if term or label:
        f.categories.append(Category(term or label or "", (e.get("scheme") or "").strip() or None, label))


def _enclosure(c: Collector, f: Fields, e: etree._Element) -> None:
    url = c.resolve(e, e.get("url") or e.get("href"))
    if url:
        kind = e.get("type") or None
        length = _int(e.get("length"))
        f.enclosures.append(Enclosure(url, kind, length))
        f.links.append(Link(url, "enclosure", kind, None, length))


def _comments(c: Collector, f: Fields, e: etree._Element) -> None:
    f.comments = c.resolve(e, e.text)


def _language(c: Collector, f: Fields, e: etree._Element) -> None:
    if f.language is None and e.text and e.text.strip():
        f.language = e.text.strip().replace("_", "-")


def _image(c: Collector, f: Fields, e: etree._Element) -> None:
    if f.image is not None:
        return
    href = e.get("href") or e.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource")
    if href:
        f.image = c.resolve(e, href)
        return
    for child in e:
        if key_of(child.tag) == "url":
            f.image = c.resolve(child, child.text)
            return
    if len(e) == 0 and e.text and e.text.strip():
        f.image = c.resolve(e, e.text)


def _ttl(c: Collector, f: Fields, e: etree._Element) -> None:
    f.ttl = _int(e.text)


def _subtitle(c: Collector, f: Fields, e: etree._Element) -> None:
    f.description = c.html(e, atom_text(e, as_html=True).strip())


def _source(c: Collector, f: Fields, e: etree._Element) -> None:
    """RSS `<source url="feed">Its title</source>`, or Atom's `<source>` holding the feed's metadata."""
    url = c.resolve(e, e.get("url"))
    if len(e) == 0:
        f.source = Source(title=(e.text or "").strip() or None, url=url)
        return
    inner = c.collect(e)
    f.source = Source(
        title=inner.title if inner.title is not None else inner.alt_title,
        link=inner.link,
        url=url or inner.self_url,
        id=inner.guid,
        updated=inner.updated,
    )


def _orig_link(c: Collector, f: Fields, e: etree._Element) -> None:
    """FeedBurner's `origLink`: the article's own address behind its feedproxy redirect."""
    url = c.resolve(e, e.text)
    if url:
        f.orig_link = url


def _browser_friendly(c: Collector, f: Fields, e: etree._Element) -> None:
    """FeedBurner's note to people who open the feed in a browser: a description of last resort."""
    if f.alt_description is None:
        f.alt_description = _escape((e.text or "").strip()) or None


def _atom_info(c: Collector, f: Fields, e: etree._Element) -> None:
    """Atom 0.3's `<info>`, a note for people who open the feed: a description of last resort."""
    f.alt_description = c.html(e, atom_text(e, as_html=True).strip()) or None


def _int(value: str | None) -> int | None:
    """A size or a count as the feed wrote it, read and clamped by `syndic.bounds` (None if unreadable)."""
    return bounds.count(value, upper=bounds.MAX_INT32)


_HANDLERS: dict[str, _Handler] = {
    "title": _title,
    "atom:title": _atom_title,
    "dc:title": _dc_title,
    "link": _link,
    "atom:link": _atom_link,
    "guid": _guid,
    "atom:id": _atom_id,
    "id": _atom_id,
    "media:title": _dc_title,
    "itunes:summary": _dc_description,
    "updated": _date_into("updated", False),
    "published": _date_into("published", False),
    "description": _description,
    "summary": _summary,
    "dc:description": _dc_description,
    "atom:summary": _atom_summary,
    "atom:content": _atom_content,
    "content:encoded": _content_encoded,
    "xhtml:body": _content_encoded,
    "body": _content_encoded,
    "fullitem": _content_encoded,
    "pubdate": _date_into("published", True),
    "atom:published": _date_into("published", True),
    "atom:issued": _date_into("published", True),
    "dcterms:issued": _date_into("published", False),
    "dcterms:created": _date_into("created", True),
    "atom:created": _date_into("created", True),
    "lastbuilddate": _date_into("updated", True),
    "atom:updated": _date_into("updated", True),
    "atom:modified": _date_into("updated", True),
    "dcterms:modified": _date_into("updated", False),
    "dc:date": _dc_date,
    "author": _author,
    "managingeditor": _author,
    "atom:author": _atom_author,
    "dc:creator": _author,
    "dc:contributor": lambda c, f, e: None,
    "category": _category,
    "atom:category": _atom_category,
    "dc:subject": _category,
    "enclosure": _enclosure,
    "comments": _comments,
    "language": _language,
    "dc:language": _language,
    "image": _image,
    "atom:logo": _image,
    "atom:icon": _image,
    "ttl": _ttl,
    "atom:subtitle": _subtitle,
    "atom:tagline": _subtitle,
    "source": _source,
    "atom:source": _source,
    "atom:info": _atom_info,
    "feedburner:origLink": _orig_link,
    "feedburner:browserFriendly": _browser_friendly,
    **media.HANDLERS,
    **geo.HANDLERS,
}
