"""The seed article: the story exactly, none of the chain's residue, the byline problem reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndic.clean import clean_html, clean_report, clean_text

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_0b76cd32c177dcbe.txt"

# The residue lines the issue names; the story paragraphs are everything else but the byline.
RESIDUE = [
    "[The Russia-Iran bonds that Washington cannot seem to break]",
    "[U.S.-Russia rifts were already widening before missile strike]",
    "[Opinion: No one should feel good about Trump’s Syria strike]",
    "Read more",
    "Today’s coverage from Post correspondents around the world",
    "Like Washington Post World on Facebook and stay updated on foreign news",
    "Let’s block ads! (Why?)",
    "Read More",
    "Powered by WPeMatico",
]
BYLINE = "By and David Filipov,"


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    return SEED.read_text(encoding="utf-8")


def _story_paragraphs(seed: str) -> list[str]:
    lines = [line.strip() for line in seed.splitlines() if line.strip()]
    return [line for line in lines if line not in RESIDUE and line != BYLINE]


def test_seed_keeps_every_story_paragraph_word_for_word(seed: str) -> None:
    result = clean_text(seed)
    kept = result.text.split("\n\n")
    assert kept == _story_paragraphs(seed)
    assert kept[0].startswith("MOSCOW — Secretary of State Rex Tillerson")
    assert len(kept) == 28


def test_seed_loses_every_residue_line(seed: str) -> None:
    result = clean_text(seed)
    lines = set(result.text.split("\n\n"))
    for residue in [*RESIDUE, BYLINE]:
        assert residue not in lines
    assert list(result.removed) == [BYLINE, *RESIDUE]


def test_seed_authors_and_byline_problem(seed: str) -> None:
    result = clean_text(seed)
    assert result.authors == ("David Filipov",)
    assert result.byline_problem is not None
    assert "By and David Filipov," in result.byline_problem


def test_seed_metadata_authors_win_and_problem_still_reported(seed: str) -> None:
    result = clean_text(seed, metadata_authors=["Carol Morello", "David Filipov"])
    assert result.authors == ("Carol Morello", "David Filipov")
    assert result.byline_problem is not None


def test_seed_as_html_gives_the_same_text(seed: str) -> None:
    html = "".join(f"<p>{line}</p>\n" for line in seed.splitlines() if line.strip())
    result = clean_html(html)
    assert result.text.split("\n\n") == _story_paragraphs(seed)
    assert result.html is not None and "WPeMatico" not in result.html and "<p>MOSCOW" in result.html
    assert result.authors == ("David Filipov",)


def test_seed_json_report(seed: str) -> None:
    report = clean_report(clean_text(seed))
    assert set(report) == {"text", "authors", "byline_problem", "removed"}
    assert report["authors"] == ["David Filipov"]
    assert isinstance(report["removed"], list) and "Powered by WPeMatico" in report["removed"]
