"""Cleaning never cuts the story: measured on every page of both labelled sets.

For each of the 687 pages of `scrapinghub` (word 4-gram shingles) and
`trafilatura-dev` (with/without segments), the page is extracted once with
cleaning off and cleaned from that extraction, exactly as `extract_article`
does for users. Cleaning may lower a page's recall by at most 0.02, and on
each set it must not lower F1. When a page breaks the rule, the test prints
the worst pages with what cleaning took from them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from bench.evaluate import (
    LabelledPage,
    SegmentPage,
    page_counts,
    score_pages,
    score_segments,
    segment_counts,
)
from tests.extract.bench_outputs import SETS, outputs, pages

MAX_RECALL_DROP = 0.02
SHOWN = 12


@dataclass(frozen=True)
class Drop:
    url: str
    before: float
    after: float
    lost: str  # what the labels count as story that cleaning took

    @property
    def size(self) -> float:
        return self.before - self.after


def _recall(text: str, page: LabelledPage | SegmentPage) -> float | None:
    if isinstance(page, LabelledPage):
        tp, _fp, fn = page_counts(text, page.body)
        return tp / (tp + fn) if tp + fn else None
    tp, fn, _fp, _tn = segment_counts(text, page)
    return tp / (tp + fn) if tp + fn else None


def _lost(raw: str, cleaned: str, page: LabelledPage | SegmentPage) -> str:
    if isinstance(page, SegmentPage):
        flat = " ".join(cleaned.split())
        before = " ".join(raw.split())
        return " | ".join(s for s in page.with_ if s in before and s not in flat)
    kept = set(cleaned.split("\n\n"))
    body = " ".join(page.body.split())
    return " | ".join(p for p in raw.split("\n\n") if p not in kept and " ".join(p.split()) in body)


def _drops(name: str) -> list[Drop]:
    raw, cleaned = outputs(name)
    drops = []
    for page, before_text, after_text in zip(pages(name), raw, cleaned, strict=True):
        before, after = _recall(before_text, page), _recall(after_text, page)
        if before is None or after is None or before - after <= 1e-9:
            continue
        drops.append(Drop(page.url, before, after, _lost(before_text, after_text, page)))
    return sorted(drops, key=lambda d: -d.size)


def _report(name: str, drops: list[Drop]) -> str:
    lines = [f"{name}: {len(drops)} pages lose more than {MAX_RECALL_DROP} recall to cleaning; worst first:"]
    for d in drops[:SHOWN]:
        lines.append(f"  -{d.size:.3f} ({d.before:.2f} -> {d.after:.2f}) {d.url}\n      lost: {d.lost[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", SETS)
def test_cleaning_costs_no_page_more_than_two_points_of_recall(name: str) -> None:
    drops = _drops(name)
    over = [d for d in drops if d.size > MAX_RECALL_DROP]
    assert not over, _report(name, over)


@pytest.mark.parametrize("name", SETS)
def test_cleaning_does_not_lower_f1(name: str) -> None:
    raw, cleaned = outputs(name)
    labelled = pages(name)
    if name == "scrapinghub":
        bodies = [p.body for p in labelled if isinstance(p, LabelledPage)]
        before, after = (score_pages(zip(t, bodies, strict=True)).f1 for t in (raw, cleaned))
    else:
        segs = [p for p in labelled if isinstance(p, SegmentPage)]
        before, after = (score_segments(zip(t, segs, strict=True)).f1 for t in (raw, cleaned))
    print(f"{name}: F1 extract {before:.4f}, extract + clean {after:.4f}")
    assert after >= before, f"{name}: cleaning lowers F1 from {before:.4f} to {after:.4f}"
