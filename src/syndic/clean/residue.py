"""Decide which lines of an article are residue, and nothing else.

A *line* is one paragraph of extracted text (one block element of HTML).
`find_residue` marks lines for removal from signals that hold across
publishers and tools rather than from any one article's sentences:

- shape: whole-line patterns for stamps, prompts, teasers, credits
  (`patterns.py`), tested only on short lines;
- position: feeds and plugins append at the edges, so the head and tail
  zones of the text are judged more strictly than the middle, and a short
  line wedged between two residue lines at an edge goes with them;
- link density: a short line that is all link in the source HTML is a
  teaser, not prose;
- repetition: lines that recur across a site's articles
  (`learn_site_residue`) are that site's furniture.

It refuses to remove a long line, or a line that reads as a sentence in the
middle of the story: when unsure, keep it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from enum import Enum

from syndic.clean import patterns

# Lines longer than this are story, whatever they look like.
MAX_RESIDUE_WORDS = 30
MAX_RESIDUE_CHARS = 400
MAX_STAMP_CHARS = 700
# A short line without sentence punctuation at an edge is "weak" residue.
MAX_WEAK_WORDS = 14
# A link-only teaser is at most this long.
MAX_TEASER_WORDS = 25
MIN_TEASER_WORDS = 4
LINK_ONLY = 0.8
# At most this many short non-sentence lines are swept with a footer.
MAX_SWEPT_LINES = 4
EDGE_LINES_WITHOUT_STORY = 3

_SPACE = re.compile(r"\s+")


class Kind(Enum):
    STORY = "story"
    WEAK = "weak"  # short, not a sentence: residue only beside other residue at an edge
    EDGE = "edge"  # residue at the head or tail of the text
    STRONG = "strong"  # residue anywhere


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


def classify_line(
    line: str,
    *,
    link_density: float | None = None,
    known_residue: Collection[str] = (),
) -> Kind:
    """The strongest residue kind a single line can be, judged alone."""
    text = normalize_line(line)
    if not text:
        return Kind.STRONG
    if len(text) > MAX_STAMP_CHARS:
        return Kind.STORY
    if any(p.match(text) for p in patterns.LONG_STAMPS):
        return Kind.STRONG
    if len(text) > MAX_RESIDUE_CHARS:
        return Kind.STORY
    words = count_words(text)
    if words > MAX_RESIDUE_WORDS:
        return Kind.STORY
    if known_residue and text.casefold() in known_residue:
        return Kind.STRONG
    if patterns.DECORATION.match(text) or patterns.ELLIPSIS_MARK.match(text):
        return Kind.STRONG
    if _is_bracketed_teaser(text):
        return Kind.STRONG
    if any(p.match(text) for p in patterns.STRONG):
        return Kind.STRONG
    if not patterns.ATTRIBUTION.search(text) and any(p.match(text) for p in patterns.STRONG_UNLESS_ATTRIBUTED):
        return Kind.STRONG
    if (
        link_density is not None
        and link_density >= LINK_ONLY
        and MIN_TEASER_WORDS <= words <= MAX_TEASER_WORDS
        and not text.endswith(".")
        and "://" not in text
    ):
        # A headline-sized line that is all link: a teaser. Shorter linked lines are
        # names and products in a list, a sentence that is a link is still a sentence.
        return Kind.STRONG
    if any(p.match(text) for p in patterns.EDGE):
        return Kind.EDGE
    if words <= MAX_WEAK_WORDS and not patterns.SENTENCE_END.search(text):
        return Kind.WEAK
    return Kind.STORY


def find_residue(
    lines: Sequence[str],
    *,
    link_density: Sequence[float | None] | None = None,
    known_residue: Collection[str] = (),
) -> list[bool]:
    """For each line, whether it is residue (True) or story (False)."""
    kinds = [
        classify_line(
            line,
            link_density=link_density[i] if link_density is not None else None,
            known_residue=known_residue,
        )
        for i, line in enumerate(lines)
    ]
    n = len(kinds)
    remove = [k is Kind.STRONG for k in kinds]
    story = [i for i, k in enumerate(kinds) if k is Kind.STORY]
    if all(remove) or n == 0:
        return remove
    # The head is what comes before the first story line, the tail what comes after
    # the last. A text with no sentence at all (a list, a table) has only a thin edge.
    head_end = story[0] if story else min(n, EDGE_LINES_WITHOUT_STORY)
    tail_start = story[-1] + 1 if story else max(head_end, n - EDGE_LINES_WITHOUT_STORY)
    for i in [*range(head_end), *range(tail_start, n)]:
        if kinds[i] is Kind.EDGE:
            remove[i] = True
    if not story:
        return remove
    # In the tail, once a strong stamp appears, the few short lines after it are
    # footer too (an edge-only shape such as a bare URL is not enough: it may be a
    # list of links). Many short lines are a list, not a footer: then keep them.
    first_tail = next((i for i in range(tail_start, n) if kinds[i] is Kind.STRONG), None)
    if first_tail is not None:
        weak = [i for i in range(first_tail, n) if kinds[i] is Kind.WEAK]
        if len(weak) <= MAX_SWEPT_LINES:
            for i in weak:
                remove[i] = True
    # In the head, a weak line wedged between residue lines is residue too.
    for i in range(1, head_end - 1):
        if kinds[i] is Kind.WEAK and remove[i - 1] and remove[i + 1]:
            remove[i] = True
    return remove


def learn_site_residue(
    texts: Iterable[str], *, min_share: float = 0.5, min_articles: int = 3
) -> frozenset[str]:
    """Short lines that recur in at least `min_share` of one site's articles.

    Pass the result to `clean_text(..., known_residue=...)`: a footer the
    patterns do not know is still found because every article of the site
    carries it. Story lines do not repeat across articles, so this is safe.
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
