"""The documents Full-Text RSS writes, in its element names, order and JSON shape.

A Full-Text RSS item is an ordered list of elements (`title`, `link`,
`guid`, `description`, `content:encoded`, `pubDate`, `dc:creator`,
`og:*`, `twitter:*`, `dc:language`, `dc:format`, `dc:identifier`,
`category`, `media:thumbnail`, `media:content`), and its three outputs are
read off that list the way FTR's feed writer reads them:

- RSS 2.0 (namespaces atom, content, dc, media); `og:*` and `twitter:*`
  are left out of RSS, as FTR 3.7+ does (they are for JSON readers).
- JSON: `{"rss": {"@attributes": {"version": "2.0"}, "channel": {…}}}`;
  a `prefix:name` becomes `prefix_name`; an element that appears more than
  once becomes a list; an element with attributes and no text becomes
  `{"@attributes": {…}}`; `item` is an object when the feed has exactly one
  item, a list when it has more, and absent when it has none.
- extract.php's flat JSON, taken from the first item of the JSON document.

Deliberate differences: no `<?xml-stylesheet?>` (syndic serves no FTR
stylesheet) and no `atom:link rel="related"` (FTR's points at a third-party
subscription site). Whatever the caller built, the writers sanitize every
HTML element through the one sanitizer, keep only http(s) URLs in link and
URL attributes, and escape every text (lxml for XML, json for JSON).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from syndic.clean import html_to_text
from syndic.clean.sanitize import sanitize_html
from syndic.feeds.urls import allowed_url

NAMESPACES = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "media": "http://search.yahoo.com/mrss/",
}
HTML_ELEMENTS = frozenset({"description", "content:encoded"})
# Plain texts that RSS readers (feedparser among them) read as HTML: escaped into RSS so that
# markup in a page's title or byline is shown, never rendered (issue 13). JSON keeps them plain.
RSS_TEXT_READ_AS_HTML = frozenset({"title", "dc:creator", "category"})
URL_ELEMENTS = frozenset({"link", "dc:identifier"})
URL_ATTRIBUTES = frozenset({"url", "href"})
JSON_ONLY_PREFIXES = ("og:", "twitter:")
SIMPLE_FIELDS = (
    "title", "excerpt", "date", "author", "language", "url", "effective_url", "domain", "word_count",
    "og_url", "og_title", "og_description", "og_image", "og_type", "twitter_card", "twitter_site",
    "twitter_creator", "twitter_image", "twitter_title", "twitter_description", "content",
)

RSS_MEDIA_TYPE = "text/xml; charset=utf-8"
JSON_MEDIA_TYPE = "application/json; charset=utf-8"
JSONP_MEDIA_TYPE = "application/javascript; charset=utf-8"


@dataclass(frozen=True)
class Element:
    """One element of an item: its qualified name, its text (None: written empty) and attributes."""

    name: str
    text: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Image:
    title: str
    link: str
    url: str


@dataclass(frozen=True)
class FtrFeed:
    """A feed as Full-Text RSS writes it."""

    title: str
    link: str
    description: str
    items: tuple[tuple[Element, ...], ...] = ()
    ttl: int | None = None
    image: Image | None = None
    self_url: str | None = None
    source_url: str | None = None  # atom:link rel="alternate": the URL the feed was made from
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def rfc822(value: datetime) -> str:
    """A date as FTR's writer gives `pubDate` (PHP's DATE_RSS, in UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_datetime(value.astimezone(UTC).replace(microsecond=0))


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return "".join(
        ch for ch in text
        if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd") or ch > "\uffff"
    )


def _safe_url(value: str | None) -> str:
    return value if value and allowed_url(value) else ""


def _safe_value(element: Element) -> str | None:
    """The element's text as it may be written: HTML sanitized, URLs http(s) only."""
    if element.text is None:
        return None
    if element.name in HTML_ELEMENTS:
        return sanitize_html(element.text)
    if element.name in URL_ELEMENTS:
        return _safe_url(element.text)
    return element.text


def _safe_attributes(element: Element) -> list[tuple[str, str]]:
    out = []
    for name, value in element.attributes:
        if name in URL_ATTRIBUTES:
            value = _safe_url(value)
            if not value:
                continue
        out.append((name, value))
    return out


def _qualified(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{NAMESPACES[prefix]}}}{local}" if local and prefix in NAMESPACES else name


def _sub(parent: etree._Element, name: str, text: str | None, attributes: Iterable[tuple[str, str]] = ()) -> None:
    node = etree.SubElement(parent, _qualified(name), {k: xml_text(v) for k, v in attributes})
    if text is not None:
        node.text = xml_text(text)


