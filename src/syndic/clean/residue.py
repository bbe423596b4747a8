"""Decide which paragraphs of an article are residue, and nothing else.

A *unit* is one paragraph: a leaf block of the article HTML (`blocks.py`),
or one line of plain text. `find_residue` gives each unit a reason to go, or
none, from signals that hold across publishers and tools rather than from
any one article's sentences:

- shape: whole-unit patterns for stamps, prompts, teasers, credits
  (`patterns.py`), tested only on short units;
- position: feeds, plugins and page templates add at the edges, so the head
  (before the first story paragraph) and the tail (after the last) are
  judged more strictly than the middle, where the same short line is a
  subheading or a quotation;
- link density: a headline-sized unit that is all link, in the article or
  on the page (`PageContext.linked_texts`), is a teaser, not prose;
- the page: a head unit made of the metadata authors' names is a byline;
- repetition: lines a site repeats across its articles (`learn_site_residue`)
  are that site's furniture.

It refuses to remove a long unit, a sentence in the middle of the story, or,
past a small allowance, a large share of the text: residue is a few lines
around a story, and a verdict that would remove much of the article is a
wrong verdict, so only the stamps it is sure of are taken then. When
unsure, keep it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from syndic.clean import patterns

# Units longer than this are story, whatever they look like.
MAX_RESIDUE_WORDS = 30
MAX_RESIDUE_CHARS = 400
MAX_STAMP_CHARS = 700
# A short unit without sentence punctuation is "weak": residue only beside other residue at an edge.
MAX_WEAK_WORDS = 14
# A link-only teaser is at most this long.
MAX_TEASER_WORDS = 25
MIN_TEASER_WORDS = 4
LINK_ONLY = 0.8
# After a list label in the tail ("Related", "Share this:"), at most this many short units go with it.
MAX_SWEPT_UNITS = 6
EDGE_UNITS_WITHOUT_STORY = 3
# Cleaning may take this many characters whatever the article's length, and beyond
# that at most this share of its text, before only sure stamps are taken.
FREE_REMOVAL_CHARS = 200
MAX_REMOVED_SHARE = 0.25

# A paragraph repeated by the next one is a copy only when it is this long (short lines repeat).
MIN_COPY_WORDS = 8
COPY_WINDOW = 3
_SPACE = re.compile(r"\s+")
_TRUNCATION = re.compile(r"\s*(?:…|\.\.\.|\[…\]|\[\.\.\.\]|\[&hellip;\])\s*$")
_TRUNCATION_ENDS = ("…", "...", "]")  # what every _TRUNCATION mark ends with


def _union(group: Sequence[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern matching where any of `group` does: one scan per unit instead of dozens.

    It reads the lower-cased unit and is compiled without re.IGNORECASE,
    which makes Python's matcher several times slower (the patterns are
    written in lower case)."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in group))


_LONG_STAMPS = _union(patterns.LONG_STAMPS)
_STAMPS = _union(patterns.STAMPS)
_LABELS = _union(patterns.LABELS)
_STRONG = _union(patterns.STRONG)
_STRONG_UNLESS_ATTRIBUTED = _union(patterns.STRONG_UNLESS_ATTRIBUTED)
_EDGE = _union(patterns.EDGE)
_ATTRIBUTION = re.compile(patterns.ATTRIBUTION.pattern)


@dataclass(frozen=True)
class Unit:
    """One paragraph to judge: its text and what its markup says about it.

    `link_density` is None when unknown (plain text); `heading` and `item`
    say whether it is a heading or a list item in the HTML.
    """

    text: str
    heading: bool = False
    item: bool = False
    link_density: float | None = None


class Kind(Enum):
    STORY = "story"
    WEAK = "weak"  # short, not a sentence: residue only beside other residue at an edge
    EDGE = "edge"  # residue at the head or tail of the text
    STRONG = "strong"  # residue anywhere


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    reason: str | None = None
    sure: bool = False  # a tool's stamp: taken even when the safety limit is reached
    label: bool = False  # a list label ("Related", "Share this:"): short units after it in the tail go too


def normalize_line(line: str) -> str:
    """Collapse whitespace: the form lines are compared and learned in."""
    return _SPACE.sub(" ", line).strip()


def count_words(text: str) -> int:
    """Words in `text`, counting each ideograph or kana as a word (CJK has no spaces)."""
    return len(patterns.WORD.findall(text))


def _is_bracketed_teaser(line: str) -> bool:
    if not patterns.BRACKETED_TEASER.match(line):
        return False
    inner = line[1:-1].strip()
    # "[Editor's note: this story was updated.]" is a sentence and
    # "[Ni'matul Ukhuwah hal. 41]" a citation; a teaser is a headline.
    if len(inner.split()) < 4 or re.search(r"\.\s", inner):
        return False
    return not inner.endswith((".", "!", "?")) or inner.endswith(("...", "…"))


def _is_credit(text: str) -> bool:
    """"Photo: Jane Doe/Reuters": a credit names someone; a caption describes a picture."""
    match = patterns.CREDIT.match(text)
    if not match:
        return False
    value = match.group("value").strip(" .()[]")
    words = [w for w in re.split(r"[\s/|,]+", value) if w]
    if not words or len(words) > patterns.MAX_CREDIT_WORDS:
        return False
    named = [w for w in words if w.casefold() not in patterns.CREDIT_LINK_WORDS]
    return bool(named) and sum(1 for w in named if not w[0].islower()) >= 0.6 * len(named)


def classify(unit: Unit, *, known_residue: Collection[str] = (), linked_texts: Collection[str] = ()) -> Verdict:
    """The strongest residue verdict a unit can get, judged alone (its text whitespace-collapsed)."""
    text = unit.text
    if not text:
        return Verdict(Kind.STRONG, "empty", sure=True)
    if len(text) > MAX_STAMP_CHARS:
        return Verdict(Kind.STORY)
    lowered = text.lower()
    if _LONG_STAMPS.match(lowered):
        return Verdict(Kind.STRONG, "stamp", sure=True)
    if len(text) > MAX_RESIDUE_CHARS:
        return Verdict(Kind.STORY)
    words = count_words(text)
    if words > MAX_RESIDUE_WORDS:
        return Verdict(Kind.STORY)
    folded = text.casefold()
    if known_residue and folded in known_residue:
        return Verdict(Kind.STRONG, "repeated across the site")
    if patterns.ELLIPSIS_MARK.match(text):
        return Verdict(Kind.STRONG, "excerpt mark", sure=True)
    if patterns.DECORATION.match(text):
        return Verdict(Kind.EDGE, "decoration")
    if _is_bracketed_teaser(text):
        return Verdict(Kind.STRONG, "teaser", sure=True)
    if _STAMPS.match(lowered):
        return Verdict(Kind.STRONG, "stamp", sure=True)
    if _LABELS.match(lowered):
        return Verdict(Kind.STRONG, "label", sure=True, label=True)
    if _STRONG.match(lowered):
        return Verdict(Kind.STRONG, "prompt", sure=True)
    if not _ATTRIBUTION.search(lowered) and _STRONG_UNLESS_ATTRIBUTED.match(lowered):
        return Verdict(Kind.STRONG, "prompt", sure=True)
    if _is_credit(text):
        return Verdict(Kind.STRONG, "credit")
    density = unit.link_density or 0.0
    if linked_texts and folded in linked_texts:
        density = 1.0
    if (
        not unit.heading
        and density >= LINK_ONLY
        and MIN_TEASER_WORDS <= words <= MAX_TEASER_WORDS
        and not text.endswith(".")
        and "://" not in text
    ):
        # A headline-sized unit that is all link: a teaser. Shorter linked units are
        # names and products in a list, a sentence that is a link is still a sentence.
        return Verdict(Kind.STRONG, "teaser link")
    if _EDGE.match(lowered):
        return Verdict(Kind.EDGE, "edge")
    if words <= MAX_WEAK_WORDS and not patterns.SENTENCE_END.search(text):
        return Verdict(Kind.WEAK)
    return Verdict(Kind.STORY)


def find_residue(
    units: Sequence[Unit],
    *,
    known_residue: Collection[str] = (),
    linked_texts: Collection[str] = (),
) -> list[str | None]:
    """For each unit, why it is residue, or None when it is story."""
    verdicts = [classify(u, known_residue=known_residue, linked_texts=linked_texts) for u in units]
    kinds = [v.kind for v in verdicts]
    n = len(units)
    reasons: list[str | None] = [v.reason if v.kind is Kind.STRONG else None for v in verdicts]
    story = [i for i, k in enumerate(kinds) if k is Kind.STORY]
    if n == 0 or all(r is not None for r in reasons):
        return reasons
    # The head is what comes before the first story unit, the tail what comes after
    # the last. A text with no sentence at all (a list, a table) has only a thin edge.
    head_end = story[0] if story else min(n, EDGE_UNITS_WITHOUT_STORY)
    tail_start = story[-1] + 1 if story else max(head_end, n - EDGE_UNITS_WITHOUT_STORY)
    for i in [*range(head_end), *range(tail_start, n)]:
        if kinds[i] is Kind.EDGE:
            reasons[i] = verdicts[i].reason
    for i in range(n - 1):
        # The paragraph it copies may come after a byline or a picture credit between them.
        following = next(
            (u.text for u in units[i + 1 : i + 1 + COPY_WINDOW] if len(u.text) >= len(units[i].text) - 3), None
        )
        if reasons[i] is None and following is not None and _copies_next(units[i].text, following):
            reasons[i] = "copy of the next paragraph"
            verdicts[i] = Verdict(kinds[i], reasons[i], sure=True)
    if story:
        # In the tail, the few short units after a list label ("Share this:", "Related")
        # are that list. Many short units are a list of the story's own: keep them.
        label = next((i for i in range(tail_start, n) if verdicts[i].label), None)
        if label is not None:
            swept = [i for i in range(label + 1, n) if kinds[i] is Kind.WEAK and not units[i].heading]
            if len(swept) <= MAX_SWEPT_UNITS:
                for i in swept:
                    reasons[i] = "listed under a label"
        # In the head, a weak unit wedged between residue units is residue too.
        for i in range(1, head_end - 1):
            if kinds[i] is Kind.WEAK and reasons[i - 1] and reasons[i + 1] and not units[i].heading:
                reasons[i] = "between residue"
    return _within_limit(units, reasons, verdicts)


def _copies_next(text: str, following: str) -> bool:
    """A paragraph that the next one repeats: the same words, or its start cut with an ellipsis.

    Feeds and autoblogs put the summary ("... found a crack…") above the
    story whose first paragraph it was cut from; the reader gets the lede twice.
    """
    if not text:
        return False
    if text == following:
        return count_words(text) >= MIN_COPY_WORDS
    if not text.rstrip().endswith(_TRUNCATION_ENDS):  # the cheap test first: most paragraphs
        return False
    cut = _TRUNCATION.sub("", text)
    return cut != text and count_words(cut) >= MIN_COPY_WORDS and following.startswith(cut)


def _within_limit(units: Sequence[Unit], reasons: list[str | None], verdicts: Sequence[Verdict]) -> list[str | None]:
    """`reasons`, or only the sure ones when the others would take too much of the text.

    A shape match is sure; a judgement from position, links or repetition is
    not, and when such judgements add up to a large share of the article they
    are wrong about this page (a list of links that is the article, a story
    of short lines): then they are all dropped.
    """
    total = sum(len(u.text) for u in units)
    unsure = sum(len(u.text) for u, r, v in zip(units, reasons, verdicts, strict=True) if r and not v.sure)
    if unsure <= FREE_REMOVAL_CHARS or unsure <= MAX_REMOVED_SHARE * total:
        return reasons
    return [r if r and v.sure else None for r, v in zip(reasons, verdicts, strict=True)]


def learn_site_residue(
    texts: Iterable[str], *, min_share: float = 0.5, min_articles: int = 3
) -> frozenset[str]:
    """Short lines that recur in at least `min_share` of one site's articles.

    Pass the result as `PageContext.known_residue` (or to `clean_text`): a
    footer the patterns do not know is still found because every article of
    the site carries it. Story lines do not repeat across articles, so this
    is safe.
    """
    counts: Counter[str] = Counter()
    total = 0
    for text in texts:
        total += 1
        seen = {
            normalize_line(line).casefold()
            for line in text.splitlines()
            if line.strip() and len(line) <= MAX_RESIDUE_CHARS and count_words(line) <= MAX_RESIDUE_WORDS
        }
        counts.update(seen)
    if total < min_articles:
        return frozenset()
    return frozenset(line for line, c in counts.items() if c >= max(2, min_share * total))
