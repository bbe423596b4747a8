"""bytes → ParsedFeed: decode, recognise the format, hand it to its reader.

The only entry point other stages call is `parse_feed`. It never fetches
anything: the bytes come from `net/`, and the URL is used only to resolve
relative links. It refuses, with a `FeedError` that says why, an empty
body, an HTML page served as a feed, JSON that is not a JSON Feed, and XML
whose root is neither RSS, Atom nor a CDF `<CHANNEL>`. Ill-formed XML is
recovered where lxml can and the reason is kept in `ParsedFeed.bozo`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from syndic.errors import FeedError
from syndic.feeds.atom import is_atom, parse_atom
from syndic.feeds.cdf import is_cdf, parse_cdf
from syndic.feeds.elements import Collector
from syndic.feeds.encoding import decode_document
from syndic.feeds.jsonfeed import looks_like_json, parse_json_feed
from syndic.feeds.rss import is_rss, parse_rss
from syndic.feeds.xmlsafe import parse_xml
from syndic.types import ParsedFeed


def _first_language(header: str | None) -> str | None:
    """The first tag of a Content-Language header ("en-US, fr" → "en-US"), if it looks like one."""
    tag = (header or "").split(",", 1)[0].strip().replace("_", "-")
    return tag if 0 < len(tag) <= 32 and _LANGUAGE_TAG.fullmatch(tag) else None


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I | re.S
)


def parse_feed(
    data: bytes, *, url: str | None = None, content_type: str | None = None, content_language: str | None = None
) -> ParsedFeed:
    """Parse an RSS, Atom or JSON Feed document; raise `FeedError` if it is none.

    `content_language` is the server's Content-Language header: the language
    of a document (and of its entries) that does not name one itself.
    """
    if not data or not data.strip():
        raise FeedError("not a feed: the body is empty")
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media.endswith("json"):
        content_type = None  # JSON has no charset parameter worth trusting; the bytes tell
    decoded = decode_document(data, content_type)
    text = decoded.text
    if looks_like_json(text[:64]):
        parsed_json = parse_json_feed(text, url, decoded.encoding)
        language = _first_language(content_language)
        if parsed_json.language is None and language is not None:
            return replace(parsed_json, language=language)
        return parsed_json
    if _HTML_START.match(text[:2048]):
        raise FeedError("not a feed: the document is an HTML page (look for its feed with discover_feeds)")
    try:
        parsed = parse_xml(text)
    except ValueError as error:
        raise FeedError(f"not a feed: unreadable XML ({error})") from error
    root = parsed.root
    bozo = parsed.problem or decoded.problem
    language = _first_language(content_language)
    collector = Collector(url, "xml:base" in text, "xml:lang" in text, language)
    if is_rss(root):
        return parse_rss(root, collector, decoded.encoding, bozo)
    if is_atom(root):
        return parse_atom(root, collector, decoded.encoding, bozo)
    if is_cdf(root):
        return parse_cdf(root, collector, decoded.encoding, bozo)
    tag = root.tag if isinstance(root.tag, str) else "?"
    if tag.lower().rsplit("}", 1)[-1] == "html":
        raise FeedError("not a feed: the document is an HTML page (look for its feed with discover_feeds)")
    raise FeedError(f"not a feed: the root element is <{tag}>, not RSS, Atom or CDF")
