"""The one decision both the text and the HTML cleaners share.

Given the paragraphs of an article (and, from HTML, how much of each is
link text), find the byline at the head, repair the authors, and mark the
residue. Text and HTML differ only in how they split into lines and put
the survivors back together.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from syndic.clean.byline import is_byline, repair_authors
from syndic.clean.residue import find_residue, normalize_line

# A byline is looked for among the first few lines only.
BYLINE_SEARCH_LINES = 4


@dataclass(frozen=True)
class LineVerdict:
    keep: tuple[bool, ...]
    authors: tuple[str, ...]
    byline_problem: str | None
    removed: tuple[str, ...]


def judge_lines(
    lines: Sequence[str],
    *,
    metadata_authors: Sequence[str] = (),
    link_density: Sequence[float | None] | None = None,
    known_residue: Collection[str] = (),
) -> LineVerdict:
    """Which lines to keep, the authors, and the byline problem if any."""
    byline_at: list[int] = []
    for i, line in enumerate(lines[:BYLINE_SEARCH_LINES]):
        if is_byline(line):
            byline_at.append(i)
            break
    residue = find_residue(lines, link_density=link_density, known_residue=known_residue)
    for i in byline_at:
        residue[i] = True
    authors, problem = repair_authors(metadata_authors, [lines[i] for i in byline_at])
    removed = tuple(normalize_line(line) for line, r in zip(lines, residue, strict=True) if r and line.strip())
    return LineVerdict(tuple(not r for r in residue), authors, problem, removed)
