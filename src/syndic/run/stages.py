"""The CPU-bound stage functions, pure and picklable, for any executor.

`page_to_article` turns fetched page bytes into an article: decode, extract
(site rules first), clean, canonical URL. `join_pages` joins the pages of a
multi-page article and cleans the whole once. They take and return plain
values so the same call runs inline, in a thread, in a process pool, or in a
Celery task; `syndic.run.article` is the one caller that sequences them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from syndic import dedupe, extract
from syndic.types import Article


@dataclass(frozen=True)
class PageJob:
    url: str  # the URL fetched (after redirects)
    body: bytes
    content_type: str | None
    rules_dir: str | None = None
    feed_authors: tuple[str, ...] = ()
    clean: bool = True
    follow_pages: bool = False
    """The caller will fetch later pages: a page that has one is left
    uncleaned, to be cleaned once joined (`join_pages`)."""


@dataclass(frozen=True)
class JoinJob:
    first: Article
    rest: tuple[Article, ...]
    clean: bool = True


@dataclass(frozen=True)
class PageResult:
    article: Article
    canonical_url: str
    next_page_url: str | None


def rules_for(rules_dir: str | None, url: str) -> extract.SiteRules | None:
    if not rules_dir:
        return None
    folder = Path(rules_dir)
    if not folder.is_dir():
        return None
    host = urlsplit(url).hostname or ""
    return extract.load_site_rules(folder, host)


def page_to_article(job: PageJob) -> PageResult:
    """Extract (and clean) one page; never raises for bad pages (the article says why)."""
    rules = rules_for(job.rules_dir, job.url)
    extracted = extract.extract_page(job.body, job.url, content_type=job.content_type, rules=rules)
    article = extracted.article
    if article.error:
        return PageResult(article, dedupe.canonical_url(job.url), None)
    if not article.authors and job.feed_authors:
        extracted = replace(extracted, article=replace(article, authors=job.feed_authors))
    # The dedupe key is the page's own address, folded: a page whose rel=canonical
    # points elsewhere (a partner's copy of the wire, even on the same host) stays a
    # copy under its own address, grouped with the original by its text, and never
    # becomes a revision of the page it points to.
    canonical = dedupe.canonical_url(job.url)
    next_page = article.extra.get("next_page_url") if job.follow_pages else None
    # a page with a later one is cleaned once joined (join_pages)
    return PageResult(extract.finish(extracted, clean=job.clean and not next_page), canonical, next_page)


def join_pages(job: JoinJob) -> Article:
    """A multi-page article: pages joined in order, then cleaned as one."""
    article = extract.merge_pages(job.first, job.rest)
    return extract.clean_extracted(article) if job.clean else article
