"""What cleaning may know about the page an article came from.

Residue is recognised better with the page in view: a line that is a link
on the page is a teaser even when extraction unwrapped it; a short head line
made of the author's name and a date is a byline, and the authors named in
the page's JSON-LD or meta tags say which names those are; a line a site
repeats under every article is that site's furniture. `PageContext` carries
those facts from extraction (and from the store, for repetition) to
`clean_body`. Every field is optional: plain text from a file has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from syndic.clean.blocks import collapse, text_content

# Link texts longer than this are not kept: a teaser is a headline, not a paragraph.
MAX_LINK_TEXT_CHARS = 300
_PARSER = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)


@dataclass(frozen=True)
class PageContext:
    """Facts about the page beside the article body; all optional.

    `authors` are the page metadata's authors (JSON-LD, meta tags), not a
    byline read from the text. `linked_texts` are the case-folded,
    whitespace-collapsed texts of the page's links. `known_residue` are
    case-folded lines the site repeats across its articles
    (`learn_site_residue`).
    """

    url: str | None = None
    title: str | None = None
    site_name: str | None = None
    description: str | None = None
    authors: tuple[str, ...] = ()
    linked_texts: frozenset[str] = field(default_factory=frozenset)
    known_residue: frozenset[str] = field(default_factory=frozenset)


def linked_texts_of(page_html: str) -> frozenset[str]:
    """The texts of a page's links, in the form `PageContext.linked_texts` wants."""
    try:
        doc = lxml.html.document_fromstring(page_html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return frozenset()
    out: set[str] = set()
    for a in doc.iter("a"):
        text = collapse(text_content(a))
        if text and len(text) <= MAX_LINK_TEXT_CHARS:
            out.add(text.casefold())
    return frozenset(out)
