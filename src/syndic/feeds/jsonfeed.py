"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1).

A JSON Feed is an object with `version` and `items`; each item has an `id`,
a `url`, `content_html` and/or `content_text`, and dates in RFC 3339. 1.0's
single `author` and 1.1's `authors` list are both read. Relative URLs are
resolved against the feed URL. Text-only content is escaped into HTML, so
`content_html` always holds HTML.

It refuses documents that are not a JSON object with a JSON Feed version,
and ignores values of the wrong JSON type instead of failing on them.
"""

from __future__ import annotations

import html
import json
from typing import Any

from syndic import bounds
from syndic.errors import FeedError
from syndic.feeds.dates import parse_date
from syndic.feeds.markup import absolutize_html, join_url
from syndic.feeds.urls import allowed_url
from syndic.types import Category, Enclosure, Media, MediaObject, ParsedEntry, ParsedFeed


def looks_like_json(text: str) -> bool:
    return text.lstrip(" \t\r\n\ufeff")[:1] == "{"


def _str(value: Any) -> str | None:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _url(value: Any, base: str | None) -> str | None:
    """A URL from the document, made absolute; None unless http(s) (`urls.allowed_url`)."""
    text = _str(value)
    if text is None:
        return None
    if base and not text.startswith(("http://", "https://")):
        text = join_url(base, text)
    return allowed_url(text)


def _authors(obj: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    candidates = obj.get("authors")
    if not isinstance(candidates, list):
        candidates = [obj.get("author")]
    for author in candidates:
        if isinstance(author, dict):
            name = _str(author.get("name")) or _str(author.get("url"))
            if name:
                found.append(name)
        elif isinstance(author, str) and author.strip():
            found.append(author.strip())
    return tuple(dict.fromkeys(found))


def _entry(item: dict[str, Any], base: str | None) -> ParsedEntry:
    link = _url(item.get("url"), base) or _url(item.get("external_url"), base)
    content = _str(item.get("content_html"))
    if content is None:
        text = _str(item.get("content_text"))
        content = html.escape(text, quote=False) if text else None
    summary = _str(item.get("summary"))
    enclosures = []
    attachments = item.get("attachments")
    if isinstance(attachments, list):
        for attachment in attachments:
            if not isinstance(attachment, dict):
                continue
            url = _url(attachment.get("url"), base)
            if url:
                size = attachment.get("size_in_bytes")
                enclosures.append(
                    Enclosure(
                        url,
                        _str(attachment.get("mime_type")),
                        bounds.clamp_count(size, upper=bounds.MAX_INT32) if isinstance(size, int) else None,
                    )
                )
    tags = item.get("tags")
    categories = (
        tuple(dict.fromkeys(Category(t.strip()) for t in tags if isinstance(t, str) and t.strip()))
        if isinstance(tags, list)
        else ()
    )
    pictures = [_url(item.get(name), base) for name in ("image", "banner_image")]
    media = Media(thumbnails=tuple(MediaObject(url) for url in pictures if url)) if any(pictures) else None
    return ParsedEntry(
        guid=_str(item.get("id")),
        link=link,
        title=_str(item.get("title")),
        summary_html=html.escape(summary, quote=False) if summary else None,
        content_html=absolutize_html(content, link or base) if content else None,
        authors=_authors(item),
        published=parse_date(_str(item.get("date_published"))),
        updated=parse_date(_str(item.get("date_modified"))),
        categories=categories,
        enclosures=tuple(enclosures),
        language=_str(item.get("language")),
        media=media,
    )


def parse_json_feed(text: str, url: str | None, encoding: str | None) -> ParsedFeed:
    try:
        document = json.loads(text.lstrip("\ufeff"))
    except (ValueError, RecursionError) as error:
        raise FeedError(f"not a feed: invalid JSON ({error})") from error
    if not isinstance(document, dict):
        raise FeedError("not a feed: the JSON document is not an object")
    declared = _str(document.get("version")) or ""
    if "jsonfeed.org/version/1.1" in declared:
        version = "json11"
    elif "jsonfeed.org/version/1" in declared:
        version = "json10"
    elif isinstance(document.get("items"), list):
        version = "json11"
    else:
        raise FeedError("not a feed: JSON without a JSON Feed version or items")
    base = _url(document.get("feed_url"), url) or url
    items = document.get("items")
    entries = (
        tuple(_entry(item, base) for item in items if isinstance(item, dict))
        if isinstance(items, list)
        else ()
    )
    hubs = document.get("hubs")
    hub_urls = (
        tuple(_url(h.get("url"), base) or "" for h in hubs if isinstance(h, dict) and _str(h.get("url")))
        if isinstance(hubs, list)
        else ()
    )
    return ParsedFeed(
        version=version,
        title=_str(document.get("title")),
        link=_url(document.get("home_page_url"), base),
        description=_str(document.get("description")),
        language=_str(document.get("language")),
        image=_url(document.get("icon"), base) or _url(document.get("favicon"), base),
        authors=_authors(document),
        entries=entries,
        hubs=hub_urls,
        self_url=_url(document.get("feed_url"), url),
        encoding=encoding,
    )
