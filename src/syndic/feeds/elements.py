"""Read the elements of one channel or one item, whatever vocabulary they use.

Real feeds mix vocabularies: RSS items carry `dc:creator`, `content:encoded`,
`atom:link` and `media:content`; Atom feeds carry Dublin Core dates. So RSS
and Atom share this one collector: it maps each child element, by namespace
and local name, onto the fields of `ParsedEntry` and `ParsedFeed`, with the
publisher's core element winning over a borrowed one. `rss.py` and `atom.py`
only find the channel and the items and name the version.

It reads text and attributes and nothing else: no URL is fetched, and the
HTML it keeps is the publisher's, unsanitized (`clean.sanitize` does that).
"""

from __future__ import annotations

import base64
import binascii
import html
from collections.abc import Callable
from datetime import datetime
from typing import Any

from lxml import etree

from syndic import bounds
from syndic.feeds.dates import parse_date
from syndic.feeds.markup import absolutize_html, fix_mojibake, html_to_text, inner_markup, join_url, text_of
from syndic.types import Enclosure, ParsedEntry, ParsedFeed

ATOM10 = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS10 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
XHTML = "http://www.w3.org/1999/xhtml"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Namespace → the prefix the collector knows it by; "" is core RSS.
_PREFIXES = {
    "": "",
    RSS10: "",
    RSS090: "",
    "http://backend.userland.com/rss2": "",
    "http://blogs.law.harvard.edu/tech/rss": "",
    "http://backend.userland.com/rss": "",
    "http://backend.userland.com/rss2.1": "",
    ATOM10: "atom:",
    ATOM03: "atom:",
    "http://purl.org/dc/elements/1.1/": "dc:",
    "http://purl.org/dc/elements/1.0/": "dc:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://purl.org/rss/1.0/modules/content/": "content:",
    "http://search.yahoo.com/mrss/": "media:",
    "http://search.yahoo.com/mrss": "media:",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes:",
    "http://www.itunes.com/DTDs/Podcast-1.0.dtd": "itunes:",
    RDF: "rdf:",
    XHTML: "xhtml:",
    "http://purl.org/rss/1.0/modules/slash/": "slash:",
    # Pre-standard names of Atom, still found in archived feeds.
    "http://example.com/newformat#": "atom:",
    "http://example.com/necho": "atom:",
    "http://purl.org/echo/": "atom:",
    "http://purl.org/pie/": "atom:",
    "http://wellformedweb.org/CommentAPI/": "wfw:",
}
_keys: dict[str, str] = {}


def key_of(tag: Any) -> str:
    """`{namespace}local` → `prefix:local` for the namespaces we read."""
    if not isinstance(tag, str):
        return "#"  # comments and processing instructions
    key = _keys.get(tag)
    if key is None:
        if tag[0] == "{":
            namespace, local = tag[1:].split("}", 1)
        else:
            namespace, local = "", tag
        prefix = _PREFIXES.get(namespace)
        if prefix is None:
            prefix = _PREFIXES.get(namespace.rstrip("/") + "/", "?:")
        key = prefix + local.lower() if prefix == "" else prefix + local
        if len(_keys) < 4096:
            _keys[tag] = key
    return key


def _content_kind(element: etree._Element) -> str:
    """'text', 'html' or 'xhtml': how an Atom text construct is written."""
    kind = (element.get("type") or "").lower()
    mode = (element.get("mode") or "").lower()
    if kind in ("html", "text/html"):
        return "html"
    if kind in ("xhtml", "application/xhtml+xml"):
        return "xhtml"
    if kind in ("", "text", "text/plain"):
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
            and key_of(children[0].tag) in ("xhtml:div", "?:div", "div")
            and not (element.text or "").strip()
        ):
            return inner_markup(children[0]).strip()
        return inner_markup(element).strip()
    if kind == "html" and len(element):
        wrapped = _html_wrapped_in_div(element)
        if wrapped is not None:
            return wrapped
    value = text_of(element)
    if kind == "text" and as_html:
        return html.escape(value, quote=False)
    return value


