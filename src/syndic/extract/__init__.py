"""Page → article: body, metadata, site rules, multi-page.

The public surface of the extraction stage. `extract_article` never raises
on bad input: an empty, binary, oversized or article-less page gives an
`Article` with `error` set (the reason) and empty content. Its HTML is
sanitized (`clean.sanitize`), its text has paragraphs separated by one blank
line, and `to_markdown` turns the HTML into Markdown. `extra` may carry
`next_page_url` (a later page of the same article, for `merge_pages`) and
`single_page_url` (a site rule's link to the whole article on one page:
fetch it and extract again instead), and the page's Open Graph and Twitter
card values under their own names (`og:title`, `twitter:card`, …).

Modules: `decode` (bytes → text), `guard` (size and depth limits),
`metadata`, `jsonld` and `language` (fields), `patterns` (the heuristics as data),
`body` (the generic extractor), `siteconfig` (FiveFilters rules),
`multipage` (next page, joining), `markdown`, `evaluate` (the benchmark
metric).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from syndic.clean import clean_article, context_of, html_to_text
from syndic.clean.sanitize import sanitize_html
from syndic.extract import patterns as pt
from syndic.extract.body import LISTING, Body, extract_body, paragraphs_of, prune, read_noscript
from syndic.extract.decode import decode_page, looks_binary
from syndic.extract.guard import MAX_ARTICLE_CHARS, refusal
from syndic.extract.language import guess_language
from syndic.extract.markdown import to_markdown
from syndic.extract.media import mark_captions, resolve_images
from syndic.extract.metadata import Metadata, clean_authors, extract_metadata, parse_date, scan_page
from syndic.extract.multipage import find_next_page, merge_pages
from syndic.extract.siteconfig import SiteRules, apply_site_rules, load_site_rules
from syndic.types import Article

__all__ = [
    "Extracted",
    "SiteRules",
    "clean_extracted",
    "decode_page",
    "extract_article",
    "extract_page",
    "finish",
    "load_site_rules",
    "merge_pages",
    "to_markdown",
]

log = logging.getLogger(__name__)

_MARKUP_TYPES = ("html", "xml", "text/plain")
# Control characters are not text, and XML-based writers (feeds, lxml) refuse them.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Words a page's source holds when it has pagination links (`find_next_page` looks for them only then).
_PAGER_WORDS = ("pagination", "pager", "page-links")


@dataclass(frozen=True)
class Extracted:
    """An extraction before its last step: the article with its body HTML as
    found on the page (not yet sanitized), and what cleaning may use of the
    page (`PageContext.linked_texts`: the texts of its links, case-folded).

    `linked_texts` stays empty: filled from the page's links it changed no
    page of either labelled set and cost as much as parsing the page
    (measured with bench/extraction.py's sets), so it waits for a case
    that needs it."""

    article: Article
    linked_texts: frozenset[str] = frozenset()


def _error(url: str, reason: str, meta: Metadata | None = None,
           extra: dict[str, str] | None = None) -> Article:
    if meta is None:
        return Article(url=url, error=reason)
    return _article(url, meta, html="", text="", error=reason, extra=extra)


def _failed(url: str, reason: str, meta: Metadata | None = None,
            extra: dict[str, str] | None = None) -> Extracted:
    return Extracted(_error(url, reason, meta, extra))


def _article(url: str, meta: Metadata, *, html: str, text: str, error: str | None = None,
             extra: dict[str, str] | None = None) -> Article:
    return Article(
        url=url,
        title=meta.title,
        html=html,
        text=text,
        authors=tuple(meta.authors),
        published=meta.published,
        modified=meta.modified,
        image=meta.image,
        language=meta.language,
        canonical_url=meta.canonical_url,
        site_name=meta.site_name,
        description=meta.description,
        error=error,
        extra=meta.social | (extra or {}),
    )


def _ruled_body(
    page: str, url: str, rules: SiteRules, meta: Metadata, extra: dict[str, str]
) -> tuple[Body | None, str | None]:
    """Apply site rules; returns the body they found and their next-page URL."""
    ruled = apply_site_rules(page, url, rules)
    if ruled.single_page_url and ruled.single_page_url != url:
        extra["single_page_url"] = ruled.single_page_url
    if ruled.title:
        meta.title = ruled.title
    if ruled.authors:
        meta.authors = clean_authors(ruled.authors) or meta.authors
    date: datetime | None = parse_date(ruled.date)
    if date is not None:
        meta.published = date
    if ruled.body_html is None:
        return None, ruled.next_page_url
    fragment = LexborHTMLParser(f"<html><body>{ruled.body_html}</body></html>")
    root = fragment.body
    if root is None:
        return None, ruled.next_page_url
    for headline in root.css("h1"):  # the page's headline, which is the title, not body text
        headline.decompose()
    read_noscript(root)
    mark_captions(fragment, root)
    nodes = list(root.iter())
    if rules.prune:
        for node in nodes:
            prune(node)
    return Body(nodes, paragraphs_of(nodes)), ruled.next_page_url


def _generic_body(tree: LexborHTMLParser, text: str, declares_article: bool) -> Body | str:
    """The generic extractor's body; when the first pass keeps little or
    nothing (the body sits in a container named like furniture), a second
    pass on a fresh parse that ignores class names, if it finds clearly more.
    A page that declares itself an article (`Metadata.declares_article`)
    may be one short paragraph."""
    least = pt.MIN_ARTICLE_CHARS if declares_article else pt.MIN_BODY_CHARS
    found = extract_body(tree, min_chars=least)
    if found == LISTING:
        return found
    length = 0 if isinstance(found, str) else len(found.text)
    if length >= pt.RETRY_BELOW_CHARS:
        return found
    second = extract_body(LexborHTMLParser(text), relaxed=True, min_chars=least)
    if isinstance(second, str) or len(second.text) <= max(length * pt.RETRY_GAIN, length + pt.MIN_BODY_CHARS):
        return found
    return second


def _extract(page: bytes | str, url: str, content_type: str | None, rules: SiteRules | None) -> Extracted:
    if content_type and not any(kind in content_type.lower() for kind in _MARKUP_TYPES):
        return _failed(url, f"not an HTML page (content type {content_type.split(';')[0].strip()})")
    if isinstance(page, bytes):
        if not page or page.isspace():  # (not strip(): that copies the page)
            return _failed(url, "empty page")
        if looks_binary(page):
            return _failed(url, "not an HTML page (binary data)")
        text = decode_page(page, content_type)
    else:
        text = page
    if not text or text.isspace():
        return _failed(url, "empty page")
    reason = refusal(text)
    if reason:
        return _failed(url, reason)
    tree = LexborHTMLParser(text)
    nodes = scan_page(tree)
    meta = extract_metadata(tree, url, page=text, nodes=nodes)
    next_page = find_next_page(tree, url, has_pager=any(word in text for word in _PAGER_WORDS),
                               next_links=nodes.next_links)
    body: Body | None = None
    extra: dict[str, str] = {}
    if rules is not None:
        body, ruled_next = _ruled_body(text, url, rules, meta, extra)
        next_page = ruled_next or next_page
        if body is None and not rules.autodetect_on_failure:
            return _failed(url, f"site rule for {rules.host} found no body", meta, extra)
    if body is None and tree.body is None and tree.css_first("frameset") is not None:
        frames = [urljoin(url, src) for node in tree.css("frame[src], iframe[src]")
                  if (src := (node.attributes.get("src") or "").strip())]
        if frames:
            extra["frame_urls"] = " ".join(frames)
        named = f": {', '.join(frames[:3])}" if frames else ""
        return _failed(url, f"no article found: the page is a frameset, its text is in other pages{named}", meta, extra)
    if body is None:
        found = _generic_body(tree, text, meta.declares_article)
        if isinstance(found, str):
            return _failed(url, f"no article found: {found}", meta, extra)
        body = found
    if not body.paragraphs:
        return _failed(url, "no article found: the site rule's body holds no text", meta, extra)
    if len(body.text) > MAX_ARTICLE_CHARS:
        return _failed(url, f"article text too long ({len(body.text):,} characters, limit {MAX_ARTICLE_CHARS:,})",
                       meta, extra)
    first_image = resolve_images(body.nodes, url)
    guessed = guess_language(body.text)
    if guessed:  # the text's own words beat a template's declaration
        meta.language = guessed
    if next_page:
        extra["next_page_url"] = next_page
    html = _CONTROL_RE.sub("", body.html)
    if "<pre" not in html:  # elsewhere line breaks and indentation are the template's
        html = "\n".join(line for piece in html.split("\n") if (line := piece.strip()))
    if first_image is None and meta.image:  # the page names its picture; the body shows none
        html = f'<figure><img src="{escape(meta.image)}" alt=""></figure>\n{html}'
    meta.image = meta.image or first_image
    return Extracted(_article(url, meta, html=html, text=_CONTROL_RE.sub("", body.text), extra=extra))


def clean_extracted(article: Article, linked: frozenset[str] = frozenset()) -> Article:
    """The article with residue removed (its HTML sanitized); if cleaning
    fails on it, the article sanitized but otherwise as extracted (nothing
    of the story is lost)."""
    if article.error:
        return article
    try:
        return clean_article(article, context_of(article, linked_texts=linked))
    except Exception:
        log.exception("cleaning %s failed; kept as extracted", article.url)
        return _sanitized(article)


def _sanitized(article: Article) -> Article:
    """The article with its HTML sanitized and its text rendered from it."""
    html = sanitize_html(article.html, base_url=article.url)
    return dataclasses.replace(article, html=html, text=html_to_text(html))


def finish(extracted: Extracted, *, clean: bool = True) -> Article:
    """The article an extraction gives: cleaned, or only sanitized."""
    article = extracted.article
    if article.error:
        return article
    if clean:
        return clean_extracted(article, extracted.linked_texts)
    try:
        return _sanitized(article)
    except Exception as error:
        log.exception("rendering %s failed", article.url)
        return _error(article.url, f"extraction failed: {type(error).__name__}: {error}")


def extract_page(
    page: bytes | str,
    url: str,
    *,
    content_type: str | None = None,
    rules: SiteRules | None = None,
) -> Extracted:
    """The article in `page` before its last step (`finish`); never raises on bad input."""
    try:
        return _extract(page, url, content_type, rules)
    except Exception as error:  # a parser bug on one hostile page must not stop a feed
        log.exception("extraction of %s failed", url)
        return _failed(url, f"extraction failed: {type(error).__name__}: {error}")


def extract_article(
    page: bytes | str,
    url: str,
    *,
    content_type: str | None = None,
    rules: SiteRules | None = None,
    clean: bool = True,
) -> Article:
    """The article in `page` (fetched from `url`), cleaned unless `clean` is
    False (then only sanitized); never raises on bad input.

    This is the one extraction function: `syndic extract`, the pipeline, the
    Celery worker and the Full-Text-RSS endpoint all reach a page through it
    (`syndic.run.article` adds the fetching of a multi-page article's later
    pages, extracted with `clean=False`, joined, then cleaned once).
    """
    return finish(extract_page(page, url, content_type=content_type, rules=rules), clean=clean)
