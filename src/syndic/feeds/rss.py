"""RSS 0.9x, 1.0 (RDF) and 2.0: find the channel and its items, name the version.

The three RSS families disagree on structure, not on vocabulary: RSS 2.0 and
0.9x nest `<item>` inside `<channel>`, RSS 1.0 and 0.90 (RDF) put the items
beside the channel. Reading each element is `elements.Collector`'s job.
Items are read from both places, because broken feeds use both.
"""

from __future__ import annotations

from lxml import etree

from syndic.feeds.elements import RDF, Collector, key_of
from syndic.types import ParsedEntry, ParsedFeed

RDF_ROOT = f"{{{RDF}}}RDF"


def is_rss(root: etree._Element) -> bool:
    tag = root.tag
    return isinstance(tag, str) and (tag == RDF_ROOT or tag.rsplit("}", 1)[-1].lower() == "rss")


def version_of(root: etree._Element) -> str:
    if root.tag == RDF_ROOT:
        for child in root:
            if isinstance(child.tag, str) and "my.netscape.com" in child.tag:
                return "rss09x"  # RSS 0.90, the RDF ancestor of 0.91
        return "rss10"
    declared = (root.get("version") or "").strip()
    if declared.startswith("0.9"):
        return "rss09x"
    return "rss20"


def parse_rss(
    root: etree._Element, collector: Collector, encoding: str | None, bozo: str | None
) -> ParsedFeed:
    channel = None
    items: list[etree._Element] = []
    for child in root:
        key = key_of(child.tag)
        if key == "channel" and channel is None:
            channel = child
        elif key == "item":
            items.append(child)
    if channel is not None:
        nested = [child for child in channel if key_of(child.tag) == "item"]
        items = nested + items if nested else items
        fields = collector.collect(channel, skip="item")
    else:
        fields = collector.collect(root, skip="item")
    if root.tag == RDF_ROOT:
        for child in root:
            if key_of(child.tag) == "image" and fields.image is None:
                for grandchild in child:
                    if key_of(grandchild.tag) == "url" and grandchild.text:
                        fields.image = collector.resolve(grandchild, grandchild.text)
    entries: list[ParsedEntry] = []
    about_key = f"{{{RDF}}}about"
    for item in items:
        item_fields = collector.collect(item)
        about = item.get(about_key)
        if about:
            item_fields.about = about.strip() or None
        entries.append(collector.entry(item_fields))
    return collector.feed(fields, version_of(root), entries, encoding, bozo)
