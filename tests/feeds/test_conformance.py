"""feedparser's conformance corpus as a quality gate.

`bench/feed_conformance.py` runs every case against syndic; the counts per
folder may not drop below `conformance_floor.json`. Raise the floor when
syndic gets better (rerun the bench with `--json` and copy the numbers).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLOOR = json.loads((Path(__file__).parent / "conformance_floor.json").read_text())
CORE_TOTAL_FLOOR = 645  # of 654; feedparser itself passes 647


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("feed_conformance", ROOT / "bench" / "feed_conformance.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_no_floor_is_zero() -> None:
    """A floor of 0 guards nothing: folders without core cases have no core floor at all."""
    zeros = [f"{folder}.{key}" for folder, floor in FLOOR.items() for key, value in floor.items() if value <= 0]
    assert not zeros


def test_conformance_does_not_regress() -> None:
    bench = _bench()
    if not bench.DEFAULT_CORPUS.is_dir():
        pytest.skip(f"conformance corpus not found at {bench.DEFAULT_CORPUS}")
    counts = bench.evaluate(bench.DEFAULT_CORPUS, {"syndic": bench.run_syndic})["syndic"]
    # Every core case runs: the 8 charset-guessing cases skip unless chardet imports.
    assert sum(row[3] for row in counts.values()) == 654, "core cases skipped (is chardet installed?)"
    assert sum(row[2] for row in counts.values()) >= CORE_TOTAL_FLOOR
    drops = []
    for folder, floor in FLOOR.items():
        row = counts.get(folder, [0, 0, 0, 0, 0])
        if row[0] < floor["passed"] or row[2] < floor.get("core_passed", 0):
            drops.append(
                f"{folder}: {row[0]} (floor {floor['passed']}), core {row[2]} (floor {floor.get('core_passed')})"
            )
    assert not drops, "conformance dropped: " + "; ".join(drops)
