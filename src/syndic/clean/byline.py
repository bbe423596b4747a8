"""Bylines: the one reader of author names, from page metadata and from text.

Authors reach syndic as strings of many shapes: a JSON-LD name, a meta tag
("By Ana Lima and David Okafor", "Lüder Hoppe info@example.org"), a visible
byline ("Von Moritz Wichmann 29.04.2020, 12:01 Uhr", "by Tom Rogan |
November 18, 2019"), or a line of article text. `read_names` turns any of
them into names: a label ("By", "Von", "Analysis by", "Autor:") is dropped,
the names end where a date, a time, a role or a separator of another kind
begins, and what is not a person's name (a role, a desk, a placeholder such
as "Unknown", the site's own name, a domain, an address) is left out.

A byline that went through a chain of tools often arrives broken: the
first author's name was a link the extractor dropped, leaving "By and David
Filipov,". We never pass such a string on as an author: the names that
survive are kept, and the loss is reported as a `byline_problem`. Authors
from page metadata win over names read from the text, because metadata is
not damaged that way. It refuses to guess the missing name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from syndic.clean import patterns

# A label before the names: "By", "Written by", "Analysis by", "Von", "Autor:", "Text:".
_LABEL = re.compile(
    r"^\s*(?:(?:(?:written|posted|reported|reporting|story|words|text|photos?|analysis|opinion|commentary|"
    r"review|interview|report|compiled|edited|published)\s+)?by|von|par|por|di|door|av|af|"
    r"(?:autor(?:in)?|author|auteur|autore|autora|verfasser(?:in)?|text|texto|redakteur(?:in)?|"
    r"geschrieben von|written)\s*:?)(?:\s*:)?\s+",
    re.IGNORECASE,
)
# Where the names end: a date or time, an update stamp, a role after a bar, a handle.
_MONTH_NAMES = (
    r"january|february|march|april|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    r"januar|februar|märz|mai|juni|juli|oktober|dezember|"
    r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
)
_DAY_NAMES = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|"
    r"miércoles|jueves|viernes|sábado|domingo"
)
_TAIL = re.compile(
    rf"(?:\d|\s[|•·]\s?|\s[—–]\s|@|\b(?:{_MONTH_NAMES})\b\.?\s+\d|\b(?:{_DAY_NAMES})\b|"
    r"\b(?:updated|published|posted|last modified|aktualisiert|veröffentlicht|publié|publicado|"
    r"stand|datum|quelle|source|tags?|filed under|kategorie|category|read more|follow|share)\b)",
    re.IGNORECASE,
)
# An agency named after the names ("Jill Lawless, Associated Press") ends them; alone it is the author.
_AGENCY_TAIL = re.compile(r"(?<=\w)[\s,]+(?:the )?(?:associated press|reuters|afp|dpa|ap|upi|ansa|efe)\b.*$",
                          re.IGNORECASE)
_EMAIL_OR_HANDLE = re.compile(r"\S+@\S+|(?<!\w)@\w+|https?://\S+|www\.\S+")
# Separators between names; ", and" first so an Oxford comma is one separator. "y" and
# "e" join names in Spanish and Italian only in lower case, and never as an initial ("Y.").
_SEPARATOR = re.compile(
    r"(\s*,\s*(?:and|&|und|et|y)\s+|\s*,\s*|\s*;\s*|\s*&\s*|\s*\|\s*|\s*/\s*|\s+(?:and|und|et|AND|UND)\s+|"
    r"\s+(?:y|e)\s+(?=[A-ZÀ-Ý])|^(?:and|und)\s+|\s+(?:and|und)$|^(?:and|und)$)",
)
_CONJUNCTION = re.compile(r"^\s*(,\s*)?(and|und|et|y|&)\s*$", re.IGNORECASE)
# A part that names a role or a desk, not a person ("AP Auto Writer", "Staff", "Redaktion").
_ROLE = re.compile(
    r"\b(?:staff|writer|reporter|correspondent|editor|editors|contributor|columnist|bureau|desk|agency|"
    r"journalist|photographer|redaktion|rédaction|redacción|redação|redazione|team|newsroom|"
    r"editor-at-large|senior|chief)\b",
    re.IGNORECASE,
)
# Organisations a line of text names beside its authors ("By Jane Doe, Associated Press"):
# in metadata an agency may be the author, in a byline line it is not a name.
_ORGANISATION = re.compile(
    r"\b(?:news|post|times|journal|herald|tribune|press|reuters|afp|ap|dpa|associated|the)\b", re.IGNORECASE
)
# Values a CMS puts where no author was given.
_PLACEHOLDERS = frozenset(
    {"unknown", "admin", "administrator", "anonymous", "anonym", "guest", "gast", "user", "webmaster",
     "editor", "author", "autor", "redaktion", "staff", "none", "null", "n/a", "posted", "by"}
)
_DOMAIN = re.compile(r"^[\w.-]+\.[a-z]{2,6}$", re.IGNORECASE)
_DOMAIN_WORD = re.compile(r"(?<!\S)[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,6}(?!\S)")
_PARTICLES = frozenset(
    {"de", "da", "del", "della", "der", "den", "van", "von", "al", "el", "bin", "ibn", "la", "le", "du",
     "di", "dos", "das", "ten", "ter", "y", "st.", "mc", "o'", "zu", "vom"}
)
MAX_NAME_WORDS = 5
MAX_BYLINE_WORDS = 16


@dataclass(frozen=True)
class Byline:
    """What a byline string says: the readable names, and what is wrong with it."""

    names: tuple[str, ...]
    problem: str | None


def _tidy(token: str) -> str:
    name = " ".join(token.strip(" ,.;:|-–—'\"()[]").split())
    if name.isupper() and len(name) > 3:  # "DANICA KIRKA"
        name = name.title()
    return name


def _is_name(token: str, *, site_name: str | None, strict: bool) -> bool:
    """Whether `token` reads as a person's name; `strict` for text (capitals required)."""
    words = token.split()
    if not 1 <= len(words) <= MAX_NAME_WORDS or not any(c.isalpha() for c in token):
        return False
    folded = token.casefold()
    if folded in _PLACEHOLDERS or _ROLE.search(token) or any(c.isdigit() for c in token):
        return False
    if _DOMAIN.match(token) or (site_name and (folded == site_name or site_name in folded)):
        return False
    capitalised = all(w[0].isupper() or w.casefold() in _PARTICLES for w in words)
    if strict:
        return capitalised and not _ORGANISATION.search(token)
    # Metadata may name a user in lower case ("gnaddrig"); several lower-case words are a phrase.
    return capitalised or len(words) == 1


