"""Which URLs from a feed syndic keeps: http and https, nothing else.

A feed is written by a stranger. A `javascript:` or `data:` link, image or
enclosure would run in the reader's page or reach the fetcher, and a
`file:` one names the server's own disk; none of them is a page a reader
can open or syndic can fetch. Every URL the parser keeps (links, enclosures,
images, comments, media, source) passes through `allowed_url`, so the rule
lives in one place; identifiers (GUIDs, Atom ids) are names, not links, and
keep whatever scheme they have (`tag:`, `urn:`).

As browsers do, tabs and line breaks inside a URL are removed before its
scheme is read, so `java\\nscript:` is still `javascript:`. A relative
reference that could not be resolved (no base known) names no scheme and
is kept; the caller resolves it against the page it belongs to.
"""

from __future__ import annotations

import re

ALLOWED_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(i) for i in range(33))


def allowed_url(url: str | None) -> str | None:
    """`url` when its scheme is http(s) or it has none, else None."""
    if not url:
        return None
    if url.startswith(("http://", "https://")):
        return url
    cleaned = _INVISIBLE.sub("", url).strip(_C0_AND_SPACE)
    match = _SCHEME.match(cleaned)
    if match is None:
        return url if cleaned else None
    return url if match.group(1).lower() in ALLOWED_SCHEMES else None
