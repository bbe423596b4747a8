"""OPML subscription lists: import and export.

`parse_opml` reads the outlines that name a feed (`xmlUrl`) at any depth;
the titles of the outlines they sit in become their category
("News/World"). It parses through `xmlsafe`, so an OPML file cannot declare
entities or reach the network, and it refuses (`FeedError`) a document that
is not OPML. `write_opml` writes OPML 2.0 grouped by category.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree

from syndic.clean.sanitize import http_url
from syndic.errors import FeedError
from syndic.feeds.encoding import decode_document
from syndic.feeds.xmlsafe import parse_xml


@dataclass(frozen=True)
class OpmlOutline:
    """One subscription: the feed URL, its title, its site and its category."""

    xml_url: str
    title: str | None = None
    html_url: str | None = None
    category: str | None = None


def _title(element: etree._Element) -> str | None:
    value = (element.get("title") or element.get("text") or "").strip()
    return value or None


def parse_opml(data: bytes) -> list[OpmlOutline]:
    """Every feed outline in an OPML document, in document order."""
    if not data or not data.strip():
        raise FeedError("not OPML: the body is empty")
    decoded = decode_document(data)
    try:
        root = parse_xml(decoded.text).root
    except ValueError as error:
        raise FeedError(f"not OPML: unreadable XML ({error})") from error
    if not isinstance(root.tag, str) or root.tag.rsplit("}", 1)[-1].lower() != "opml":
        raise FeedError(f"not OPML: the root element is <{root.tag}>")
    body = next((child for child in root if isinstance(child.tag, str) and child.tag.lower() == "body"), None)
    if body is None:
        return []
    found: list[OpmlOutline] = []

    def walk(parent: etree._Element, path: tuple[str, ...]) -> None:
        for element in parent:
            if not isinstance(element.tag, str) or element.tag.lower() != "outline":
                continue
            raw_url = (element.get("xmlUrl") or element.get("xmlurl") or element.get("url") or "").strip()
            xml_url = http_url(raw_url)  # javascript:, data:, file: … name no feed: the outline is skipped
            if raw_url and not xml_url:
                continue
            if xml_url and (element.get("type") or "rss").lower() != "link":
                category = "/".join(path) if path else None
                if category is None:
                    declared = (element.get("category") or "").split(",", 1)[0].strip().strip("/")
                    category = declared or None
                html_url = http_url((element.get("htmlUrl") or element.get("htmlurl") or "").strip())
                found.append(OpmlOutline(xml_url, _title(element), html_url, category))
            else:
                title = _title(element)
                walk(element, (*path, title) if title else path)

    walk(body, ())
    return found


def write_opml(outlines: Sequence[OpmlOutline], title: str) -> bytes:
    """An OPML 2.0 document listing `outlines`, nested by category."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = etree.SubElement(root, "body")
    folders: dict[tuple[str, ...], etree._Element] = {(): body}

    def folder(path: tuple[str, ...]) -> etree._Element:
        if path not in folders:
            parent = folder(path[:-1])
            folders[path] = etree.SubElement(parent, "outline", text=path[-1], title=path[-1])
        return folders[path]

    for outline in outlines:
        path = tuple(part for part in (outline.category or "").split("/") if part.strip())
        attributes = {"type": "rss", "text": outline.title or outline.xml_url, "xmlUrl": outline.xml_url}
        if outline.title:
            attributes["title"] = outline.title
        if outline.html_url:
            attributes["htmlUrl"] = outline.html_url
        etree.SubElement(folder(path), "outline", attributes)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
