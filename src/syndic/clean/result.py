"""The value the clean stage returns, and its JSON form for `syndic clean --json`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CleanResult:
    """An article body with its residue removed.

    `removed` lists every line taken out, in order, so a reader (or a test)
    can see exactly what cleaning did. `byline_problem` says why a byline
    in the text was not trusted ("byline lost a name: 'By and X,'").
    """

    text: str
    html: str | None = None
    authors: tuple[str, ...] = ()
    byline_problem: str | None = None
    removed: tuple[str, ...] = ()


def clean_report(result: CleanResult) -> dict[str, object]:
    """The `--json` output: text, authors, byline_problem and removed lines."""
    return {
        "text": result.text,
        "authors": list(result.authors),
        "byline_problem": result.byline_problem,
        "removed": list(result.removed),
    }
