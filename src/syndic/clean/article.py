"""Cleaning an extracted `Article` in place of its body, authors and byline problem."""

from __future__ import annotations

import dataclasses

from syndic.clean.markup import clean_html
from syndic.clean.plain import clean_text
from syndic.types import Article


def clean_article(article: Article, *, source_html: str | None = None) -> Article:
    """The article with residue removed, authors repaired, `byline_problem` set.

    `article.authors` are taken as the page metadata's authors; a broken
    byline copied into them is repaired, never passed on.
    """
    if article.error:
        return article
    if article.html.strip():
        result = clean_html(article.html, metadata_authors=article.authors, source_html=source_html)
        html = result.html or ""
    else:
        result = clean_text(article.text, metadata_authors=article.authors)
        html = article.html
    return dataclasses.replace(
        article,
        html=html,
        text=result.text,
        authors=result.authors,
        byline_problem=result.byline_problem or article.byline_problem,
    )
