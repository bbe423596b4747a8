"""Residue from other tools and publishers: one case a file, the expected result beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from syndic.clean import clean_html, clean_text, looks_like_html

CASES = Path(__file__).parent / "cases"
INPUTS = sorted(p for p in CASES.iterdir() if p.suffix in (".txt", ".html"))


@pytest.mark.parametrize("path", INPUTS, ids=[p.stem for p in INPUTS])
def test_case(path: Path) -> None:
    data = path.read_text(encoding="utf-8")
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert looks_like_html(data) == (path.suffix == ".html")
    result = clean_html(data) if path.suffix == ".html" else clean_text(data)

    assert list(result.removed) == expected["removed"]
    assert list(result.authors) == expected["authors"]
    if expected["byline_problem"] is None:
        assert result.byline_problem is None
    else:
        assert result.byline_problem is not None and expected["byline_problem"] in result.byline_problem

    # Every line that was not removed is in the text, word for word.
    kept = result.text.split("\n\n") if result.text else []
    if path.suffix == ".txt":
        lines = [line.strip() for line in data.splitlines() if line.strip()]
        assert kept == [line for line in lines if line not in expected["removed"]]
    for removed in expected["removed"]:
        assert removed not in kept


def test_html_output_is_sanitized_and_keeps_figures() -> None:
    data = (CASES / "fulltext_service.html").read_text(encoding="utf-8")
    result = clean_html(data)
    assert result.html is not None
    assert "<script" not in result.html and "alert(1)" not in result.html
    assert "<img" in result.html and "Photo: dpa" in result.html  # a credit under its picture stays
    assert "Share on Facebook" not in result.html


def test_source_html_link_density_finds_unwrapped_teasers() -> None:
    # The extractor unwrapped the link; the page still has it as a link.
    extracted = (
        "<p>The minister resigned on Friday after weeks of pressure over the procurement scandal, "
        "her office said in a brief statement.</p>"
        "<p>How the contracts were awarded</p>"
        "<p>Her deputy will lead the ministry until a successor is named, the prime minister said.</p>"
    )
    source = '<html><body><div><a href="/x">How the contracts were awarded</a></div></body></html>'
    assert "How the contracts were awarded" in clean_html(extracted).text
    cleaned = clean_html(extracted, source_html=source)
    assert "How the contracts were awarded" not in cleaned.text
    assert cleaned.removed == ("How the contracts were awarded",)


def test_br_separated_feed_content_is_split_into_paragraphs() -> None:
    html = (
        "<div>The storm made landfall near the port before dawn, flooding low-lying streets.<br><br>"
        "Emergency crews evacuated two hospitals as the water rose through the morning.<br><br>"
        "Read More<br>Powered by WPeMatico</div>"
    )
    result = clean_html(html)
    assert result.text.split("\n\n") == [
        "The storm made landfall near the port before dawn, flooding low-lying streets.",
        "Emergency crews evacuated two hospitals as the water rose through the morning.",
    ]
    assert result.removed == ("Read More", "Powered by WPeMatico")


def test_repetition_across_a_site_finds_an_unknown_footer() -> None:
    from syndic.clean import learn_site_residue

    footer = "Ask the Riverside desk anything at the front counter"
    stories = [
        f"Story number {i} is about the harbour and it has a full sentence of reporting in it.\n\n{footer}"
        for i in range(5)
    ]
    known = learn_site_residue(stories)
    assert footer.casefold() in known
    result = clean_text(stories[0], known_residue=known)
    assert result.removed == (footer,)
    assert "Story number 0" in result.text
    assert learn_site_residue(stories[:2]) == frozenset()  # too few articles to learn from
