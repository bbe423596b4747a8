"""Scoring an extraction against a labelled article body.

One implementation of the metric used by `bench/extraction.py` and by the
quality gate in `tests/extract/`, so the number a test pins is the number the
benchmark prints. The metric is the one of the Scrapinghub article-extraction
benchmark: texts become multisets of word 4-gram shingles (tokens are ``\\w+``
runs); per page the true-positive, false-positive and false-negative counts
are normalised to sum 1; precision and recall are averaged over pages and F1
is their harmonic mean. It refuses nothing: an empty prediction scores 0.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from syndic.types import Article

TOKEN_RE = re.compile(r"\w+")
SHINGLE_SIZE = 4


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The multiset of word `size`-grams of `text` (the whole text if shorter)."""
    tokens = TOKEN_RE.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_counts(predicted: str, expected: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one page; they sum to 1 unless both are empty."""
    pred, true = shingles(predicted), shingles(expected)
    tp = sum((pred & true).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    if total == 0:
        return (0.0, 0.0, 0.0)
    return (tp / total, fp / total, fn / total)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    pages: int


def score_pages(pairs: Iterable[tuple[str, str]]) -> Score:
    """Score (predicted, expected) text pairs: per-page P and R, averaged."""
    precisions: list[float] = []
    recalls: list[float] = []
    for predicted, expected in pairs:
        tp, fp, fn = page_counts(predicted, expected)
        if tp + fp + fn == 0:  # both empty: a perfect answer
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        precisions.append(tp / (tp + fp) if tp + fp else 0.0)
        recalls.append(tp / (tp + fn) if tp + fn else 0.0)
    n = len(precisions)
    if n == 0:
        return Score(0.0, 0.0, 0.0, 0)
    p = sum(precisions) / n
    r = sum(recalls) / n
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Score(p, r, f1, n)


@dataclass(frozen=True)
class LabelledPage:
    key: str
    url: str
    html: bytes
    body: str


def load_benchmark(folder: Path, limit: int | None = None) -> Iterator[LabelledPage]:
    """The labelled pages of a Scrapinghub-layout folder, in sorted key order."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)
    if limit is not None:
        keys = keys[:limit]
    for key in keys:
        raw = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        yield LabelledPage(key, truth[key]["url"], raw, truth[key].get("articleBody") or "")


METADATA_FIELDS = ("title", "authors", "published_utc_date", "language", "canonical_url", "site_name")


def _field_value(article: Article, name: str) -> object:
    if name == "authors":
        return {a.casefold() for a in article.authors}
    if name == "published_utc_date":
        return article.published.astimezone(UTC).date().isoformat() if article.published else None
    return getattr(article, name)


def metadata_hits(article: Article, label: dict[str, Any]) -> dict[str, bool]:
    """Which labelled fields `article` got right (unlabelled fields are absent).

    Labels: a string or a list of accepted strings; authors a list compared as
    a case-insensitive set; `published_utc_date` an ISO date compared with the
    UTC date of `article.published`; URLs compared without a trailing slash.
    """
    hits: dict[str, bool] = {}
    for name in METADATA_FIELDS:
        expected = label.get(name)
        if expected is None:
            continue
        got = _field_value(article, name)
        if name == "authors":
            hits[name] = got == {str(a).casefold() for a in expected}
        elif name == "canonical_url":
            hits[name] = isinstance(got, str) and got.rstrip("/") == str(expected).rstrip("/")
        else:
            hits[name] = got in (expected if isinstance(expected, list) else [expected])
    return hits


def load_metadata_labels(path: Path) -> dict[str, dict[str, Any]]:
    """The labelled pages of a metadata label file, by benchmark key."""
    pages: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["pages"]
    return pages


@dataclass(frozen=True)
class SegmentPage:
    """A page of a segment-labelled set (trafilatura's evaluation layout):
    text segments that belong to the main content and some that must not."""

    key: str
    url: str
    html: bytes
    with_: tuple[str, ...]
    without: tuple[str, ...]


@dataclass(frozen=True)
class SegmentScore:
    precision: float
    recall: float
    f1: float
    pages: int
    true_positives: int
    false_negatives: int
    false_positives: int
    true_negatives: int


def load_segment_benchmark(folder: Path, limit: int | None = None) -> Iterator[SegmentPage]:
    """The pages of a trafilatura-layout folder (`evaldata.json` + `html/*.gz`), by URL order."""
    data = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    urls = sorted(data)
    if limit is not None:
        urls = urls[:limit]
    for url in urls:
        item = data[url]
        path = folder / "html" / Path(item["file"]).name
        raw = path.read_bytes() if path.is_file() else (folder / item["file"]).read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        yield SegmentPage(item["file"], url, raw, tuple(item["with"]), tuple(item["without"]))


def segment_counts(predicted: str, page: SegmentPage) -> tuple[int, int, int, int]:
    """(tp, fn, fp, tn) of one page: a segment counts as output when it occurs
    in the whitespace-normalised text."""
    text = " ".join((predicted or "").split())
    tp = sum(1 for segment in page.with_ if segment in text)
    fp = sum(1 for segment in page.without if segment in text)
    return tp, len(page.with_) - tp, fp, len(page.without) - fp


def score_segments(pairs: Iterable[tuple[str, SegmentPage]]) -> SegmentScore:
    """Precision, recall and F1 over the totals of all pages (trafilatura's metric)."""
    tp = fn = fp = tn = n = 0
    for predicted, page in pairs:
        a, b, c, d = segment_counts(predicted, page)
        tp, fn, fp, tn, n = tp + a, fn + b, fp + c, tn + d, n + 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return SegmentScore(precision, recall, f1, n, tp, fn, fp, tn)


@dataclass(frozen=True)
class DateAuthorLabel:
    """A page labelled with its published date and authors (`bench/data/date_author_labels.json`).

    `dates`: accepted ISO calendar dates, `[]` when the page shows none (an
    answer is then wrong), None when unlabelled; `authors` likewise.
    """

    key: str
    set_name: str
    url: str
    html: bytes
    dates: list[str] | None
    authors: list[str] | None
    source: str
    round: str  # "dev" (measured, then improved against) or "check" (used once, after)


def load_date_author_labels(path: Path, shared: Path) -> list[DateAuthorLabel]:
    """The labelled pages, their HTML read from the benchmark folders under `shared`."""
    pages: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["pages"]
    out = []
    for key, label in pages.items():
        folder = shared / label["set"] / "html"
        name = f"{key}.html.gz" if label["set"] == "scrapinghub" else Path(key).name
        html = gzip.decompress((folder / name).read_bytes())
        out.append(DateAuthorLabel(key, label["set"], label["url"], html, label["published_utc_date"],
                                   label["authors"], label["date_source"], label.get("round", "dev")))
    return out


def published_date_hit(dates: list[str] | None, published: str | None) -> bool | None:
    """Whether an ISO calendar date (None: no date given) is right; None when unlabelled."""
    if dates is None:
        return None
    return published is None if not dates else published in dates


def authors_hit(expected: list[str] | None, got: Iterable[str] | None) -> bool | None:
    """Whether a set of author names is right (case-insensitive); None when unlabelled or not read."""
    if expected is None or got is None:
        return None
    return {a.casefold() for a in got} == {a.casefold() for a in expected}
