"""Which stories a campaign takes: keywords and regexes, length, language.

Pure functions over plain values (no store, no network), so the rules are
tested on their own. A rule is a keyword (whole words, case-insensitive) or
a regular expression (Python syntax, case-insensitive), looked for in the
title, the text, or either. Every `require` rule must match; any `exclude`
rule drops the story. Patterns are compiled when the campaign is saved: an
invalid one is refused there, naming it, and a pattern longer than
`MAX_PATTERN` characters is refused as well.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from syndic.errors import ConfigError

MAX_PATTERN = 500
Where = Literal["title", "text", "any"]


@dataclass(frozen=True)
class Rule:
    pattern: str
    regex: bool
    where: Where
    compiled: re.Pattern[str]

    def matches(self, title: str, text: str) -> bool:
        haystacks = {"title": (title,), "text": (text,), "any": (title, text)}[self.where]
        return any(self.compiled.search(h) for h in haystacks)

    def describe(self) -> str:
        kind = "regex" if self.regex else "keyword"
        return f"{kind} {self.pattern!r} in {self.where}"


@dataclass(frozen=True)
class Filters:
    require: tuple[Rule, ...] = ()
    exclude: tuple[Rule, ...] = ()
    min_words: int = 0
    languages: tuple[str, ...] = ()


def _rule(raw: Any, section: str) -> Rule:
    if isinstance(raw, str):
        raw = {"keyword": raw}
    if not isinstance(raw, Mapping):
        raise ConfigError(f"filters.{section}: each rule is a keyword string or an object, not {raw!r}")
    where = raw.get("in", "any")
    if where not in ("title", "text", "any"):
        raise ConfigError(f"filters.{section}: 'in' must be title, text or any, not {where!r}")
    if ("keyword" in raw) == ("regex" in raw):
        raise ConfigError(f"filters.{section}: a rule has exactly one of 'keyword' or 'regex': {dict(raw)!r}")
    is_regex = "regex" in raw
    pattern = raw["regex"] if is_regex else raw["keyword"]
    if not isinstance(pattern, str) or not pattern.strip():
        raise ConfigError(f"filters.{section}: empty pattern")
    if len(pattern) > MAX_PATTERN:
        raise ConfigError(f"filters.{section}: pattern longer than {MAX_PATTERN} characters")
    source = pattern if is_regex else r"(?<!\w)" + re.escape(pattern.strip()) + r"(?!\w)"
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"filters.{section}: invalid regex {pattern!r}: {exc}") from exc
    return Rule(pattern=pattern, regex=is_regex, where=where, compiled=compiled)


def parse_filters(raw: Mapping[str, Any] | None) -> Filters:
    """Filters from a campaign's config; ConfigError names what is wrong."""
    raw = raw or {}
    unknown = set(raw) - {"require", "exclude", "min_words", "languages"}
    if unknown:
        raise ConfigError(f"filters: unknown option(s) {', '.join(sorted(unknown))}")

    def rules(section: str) -> tuple[Rule, ...]:
        value = raw.get(section) or []
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise ConfigError(f"filters.{section} is a list of rules")
        return tuple(_rule(item, section) for item in value)

    min_words = raw.get("min_words", 0)
    if not isinstance(min_words, int) or isinstance(min_words, bool) or min_words < 0:
        raise ConfigError("filters.min_words is a whole number ≥ 0")
    languages = raw.get("languages") or []
    if not isinstance(languages, list) or not all(isinstance(x, str) and x for x in languages):
        raise ConfigError("filters.languages is a list of language codes such as 'en'")
    return Filters(
        require=rules("require"),
        exclude=rules("exclude"),
        min_words=min_words,
        languages=tuple(code.lower().split("-")[0] for code in languages),
    )


def rejection(filters: Filters, *, title: str, text: str, language: str | None) -> str | None:
    """Why the article is left out, or None when the campaign takes it."""
    words = len(text.split())
    if words < filters.min_words:
        return f"{words} words, fewer than {filters.min_words}"
    if filters.languages:
        primary = (language or "").lower().split("-")[0]
        if primary not in filters.languages:
            return f"language {language or 'unknown'} not in {', '.join(filters.languages)}"
    for rule in filters.require:
        if not rule.matches(title, text):
            return f"required {rule.describe()} not found"
    for rule in filters.exclude:
        if rule.matches(title, text):
            return f"excluded by {rule.describe()}"
    return None
