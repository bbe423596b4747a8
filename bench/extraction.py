"""Article-body accuracy and speed: syndic against the open-source extractors.

Run `python bench/extraction.py [--limit N] [--data FOLDER]`. Every extractor
runs in this one process, one after another, on the same pages (the
Scrapinghub article-extraction benchmark, 181 labelled news pages), and the
script prints one Markdown table: F1, precision and recall of word 4-gram
shingles (`syndic.extract.evaluate`, the same code the quality-gate test
uses) and pages per second, where the time is the sum of the extract calls
(parsing included; for syndic decoding the bytes too, peers get a decoded
string). A page an extractor raises on scores 0 and is counted in the last
column; an extractor that is not installed is listed as unavailable. The
second table is the per-field accuracy of syndic's metadata on the
hand-labelled pages of `bench/data/metadata_labels.json`.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from syndic.extract import extract_article
from syndic.extract.evaluate import (
    METADATA_FIELDS,
    LabelledPage,
    load_benchmark,
    load_metadata_labels,
    metadata_hits,
    score_pages,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "scrapinghub"

# An extractor: (raw bytes, decoded text, url) -> body text.
Extractor = Callable[[bytes, str, str], str]


def syndic_extractor() -> Extractor:
    return lambda raw, _html, url: extract_article(raw, url).text


def trafilatura_extractor() -> Extractor:
    import trafilatura

    return lambda _raw, html, url: trafilatura.extract(html, url=url) or ""


def readability_extractor() -> Extractor:
    import lxml.html
    from readability import Document

    def run(_raw: bytes, html: str, _url: str) -> str:
        summary = Document(html).summary()
        return " ".join(lxml.html.fromstring(summary).itertext()) if summary.strip() else ""

    return run


def resiliparse_extractor() -> Extractor:
    from resiliparse.extract.html2text import extract_plain_text

    return lambda _raw, html, _url: extract_plain_text(html, main_content=True) or ""


def newspaper_extractor() -> Extractor:
    from newspaper import Article

    def run(_raw: bytes, html: str, url: str) -> str:
        article = Article(url, fetch_images=False)
        article.download(input_html=html)
        article.parse()
        return str(article.text or "")

    return run


def goose_extractor() -> Extractor:
    from goose3 import Goose

    goose = Goose()
    return lambda _raw, html, _url: goose.extract(raw_html=html).cleaned_text or ""


EXTRACTORS: list[tuple[str, Callable[[], Extractor]]] = [
    ("syndic", syndic_extractor),
    ("trafilatura", trafilatura_extractor),
    ("readability-lxml", readability_extractor),
    ("resiliparse", resiliparse_extractor),
    ("newspaper4k", newspaper_extractor),
    ("goose3", goose_extractor),
]


def measure(
    extract: Extractor, pages: list[LabelledPage], texts: list[str]
) -> tuple[list[str], float, int]:
    """Outputs of `extract` on every page, the seconds spent in it, and how
    many pages it raised on (those score 0)."""
    with contextlib.suppress(Exception):  # warm-up: lazy imports, caches
        extract(pages[0].html, texts[0], pages[0].url)
    outputs: list[str] = []
    spent = 0.0
    errors = 0
    for page, text in zip(pages, texts, strict=True):
        start = time.perf_counter()
        try:
            output = extract(page.html, text, page.url)
        except Exception:
            output = ""
            errors += 1
        spent += time.perf_counter() - start
        outputs.append(output)
    return outputs, spent, errors


METADATA_LABELS = Path(__file__).resolve().parent / "data" / "metadata_labels.json"
def metadata_table(data: Path) -> list[str]:
    """Per-field accuracy of syndic's metadata on the hand-labelled pages."""
    labels = load_metadata_labels(METADATA_LABELS)
    pages = {page.key: page for page in load_benchmark(data)}
    correct: dict[str, int] = dict.fromkeys(METADATA_FIELDS, 0)
    total: dict[str, int] = dict.fromkeys(METADATA_FIELDS, 0)
    for key, label in labels.items():
        page = pages.get(key)
        if page is None:
            continue
        for name, hit in metadata_hits(extract_article(page.html, page.url), label).items():
            total[name] += 1
            correct[name] += hit
    rows = [f"\nMetadata, {len(labels)} hand-labelled pages ({METADATA_LABELS.name})\n",
            "| field | correct | labelled | accuracy |", "|---|---:|---:|---:|"]
    for name in METADATA_FIELDS:
        share = correct[name] / total[name] if total[name] else 0.0
        rows.append(f"| {name} | {correct[name]} | {total[name]} | {share:.2f} |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument("--only", nargs="*", default=None, help="extractor names to run")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    pages = list(load_benchmark(args.data, args.limit))
    if not pages:
        print(f"no pages in {args.data}", file=sys.stderr)
        return 1
    texts = [page.html.decode("utf-8", errors="replace") for page in pages]
    rows: list[str] = []
    notes: list[str] = []
    speeds: dict[str, float] = {}
    for name, factory in EXTRACTORS:
        if args.only and name not in args.only:
            continue
        try:
            extract = factory()
        except Exception as error:  # not installed, or fails to import
            notes.append(f"- {name}: unavailable ({type(error).__name__}: {error})")
            continue
        outputs, spent, errors = measure(extract, pages, texts)
        score = score_pages(zip(outputs, (page.body for page in pages), strict=True))
        speed = len(pages) / spent if spent else float("inf")
        speeds[name] = speed
        rows.append(
            f"| {name} | {score.f1:.3f} | {score.precision:.3f} | {score.recall:.3f} "
            f"| {speed:.1f} | {errors} |"
        )
        print(f"{name} done", file=sys.stderr)
    print(f"Article bodies, {len(pages)} pages of {args.data.name}, one core, sequential\n")
    print("| extractor | F1 | precision | recall | pages/s | pages raised on |")
    print("|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    if "syndic" in speeds and speeds.get("trafilatura"):
        print(f"\nsyndic runs {speeds['syndic'] / speeds['trafilatura']:.1f}x trafilatura's pages/s")
    if notes:
        print("\n" + "\n".join(notes))
    if METADATA_LABELS.is_file() and (not args.only or "syndic" in args.only):
        print("\n".join(metadata_table(args.data)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
