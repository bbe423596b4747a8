"""OPML in and out of the store, shared by the CLI and the web reader."""

from __future__ import annotations

from syndic.feeds import OpmlOutline, parse_opml, write_opml
from syndic.store import Store
from syndic.store import feeds as store_feeds


def import_opml(store: Store, document: bytes) -> int:
    """Subscribe to every feed in an OPML document (folders become categories); return how many."""
    outlines = parse_opml(document)
    for outline in outlines:
        store_feeds.add_feed(store, outline.xml_url, title=outline.title, category=outline.category)
    return len(outlines)


def export_opml(store: Store) -> tuple[bytes, int]:
    """Every subscription as an OPML document, and how many it holds."""
    outlines = [
        OpmlOutline(xml_url=f.url, title=f.title, html_url=f.site_url, category=f.category)
        for f in store_feeds.list_feeds(store)
    ]
    return write_opml(outlines, title="syndic subscriptions"), len(outlines)
