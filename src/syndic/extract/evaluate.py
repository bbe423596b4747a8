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

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
import gzip

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
