"""Whether two texts are copies of one story: a pure decision over plain numbers.

Copies come in two shapes. A re-wrapped or syndicated copy has most of the
original's shingles, so their Jaccard similarity is high. An excerpt
("first paragraphs + Read more") holds a small part of the original: its
Jaccard is low, but nearly all of *its* shingles are in the original
(containment), and it shares the original's lead. `is_copy` accepts either
shape and nothing else: articles on the same event written by different
newsrooms share names and quotes, not runs of three words, so their
similarity stays far below these thresholds.

It refuses to match texts too short to judge (a headline, a "Read more").
"""

from __future__ import annotations

from syndic.dedupe.minhash import LEAD_WORDS, Signature, lead_similarity, similarity

# A copy or an excerpt must carry at least this many shingles (≈ one paragraph).
MIN_SHINGLES = 25
JACCARD_COPY = 0.3
CONTAINMENT_COPY = 0.8
CONTAINMENT_WITH_LEAD = 0.5
LEAD_AGREEMENT = 0.6
LEAD_ONLY_AGREEMENT = 0.8
MIN_SIZE_RATIO = 0.2
EXCERPT_LEAD_MULTIPLE = 3
# The full sketch must still show a real overlap; the lead alone is not enough.
MIN_SHARED_VALUES = 3 / 128
# Two pages of one site share its template and boilerplate (header, navigation,
# "most read", footer) whenever extraction keeps some of it; one site's two
# addresses of one story (a print view, a second section) are near-identical.
SAME_SITE_JACCARD = 0.6


def containment(a_size: int, b_size: int, jaccard: float) -> float:
    """Estimated share of the smaller set found in the larger, from |A|, |B| and J(A, B)."""
    smaller = min(a_size, b_size)
    if smaller <= 0 or jaccard <= 0.0:
        return 0.0
    intersection = jaccard / (1.0 + jaccard) * (a_size + b_size)
    return min(1.0, intersection / smaller)


def is_copy(
    a_size: int,
    b_size: int,
    jaccard: float,
    *,
    lead_jaccard: float = 0.0,
    lead_containment: float = 0.0,
    same_opening: bool = False,
) -> bool:
    """Whether texts with these shingle counts and similarities are one story.

    `a_size`/`b_size` are shingle counts (`Signature.size`), `jaccard` the
    full-text similarity; `lead_jaccard` and `lead_containment` compare the
    leads (the first `LEAD_WORDS` words), `same_opening` says both texts
    start with the same `OPENING_WORDS` words.
    """
    smaller = min(a_size, b_size)
    if smaller <= 0:
        return False
    if smaller < MIN_SHINGLES:
        return jaccard >= 0.9 and max(a_size, b_size) < 2 * MIN_SHINGLES
    if jaccard >= JACCARD_COPY:
        return True
    # An excerpt of a long article shares too few shingles for the full sketch
    # to see, but it opens with the original's words and its lead is in the
    # original's lead. A short lead is estimated too roughly to trust alone.
    if same_opening and lead_containment >= LEAD_AGREEMENT:
        return True
    if smaller <= EXCERPT_LEAD_MULTIPLE * LEAD_WORDS and lead_jaccard >= LEAD_ONLY_AGREEMENT:
        return True
    if jaccard < MIN_SHARED_VALUES:
        return False
    held = containment(a_size, b_size, jaccard)
    # Containment estimated from the full sketch is only as fine as 1/128 of the
    # union: for a text under a fifth of the other's size, it needs the lead's support.
    if held >= CONTAINMENT_COPY and smaller >= MIN_SIZE_RATIO * max(a_size, b_size):
        return True
    return lead_jaccard >= LEAD_AGREEMENT and held >= CONTAINMENT_WITH_LEAD


def lead_containment(a: Signature, b: Signature) -> float:
    """Estimated share of the shorter lead found in the other lead (an excerpt's lead is in its original's)."""
    return containment(a.lead_size, b.lead_size, lead_similarity(a, b))


def same_story(a: Signature, b: Signature, *, same_site: bool = False) -> bool:
    """`is_copy` applied to two signatures.

    With `same_site` (both pages on one site) only a near-identical text is
    the same story: what two stories of one site share is its template.
    """
    if same_site:
        return min(a.size, b.size) > 0 and similarity(a, b) >= SAME_SITE_JACCARD
    return is_copy(
        a.size,
        b.size,
        similarity(a, b),
        lead_jaccard=lead_similarity(a, b),
        lead_containment=lead_containment(a, b),
        same_opening=a.opening != 0 and a.opening == b.opening,
    )


def is_excerpt_of(a: Signature, b: Signature) -> bool:
    """Whether `a` is an excerpt of `b`: one story, and `a` holds well under its words."""
    return a.size < 0.7 * b.size and same_story(a, b)
