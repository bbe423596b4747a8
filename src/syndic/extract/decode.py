"""Bytes to text for a fetched page.

Publishers declare charsets wrongly often enough that trusting the
declaration garbles pages: a page served as ISO-8859-1 is frequently UTF-8.
The order here: a byte-order mark wins; then, if the bytes are valid UTF-8
and hold non-ASCII text, UTF-8 (valid multibyte UTF-8 is almost never an
accident); then the HTTP header's charset, then a `<meta>` charset, each only
if the bytes decode with it; then detection (charset-normalizer). It never
raises: the last resort is UTF-8 with replacement characters. It refuses to
decode what looks like binary data — `looks_binary` says so first.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE
)
_HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?\s*([^\s;"']+)""", re.IGNORECASE)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF_BYTES = 4096
_DETECT_BYTES = 64 * 1024
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))


def looks_binary(data: bytes) -> bool:
    """Whether `data` is not text: NUL bytes or many control characters
    at its start, and no byte-order mark that would explain them."""
    head = data[:_SNIFF_BYTES]
    if not head or any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = sum(head.count(bytes([c])) for c in _CONTROL_BYTES)
    return controls / len(head) > 0.05


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def declared_charsets(data: bytes, content_type: str | None) -> list[str]:
    """Charsets named by the HTTP header, then by a `<meta>`, known codecs only."""
    names: list[str] = []
    if content_type:
        found = _HEADER_CHARSET_RE.search(content_type)
        codec = _codec(found.group(1)) if found else None
        if codec:
            names.append(codec)
    found_meta = _META_CHARSET_RE.search(data[:_SNIFF_BYTES])
    if found_meta:
        codec = _codec(found_meta.group(1).decode("ascii", "replace"))
        if codec and codec not in names:
            names.append(codec)
    return names


def decode_page(data: bytes, content_type: str | None = None) -> str:
    """The text of a page; never raises."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    if data.isascii():
        return data.decode("ascii")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for codec in declared_charsets(data, content_type):
        if codec in ("utf-8", "ascii"):
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data[:_DETECT_BYTES]).best()
    if best is not None and best.encoding:
        return data.decode(best.encoding, errors="replace")
    return data.decode("utf-8", errors="replace")
