"""Turn feed bytes into text, whatever encoding the publisher claimed.

Feeds lie about their encoding: the HTTP header says one thing, the XML
declaration another, and the bytes are often a third (UTF-8 declared as
ISO-8859-1, Windows-1252 declared as UTF-8). This module picks the encoding
the standards say to use (RFC 3023: byte-order mark, then the HTTP charset,
then the XML declaration, with `text/*` defaulting to US-ASCII), and when the
bytes do not decode that way it falls back to UTF-8, the declared encoding,
a statistical guess and finally Windows-1252, saying why in `problem`.

It refuses nothing: every byte string decodes to some text, and the caller
decides whether a recorded problem matters.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_XML_DECL = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([^\"';\s]+)", re.IGNORECASE)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_BE, "utf-32be"),
    (codecs.BOM_UTF32_LE, "utf-32le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16be"),
    (codecs.BOM_UTF16_LE, "utf-16le"),
)

# '<?' written in UTF-16/32 without a byte-order mark.
_SNIFF: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\x00<", "utf-32be"),
    (b"<\x00\x00\x00", "utf-32le"),
    (b"\x00<\x00?", "utf-16be"),
    (b"<\x00?\x00", "utf-16le"),
)

# Names publishers write that Python spells differently, or that are a
# subset of a wider encoding every browser uses in their place.
_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "iso-8859-1": "iso-8859-1",
    "latin-1": "iso-8859-1",
    "latin1": "iso-8859-1",
    "utf8": "utf-8",
    "utf-16": "utf-16",
    "unicode": "utf-16",
    "ascii": "us-ascii",
    "us-ascii": "us-ascii",
}


_SINGLE_BYTE = frozenset({"iso-8859-1", "iso-8859-15", "windows-1252", "cp1252", "latin-1", "us-ascii"})
_LATIN_GUESSES = frozenset(
    {
        "cp1250", "cp1252", "cp1254", "cp1257", "latin-1", "iso8859-1", "iso8859-2", "iso8859-15",
        "iso8859-9", "iso8859-13", "iso8859-16", "mac-roman", "mac-latin2", "windows-1250", "windows-1252",
        "iso-8859-1", "iso-8859-2", "iso-8859-15", "ascii",
        # DOS and old Mac code pages: no feed is written in them, so such a guess
        # means the statistics had too little text to go on.
        "cp437", "cp737", "cp775", "cp850", "cp852", "cp857", "cp858", "cp860", "cp861", "cp862",
        "cp863", "cp864", "cp865", "cp869", "cp1125", "mac-greek", "mac-iceland", "mac-turkish",
    }
)  # fmt: skip
_C1 = re.compile("[\x80-\x9f]")


def _demoronize(text: str, data: bytes, encoding: str) -> str:
    """Windows-1252 punctuation that arrived as C1 control characters."""
    if data.isascii():
        return text
    if encoding == "utf-8" and b"\xc2" not in data:
        return text  # in UTF-8 every C1 character starts with byte C2
    if _C1.search(text) is None:
        return text
    return _C1.sub(lambda m: bytes([ord(m.group())]).decode("windows-1252", "replace"), text)


@dataclass(frozen=True)
class Decoded:
    """Text of a document, the encoding that produced it, and any problem."""

    text: str
    encoding: str
    problem: str | None = None


def _normalise(name: str) -> str | None:
    name = name.strip().strip("'\"").lower()
    if not name:
        return None
    if name in _WIDER:
        return _WIDER[name]
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    media = content_type.split(";", 1)[0].strip().lower()
    match = _CHARSET.search(content_type.split(";", 1)[1] if ";" in content_type else "")
    return media, (match.group(1) if match else None)


def _declared(data: bytes, bom_encoding: str | None) -> str | None:
    """The encoding named in the XML declaration, read in the right width."""
    head = data[:512]
    if (bom_encoding and bom_encoding.startswith("utf-16")) or (
        bom_encoding and bom_encoding.startswith("utf-32")
    ):
        try:
            head = head.decode(bom_encoding, "ignore").encode("ascii", "ignore")
        except LookupError:
            return None
    elif b"\x00" in head[:4]:
        for prefix, name in _SNIFF:
            if head.startswith(prefix):
                head = head.decode(name, "ignore").encode("ascii", "ignore")
                break
    head = head.lstrip(b"\xef\xbb\xbf").lstrip()
    match = _XML_DECL.match(head)
    return match.group(1).decode("ascii") if match else None


def is_xml_media_type(media: str) -> bool:
    return (
        media in ("application/xml", "text/xml", "application/xml-dtd")
        or media.endswith("+xml")
        or media.endswith("/xml-external-parsed-entity")
    )


def decode_document(data: bytes, content_type: str | None = None) -> Decoded:
    """Decode `data` as the standards say, falling back when the bytes disagree."""
    bom_encoding = None
    # Nearly every feed starts with "<" in an ASCII-compatible encoding: no BOM, nothing to sniff.
    plain_start = data[:1] == b"<" and data[1:2] != b"\x00"
    if not plain_start:
        for bom, name in _BOMS:
            if data.startswith(bom):
                bom_encoding = name
                data = data[len(bom) :]
                break
    sniffed = None
    if bom_encoding is None and not plain_start:
        for prefix, name in _SNIFF:
            if data.startswith(prefix):
                sniffed = name
                break
    declared_raw = _declared(data, bom_encoding)
    declared = _normalise(declared_raw) if declared_raw else None
    media, http_charset = _media_type(content_type)
    http = _normalise(http_charset) if http_charset else None

    problem: str | None = None
    if declared_raw and declared is None:
        problem = f"unknown encoding {declared_raw!r} declared"
    if media and not is_xml_media_type(media) and media not in ("application/json", "application/feed+json"):
        problem = f"served as {media}, not an XML media type"

    if media.startswith("text/") and is_xml_media_type(media):
        preferred = http or "us-ascii"
    elif http:
        preferred = http
    else:
        preferred = None
    # A byte-order mark describes the bytes better than any header can.
    if bom_encoding:
        preferred = bom_encoding
    if preferred is None:
        preferred = sniffed or declared or "utf-8"

    if preferred in _SINGLE_BYTE and not data.isascii():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return Decoded(
                _demoronize(text, data, "utf-8"),
                "utf-8",
                problem or f"document declared {preferred} but is utf-8",
            )
    candidates = [preferred, "utf-8"]
    if declared:
        candidates.append(declared)
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            if problem is None:
                problem = f"document is not valid {name}"
            continue
        if name != preferred and problem is None:
            problem = f"document declared {preferred} but is {name}"
        return Decoded(_demoronize(text, data, name), name, problem)
    return _guess(data, problem or f"document is not valid {preferred}")


# What a guessed encoding is called: its IANA name, spelt as chardet (the
# detector feedparser reports through) spells it. Declared encodings keep
# the name the document gave.
_IANA_NAMES = {
    "big5": "Big5", "big5hkscs": "Big5-HKSCS", "euc_jp": "EUC-JP", "euc_jis_2004": "EUC-JP",
    "euc_kr": "EUC-KR", "cp949": "CP949", "gb2312": "GB2312", "gbk": "GBK", "gb18030": "GB18030",
    "hz": "HZ-GB-2312", "iso2022_jp": "ISO-2022-JP", "iso2022_kr": "ISO-2022-KR", "koi8_r": "KOI8-R",
    "koi8_u": "KOI8-U", "shift_jis": "SHIFT_JIS", "cp932": "CP932", "tis_620": "TIS-620",
    "cp874": "windows-874", "mac_cyrillic": "MacCyrillic", "cp866": "IBM866", "cp855": "IBM855",
    "utf_8": "utf-8", "utf_16": "UTF-16", "utf_32": "UTF-32", "ascii": "ascii",
}  # fmt: skip


def _iana_name(codec: str) -> str:
    try:
        name = codecs.lookup(codec).name.replace("-", "_")
    except LookupError:
        return codec
    if name in _IANA_NAMES:
        return _IANA_NAMES[name]
    if name.startswith("cp125"):
        return "windows-" + name[2:]
    if name.startswith("iso8859_"):
        return "ISO-8859-" + name[8:]
    return codec


def _guess(data: bytes, problem: str) -> Decoded:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer is a dependency
        best = None
    else:
        best = from_bytes(data[:65536]).best()
    if best is not None and best.encoding:
        if best.encoding.replace("_", "-").lower() in _LATIN_GUESSES:
            # Statistics cannot tell Latin alphabets apart on a short text;
            # Windows-1252 is the one feeds actually use.
            return Decoded(data.decode("windows-1252", "replace"), "windows-1252", problem)
        try:
            return Decoded(data.decode(best.encoding), _iana_name(best.encoding), problem)
        except (UnicodeDecodeError, LookupError):
            pass
    return Decoded(data.decode("windows-1252", "replace"), "windows-1252", problem)
