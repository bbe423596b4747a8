"""Find the feeds a web page points to.

First the feeds the page declares (`<link rel="alternate">` with an RSS,
Atom or JSON Feed media type), in document order; then guesses from its
anchors whose URL looks like a feed (`/feed`, `rss.xml`, `atom.xml`, ...).
URLs are made absolute against `<base href>` or the page URL. Nothing is
fetched: checking that a guess really is a feed is the caller's job.
It returns only http(s) URLs; `javascript:` and `data:` links are refused.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/json",
        "application/rdf+xml",
        "application/x.atom+xml",
        "application/x-atom+xml",
        "text/xml",
        "application/xml",
    }
)
_FEEDISH = re.compile(
    r"(?:/feeds?/?|/rss/?|/atom/?|[./_-](?:rss|atom|rdf)(?:\.xml)?|feed\.(?:xml|json)|index\.xml|\.rss|/feed/(?:rss2?|atom)/?)$",
    re.IGNORECASE,
)


def _absolute(base: str, href: str) -> str | None:
    href = href.strip()
    if not href:
        return None
    try:
        url = urljoin(base, href)
    except ValueError:
        return None
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return url.split("#", 1)[0]


def discover_feeds(html: bytes | str, page_url: str) -> list[str]:
    """Feed URLs a page declares, in document order, then likely-looking anchors."""
    if not html or not (html.strip() if isinstance(html, (bytes, str)) else html):
        return []
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, recover=True)
    try:
        document = lxml.html.fromstring(html, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return []
    base = page_url
    for element in document.iter("base"):
        href = element.get("href")
        if href:
            base = _absolute(page_url, href) or page_url
        break
    declared: list[str] = []
    for element in document.iter("link"):
        rel = (element.get("rel") or "").lower().split()
        kind = (element.get("type") or "").split(";", 1)[0].strip().lower()
        if "alternate" in rel and kind in FEED_TYPES:
            url = _absolute(base, element.get("href") or "")
            # WordPress declares its REST API as an application/json alternate.
            if url and not (kind == "application/json" and "/wp-json/" in url):
                declared.append(url)
    guesses: list[str] = []
    for element in document.iter("a"):
        href = element.get("href") or ""
        path = urlsplit(href.strip()).path if href else ""
        if path and _FEEDISH.search(path):
            url = _absolute(base, href)
            if url:
                guesses.append(url)
    return list(dict.fromkeys(declared + guesses))
