"""Article-body accuracy and speed: syndic against the open-source extractors.

Run `python bench/extraction.py [--limit N] [--only NAME ...]`. Every
extractor runs in this one process, one after another, on the same pages of
both labelled sets in `../shared/bench`:

- `scrapinghub`: 181 news pages with their whole article body; scored by word
  4-gram shingles (`bench/evaluate.py` `score_pages`, the metric of the
  Scrapinghub benchmark and of the quality gate), P and R averaged per page.
- `trafilatura-dev`: 506 pages of every kind with text segments that must
  (`with`) or must not (`without`) be in the output; scored by trafilatura's
  own evaluation (`score_segments`), P, R and F over the totals. It is
  also printed per half (by the parity of the second byte of the URL's SHA-1),
  the split used to hold data out while tuning.

syndic runs as users get it (`extract_article`, cleaning on: what
`syndic extract`, the pipeline and the Full-Text-RSS endpoint output) and
with cleaning off. pages/s is pages divided by the CPU time this process
spends in the extract calls (`time.process_time`: one core, and the same
measure for every extractor however busy the machine is), parsing included;
the extractors take turns page by page, so a drift in the machine's load
during the run weighs on all of them alike;
syndic's time includes decoding the bytes, while peers get a string already
decoded by syndic's decoder (so a mis-declared page costs them nothing). A page an extractor raises on scores as empty and is
counted in the last column; an extractor that is not installed is listed as
unavailable. The last table is the per-field accuracy of syndic's metadata
on the hand-labelled pages of `bench/data/metadata_labels.json`.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from evaluate import (
    METADATA_FIELDS,
    SegmentPage,
    load_benchmark,
    load_metadata_labels,
    load_segment_benchmark,
    metadata_hits,
    score_pages,
    score_segments,
)
from syndic.extract import extract_article
from syndic.extract.decode import decode_page

SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/bench")

# An extractor: (raw bytes, decoded text, url) -> body text.
Extractor = Callable[[bytes, str, str], str]


def syndic_extractor() -> Extractor:
    return lambda raw, _html, url: extract_article(raw, url).text


def syndic_raw_extractor() -> Extractor:
    return lambda raw, _html, url: extract_article(raw, url, clean=False).text


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


SYNDIC = "syndic (extract + clean)"
EXTRACTORS: list[tuple[str, Callable[[], Extractor]]] = [
    (SYNDIC, syndic_extractor),
    ("syndic (extract only)", syndic_raw_extractor),
    ("trafilatura", trafilatura_extractor),
    ("readability-lxml", readability_extractor),
    ("resiliparse", resiliparse_extractor),
    ("newspaper4k", newspaper_extractor),
    ("goose3", goose_extractor),
]


@dataclass
class Page:
    url: str
    raw: bytes
    text: str
    body: str = ""  # scrapinghub's labelled body
    segments: SegmentPage | None = None  # trafilatura-dev's labelled segments


@dataclass
class Run:
    outputs: list[str]
    seconds: float
    errors: int

    def speed(self) -> float:
        return len(self.outputs) / self.seconds if self.seconds else float("inf")


def measure(extractors: Sequence[tuple[str, Extractor]], pages: Sequence[Page]) -> dict[str, Run]:
    """Outputs of every extractor on every page, the CPU seconds each spent,
    and how many pages each raised on (those score as empty).

    The extractors take turns page by page (the first one of each page
    rotating), not set by set: the machine's load drifts over a run (other
    processes take the cores and the caches), and a comparison of speeds is
    only fair when every extractor meets the same drift."""
    for _, extract in extractors:
        with contextlib.suppress(Exception):  # warm-up: lazy imports, caches
            extract(pages[0].raw, pages[0].text, pages[0].url)
    runs = {name: Run([], 0.0, 0) for name, _ in extractors}
    for index, page in enumerate(pages):
        turn = index % len(extractors)
        for name, extract in [*extractors[turn:], *extractors[:turn]]:
            run = runs[name]
            start = time.process_time()
            try:
                output = extract(page.raw, page.text, page.url)
            except Exception:
                output = ""
                run.errors += 1
            run.seconds += time.process_time() - start
            run.outputs.append(output)
    return runs


def half_of(url: str) -> int:
    """0 or 1: the held-out split of trafilatura-dev (its pages already all
    have an even first SHA-1 byte, so the second byte splits them)."""
    return hashlib.sha1(url.encode()).digest()[1] % 2


def load_sets(limit: int | None) -> dict[str, list[Page]]:
    sets: dict[str, list[Page]] = {}
    folder = SHARED / "scrapinghub"
    if (folder / "ground-truth.json").is_file():
        sets["scrapinghub"] = [
            Page(p.url, p.html, p.html.decode("utf-8", errors="replace"), body=p.body)
            for p in load_benchmark(folder, limit)
        ]
    folder = SHARED / "trafilatura-dev"
    if (folder / "evaldata.json").is_file():
        sets["trafilatura-dev"] = [
            Page(p.url, p.html, decode_page(p.html), segments=p)
            for p in load_segment_benchmark(folder, limit)
        ]
    return sets


def score_row(name: str, pages: Sequence[Page], run: Run, keep: Callable[[Page], bool]) -> str:
    chosen = [(out, page) for out, page in zip(run.outputs, pages, strict=True) if keep(page)]
    if chosen and chosen[0][1].segments is not None:
        seg = score_segments((out, page.segments) for out, page in chosen if page.segments)
        p, r, f = seg.precision, seg.recall, seg.f1
    else:
        sh = score_pages((out, page.body) for out, page in chosen)
        p, r, f = sh.precision, sh.recall, sh.f1
    return f"| {name} | {f:.3f} | {p:.3f} | {r:.3f} |"


def metadata_table(labels_path: Path) -> list[str]:
    """Per-field accuracy of syndic's metadata on the hand-labelled scrapinghub pages."""
    labels = load_metadata_labels(labels_path)
    keyed = {p.key: p for p in load_benchmark(SHARED / "scrapinghub")}
    correct: dict[str, int] = dict.fromkeys(METADATA_FIELDS, 0)
    total: dict[str, int] = dict.fromkeys(METADATA_FIELDS, 0)
    for key, label in labels.items():
        page = keyed.get(key)
        if page is None:
            continue
        for name, hit in metadata_hits(extract_article(page.html, page.url), label).items():
            total[name] += 1
            correct[name] += hit
    rows = [f"\nMetadata, {len(labels)} hand-labelled scrapinghub pages ({labels_path.name})\n",
            "| field | correct | labelled | accuracy |", "|---|---:|---:|---:|"]
    for name in METADATA_FIELDS:
        share = correct[name] / total[name] if total[name] else 0.0
        rows.append(f"| {name} | {correct[name]} | {total[name]} | {share:.2f} |")
    return rows


