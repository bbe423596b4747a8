"""Articles split over several pages: finding the next page, joining them.

A next page is followed only when we are confident: a site rule's
`next_page_link`, or a `rel="next"` link (or a pagination link) whose URL is
the same article with a page number — blogs put `rel="next"` on links to the
next *post*, which must never be appended. `merge_pages` joins the bodies of
pages already fetched (fetching is the caller's job; this module does no I/O)
and keeps the first page's metadata. It refuses to join a page whose body
repeats one already joined (a site that serves page 1 for any page number).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from syndic.types import Article

_PAGE_MARK_RE = re.compile(
    r"(?:[?&](?:page|p|pg|seite|pagina|paged)=\d+|/(?:page|seite|pagina)/?\d+/?$|[-_/]\d{1,2}/?$|"
    r"[-_/]\d{1,2}\.html?$)",
    re.IGNORECASE,
)
_MAX_PAGES = 20
_PAGINATION_LINKS = '[class*="pagination"] a[href], [class*="pager"] a[href], [class*="page-links"] a[href]'
_NEXT_TEXT_RE = re.compile(
    r"^(?:next(?: page)?|2|weiter|nächste seite|suivant|page suivante|siguiente|próxima|"
    r"successiva|volgende)\s*[›»>→]*$",
    re.IGNORECASE,
)


def _strip_page_mark(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"(?:/(?:page|seite|pagina)/?\d+|[-_/]\d{1,2})(/?)(\.html?)?$", r"\1\2",
                  parts.path, flags=re.IGNORECASE)
    query = "&".join(
        q for q in parts.query.split("&")
        if q and not re.match(r"(?:page|p|pg|seite|pagina|paged)=\d+$", q, re.IGNORECASE)
    )
    return f"{parts.netloc.lower()}{path.rstrip('/')}?{query}"


def is_next_page_of(url: str, candidate: str) -> bool:
    """Whether `candidate` looks like a later page of the article at `url`."""
    if not _PAGE_MARK_RE.search(candidate) or candidate.rstrip("/") == url.rstrip("/"):
        return False
    return _strip_page_mark(url) == _strip_page_mark(candidate)


def find_next_page(
    tree: LexborHTMLParser, url: str, *, has_pager: bool = True, next_links: Sequence[LexborNode] | None = None
) -> str | None:
    """A confident next-page URL, else None: a `rel="next"` link, or a
    pagination link reading "next" or "2", in both cases only to a URL that
    is this article's with a page number. `has_pager=False` (no pagination
    class in the page's source) skips the search for pagination links;
    `next_links` are the page's rel=next links when the caller has them
    (`metadata.scan_page`)."""
    if next_links is None:
        next_links = tree.css('link[rel~="next"][href], a[rel~="next"][href]')
    for node in next_links:
        candidate = _href(node, url)
        if candidate and is_next_page_of(url, candidate):
            return candidate
    for node in tree.css(_PAGINATION_LINKS) if has_pager else ():
        text = " ".join(node.text().split())
        if _NEXT_TEXT_RE.match(text):
            candidate = _href(node, url)
            if candidate and is_next_page_of(url, candidate):
                return candidate
    return None


def _href(node: LexborNode, base: str) -> str | None:
    href = (node.attributes.get("href") or "").strip()
    return urljoin(base, href) if href and not href.startswith(("#", "javascript:")) else None


def merge_pages(first: Article, rest: Sequence[Article]) -> Article:
    """One article from its pages, in order; page metadata comes from `first`."""
    html_parts = [first.html]
    text_parts = [first.text] if first.text else []
    seen = {first.text.strip()}
    for page in rest[: _MAX_PAGES - 1]:
        body = page.text.strip()
        if page.error or not body or body in seen:
            continue
        seen.add(body)
        html_parts.append(page.html)
        text_parts.append(page.text)
    extra = dict(first.extra)
    extra.pop("next_page_url", None)
    extra["pages"] = str(len(text_parts) or 1)
    return replace(
        first,
        html="\n".join(part for part in html_parts if part),
        text="\n\n".join(text_parts),
        error=None if text_parts else first.error,
        extra=extra,
    )
