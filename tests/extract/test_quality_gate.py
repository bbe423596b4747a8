"""The quality gate: body accuracy on both labelled sets must not fall below
the floors pinned in `eval_baseline.json`, with cleaning off and on (the
whole of both sets runs in a few seconds, so the gate runs it all; each page
is extracted once and cleaned from that extraction, as `extract_article`
does)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bench.evaluate import (
    LabelledPage,
    SegmentPage,
    load_benchmark,
    load_metadata_labels,
    metadata_hits,
    page_counts,
    score_pages,
    score_segments,
    segment_counts,
)
from tests.extract.bench_outputs import outputs, pages

from syndic.extract import extract_article

BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text())
SHARED = Path(__file__).resolve().parents[3] / "shared" / "bench"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/bench")
LABELS = Path(__file__).resolve().parents[2] / BASELINE["metadata_labels"]


def _data_or_skip(folder: Path) -> None:
    if not folder.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"benchmark data missing at {folder}")
        pytest.skip(f"benchmark data missing at {folder}")


def test_metric_on_known_cases() -> None:
    text = "one two three four five six"
    assert page_counts(text, text) == (1.0, 0.0, 0.0)
    assert page_counts("", text) == (0.0, 0.0, 1.0)
    tp, fp, fn = page_counts(text + " seven", text)
    assert (tp, fp, fn) == (3 / 4, 1 / 4, 0.0)
    score = score_pages([(text, text), ("", text)])
    assert score.precision == 0.5 and score.recall == 0.5 and score.pages == 2


def test_segment_metric_on_known_cases() -> None:
    from bench.evaluate import SegmentPage

    page = SegmentPage("k", "u", b"", ("kept line", "second kept"), ("menu item",))
    assert segment_counts("a\n kept   line\nmenu item", page) == (1, 1, 1, 0)
    score = score_segments([("kept line second kept", page)])
    assert (score.precision, score.recall) == (1.0, 1.0)


@pytest.mark.parametrize(
    ("name", "mode"),
    [(name, mode) for name in sorted(BASELINE["sets"]) for mode in ("extract", "extract+clean")],
)
def test_accuracy_above_floor(name: str, mode: str) -> None:
    floor = BASELINE["sets"][name][mode]
    texts = outputs(name)[mode == "extract+clean"]
    labelled = pages(name)
    if name == "scrapinghub":
        score = score_pages(zip(texts, (p.body for p in labelled if isinstance(p, LabelledPage)), strict=True))
        p, r, f = score.precision, score.recall, score.f1
    else:
        seg = score_segments(zip(texts, (p for p in labelled if isinstance(p, SegmentPage)), strict=True))
        p, r, f = seg.precision, seg.recall, seg.f1
    assert f >= floor["f1"], f"{name} {mode}: F1 {f:.4f} below floor {floor['f1']}"
    assert p >= floor["precision"], f"{name} {mode}: precision {p:.4f} below floor {floor['precision']}"
    assert r >= floor["recall"], f"{name} {mode}: recall {r:.4f} below floor {floor['recall']}"


def test_metadata_accuracy_above_floor() -> None:
    folder = SHARED / "scrapinghub"
    _data_or_skip(folder)
    labels = load_metadata_labels(LABELS)
    pages = {page.key: page for page in load_benchmark(folder)}
    correct: dict[str, int] = {}
    total: dict[str, int] = {}
    for key, label in labels.items():
        page = pages[key]
        for name, hit in metadata_hits(extract_article(page.html, page.url), label).items():
            total[name] = total.get(name, 0) + 1
            correct[name] = correct.get(name, 0) + hit
    for name, floor in BASELINE["metadata_floors"].items():
        accuracy = correct.get(name, 0) / total[name]
        assert accuracy >= floor, f"{name}: accuracy {accuracy:.2f} below floor {floor}"
