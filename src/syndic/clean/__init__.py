"""The clean stage: residue removal, byline repair, and the HTML sanitizer.

    clean_text(text)    plain text in, CleanResult out
    clean_html(html)    HTML in, sanitized HTML and its text out
    clean_article(a)    an extracted Article with its body cleaned
    learn_site_residue  lines a site repeats in every article, for known_residue
    sanitize_html(html) the allowlist every HTML output passes through
"""

from __future__ import annotations

from syndic.clean.article import clean_article
from syndic.clean.byline import Byline, parse_byline
from syndic.clean.markup import clean_html, looks_like_html
from syndic.clean.plain import clean_text
from syndic.clean.residue import learn_site_residue
from syndic.clean.result import CleanResult, clean_report
from syndic.clean.sanitize import sanitize_html

__all__ = [
    "Byline",
    "CleanResult",
    "clean_article",
    "clean_html",
    "clean_report",
    "clean_text",
    "learn_site_residue",
    "looks_like_html",
    "parse_byline",
    "sanitize_html",
]
