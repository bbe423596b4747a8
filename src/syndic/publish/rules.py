"""What a campaign does to an article's title and content before posting it.

In this order: the rewrite rules (each in turn, plain text or regex, on the
title and/or the content, optionally turning what they matched into a link:
WPeMatico's "relink"), then words-to-category (on the rewritten text), then
"strip links" and "strip HTML".

Rules see text, never markup: a rewrite of the content runs on the text
between tags (entities decoded, the result escaped again), so a rule can
neither break the HTML nor inject any; a relink is never nested inside an
existing link. Pure functions over plain values, tested on their own.

Bad rules are refused when the campaign is saved, naming the rule: an invalid
regex, a pattern that matches the empty string or any text at all (it would
rewrite everywhere). At run time a rule whose matches still cover a post's
whole content is not applied to that post, and the post says why.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import html as lxml_html

from syndic.errors import ConfigError

MAX_PATTERN = 500
MAX_RULES = 200
# A pattern that matches all of this matches any text: refused.
_ANY_TEXT = "The quick brown fox, 42 jumps! Über den Hund; «fin».\nSecond line."
_TAG = re.compile(r"(<[^>]*>)")
_A_OPEN = re.compile(r"<a[\s>]", re.IGNORECASE)
_A_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "figcaption")


@dataclass(frozen=True)
class Rewrite:
    """One rewrite rule: `find` (plain or regex) → `replace`, on the title and/or the content."""

    index: int
    find: str
    regex: bool
    replace: str
    relink: str | None
    title: bool
    content: bool
    compiled: re.Pattern[str]

    def describe(self) -> str:
        return f"rewrites[{self.index}] ({'regex' if self.regex else 'text'} {self.find!r})"


@dataclass(frozen=True)
class WordsToCategory:
    """Any of `words` found (in the title, the text, or either) puts the post in `category`."""

    index: int
    words: tuple[str, ...]
    regex: bool
    where: str  # title | content | any
    category: str | int
    compiled: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class ContentRules:
    rewrites: tuple[Rewrite, ...] = ()
    words_to_category: tuple[WordsToCategory, ...] = ()
    strip_links: bool = False
    strip_html: bool = False


@dataclass
class Applied:
    title: str
    html: str
    categories: list[str | int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _compile(pattern: Any, regex: bool, where: str, case_sensitive: bool = False) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern.strip():
        raise ConfigError(f"{where}: empty pattern")
    if len(pattern) > MAX_PATTERN:
        raise ConfigError(f"{where}: pattern longer than {MAX_PATTERN} characters")
    source = pattern if regex else r"(?<!\w)" + re.escape(pattern.strip()) + r"(?!\w)"
    flags = 0 if case_sensitive else re.IGNORECASE
    try:
        compiled = re.compile(source, flags)
    except re.error as exc:
        raise ConfigError(f"{where}: invalid regex {pattern!r}: {exc}") from exc
    if compiled.search("") is not None:
        raise ConfigError(f"{where}: {pattern!r} matches the empty string, so it would match everywhere")
    if compiled.fullmatch(_ANY_TEXT) is not None:
        raise ConfigError(f"{where}: {pattern!r} matches any text at all; make it more specific")
    return compiled


def _http_url(value: Any, where: str) -> str:
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc:
        raise ConfigError(f"{where}: relink is an http(s) address, not {value!r}")
    return value


def _list(raw: Any, name: str) -> Sequence[Any]:
    value = raw or []
    if not isinstance(value, list):
        raise ConfigError(f"{name} is a list of rules")
    if len(value) > MAX_RULES:
        raise ConfigError(f"{name}: at most {MAX_RULES} rules")
    return value


def parse_rewrites(raw: Any) -> tuple[Rewrite, ...]:
    out: list[Rewrite] = []
    for i, rule in enumerate(_list(raw, "rewrites")):
        where = f"rewrites[{i}]"
        if not isinstance(rule, Mapping):
            raise ConfigError(f"{where} is an object with find, replace, regex, relink, title, content")
        unknown = set(rule) - {"find", "replace", "regex", "relink", "title", "content", "case_sensitive"}
        if unknown:
            raise ConfigError(f"{where}: unknown option(s) {', '.join(sorted(unknown))}")
        regex = bool(rule.get("regex", False))
        compiled = _compile(rule.get("find"), regex, where, bool(rule.get("case_sensitive", False)))
        replace = rule.get("replace", "")
        if not isinstance(replace, str):
            raise ConfigError(f"{where}: replace is text")
        if regex:
            try:
                compiled.sub(replace, _ANY_TEXT)  # a bad group reference fails here, not at run time
            except (re.error, IndexError) as exc:
                raise ConfigError(f"{where}: the replacement {replace!r} is invalid: {exc}") from exc
        relink = _http_url(rule["relink"], where) if rule.get("relink") else None
        title, content = bool(rule.get("title", False)), bool(rule.get("content", True))
        if not (title or content):
            raise ConfigError(f"{where}: applies to neither the title nor the content")
        out.append(Rewrite(i, rule["find"], regex, replace, relink, title, content, compiled))
    return tuple(out)


def parse_words_to_category(raw: Any) -> tuple[WordsToCategory, ...]:
    out: list[WordsToCategory] = []
    for i, rule in enumerate(_list(raw, "words_to_category")):
        where = f"words_to_category[{i}]"
        if not isinstance(rule, Mapping):
            raise ConfigError(f"{where} is an object with words, category, regex, in")
        unknown = set(rule) - {"words", "category", "regex", "in"}
        if unknown:
            raise ConfigError(f"{where}: unknown option(s) {', '.join(sorted(unknown))}")
        words = rule.get("words")
        if isinstance(words, str):
            words = [w.strip() for w in words.split(",") if w.strip()]
        if not isinstance(words, list) or not words:
            raise ConfigError(f"{where}: words is a list of words (or one comma-separated string)")
        category = rule.get("category")
        valid_id = isinstance(category, int) and not isinstance(category, bool) and category > 0
        if not valid_id and not (isinstance(category, str) and category.strip()):
            raise ConfigError(f"{where}: category is a name or an id")
        scope = rule.get("in", "any")
        if scope not in ("title", "content", "any"):
            raise ConfigError(f"{where}: 'in' is title, content or any, not {scope!r}")
        regex = bool(rule.get("regex", False))
        compiled = tuple(_compile(w, regex, where) for w in words)
        out.append(WordsToCategory(i, tuple(words), regex, scope, category, compiled))  # type: ignore[arg-type]
    return tuple(out)


def parse_rules(raw: Mapping[str, Any]) -> ContentRules:
    """The content rules of a campaign config (its keys rewrites, words_to_category, strip_links, strip_html)."""
    return ContentRules(
        rewrites=parse_rewrites(raw.get("rewrites")),
        words_to_category=parse_words_to_category(raw.get("words_to_category")),
        strip_links=bool(raw.get("strip_links", False)),
        strip_html=bool(raw.get("strip_html", False)),
    )


# --- applying -----------------------------------------------------------------------------------


def _sub_text(rule: Rewrite, text: str, link: bool) -> str:
    """Rewrite plain `text`; the result is HTML (escaped, with the relink anchors)."""
    out: list[str] = []
    pos = 0
    for match in rule.compiled.finditer(text):
        out.append(html.escape(text[pos:match.start()], quote=False))
        if rule.relink and not rule.replace:
            replaced = match.group(0)  # a relink without a replacement links the words as they are
        else:
            replaced = match.expand(rule.replace) if rule.regex else rule.replace
        piece = html.escape(replaced, quote=False)
        if rule.relink and link:
            piece = f'<a href="{html.escape(rule.relink, quote=True)}">{piece}</a>'
        out.append(piece)
        pos = match.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def rewrite_text(rule: Rewrite, text: str) -> str:
    """Apply one rule to plain text (a title): no links, no markup."""

    def replacement(match: re.Match[str]) -> str:
        return match.expand(rule.replace) if rule.regex else rule.replace

    return rule.compiled.sub(replacement, text)


def _covered(rule: Rewrite, text: str) -> bool:
    """True when the rule's matches cover (nearly) all of a long text."""
    stripped = len(text.strip())
    if stripped < 40:
        return False
    return sum(m.end() - m.start() for m in rule.compiled.finditer(text)) >= 0.9 * stripped


