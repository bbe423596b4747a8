"""Bylines: read the names in them, and notice when one was lost.

A byline that went through a chain of tools often arrives broken: the
first author's name was a link the extractor dropped, leaving
"By and David Filipov,". We never pass such a string on as an author: the
names that survive are kept, and the loss is reported as a
`byline_problem`. Authors from page metadata (JSON-LD, meta tags) win over
names read from the text, because metadata is not damaged that way.

It refuses to guess the missing name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from syndic.clean import patterns

# Separators between names; ", and" first so an Oxford comma is one separator.
_SEPARATOR = re.compile(r"(\s*,\s*(?:and|&)\s+|\s*,\s*|\s*;\s*|\s*&\s*|\s*\|\s*|\s+and\s+|^and\s+|\s+and$|^and$)", re.I)
_CONJUNCTION = re.compile(r"^\s*(,\s*)?(and|&)\s*$", re.I)
_NOT_A_NAME = re.compile(
    r"\b(staff|writer|reporter|correspondent|editor|contributor|columnist|bureau|desk|agency|"
    r"press|news|post|times|journal|herald|tribune|reuters|afp|associated|updated|published|"
    r"posted|minutes?|hours?|ago|am|pm|gmt|utc|photographer|the)\b|\d|@|https?:|www\.",
    re.I,
)
_PARTICLES = frozenset(
    {"de", "da", "del", "della", "der", "den", "van", "von", "al", "el", "bin", "ibn", "la", "le", "du",
     "di", "dos", "das", "ten", "ter", "y", "st.", "mc", "o'"}
)
MAX_BYLINE_WORDS = 16


@dataclass(frozen=True)
class Byline:
    """What a byline string says: the readable names, and what is wrong with it."""

    names: tuple[str, ...]
    problem: str | None


def _looks_like_name(token: str) -> bool:
    words = token.split()
    if not 1 <= len(words) <= 5 or _NOT_A_NAME.search(token):
        return False
    return all(w[0].isupper() or w.casefold() in _PARTICLES for w in words if w)


def _tidy_name(token: str) -> str:
    name = " ".join(token.strip(" ,.;:|-–—").split())
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name


def parse_byline(line: str) -> Byline:
    """Read a byline ("By A and B", or a bare "A and B"); report lost names."""
    text = " ".join(line.split())
    match = patterns.BYLINE.match(text)
    rest = match.group("rest") if match else text
    rest = rest.strip()
    if not rest.strip(" ,;&|.-–—"):
        return Byline((), f"byline has no name: {text!r}")
    parts = _SEPARATOR.split(rest)
    # re.split with a group alternates token, separator, token, ...
    tokens = [p.strip() for p in parts[0::2]]
    separators = parts[1::2]
    problem = None
    for i, token in enumerate(tokens):
        if token:
            continue
        last = i == len(tokens) - 1
        # A trailing comma is normal ("By A B, " before a date); a trailing "and" is not.
        if last and i > 0 and not _CONJUNCTION.match(separators[i - 1]):
            continue
        problem = f"byline lost a name: {text!r}"
        break
    names = tuple(_tidy_name(t) for t in tokens if t and _looks_like_name(t))
    if problem is None and not names:
        problem = f"byline has no readable name: {text!r}"
    return Byline(names, problem)


def is_byline(line: str) -> bool:
    """A short line that starts like a byline ("By ...") and names someone, or lost a name.

    "By the time we arrived, it was over." starts like one and is a sentence.
    """
    text = " ".join(line.split())
    if len(text.split()) > MAX_BYLINE_WORDS or not patterns.BYLINE.match(text):
        return False
    parsed = parse_byline(text)
    return bool(parsed.names) or (parsed.problem is not None and "has no name" in parsed.problem)


def repair_authors(
    metadata_authors: Sequence[str], byline_lines: Iterable[str] = ()
) -> tuple[tuple[str, ...], str | None]:
    """The authors to publish, and the first byline problem seen.

    Metadata authors are checked too: an extractor may have copied a broken
    byline into them, and a dangling "and David Filipov" is not a name.
    """
    problem: str | None = None
    from_metadata: list[str] = []
    for raw in metadata_authors:
        if not raw or not raw.strip():
            continue
        if re.match(r"^\s*(https?:|www\.)", raw):
            continue
        parsed = parse_byline(raw)
        if parsed.problem and problem is None and "lost a name" in parsed.problem:
            problem = parsed.problem
        if parsed.names:
            from_metadata.extend(parsed.names)
        elif parsed.problem is None or "lost a name" not in parsed.problem:
            from_metadata.append(_tidy_name(raw))  # an organisation ("The Associated Press")
    from_text: list[str] = []
    for line in byline_lines:
        parsed = parse_byline(line)
        if parsed.problem and problem is None:
            problem = parsed.problem
        from_text.extend(parsed.names)
    chosen = from_metadata or from_text
    unique = tuple(dict.fromkeys(n for n in chosen if n))
    return unique, problem
