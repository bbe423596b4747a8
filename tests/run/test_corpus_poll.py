"""The corpus run of issue 11, sliced: real pages as feed entries, fault feeds and poison entries, `syndic poll`.

bench/corpus_poll.py serves the labelled pages on loopback and runs the real
command in subprocesses; here on 100 pages (the bench runs all 687), and on a
smaller slice with the first poll killed by SIGKILL mid-run.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "corpus_poll.py"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "bench" / "scrapinghub" / "html"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the labelled pages are not beside the repository")


def _run(*args: str) -> tuple[int, str, dict[str, int]]:
    done = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=900)
    counts = {m[0]: int(m[1]) for m in re.findall(r"^\| (\w+) \| (\d+) \|$", done.stdout, re.MULTILINE)}
    return done.returncode, done.stdout + done.stderr, counts


def test_a_100_page_slice_ends_with_every_entry_terminal_and_no_crash() -> None:
    code, output, counts = _run("--pages", "100")
    assert code == 0, output
    assert "crashes: 0" in output
    assert counts["failed"] == counts["pending"] == 0
    assert counts["done"] + counts["given_up"] == 107  # 100 pages + 7 poison entries
    assert counts["done"] >= 95, output  # the repeated-sentence page among them
    for reason in ("HTTP 404", "HTTP 500", "read timeout", "empty page", "not an HTML page"):
        assert reason in output


def test_a_poll_killed_mid_run_then_rerun_leaves_every_entry_done_once() -> None:
    code, output, counts = _run("--pages", "40", "--feeds", "8", "--kill-after", "12")
    assert "killed with SIGKILL" in output, output
    assert code == 0, output
    assert counts["failed"] == counts["pending"] == 0 and counts["done"] + counts["given_up"] == 47
    assert "'entries stored twice': 0, 'articles with 2+ revisions': 0, 'done without an article': 0" in output
