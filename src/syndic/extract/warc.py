"""Pages out of a WARC archive (a crawl, Common Crawl's news set, a browser capture).

warcio reads the records (WARC 1.0/1.1, gzip per record or not) and undoes
chunked transfer and Content-Encoding; this module keeps only what an
extractor can use: `response` records of HTTP 200 with an HTML body, each
with its target URL, its Content-Type and its capture date. Anything else
(requests, metadata, redirects, images, revisits) is skipped and counted,
and a body over `max_body_bytes` is skipped rather than read whole.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from syndic.clock import as_utc
from syndic.errors import ExtractionError

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class WarcPage:
    url: str
    body: bytes
    content_type: str | None
    captured: datetime | None


@dataclass
class WarcSkips:
    """Records that were not pages, by reason (for the summary line)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, reason: str) -> None:
        self.counts[reason] = self.counts.get(reason, 0) + 1

    def __str__(self) -> str:
        return ", ".join(f"{n} {reason}" for reason, n in sorted(self.counts.items())) or "none"


def is_warc(path: Path) -> bool:
    """True when the file starts like a WARC archive, gzipped or not."""
    try:
        with path.open("rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
        opener = gzip.open if gzipped else open
        with opener(path, "rb") as stream:
            return bool(stream.read(5) == b"WARC/")
    except (OSError, EOFError):
        return False


def _captured(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return as_utc(when)


def iter_pages(stream: IO[bytes], *, max_body_bytes: int, skips: WarcSkips | None = None) -> Iterator[WarcPage]:
    """Every HTML page answered with 200 in the archive, in archive order."""
    skips = skips if skips is not None else WarcSkips()
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                skips.add(f"{record.rec_type} records")
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            http = record.http_headers
            if not url or http is None:
                skips.add("responses without HTTP headers")
                continue
            status = http.get_statuscode()
            if status != "200":
                skips.add(f"HTTP {status}")
                continue
            content_type = http.get_header("Content-Type")
            if not content_type or content_type.split(";")[0].strip().lower() not in HTML_TYPES:
                skips.add("non-HTML responses")
                continue
            body = record.content_stream().read(max_body_bytes + 1)
            if len(body) > max_body_bytes:
                skips.add(f"bodies over {max_body_bytes} bytes")
                continue
            yield WarcPage(url, body, content_type, _captured(record.rec_headers.get_header("WARC-Date")))
    except ArchiveLoadFailed as exc:
        raise ExtractionError(f"not a readable WARC archive: {exc}") from exc
    except (ValueError, AttributeError, EOFError, OSError, zlib.error) as exc:
        # warcio's reaction to a malformed or truncated record varies by what is broken
        raise ExtractionError(f"malformed WARC record ({type(exc).__name__}: {exc})") from exc