class Fields:
    """What one channel or item says, gathered element by element."""

    __slots__ = (
        "about",
        "alt_title",
        "authors",
        "base",
        "categories",
        "comments",
        "content",
        "description",
        "enclosures",
        "guid",
        "guid_is_link",
        "hubs",
        "image",
        "language",
        "link",
        "published",
        "self_url",
        "summary",
        "title",
        "ttl",
        "updated",
    )  # fmt: skip

    def __init__(self, base: str | None) -> None:
        self.title: str | None = None
        self.link: str | None = None
        self.guid: str | None = None
        self.guid_is_link = False
        self.summary: str | None = None
        self.content: str | None = None
        self.authors: list[str] = []
        self.published: datetime | None = None
        self.updated: datetime | None = None
        self.categories: list[str] = []
        self.enclosures: list[Enclosure] = []
        self.comments: str | None = None
        self.description: str | None = None
        self.language: str | None = None
        self.image: str | None = None
        self.hubs: list[str] = []
        self.self_url: str | None = None
        self.ttl: int | None = None
        self.base = base
        self.about: str | None = None
        self.alt_title: str | None = None


class Collector:
    """Walks the children of a channel or item and fills a `Fields`."""

    def __init__(self, url: str | None, has_xml_base: bool) -> None:
        self.url = url
        self.has_xml_base = has_xml_base

    def base_of(self, element: etree._Element) -> str | None:
        """The URL relative references in `element` are relative to."""
        if self.has_xml_base:
            base = element.base
            if base:
                return join_url(self.url, str(base)) if self.url else str(base)
        return self.url

    def html(self, element: etree._Element, markup: str) -> str:
        """Publisher HTML with its relative URLs made absolute."""
        return fix_mojibake(absolutize_html(markup, self.base_of(element))) if markup else markup

    def resolve(self, element: etree._Element, url: str | None) -> str | None:
        if not url:
            return None
        url = url.strip()
        if not url:
            return None
        if url.startswith(("http://", "https://")):
            return url
        base = self.base_of(element)
        return join_url(base, url) if base else url

    def collect(self, parent: etree._Element, skip: str = "") -> Fields:
        fields = Fields(self.base_of(parent) if self.has_xml_base else self.url)
        for child in parent:
            key = key_of(child.tag)
            if key == skip:
                continue
            handler = _HANDLERS.get(key)
            if handler is not None:
                handler(self, fields, child)
        return fields

    def entry(self, fields: Fields) -> ParsedEntry:
        link = fields.link
        if link is None and fields.guid_is_link and fields.guid:
            link = fields.guid if fields.guid.startswith(("http://", "https://")) else None
        base = fields.base
        summary = fields.summary
        content = fields.content
        title = fields.title if fields.title is not None else fields.alt_title
        if title:
            title = fix_mojibake(absolutize_html(title, base) if "<" in title else title)
        return ParsedEntry(
            guid=fields.guid or fields.about,
            link=link,
            title=title,
            summary_html=summary,
            content_html=content,
            authors=tuple(dict.fromkeys(fields.authors)),
            published=fields.published,
            updated=fields.updated,
            categories=tuple(dict.fromkeys(fields.categories)),
            enclosures=tuple(dict.fromkeys(fields.enclosures)),
            comments_url=fields.comments,
        )

    def feed(
        self, fields: Fields, version: str, entries: list[ParsedEntry],
        encoding: str | None, bozo: str | None,
    ) -> ParsedFeed:  # fmt: skip
        title = fields.title if fields.title is not None else fields.alt_title
        if title and "<" in title:
            title = absolutize_html(title, fields.base)
        return ParsedFeed(
            version=version,
            title=title,
            link=fields.link,
            description=fields.description or fields.summary,
            language=fields.language,
            updated=fields.updated or fields.published,
            image=fields.image,
            authors=tuple(dict.fromkeys(fields.authors)),
            entries=tuple(entries),
            hubs=tuple(dict.fromkeys(fields.hubs)),
            self_url=fields.self_url,
            ttl=fields.ttl,
            encoding=encoding,
            bozo=bozo,
        )


_Handler = Callable[[Collector, Fields, etree._Element], None]


def _title(c: Collector, f: Fields, e: etree._Element) -> None:
    if f.title is None:
        f.title = text_of(e).strip()


def _atom_title(c: Collector, f: Fields, e: etree._Element) -> None:
    value = atom_text(e, as_html=False).strip()
    if _content_kind(e) in ("html", "xhtml") or (e.get("mode") or "").lower() == "base64":
        value = html_to_text(value)
    f.title = value


def _dc_title(c: Collector, f: Fields, e: etree._Element) -> None:
    if f.alt_title is None:
        f.alt_title = text_of(e).strip()


def _link(c: Collector, f: Fields, e: etree._Element) -> None:
    if f.link is None and len(e) == 0 and e.text and e.text.strip():
        f.link = c.resolve(e, e.text)
    elif e.get("href") is not None:
        _atom_link(c, f, e)