def _split(text: str) -> tuple[list[str], list[str]]:
    """Tokens and the separators between them (`re.split` with a group alternates them)."""
    parts = _SEPARATOR.split(text)
    return [p.strip() for p in parts[0::2]], parts[1::2]


def read_names(value: str, *, site_name: str | None = None, strict: bool = False) -> list[str]:
    """The names in an author value or byline: label dropped, cut before the date, split, filtered.

    `strict` (for lines of text) takes only capitalised names; metadata may
    name a user in lower case ("gnaddrig").
    """
    text = _DOMAIN_WORD.sub(" ", _EMAIL_OR_HANDLE.sub(" ", " ".join(value.split())))
    text = _LABEL.sub("", text, count=1)
    text = _AGENCY_TAIL.split(_TAIL.split(text, maxsplit=1)[0], maxsplit=1)[0]
    site = site_name.casefold().strip() if site_name else None
    names: list[str] = []
    for token in _split(text)[0]:
        name = _tidy(_LABEL.sub("", token, count=1))
        if name and _is_name(name, site_name=site, strict=strict) and name not in names:
            names.append(name)
    return names


def parse_byline(line: str) -> Byline:
    """Read a byline ("By A and B", or a bare "A and B"); report lost names."""
    text = " ".join(line.split())
    match = patterns.BYLINE.match(text)
    rest = (match.group("rest") if match else text).strip()
    if not rest.strip(" ,;&|.-–—"):
        return Byline((), f"byline has no name: {text!r}")
    tokens, separators = _split(_TAIL.split(rest, maxsplit=1)[0])
    problem = None
    for i, token in enumerate(tokens):
        if token.strip(" ,.;:"):
            continue
        last = i == len(tokens) - 1
        # A trailing comma is normal ("By A B, " before a date); a trailing "and" is not.
        if last and i > 0 and not _CONJUNCTION.match(separators[i - 1]):
            continue
        problem = f"byline lost a name: {text!r}"
        break
    names = tuple(read_names(rest, strict=True))
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
        if not raw or not raw.strip() or re.match(r"^\s*(https?:|www\.)", raw):
            continue
        parsed = parse_byline(raw)
        if parsed.problem and problem is None and "lost a name" in parsed.problem:
            problem = parsed.problem
        names = read_names(raw)
        if names:
            from_metadata.extend(names)
        elif parsed.problem is None or "lost a name" not in parsed.problem:
            from_metadata.append(_tidy(raw))  # an organisation ("The Associated Press")
    from_text: list[str] = []
    for line in byline_lines:
        parsed = parse_byline(line)
        if parsed.problem and problem is None:
            problem = parsed.problem
        from_text.extend(parsed.names)
    chosen = from_metadata or from_text
    unique = tuple(dict.fromkeys(n for n in chosen if n))
    return unique, problem
