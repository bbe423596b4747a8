"""The dedupe stage: canonical URLs, near-duplicate text, electing the original.

    canonical_url(url, rel_canonical=, og_url=)   one identity key per article (never shown)
    real_address(fetched_url, declared)           the article's address as a reader follows it
    signature(text) -> Signature                  MinHash sketches of a text
    band_keys(sig) -> list[int]                   LSH keys for the article_band table
    similarity(a, b), is_copy(...), same_story()  the copy decision
    elect_original(copies) -> Copy                the story's original
"""

from __future__ import annotations

from syndic.dedupe.canonical import canonical_url, host_of, real_address
from syndic.dedupe.decide import containment, is_copy, is_excerpt_of, lead_containment, same_story
from syndic.dedupe.elect import Copy, elect_original, original_url
from syndic.dedupe.lsh import band_keys
from syndic.dedupe.minhash import Signature, lead_similarity, signature, similarity

__all__ = [
    "Copy",
    "Signature",
    "band_keys",
    "canonical_url",
    "containment",
    "elect_original",
    "host_of",
    "is_copy",
    "is_excerpt_of",
    "lead_containment",
    "lead_similarity",
    "original_url",
    "real_address",
    "same_story",
    "signature",
    "similarity",
]
