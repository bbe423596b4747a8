"""Cleaning an extracted `Article`: its body, authors and byline problem."""

from __future__ import annotations

import dataclasses

from syndic.clean.context import PageContext
from syndic.clean.markup import clean_body
from syndic.clean.plain import clean_text
from syndic.types import Article


def context_of(
    article: Article,
    *,
    linked_texts: frozenset[str] = frozenset(),
    known_residue: frozenset[str] = frozenset(),
) -> PageContext:
    """The page context an extracted article carries (url, title, site, description, authors).

    Add what the article does not carry: `linked_texts` from the page
    (`linked_texts_of`), `known_residue` from the site's stored articles.
    """
    return PageContext(
        url=article.url,
        title=article.title,
        site_name=article.site_name,
        description=article.description,
        authors=tuple(article.authors),
        linked_texts=linked_texts,
        known_residue=known_residue,
    )


def clean_article(article: Article, context: PageContext | None = None) -> Article:
    """The article with residue removed, authors repaired, `byline_problem` set.

    `context.authors` (by default `article.authors`) are taken as the page
    metadata's authors; a broken byline copied into them is repaired, never
    passed on. The text is rendered from the cleaned HTML, so both agree.
    """
    if article.error:
        return article
    context = context or context_of(article)
    if article.html.strip():
        result = clean_body(article.html, context)
        html = result.html or ""
    else:
        result = clean_text(article.text, metadata_authors=context.authors, known_residue=context.known_residue)
        html = article.html
    return dataclasses.replace(
        article,
        html=html,
        text=result.text,
        authors=result.authors,
        byline_problem=result.byline_problem or article.byline_problem,
    )