def _atom_link(c: Collector, f: Fields, e: etree._Element) -> None:
    href = e.get("href")
    if href is None:
        if e.text and e.text.strip() and f.link is None and e.get("rel") in (None, "alternate"):
            f.link = c.resolve(e, e.text)
        return
    rel = (e.get("rel") or "alternate").strip().lower()
    if href.strip():
        url = c.resolve(e, href) or ""
    elif rel in ("alternate", "self"):
        # An empty reference is the base itself (RFC 3986 5.2): `rel="self" href=""`
        # names the feed. An empty enclosure, hub or replies link names nothing.
        url = c.base_of(e) or ""
    else:
        return
    if rel == "alternate":
        if f.link is None:
            f.link = url
    elif rel == "enclosure":
        if url:
            f.enclosures.append(Enclosure(url, e.get("type") or None, _int(e.get("length"))))
    elif rel == "hub":
        if url:
            f.hubs.append(url)
    elif rel == "self":
        f.self_url = url
    elif rel == "replies" and f.comments is None and (e.get("type") or "text/html") == "text/html":
        f.comments = url


def _guid(c: Collector, f: Fields, e: etree._Element) -> None:
    value = (e.text or "").strip()
    if not value:
        return
    f.guid = value
    f.guid_is_link = (e.get("isPermaLink") or "true").strip().lower() == "true"


def _atom_id(c: Collector, f: Fields, e: etree._Element) -> None:
    value = (e.text or "").strip()
    if value:
        f.guid = value
        f.guid_is_link = True  # used as the link only when it is an http(s) URL


def _description(c: Collector, f: Fields, e: etree._Element) -> None:
    value = c.html(e, text_of(e).strip())
    f.summary = value
    if f.description is None:
        f.description = value


def _dc_description(c: Collector, f: Fields, e: etree._Element) -> None:
    if f.summary is None:
        f.summary = c.html(e, text_of(e).strip())


def _atom_summary(c: Collector, f: Fields, e: etree._Element) -> None:
    value = c.html(e, atom_text(e, as_html=True).strip())
    f.summary = value
    f.description = value


def _content_encoded(c: Collector, f: Fields, e: etree._Element) -> None:
    f.content = c.html(e, text_of(e).strip())


def _atom_content(c: Collector, f: Fields, e: etree._Element) -> None:
    src = e.get("src")
    if src is not None and not (e.text or "").strip() and len(e) == 0:
        if f.link is None:
            f.link = c.resolve(e, src)
        return
    f.content = c.html(e, atom_text(e, as_html=True).strip())


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
    value = (e.get("term") or e.get("label") or e.text or "").strip()
    if value:
        f.categories.append(value)


def _enclosure(c: Collector, f: Fields, e: etree._Element) -> None:
    url = c.resolve(e, e.get("url") or e.get("href"))
    if url:
        f.enclosures.append(Enclosure(url, e.get("type") or None, _int(e.get("length"))))


def _media_content(c: Collector, f: Fields, e: etree._Element) -> None:
    url = c.resolve(e, e.get("url"))
    if url and all(enclosure.url != url for enclosure in f.enclosures):
        f.enclosures.append(Enclosure(url, e.get("type") or None, _int(e.get("fileSize"))))


def _media_group(c: Collector, f: Fields, e: etree._Element) -> None:
    for child in e:
        if key_of(child.tag) == "media:content":
            _media_content(c, f, child)


def _comments(c: Collector, f: Fields, e: etree._Element) -> None:
    f.comments = c.resolve(e, e.text)


def _language(c: Collector, f: Fields, e: etree._Element) -> None:
    if f.language is None and e.text and e.text.strip():
        f.language = e.text.strip()


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
    "dcterms:created": _date_into("published", False),
    "atom:created": _date_into("published", False),
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
    "itunes:author": lambda c, f, e: None if f.authors else _author(c, f, e),
    "category": _category,
    "atom:category": _category,
    "dc:subject": _category,
    "enclosure": _enclosure,
    "media:content": _media_content,
    "media:group": _media_group,
    "comments": _comments,
    "language": _language,
    "dc:language": _language,
    "image": _image,
    "atom:logo": _image,
    "atom:icon": _image,
    "itunes:image": _image,
    "ttl": _ttl,
    "atom:subtitle": _subtitle,
    "atom:tagline": _subtitle,
}
