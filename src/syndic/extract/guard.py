"""Limits that keep one hostile page from stalling a worker.

The HTML parser's time grows with the square of nesting depth (200,000
nested `<div>`s take over a minute), and extraction's with the number of
elements, so a page is measured before it is parsed: too large, too many
elements, or nested too deep, and extraction refuses it with a reason
instead of trying. A page made large by inline data (a 9 MB script) is read:
it is one text node to the parser. The depth scan is only run on pages with many
tags, so ordinary pages pay one `str.count`.
"""

from __future__ import annotations

import re

MAX_PAGE_CHARS = 12_000_000  # above the fetcher's 10 MB body cap: a page it keeps is read
MAX_ELEMENTS = 40_000  # twice the tags of the largest page of the labelled sets
MAX_ARTICLE_CHARS = 400_000  # an article's text; the longest long read is a third of this
MAX_DEPTH = 2_000
_SCAN_ABOVE_TAGS = 8_000  # fewer tags than this cannot nest dangerously deep
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_OPEN_TAG_RE = re.compile(r"<[a-zA-Z]")
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr", "param", "keygen"}
)


def nesting_depth_exceeds(text: str, limit: int = MAX_DEPTH, *, tags: int | None = None) -> bool:
    """Whether the tags of `text` nest deeper than `limit` (stops early);
    `tags` is `text.count("<")` when the caller has it (a pass over the page)."""
    if (text.count("<") if tags is None else tags) < max(limit, _SCAN_ABOVE_TAGS):
        return False
    depth = 0
    for match in _TAG_RE.finditer(text):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID_TAGS:
            depth += 1
            if depth > limit:
                return True
    return False


def refusal(text: str) -> str | None:
    """Why `text` must not be parsed, or None when it is safe to."""
    if len(text) > MAX_PAGE_CHARS:
        return f"page too large ({len(text):,} characters, limit {MAX_PAGE_CHARS:,})"
    tags = text.count("<")
    if tags > MAX_ELEMENTS:
        elements = len(_OPEN_TAG_RE.findall(text))
        if elements > MAX_ELEMENTS:
            return f"page has too many elements ({elements:,}, limit {MAX_ELEMENTS:,})"
    if nesting_depth_exceeds(text, tags=tags):
        return f"page nests elements deeper than {MAX_DEPTH} levels"
    return None