def write_rss(feed: FtrFeed) -> bytes:
    """The feed as RSS 2.0, element for element as FTR writes it."""
    rss = etree.Element("rss", {"version": "2.0"}, nsmap=NAMESPACES)
    channel = etree.SubElement(rss, "channel")
    if feed.self_url:
        _sub(channel, "atom:link", None, [("rel", "self"), ("href", feed.self_url)])
    if feed.source_url and allowed_url(feed.source_url):
        _sub(channel, "atom:link", None, [("rel", "alternate"), ("title", "Source URL"), ("href", feed.source_url)])
    for name, value in _channel_elements(feed):
        if isinstance(value, dict):
            image = etree.SubElement(channel, name)
            for key, text in value.items():
                _sub(image, key, text)
        else:
            _sub(channel, name, value)
    for item in feed.items:
        node = etree.SubElement(channel, "item")
        for element in item:
            if element.name.startswith(JSON_ONLY_PREFIXES):
                continue
            value = _safe_value(element)
            if value is not None and element.name in RSS_TEXT_READ_AS_HTML:
                value = html.escape(value, quote=False)
            _sub(node, element.name, value, _safe_attributes(element))
    return bytes(etree.tostring(rss, xml_declaration=True, encoding="utf-8"))


def _channel_elements(feed: FtrFeed) -> list[tuple[str, Any]]:
    elements: list[tuple[str, Any]] = [
        ("title", feed.title),
        ("link", _safe_url(feed.link)),
        ("description", sanitize_html(feed.description) if feed.description else feed.description),
    ]
    if feed.ttl is not None:
        elements.append(("ttl", str(feed.ttl)))
    if feed.image is not None and allowed_url(feed.image.url):
        elements.append(("image", {"title": feed.image.title, "link": _safe_url(feed.image.link),
                                   "url": feed.image.url}))
    return elements


def _json_key(name: str) -> str:
    return name.replace(":", "_")


def _json_node(element: Element) -> Any:
    value = _safe_value(element)
    attributes = _safe_attributes(element)
    if not value and attributes:
        return {"@attributes": {_json_key(k): v for k, v in attributes}}
    return value


def json_object(feed: FtrFeed) -> dict[str, Any]:
    """The feed as FTR's JSON: the RSS tree as nested objects (see the module's docstring)."""
    channel: dict[str, Any] = {}
    for name, value in _channel_elements(feed):
        channel[name] = int(value) if name == "ttl" else value
    items: list[dict[str, Any]] = []
    for item in feed.items:
        counts: dict[str, int] = {}
        for element in item:
            counts[element.name] = counts.get(element.name, 0) + 1
        entry: dict[str, Any] = {}
        for element in item:
            key = _json_key(element.name)
            if counts[element.name] > 1:
                entry.setdefault(key, []).append(_json_node(element))
            else:
                entry[key] = _json_node(element)
        items.append(entry)
    if len(items) == 1:
        channel["item"] = items[0]
    elif items:
        channel["item"] = items
    return {"rss": {"@attributes": {"version": "2.0"}, "channel": channel}}


def simple_object(feed: FtrFeed) -> dict[str, Any]:
    """extract.php's flat JSON, read off the first item as FTR's writer reads it."""
    out: dict[str, Any] = dict.fromkeys(SIMPLE_FIELDS)
    channel = json_object(feed)["rss"]["channel"]
    item = channel.get("item")
    if isinstance(item, list):
        item = item[0]
    if not item:
        return out
    out["url"] = item.get("link")
    out["effective_url"] = item.get("dc_identifier")
    host = (urlsplit(out["effective_url"] or "").hostname or "").lower()
    out["domain"] = host[4:] if host.startswith("www.") else host
    if "title" in item:
        out["title"] = item["title"]
    if "dc_language" in item:
        out["language"] = item["dc_language"]
    if "content_encoded" in item:
        out["content"] = item["content_encoded"]
        out["word_count"] = len(html_to_text(item["content_encoded"] or "").split())
        if "description" in item:
            out["excerpt"] = item["description"]
    else:
        out["content"] = item.get("description")
    if "dc_creator" in item:
        out["author"] = item["dc_creator"]
    if item.get("pubDate"):
        out["date"] = _atom_date(item["pubDate"])
    for name in SIMPLE_FIELDS:
        if name.startswith(("og_", "twitter_")) and name in item:
            out[name] = item[name]
    return out


def _atom_date(rfc: str) -> str | None:
    """FTR's `gmdate(DATE_ATOM, strtotime(pubDate))`: 2026-02-03T10:00:00+00:00."""
    try:
        value = parsedate_to_datetime(rfc)
    except (TypeError, ValueError):
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def jsonp(callback: str, body: bytes) -> bytes:
    """`callback(json);` as FTR writes JSONP, after a `/**/` so the first bytes of the answer
    are never the caller's (the usual guard against content sniffing of JSONP answers).
    U+2028/U+2029 are escaped: JSON allows them raw, older JavaScript did not."""
    text = body.decode("utf-8").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"/**/{callback}({text});".encode()
