"""Which copy of a story is the original.

The publisher tells us, when it can: a syndication partner's page points
its `rel=canonical` at the publisher's article, so the original is the copy
at the address most copies' canonical URLs name, else the copy that lives
on the host they point to. When no copy
points anywhere but to itself, when the copies point at each other equally
(a canonical loop) or at a site none of them lives on (an unrelated or
deleted page), the original is the earliest complete copy
(published date, else when we fetched it); an excerpt is elected only when
every copy is an excerpt.

Pure: no I/O, no clock. It refuses an empty list (ValueError).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from syndic.clock import as_utc
from syndic.dedupe.canonical import canonical_url, host_of


@dataclass(frozen=True)
class Copy:
    """One article as a member of a story."""

    article_id: int | str
    url: str
    canonical_url: str | None
    published: datetime | None
    fetched_at: datetime
    word_count: int
    is_excerpt: bool = False


def _earliest_key(copy: Copy) -> tuple[datetime, int, str]:
    when = as_utc(copy.published or copy.fetched_at)
    return (when, -copy.word_count, str(copy.article_id))


def _pointed_host(copies: Sequence[Copy]) -> str | None:
    """The host that copies' canonical URLs point to, away from their own hosts."""
    votes: Counter[str] = Counter()
    for copy in copies:
        if not copy.canonical_url:
            continue
        target = host_of(copy.canonical_url)
        if target and not _same_site(target, host_of(copy.url)):
            votes[target] += 1
    if not votes:
        return None
    ranked = votes.most_common(2)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        # Copies that point at each other (a canonical loop) or at rival hosts
        # name no publisher: the earliest complete copy decides instead.
        return None
    return ranked[0][0]


def _same_site(host: str, other: str) -> bool:
    """`news.publisher.com` and `publisher.com` are one publisher."""
    return bool(host and other) and (host == other or host.endswith("." + other) or other.endswith("." + host))


def _pointed_copy(copies: Sequence[Copy]) -> Copy | None:
    """The copy whose own address most other copies name as their canonical.

    Checked before hosts because outlets may share one (a group's sites on one
    domain, the demo's on one loopback port): a page pointing at the wire's
    article names that article, whatever host both live on.
    """
    votes: Counter[str] = Counter()
    for copy in copies:
        if copy.canonical_url:
            target = canonical_url(copy.canonical_url)
            if target != canonical_url(copy.url):
                votes[target] += 1
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    at_target = [c for c in copies if canonical_url(c.url) == ranked[0][0]]
    return min(at_target, key=_earliest_key) if at_target else None


def elect_original(copies: Sequence[Copy]) -> Copy:
    """The original of a story among its copies (see the module docstring)."""
    if not copies:
        raise ValueError("a story has at least one copy")
    named = _pointed_copy(copies)
    if named is not None:
        return named
    pointed = _pointed_host(copies)
    if pointed:
        at_home = [c for c in copies if _same_site(host_of(c.url), pointed)]
        if at_home:
            complete = [c for c in at_home if not c.is_excerpt] or at_home
            return min(complete, key=_earliest_key)
    complete = [c for c in copies if not c.is_excerpt] or list(copies)
    return min(complete, key=_earliest_key)


def original_url(copies: Sequence[Copy]) -> str:
    """The link a reader should follow: the elected original's canonical URL.

    When the copies point to a canonical URL on a host we have no copy from,
    that URL is still the publisher's: it is returned rather than a copy's.
    """
    pointed = _pointed_host(copies)
    if pointed and not any(_same_site(host_of(c.url), pointed) for c in copies):
        for copy in sorted(copies, key=_earliest_key):
            if copy.canonical_url and host_of(copy.canonical_url) == pointed:
                return canonical_url(copy.canonical_url)
    chosen = elect_original(copies)
    return canonical_url(chosen.url, rel_canonical=chosen.canonical_url)
