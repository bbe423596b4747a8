"""Atom 1.0 and 0.3: find the feed's entries, name the version.

Atom's elements, text constructs (text, html, xhtml, 0.3's escaped and
base64 modes) and links are read by `elements.Collector`, shared with RSS.
The feed's `xml:lang` is its language when no element says otherwise.
"""

from __future__ import annotations

from lxml import etree

from syndic.feeds.elements import ATOM03, ATOM10, XML_LANG, Collector, key_of
from syndic.types import ParsedEntry, ParsedFeed

_FEED_TAGS = (f"{{{ATOM10}}}feed", f"{{{ATOM03}}}feed")


def is_atom(root: etree._Element) -> bool:
    tag = root.tag
    return tag in _FEED_TAGS or (isinstance(tag, str) and tag.rsplit("}", 1)[-1] == "feed")


def parse_atom(
    root: etree._Element, collector: Collector, encoding: str | None, bozo: str | None
) -> ParsedFeed:
    version = "atom03" if root.tag == _FEED_TAGS[1] or root.get("version") == "0.3" else "atom10"
    fields = collector.collect(root, skip="atom:entry")
    if fields.language is None:
        lang = root.get(XML_LANG)
        if lang:
            fields.language = lang.strip().replace("_", "-") or None
    entries: list[ParsedEntry] = []
    for child in root:
        key = key_of(child.tag)
        if key in ("atom:entry", "entry", "atom:item"):
            entries.append(collector.entry(collector.collect(child)))
    return collector.feed(fields, version, entries, encoding, bozo)
