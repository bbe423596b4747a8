"""Quality gate: residue removed from real extractions, story lines kept (floors in clean_baseline.json).

The labelled pages of the extraction benchmark are extracted with
trafilatura; every line it outputs that is not in the ground-truth body is
residue, every line that is, is story. Skips when the benchmark data or
trafilatura (a bench extra) is missing.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from syndic.clean import clean_text

BENCH = Path(__file__).resolve().parents[3] / "shared" / "bench" / "scrapinghub"
BASELINE = json.loads((Path(__file__).parent / "clean_baseline.json").read_text())
_SPACE = re.compile(r"\s+")


def _norm(line: str) -> str:
    line = _SPACE.sub(" ", line).strip()
    return line[2:] if line.startswith("- ") else line


def test_residue_removed_and_story_kept_on_extraction_benchmark() -> None:
    trafilatura = pytest.importorskip("trafilatura")
    if not (BENCH / "ground-truth.json").exists():
        pytest.skip(f"benchmark data not found at {BENCH}")
    truth = json.loads((BENCH / "ground-truth.json").read_text())
    residue_removed = story_removed = 0
    for key, item in truth.items():
        html = gzip.open(BENCH / "html" / f"{key}.html.gz").read().decode("utf-8", "replace")
        extracted = trafilatura.extract(html, output_format="txt") or ""
        body = _SPACE.sub(" ", item["articleBody"])
        removed = set(clean_text(extracted).removed)
        for line in extracted.splitlines():
            if not line.strip() or _SPACE.sub(" ", line).strip() not in removed:
                continue
            if _norm(line) in body:
                story_removed += 1
            else:
                residue_removed += 1
    print(f"residue lines removed {residue_removed}, story lines removed {story_removed}")
    assert residue_removed >= BASELINE["residue_lines_removed_min"]
    assert story_removed <= BASELINE["story_lines_removed_max"]
