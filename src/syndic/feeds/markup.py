"""Publisher HTML inside feeds: serialise it, repair it, anchor its links.

Feeds carry HTML three ways (escaped text, CDATA, inline XHTML elements);
this module turns each into one markup string, makes relative `href`/`src`
URLs absolute against the element's base, repairs UTF-8 that was decoded
as Windows-1252 on the way ("itâ€™s"), and gives plain text for titles.
It does not sanitize: that is `clean.sanitize`'s job, on the way out.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from lxml import etree

_XMLNS_ATTR = re.compile(r'\s+xmlns(?::[A-Za-z0-9_.-]+)?="[^"]*"')
_HTML_PREFIX = re.compile(r"<(/?)(?:html|xhtml|h):")
_RELATIVE_ATTR = re.compile(
    r"""(\s(?:href|src|cite|poster|longdesc|background)\s*=\s*)(["'])(?![a-zA-Z][a-zA-Z0-9+.-]*:|[#"'])([^"'<>]*)\2"""
)
_TAG = re.compile(r"<[^>]*>")


def inner_markup(element: etree._Element) -> str:
    """Text and child elements of `element` as markup, namespace noise removed."""
    parts = [html.escape(element.text, quote=False) if element.text else ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(etree.tostring(child, encoding="unicode", with_tail=False))
        if child.tail:
            parts.append(html.escape(child.tail, quote=False))
    markup = "".join(parts)
    if "xmlns" in markup:
        markup = _XMLNS_ATTR.sub("", markup)
    if ":" in markup:
        markup = _HTML_PREFIX.sub(r"<\1", markup)
    return markup


def text_of(element: etree._Element) -> str:
    """The element's content: plain text, or markup when it holds elements."""
    if len(element) == 0:
        return element.text or ""
    return inner_markup(element)


# Characters Windows-1252 and Latin-1 give to bytes 0x80-0xFF: where UTF-8 was
# decoded as either, runs of them spell out the UTF-8 bytes ("â€™" for "’").
_MOJIBAKE_RUN = re.compile(
    "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{2,}"
)


def _repair_run(match: re.Match[str]) -> str:
    run = match.group()
    for codec in ("windows-1252", "latin-1"):
        try:
            return run.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return run


def fix_mojibake(value: str) -> str:
    """Repair UTF-8 that was decoded as Windows-1252 or Latin-1 before it reached the feed."""
    if value.isascii():
        return value
    return _MOJIBAKE_RUN.sub(_repair_run, value)


def html_to_text(markup: str) -> str:
    """Plain text of a short piece of HTML, such as an Atom `type="html"` title."""
    if "<" in markup:
        markup = _TAG.sub("", markup)
    if "&" in markup:
        markup = html.unescape(markup)
    return " ".join(markup.split())


def _all_absolute(markup: str) -> bool:
    """A quick count that spares the regex when every URL is already absolute."""
    count = markup.count
    written = (
        count("href=")
        + count("src=")
        + count("cite=")
        + count("poster=")
        + count("longdesc=")
        + count("background=")
    )
    absolute = 0
    for name in ("href=", "src=", "cite=", "poster="):
        for quote in "\"'":
            absolute += count(name + quote + "http://") + count(name + quote + "https://")
    return written == absolute


def absolutize_html(markup: str, base: str | None) -> str:
    """Make relative `href`/`src` URLs in publisher HTML absolute."""
    if not base or ("href" not in markup and "src" not in markup):
        return markup
    if _all_absolute(markup):
        return markup
    return _RELATIVE_ATTR.sub(
        lambda m: (
            m.group(1)
            + m.group(2)
            + html.escape(join_url(base, html.unescape(m.group(3).strip())))
            + m.group(2)
        ),
        markup,
    )


def join_url(base: str, url: str) -> str:
    """`urljoin` that leaves a URL it cannot join as it was."""
    try:
        return urljoin(base, url)
    except ValueError:
        return url
