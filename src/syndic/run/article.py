"""One article from its page: the path every caller takes.

`syndic extract`, the pipeline, the Celery worker and the Full-Text-RSS
endpoint all turn a fetched page into an article through `article_from_page`
(or `article_from_url`, which fetches the page first), so they give the same
article: site rules, the generic extractor, the later pages of a multi-page
article joined in order, cleaning, the canonical URL. Only two things differ
by caller and are passed in: how to fetch a URL (the guarded client, with or
without robots.txt; none at all for a file or an archive, where later pages
cannot be had) and where CPU work runs (inline, a thread, a process pool).

The CPU work is the pure stage functions of `stages.py`, picklable, so a
process pool or a Celery task runs exactly what an inline call runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from typing import Protocol, TypeVar

from syndic.errors import SyndicError
from syndic.run.stages import JoinJob, PageJob, PageResult, join_pages, page_to_article
from syndic.types import Article, Fetch, Fetched

log = logging.getLogger("syndic.run")

MAX_EXTRA_PAGES = 10
"""Later pages followed at most (a pager that never ends is a site bug)."""

_In = TypeVar("_In")
_Out = TypeVar("_Out")




class CpuRunner(Protocol):
    """Runs `fn(arg)` somewhere (inline, a thread, a process pool) and awaits it."""

    def __call__(self, fn: Callable[[_In], _Out], arg: _In, /) -> Awaitable[_Out]: ...


async def run_inline(fn: Callable[[_In], _Out], arg: _In, /) -> _Out:
    """The runner for one page at a time (the CLI): no pool to start."""
    return fn(arg)


async def run_in_thread(fn: Callable[[_In], _Out], arg: _In, /) -> _Out:
    """A runner that keeps the event loop answering while a page is extracted, without a pool.

    The extractor's C parts (lxml, the sanitizer) hold the GIL for tenths of a second on a
    large page, so a busy server should prefer `run_in_pool`.
    """
    return await asyncio.to_thread(fn, arg)


def run_in_pool(executor: Executor) -> CpuRunner:
    """The runner for a server: pages extracted in other processes, so no step of the
    extraction can hold the server's interpreter (and its event loop) while it runs."""

    async def run(fn: Callable[[_In], _Out], arg: _In, /) -> _Out:
        return await asyncio.get_running_loop().run_in_executor(executor, fn, arg)

    return run


async def article_from_page(
    first: Fetched,
    *,
    run_cpu: CpuRunner = run_inline,
    fetch: Fetch | None = None,
    rules_dir: str | None = None,
    feed_authors: tuple[str, ...] = (),
    clean: bool = True,
    max_extra_pages: int = MAX_EXTRA_PAGES,
) -> PageResult:
    """The article of an already fetched page; never raises for a bad page.

    With `fetch`, the later pages of a multi-page article are fetched and
    joined (a later page that fails ends the article there); the joined
    article is cleaned once. Without it, the page is the whole article.
    """
    follow = fetch is not None and max_extra_pages > 0
    job = PageJob(first.final_url, first.body, first.content_type, rules_dir, feed_authors,
                  clean=clean, follow_pages=follow)
    result = await run_cpu(page_to_article, job)
    if fetch is None or result.article.error or not result.next_page_url:
        return result
    pages: list[Article] = []
    seen = {first.final_url, result.article.url}
    next_url: str | None = result.next_page_url
    while next_url and next_url not in seen and len(pages) < max_extra_pages:
        seen.add(next_url)
        try:
            more = await fetch(next_url)
        except SyndicError as exc:
            log.info("next page %s of %s failed: %s", next_url, first.final_url, exc)
            break
        later = PageJob(more.final_url, more.body, more.content_type, rules_dir, clean=False, follow_pages=True)
        page = await run_cpu(page_to_article, later)
        if page.article.error:
            break
        pages.append(page.article)
        next_url = page.next_page_url
    joined = await run_cpu(join_pages, JoinJob(result.article, tuple(pages), clean=clean))
    return PageResult(joined, result.canonical_url, None)


async def article_from_url(
    url: str,
    *,
    fetch: Fetch,
    run_cpu: CpuRunner = run_inline,
    rules_dir: str | None = None,
    feed_authors: tuple[str, ...] = (),
    clean: bool = True,
    max_extra_pages: int = MAX_EXTRA_PAGES,
) -> PageResult:
    """Fetch `url` and give its article (see `article_from_page`); a failed
    fetch of the first page raises, as the caller records it on its item."""
    first = await fetch(url)
    return await article_from_page(
        first, run_cpu=run_cpu, fetch=fetch, rules_dir=rules_dir, feed_authors=feed_authors,
        clean=clean, max_extra_pages=max_extra_pages,
    )
