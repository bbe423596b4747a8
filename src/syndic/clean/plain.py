"""Cleaning plain text: one paragraph a line, blank lines between."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from syndic.clean.lines import judge_lines
from syndic.clean.result import CleanResult


def split_paragraphs(text: str) -> list[str]:
    """The non-empty lines of `text`, stripped."""
    return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


def clean_text(
    text: str,
    *,
    metadata_authors: Sequence[str] = (),
    known_residue: Collection[str] = (),
) -> CleanResult:
    """Remove residue from plain text; paragraphs come back separated by blank lines.

    Story paragraphs are returned word for word. `known_residue` is the set
    from `learn_site_residue` for the article's site, if you have one.
    """
    lines = split_paragraphs(text)
    verdict = judge_lines(lines, metadata_authors=metadata_authors, known_residue=frozenset(known_residue))
    kept = [line for line, keep in zip(lines, verdict.keep, strict=True) if keep]
    return CleanResult(
        text="\n\n".join(kept),
        html=None,
        authors=verdict.authors,
        byline_problem=verdict.byline_problem,
        removed=verdict.removed,
    )
