"""CDF (Microsoft's Channel Definition Format) and RSS that lost its `<rss>`.

A CDF document is a bare `<CHANNEL>` root: its `<TITLE>` and `<ABSTRACT>`
describe it, and the link and the modification date are attributes
(`HREF`, `LASTMOD`) of the channel and of each `<ITEM>`, written in upper
case. Some RSS 0.9x feeds have the same shape, a `<channel>` root with
`<title>`/`<link>` children, so both are read here: the shared collector
takes the child elements, this module adds CDF's attributes on top.
"""

from __future__ import annotations

from lxml import etree

from syndic.feeds.dates import parse_date
from syndic.feeds.elements import Collector, Fields, key_of
from syndic.feeds.markup import text_of
from syndic.types import ParsedEntry, ParsedFeed


def is_cdf(root: etree._Element) -> bool:
    """A `<channel>` root in no namespace, in any letter case."""
    tag = root.tag
    return isinstance(tag, str) and tag.lower() == "channel"


def _attribute(element: etree._Element, name: str) -> str | None:
    """An attribute looked up case-insensitively: CDF writes `HREF`, XML is case-sensitive."""
    value = element.get(name) or element.get(name.upper())
    if value is None:
        for key, candidate in element.attrib.items():
            if isinstance(key, str) and key.lower() == name:
                return str(candidate)
    return value


def _add_cdf(collector: Collector, fields: Fields, element: etree._Element) -> Fields:
    """Fill what CDF says in attributes and `<ABSTRACT>`, under what the elements said."""
    if fields.link is None:
        fields.link = collector.resolve(element, _attribute(element, "href"))
    if fields.updated is None:
        fields.updated = parse_date(_attribute(element, "lastmod"))
    if fields.summary is None:
        for child in element:
            if key_of(child.tag) == "abstract":
                fields.summary = collector.html(child, text_of(child).strip())
                break
    return fields


def _items(channel: etree._Element) -> list[etree._Element]:
    """The channel's items, including those of nested sub-channels, in document order."""
    found: list[etree._Element] = []
    for child in channel:
        key = key_of(child.tag)
        if key == "item":
            found.append(child)
        elif key == "channel":
            found.extend(_items(child))
    return found


def parse_cdf(
    root: etree._Element, collector: Collector, encoding: str | None, bozo: str | None
) -> ParsedFeed:
    fields = _add_cdf(collector, collector.collect(root, skip="item"), root)
    entries: list[ParsedEntry] = [
        collector.entry(_add_cdf(collector, collector.collect(item), item)) for item in _items(root)
    ]
    return collector.feed(fields, "cdf", entries, encoding, bozo)
