"""The clean stage: residue removal, byline repair, and the HTML sanitizer.

    clean_body(html, context)  article HTML in, CleanResult (sanitized HTML, its text) out
    clean_article(a, context)  an extracted Article with its body cleaned
    clean_text(text)           plain text in, CleanResult out (the shapes, no markup)
    clean_html(html)           clean_body with the context given piece by piece
    html_to_text(html)         the one renderer: article HTML to its plain text
    PageContext                what cleaning may know about the page (authors, links, site residue)
    learn_site_residue         lines a site repeats in every article, for known_residue
    sanitize_html(html)        the allowlist every HTML output passes through
"""

from __future__ import annotations

from syndic.clean.article import clean_article, context_of
from syndic.clean.blocks import html_to_text
from syndic.clean.byline import Byline, parse_byline
from syndic.clean.context import PageContext, linked_texts_of
from syndic.clean.markup import clean_body, clean_html, looks_like_html
from syndic.clean.plain import clean_text
from syndic.clean.residue import learn_site_residue
from syndic.clean.result import CleanResult, clean_report
from syndic.clean.sanitize import sanitize_html

__all__ = [
    "Byline",
    "CleanResult",
    "PageContext",
    "clean_article",
    "clean_body",
    "clean_html",
    "clean_report",
    "clean_text",
    "context_of",
    "html_to_text",
    "learn_site_residue",
    "linked_texts_of",
    "looks_like_html",
    "parse_byline",
    "sanitize_html",
]
