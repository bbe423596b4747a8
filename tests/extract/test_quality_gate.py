"""The quality gate: body F1 on the labelled benchmark must not fall below
the floors pinned in `eval_baseline.json` (the whole set runs in about a
second, so the gate runs it all)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from syndic.extract import extract_article
from syndic.extract.evaluate import (
    load_benchmark,
    load_metadata_labels,
    metadata_hits,
    page_counts,
    score_pages,
)

BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text())
SHARED = Path(__file__).resolve().parents[3] / "shared"
if not SHARED.is_dir():
    SHARED = Path("/work/shared")
DATA = SHARED / BASELINE["data"]
LABELS = Path(__file__).resolve().parents[2] / BASELINE["metadata_labels"]


def _data_or_skip() -> None:
    if not (DATA / "ground-truth.json").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"benchmark data missing at {DATA}")
        pytest.skip(f"benchmark data missing at {DATA}")


def test_metric_on_known_cases() -> None:
    text = "one two three four five six"
    assert page_counts(text, text) == (1.0, 0.0, 0.0)
    assert page_counts("", text) == (0.0, 0.0, 1.0)
    tp, fp, fn = page_counts(text + " seven", text)
    assert (tp, fp, fn) == (3 / 4, 1 / 4, 0.0)
    score = score_pages([(text, text), ("", text)])
    assert score.precision == 0.5 and score.recall == 0.5 and score.pages == 2


@pytest.mark.parametrize("name", sorted(BASELINE["subsets"]))
def test_f1_above_floor(name: str) -> None:
    _data_or_skip()
    floor = BASELINE["subsets"][name]
    pages = list(load_benchmark(DATA, floor["limit"]))
    score = score_pages((extract_article(page.html, page.url).text, page.body) for page in pages)
    assert score.f1 >= floor["f1"], f"{name}: F1 {score.f1:.4f} below floor {floor['f1']}"
    assert score.precision >= floor["precision"], f"{name}: precision {score.precision:.4f}"
    assert score.recall >= floor["recall"], f"{name}: recall {score.recall:.4f}"


def test_metadata_accuracy_above_floor() -> None:
    _data_or_skip()
    labels = load_metadata_labels(LABELS)
    pages = {page.key: page for page in load_benchmark(DATA)}
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
