"""One page or one text at a time: extract an article from a URL or HTML, clean a text, read a WARC.

Extraction needs no store, so besides the `Syndic.extraction` area every
function here works on settings alone (`syndic extract` and `syndic clean`
never open a database):

    from syndic.config import load_settings
    from syndic.library import extraction

    article = asyncio.run(extraction.article_from_url(load_settings(), "https://example.org/a"))
    print(article.title, article.text)

It is the one extraction path: what the pipeline stores and the
Full-Text-RSS endpoint serves (site rules, a multi-page article's later
pages fetched and joined, cleaning).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from syndic import clean as cleaning
from syndic.config import Settings, net_settings
from syndic.extract import to_markdown as _to_markdown
from syndic.extract import warc
from syndic.library.core import Core
from syndic.net import Fetcher, FetchResult
from syndic.run import article as run_article
from syndic.run import site_config
from syndic.run.pipeline import PAGE_ACCEPT
from syndic.run.stages import PageJob, page_to_article
from syndic.types import Article

SITE_CONFIG_SOURCE = "https://github.com/fivefilters/ftr-site-config/archive/refs/heads/master.tar.gz"
"""Where the community's FiveFilters site rules come from (a tarball of the rule repository)."""

__all__ = [
    "SITE_CONFIG_SOURCE", "Article", "CleanResult", "Extraction", "WarcArticles", "article_from_html",
    "article_from_url", "clean", "clean_report", "is_warc", "to_markdown", "update_site_config",
]

CleanResult = cleaning.CleanResult


@dataclass(frozen=True)
class _Page:
    """A page read from a file or stdin, in the shape of a fetched one."""

    final_url: str
    body: bytes
    content_type: str | None = None


async def article_from_url(settings: Settings, url: str, *, clean: bool = True) -> Article:
    """Fetch `url` through the guarded client and extract its article (later pages fetched and joined).

    Private addresses are refused unless `settings.allow_networks` allows
    them. A failed fetch of the page raises `FetchError`; a page with no
    article gives an `Article` whose `error` says why. `clean=False` keeps
    the extractor's output without residue removal.
    """
    rules_dir = str(settings.resolved_site_config_dir())
    async with Fetcher(net_settings(settings)) as fetcher:

        async def fetch(page_url: str) -> FetchResult:
            return await fetcher.fetch(page_url, accept=PAGE_ACCEPT)

        result = await run_article.article_from_url(url, fetch=fetch, rules_dir=rules_dir, clean=clean)
    return result.article


async def article_from_html(
    settings: Settings, html: bytes, url: str, *, content_type: str | None = None, clean: bool = True
) -> Article:
    """The article of a page already at hand (a file, stdin), as if fetched from `url`.

    `url` resolves the page's links and picks its site rules. The page is the
    whole article: later pages of a multi-page article are not fetched.
    Never raises for a bad page: the `Article`'s `error` says why.
    """
    page = _Page(url, html, content_type)
    rules_dir = str(settings.resolved_site_config_dir())
    result = await run_article.article_from_page(page, rules_dir=rules_dir, clean=clean)
    return result.article


def clean(text: str) -> CleanResult:
    """Remove residue (teasers, promo stamps, feed footers) from a text or an HTML fragment.

    HTML is recognised and cleaned as HTML. A byline that lost a name is
    reported (`byline_problem`), never passed on as an author.
    """
    return cleaning.clean_html(text) if cleaning.looks_like_html(text) else cleaning.clean_text(text)


def clean_report(result: CleanResult) -> dict[str, object]:
    """A cleaning result as plain data: text, authors, byline_problem and what was removed."""
    return cleaning.clean_report(result)


def to_markdown(html: str) -> str:
    """An article's HTML as Markdown."""
    return _to_markdown(html)


def is_warc(path: Path) -> bool:
    """Whether the file is a WARC archive (gzipped or not)."""
    return warc.is_warc(path)


@dataclass
class WarcArticles:
    """Every HTML page captured with HTTP 200 in a WARC archive, extracted, in archive order.

    Iterate it for the articles: pages are extracted on every core
    (`settings.extract_workers` processes). An article whose `error` is set
    is a page that gave none. `skips` counts the records that were not such
    pages, by reason, once iteration is done. A broken archive raises
    `ExtractionError` while iterating.
    """

    settings: Settings
    path: Path
    clean: bool = True
    skips: warc.WarcSkips = field(default_factory=warc.WarcSkips)

    def __iter__(self) -> Iterator[Article]:
        rules_dir = str(self.settings.resolved_site_config_dir())
        workers = self.settings.extract_workers or (os.cpu_count() or 1)
        with self.path.open("rb") as stream, ProcessPoolExecutor(max_workers=workers) as pool:
            jobs = (
                PageJob(page.url, page.body, page.content_type, rules_dir, clean=self.clean)
                for page in warc.iter_pages(stream, max_body_bytes=self.settings.max_body_bytes, skips=self.skips)
            )
            for result in pool.map(page_to_article, jobs, chunksize=8):
                article = result.article
                if article.error:
                    yield article
                else:
                    # the page's declared canonical as a link, never the dedupe key (result.canonical_url)
                    yield replace(article, canonical_url=article.canonical_url or article.url)


def update_site_config(settings: Settings, source: str = SITE_CONFIG_SOURCE) -> tuple[int, Path]:
    """Download the site rules tarball from `source` into the site-config folder; how many rule files, where.

    The folder is `settings.resolved_site_config_dir()`; extraction reads
    its rules (one file per host) from there. Fetched through the guarded
    client with a size cap.
    """
    target = settings.resolved_site_config_dir()
    return site_config.update_site_config(source, target, net_settings(settings)), target


class Extraction:
    """One page or one text at a time: extract an article from a URL or HTML, clean a text, read a WARC."""

    def __init__(self, core: Core) -> None:
        self._core = core

    async def article_from_url(self, url: str, *, clean: bool = True) -> Article:
        """Fetch `url` and extract its article (see the module's `article_from_url`)."""
        return await article_from_url(self._core.settings, url, clean=clean)

    async def article_from_html(
        self, html: bytes, url: str, *, content_type: str | None = None, clean: bool = True
    ) -> Article:
        """The article of a page already at hand (see the module's `article_from_html`)."""
        return await article_from_html(self._core.settings, html, url, content_type=content_type, clean=clean)

    def clean(self, text: str) -> CleanResult:
        """Remove residue from a text or an HTML fragment (see the module's `clean`)."""
        return clean(text)

    def warc(self, path: Path, *, clean: bool = True) -> WarcArticles:
        """The articles of a WARC archive's pages, extracted on every core (see `WarcArticles`)."""
        return WarcArticles(self._core.settings, path, clean=clean)

    def update_site_config(self, source: str = SITE_CONFIG_SOURCE) -> tuple[int, Path]:
        """Download or update the community site rules (see the module's `update_site_config`)."""
        return update_site_config(self._core.settings, source)