METADATA_LABELS = Path(__file__).resolve().parent / "data" / "metadata_labels.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages of each set")
    parser.add_argument("--only", nargs="*", default=None, help="extractor names to run (prefix match)")
    parser.add_argument("--sets", nargs="*", default=None, help="scrapinghub and/or trafilatura-dev")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    sets = load_sets(args.limit)
    if args.sets:
        sets = {name: pages for name, pages in sets.items() if name in args.sets}
    if not sets:
        print(f"no labelled sets in {SHARED}", file=sys.stderr)
        return 1
    factories: list[tuple[str, Extractor]] = []
    notes: list[str] = []
    for name, factory in EXTRACTORS:
        if args.only and not any(name.startswith(o) for o in args.only):
            continue
        try:
            factories.append((name, factory()))
        except Exception as error:  # not installed, or fails to import
            notes.append(f"- {name}: unavailable ({type(error).__name__}: {error})")
    runs: dict[str, dict[str, Run]] = {}
    for set_name, pages in sets.items():
        runs[set_name] = measure(factories, pages)
        print(f"{set_name}: done", file=sys.stderr)
    for set_name, pages in sets.items():
        metric = ("word 4-gram shingles, P/R averaged per page" if set_name == "scrapinghub"
                  else "segments with/without, P/R over the totals")
        print(f"\n{set_name}: {len(pages)} pages ({metric}), one core, extractors taking turns page by page\n")
        print("| extractor | F1 | precision | recall | pages/s | pages raised on |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, run in runs[set_name].items():
            row = score_row(name, pages, run, lambda _p: True)
            print(f"{row} {run.speed():.1f} | {run.errors} |")
        speeds = {name: run.speed() for name, run in runs[set_name].items()}
        if SYNDIC in speeds and speeds.get("trafilatura"):
            print(f"\n{SYNDIC} runs {speeds[SYNDIC] / speeds['trafilatura']:.1f}x trafilatura's pages/s")
        if set_name == "trafilatura-dev":
            for half in (0, 1):
                count = sum(1 for p in pages if half_of(p.url) == half)
                print(f"\ntrafilatura-dev half {'AB'[half]} ({count} pages)\n")
                print("| extractor | F1 | precision | recall |")
                print("|---|---:|---:|---:|")
                for name, run in runs[set_name].items():
                    print(score_row(name, pages, run, lambda p, h=half: half_of(p.url) == h))
    if notes:
        print("\n" + "\n".join(notes))
    if "scrapinghub" in sets and METADATA_LABELS.is_file() and any(n == SYNDIC for n, _ in factories):
        print("\n".join(metadata_table(METADATA_LABELS)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
