"""Published dates and authors: syndic beside htmldate and trafilatura, on hand-labelled pages.

Run `python bench/metadata.py`. Every tool runs in this one process on the
same pages, in three groups: `tuned`, the 30 Scrapinghub pages of
`bench/data/metadata_labels.json` that syndic's metadata code was first
written against; `dev`, 93 pages of both benchmark sets labelled by reading
them (`bench/data/date_author_labels.json`), on which syndic was measured
first and then improved; `check`, 32 more trafilatura-dev pages labelled
after that work and used once, to check it. A date is right when it is one
of the accepted calendar dates (the UTC date, or the local one where they
differ), or when the page shows none and the tool gives none; authors are
right when the set of names matches, case-insensitively. The date table is
also split by where the page carries its date (JSON-LD, meta tags,
`<time>`, visible text, nowhere); times are milliseconds per page spent in
the tool (syndic's includes extracting and cleaning the whole article).

- syndic: `extract_article` (extraction and cleaning, what users get).
- htmldate: `find_date(html, url=, original_date=True)` (dates only).
- trafilatura: `extract_metadata(html, default_url=)`.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from evaluate import authors_hit as shared_authors_hit
from evaluate import (
    load_benchmark,
    load_date_author_labels,
    load_metadata_labels,
    published_date_hit,
)
from syndic.extract import extract_article

DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench"
SOURCES = ("jsonld", "meta", "time", "text", "none")
GROUPS = ("check", "dev", "tuned")


@dataclass(frozen=True)
class Page:
    key: str
    group: str  # "tuned" (the 30 first written against), "dev" (93, improved against), "check" (32, used once)
    url: str
    html: bytes
    dates: list[str] | None  # accepted ISO dates; [] = the page shows none; None = unlabelled
    authors: list[str] | None
    source: str


@dataclass(frozen=True)
class Answer:
    date: str | None  # ISO calendar date
    authors: list[str] | None  # None: the tool does not read authors


Tool = Callable[[Page], Answer]


def _source_of(page_html: str) -> str:
    """Where the 30 older labels' pages carry a date (they were not labelled with it)."""
    lowered = page_html.lower()
    if '"datepublished"' in lowered:
        return "jsonld"
    if "published_time" in lowered or 'itemprop="datepublished"' in lowered or 'name="pubdate"' in lowered:
        return "meta"
    if "<time" in lowered:
        return "time"
    return "text"


def load_pages() -> list[Page]:
    pages: list[Page] = []
    bodies = {p.key: p for p in load_benchmark(SHARED / "scrapinghub")}
    old = load_metadata_labels(DATA / "metadata_labels.json")
    for key, label in sorted(old.items()):
        page = bodies[key]
        dates = label.get("published_utc_date")
        source = _source_of(page.html.decode("utf-8", "replace")) if dates else "none"
        pages.append(Page(key, "tuned", page.url, page.html, dates, label.get("authors"), source))
    for item in load_date_author_labels(DATA / "date_author_labels.json", SHARED):
        pages.append(Page(item.key, item.round, item.url, item.html, item.dates, item.authors, item.source))
    return pages


def _http_url(url: str) -> str | None:
    return url if url.startswith(("http://", "https://")) else None


def syndic_tool() -> Tool:
    def run(page: Page) -> Answer:
        article = extract_article(page.html, _http_url(page.url) or "https://unknown.invalid/")
        date = article.published.astimezone(UTC).date().isoformat() if article.published else None
        return Answer(date, list(article.authors))

    return run


def htmldate_tool() -> Tool:
    from htmldate import find_date

    def run(page: Page) -> Answer:
        found = find_date(page.html.decode("utf-8", "replace"), url=_http_url(page.url), original_date=True)
        return Answer(found or None, None)

    return run


def trafilatura_tool() -> Tool:
    from trafilatura import extract_metadata

    def run(page: Page) -> Answer:
        meta = extract_metadata(page.html.decode("utf-8", "replace"), default_url=_http_url(page.url))
        if meta is None:
            return Answer(None, [])
        authors = [a.strip() for a in (meta.author or "").split(";") if a.strip()]
        return Answer(meta.date or None, authors)

    return run


TOOLS: list[tuple[str, Callable[[], Tool]]] = [
    ("syndic", syndic_tool),
    ("htmldate", htmldate_tool),
    ("trafilatura", trafilatura_tool),
]


def date_hit(page: Page, answer: Answer) -> bool | None:
    return published_date_hit(page.dates, answer.date)


def authors_hit(page: Page, answer: Answer) -> bool | None:
    return shared_authors_hit(page.authors, answer.authors)


def _share(hits: list[bool | None]) -> str:
    judged = [h for h in hits if h is not None]
    return f"{sum(judged) / len(judged):.2f} ({sum(judged)}/{len(judged)})" if judged else "—"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every page a tool gets wrong")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    pages = load_pages()
    answers: dict[str, list[Answer]] = {}
    speed: dict[str, float] = {}
    for name, factory in TOOLS:
        try:
            tool = factory()
        except ImportError as error:
            print(f"- {name}: unavailable ({error})", file=sys.stderr)
            continue
        out: list[Answer] = []
        spent = 0.0
        for page in pages:
            started = time.perf_counter()
            try:
                answer = tool(page)
            except Exception:  # a tool that raises on a page gets it wrong
                answer = Answer(None, [])
            spent += time.perf_counter() - started
            out.append(answer)
        answers[name] = out
        speed[name] = spent / len(pages) * 1000
    counts = {s: sum(1 for p in pages if p.source == s and p.dates is not None) for s in SOURCES}
    print(f"Published date, {len(pages)} hand-labelled pages (by where the page carries the date)\n")
    header = " | ".join(f"{s} ({counts[s]})" for s in SOURCES)
    print(f"| tool | check (32) | dev (93) | tuned (30) | {header} | ms/page |")
    print("|---|---:|---:|---:|" + "---:|" * len(SOURCES) + "---:|")
    for name, out in answers.items():
        hits = [date_hit(p, a) for p, a in zip(pages, out, strict=True)]
        cells = [
            *(_share([h for p, h in zip(pages, hits, strict=True) if p.group == g]) for g in GROUPS),
            *(_share([h for p, h in zip(pages, hits, strict=True) if p.source == s]) for s in SOURCES),
        ]
        print(f"| {name} | " + " | ".join(cells) + f" | {speed[name]:.1f} |")
    print("\nAuthors, same pages (a set of names, case-insensitive)\n")
    print("| tool | check (32) | dev (93) | tuned (30) |")
    print("|---|---:|---:|---:|")
    for name, out in answers.items():
        hits = [authors_hit(p, a) for p, a in zip(pages, out, strict=True)]
        if all(h is None for h in hits):
            continue
        cells = [_share([h for p, h in zip(pages, hits, strict=True) if p.group == g]) for g in GROUPS]
        print(f"| {name} | " + " | ".join(cells) + " |")
    if args.misses:
        for name, out in answers.items():
            print(f"\n{name} misses:")
            for page, answer in zip(pages, out, strict=True):
                date_ok, authors_ok = date_hit(page, answer), authors_hit(page, answer)
                if date_ok is False:
                    print(f"  date    {page.key[:40]:40} got {answer.date} want {page.dates} ({page.source})")
                if authors_ok is False:
                    print(f"  authors {page.key[:40]:40} got {answer.authors} want {page.authors}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