def rewrite_html(rule: Rewrite, content: str) -> str:
    """Apply one rule to the text between the tags of `content`."""
    parts = _TAG.split(content)
    in_link = 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            if _A_OPEN.match(part):
                in_link += 1
            elif _A_CLOSE.match(part):
                in_link = max(0, in_link - 1)
            continue
        if part:
            parts[i] = _sub_text(rule, html.unescape(part), link=in_link == 0)
    return "".join(parts)


def text_of(content: str) -> str:
    """The plain text of an HTML fragment, a blank line between blocks."""
    if not content.strip():
        return ""
    root = lxml_html.fragment_fromstring(content, create_parent="div")
    for element in root.iter(*_BLOCKS, "br"):
        element.tail = ("\n" if element.tag == "br" else "\n\n") + (element.tail or "")
    text = root.text_content()
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text)).strip()


def strip_links(content: str) -> str:
    """The content with every link removed and its text kept."""
    return "".join(
        part for i, part in enumerate(_TAG.split(content))
        if not (i % 2 and (_A_OPEN.match(part) or _A_CLOSE.match(part)))
    )


def apply_rules(rules: ContentRules, title: str, content: str) -> Applied:
    """Title and content after the campaign's rules, the categories they earned, and notes on skipped rules."""
    done = Applied(title, content)
    for rule in rules.rewrites:
        if rule.title:
            new_title = rewrite_text(rule, done.title)
            if new_title.strip():
                done.title = new_title
            else:
                done.notes.append(f"{rule.describe()} would leave an empty title; not applied to it")
        if rule.content:
            if _covered(rule, text_of(done.html)):
                done.notes.append(f"{rule.describe()} matches the whole content; not applied to this post")
                continue
            done.html = rewrite_html(rule, done.html)
    if rules.words_to_category:
        text = text_of(done.html)
        for w2c in rules.words_to_category:
            haystacks = {"title": (done.title,), "content": (text,), "any": (done.title, text)}[w2c.where]
            if any(p.search(h) for p in w2c.compiled for h in haystacks) and w2c.category not in done.categories:
                done.categories.append(w2c.category)
    if rules.strip_links:
        done.html = strip_links(done.html)
    if rules.strip_html:
        done.html = html.escape(text_of(done.html), quote=False)
    return done
