"""Both labelled sets extracted once per test session, with cleaning off and on.

The quality gate (`test_quality_gate.py`) and the per-page cleaning rule
(`tests/clean/test_clean_recall.py`) score the same outputs; extracting the
687 pages once serves both. Nothing is kept between sessions: every run
extracts afresh, so no stored result can hide a regression.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest
from bench.evaluate import LabelledPage, SegmentPage, load_benchmark, load_segment_benchmark

from syndic.extract import clean_extracted, extract_article

SHARED = Path(__file__).resolve().parents[3] / "shared" / "bench"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/bench")
SETS = ("scrapinghub", "trafilatura-dev")


def data_or_skip(folder: Path) -> None:
    if not folder.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"benchmark data missing at {folder}")
        pytest.skip(f"benchmark data missing at {folder}")


@cache
def pages(name: str) -> list[LabelledPage] | list[SegmentPage]:
    """The labelled pages of set `name`, in the set's order."""
    folder = SHARED / name
    data_or_skip(folder)
    if name == "scrapinghub":
        return list(load_benchmark(folder))
    return list(load_segment_benchmark(folder))


@cache
def outputs(name: str) -> tuple[list[str], list[str]]:
    """Text per page of set `name`: (extract only, extract + clean), as `extract_article` gives them."""
    raw: list[str] = []
    cleaned: list[str] = []
    for page in pages(name):
        article = extract_article(page.html, page.url, clean=False)
        raw.append(article.text)
        cleaned.append(clean_extracted(article).text if article.error is None else article.text)
    return raw, cleaned
