"""The one decision both the text and the HTML cleaners share.

Given the paragraphs of an article as units (and, from HTML, what their
markup says), find the byline at the head, repair the authors, and mark the
residue. Text and HTML differ only in how they split into units and put the
survivors back together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from syndic.clean import patterns
from syndic.clean.byline import is_byline, repair_authors
from syndic.clean.context import PageContext
from syndic.clean.residue import Unit, find_residue, normalize_line

# A byline is looked for among the first few units only.
BYLINE_SEARCH_UNITS = 4
# A head unit this short that names a metadata author is that author's byline ("Jane Doe | May 2").
MAX_NAMED_BYLINE_WORDS = 12


@dataclass(frozen=True)
class LineVerdict:
    keep: tuple[bool, ...]
    authors: tuple[str, ...]
    byline_problem: str | None
    removed: tuple[str, ...]
    reasons: tuple[str | None, ...] = ()


def _names_an_author(text: str, authors: Sequence[str]) -> bool:
    """A short non-sentence unit naming one of the page's metadata authors."""
    if len(text.split()) > MAX_NAMED_BYLINE_WORDS or patterns.SENTENCE_END.search(text.rstrip("|,-–— ")):
        return False
    folded = text.casefold()
    return any(
        len(name) >= 4 and re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", folded)
        for name in authors
    )


def judge_units(units: Sequence[Unit], context: PageContext | None = None) -> LineVerdict:
    """Which units to keep, the authors, and the byline problem if any."""
    context = context or PageContext()
    reasons = find_residue(units, known_residue=context.known_residue, linked_texts=context.linked_texts)
    byline_lines: list[str] = []
    for i, unit in enumerate(units[:BYLINE_SEARCH_UNITS]):
        text = unit.text
        if is_byline(text):
            byline_lines.append(text)
            reasons[i] = "byline"
            break
        if context.authors and _names_an_author(text, context.authors):
            reasons[i] = "byline"
            break
    authors, problem = repair_authors(context.authors, byline_lines)
    removed = tuple(u.text for u, r in zip(units, reasons, strict=True) if r and u.text)
    return LineVerdict(tuple(r is None for r in reasons), authors, problem, removed, tuple(reasons))


def judge_lines(
    lines: Sequence[str],
    *,
    metadata_authors: Sequence[str] = (),
    known_residue: frozenset[str] = frozenset(),
) -> LineVerdict:
    """`judge_units` for plain lines, which carry no markup."""
    context = PageContext(authors=tuple(metadata_authors), known_residue=known_residue)
    return judge_units([Unit(normalize_line(line)) for line in lines], context)
