"""Every feed in data/ parsed and compared with the expectations beside it.

`name.ext` is the document, `name.expected.json` holds the fields that must
come out: feed attributes at the top, `entries` as a list (same length),
dates as ISO 8601 in UTC. `_url` and `_content_type` are how it was served.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from syndic.feeds import parse_feed
from syndic.types import ParsedEntry, ParsedFeed

DATA = Path(__file__).parent / "data"
CASES = sorted(p for p in DATA.iterdir() if p.name.endswith(".expected.json"))


def _document(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    (document,) = [p for p in DATA.iterdir() if p.name.startswith(stem + ".") and p != expected]
    return document


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}
    return value


def _check(obj: ParsedFeed | ParsedEntry, expected: dict[str, Any], where: str) -> None:
    for name, want in expected.items():
        if name.startswith("_") or name == "entries":
            continue
        got = getattr(obj, name)
        if name == "bozo" and want is True:
            assert got, f"{where}: expected a bozo reason"
            continue
        assert _plain(got) == want, f"{where}.{name}"


@pytest.mark.parametrize("expected_path", CASES, ids=[p.name.removesuffix(".expected.json") for p in CASES])
def test_feed_file(expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text("utf-8"))
    feed = parse_feed(
        _document(expected_path).read_bytes(),
        url=expected.get("_url"),
        content_type=expected.get("_content_type"),
    )
    _check(feed, expected, "feed")
    if "entries" in expected:
        assert len(feed.entries) == len(expected["entries"])
        for i, (entry, want) in enumerate(zip(feed.entries, expected["entries"])):
            _check(entry, want, f"entries[{i}]")
