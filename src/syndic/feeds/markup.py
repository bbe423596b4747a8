"""Publisher HTML inside feeds: serialise it, repair it, anchor its links.

Feeds carry HTML three ways (escaped text, CDATA, inline XHTML elements);
this module turns each into one markup string, makes relative `href`/`src`
URLs absolute against the element's base, repairs UTF-8 that was decoded
as Windows-1252 on the way ("itâ€™s"), and gives plain text for titles.

Inline XHTML is serialised as HTML: XHTML elements without prefix or
namespace declaration, SVG and MathML with their `xmlns` on the element
that enters them (so a browser still draws them), attributes in a stable
order, void elements written `<br />`. `normalize_html` applies the same
few rules to escaped HTML, cheaply: character references that name
Windows-1252 code points, `<br/>` spacing, and a bare `<` that opens no
tag, which would otherwise swallow the text after it.

It does not sanitize content: that is `clean.sanitize`'s job, on the way
out. Titles are the exception: `title_markup` keeps only the inline
formatting a heading can show (emphasis, sub/superscripts, code, links), so
a title written as HTML never carries a script, a frame or a stylesheet.
"""

from __future__ import annotations

import html
import html.entities
import re
from urllib.parse import urljoin

import nh3
from lxml import etree

from syndic.feeds.names import MATHML, SVG, XLINK, XML_NS

# A quoted attribute value that is a relative reference. The match starts at "=" (a
# literal the regex engine scans for quickly); the attribute's name is checked after.
_RELATIVE_VALUE = re.compile(r"""(=\s*)(["'])(?![a-zA-Z][a-zA-Z0-9+.-]*:|[#"'])([^"'<>]*)\2""")
_URL_ATTRIBUTES = ("href", "src", "cite", "poster", "longdesc", "background")
_TAG = re.compile(r"<[^<>]*>")
_VOID = frozenset(
    [
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
        "keygen", "link", "meta", "param", "source", "track", "wbr"
    ]
)
# Namespaces kept as such in HTML output: a browser parses them as foreign content.
_FOREIGN = frozenset({SVG, MATHML})
_ATTRIBUTE_PREFIXES = {XLINK: "xlink", XML_NS: "xml"}


def _escape_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    return _escape_text(value).replace('"', "&quot;")


def _serialize(element: etree._Element, parent_ns: str, out: list[str]) -> None:
    tag = element.tag
    if isinstance(tag, str):
        if tag[0] == "{":
            ns, local = tag[1:].split("}", 1)
        else:
            ns, local = "", tag
        if ns not in _FOREIGN:
            ns = ""  # XHTML, or markup left in the feed's own namespace: HTML either way
        attributes: dict[str, str] = {}
        if ns and ns != parent_ns:
            attributes["xmlns"] = ns
        for name, value in element.attrib.items():
            name = str(name)
            if name[0] == "{":
                attr_ns, attr_local = name[1:].split("}", 1)
                prefix = _ATTRIBUTE_PREFIXES.get(attr_ns)
                if prefix is None:
                    name = attr_local
                else:
                    name = prefix + ":" + attr_local
                    if prefix != "xml":
                        attributes["xmlns:" + prefix] = attr_ns
            attributes[name] = str(value)
        out.append("<" + local)
        for name in sorted(attributes):
            out.append(f' {name}="{_escape_attribute(attributes[name])}"')
        if not ns and local.lower() in _VOID and not len(element) and not element.text:
            out.append(" />")
            return
        out.append(">")
        if element.text:
            out.append(_escape_text(element.text))
        for child in element:
            _serialize(child, ns, out)
            if child.tail:
                out.append(_escape_text(child.tail))
        out.append("</" + local + ">")


def inner_markup(element: etree._Element) -> str:
    """Text and child elements of `element` as HTML markup, namespace noise removed."""
    out = [_escape_text(element.text) if element.text else ""]
    for child in element:
        _serialize(child, "", out)
        if child.tail:
            out.append(_escape_text(child.tail))
    return "".join(out)


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


def absolutize_html(markup: str, base: str | None) -> str:
    """Make relative `href`/`src`/`cite`/`poster`/`longdesc`/`background` URLs in publisher HTML absolute."""
    if not base or ("href" not in markup and "src" not in markup and "cite" not in markup):
        return markup

    def absolute(match: re.Match[str]) -> str:
        before = markup[max(0, match.start() - 12) : match.start()].rstrip()
        for name in _URL_ATTRIBUTES:
            if before.endswith(name) and before[-len(name) - 1 : -len(name)].isspace():
                quote = match.group(2)
                url = html.escape(join_url(base, html.unescape(match.group(3).strip())))
                return match.group(1) + quote + url + quote
        return match.group(0)

    return _RELATIVE_VALUE.sub(absolute, markup)


def join_url(base: str, url: str) -> str:
    """`urljoin` that leaves a URL it cannot join as it was."""
    try:
        return urljoin(base, url)
    except ValueError:
        return url


# Elements that may appear in publisher HTML; a title whose tags are all
# among them, and that closes a tag or writes a reference, is HTML.
_HTML_ELEMENTS = frozenset(
    [
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "bdi", "bdo",
        "big", "blink", "blockquote", "body", "br", "button", "canvas", "caption", "center", "cite",
        "code", "col", "colgroup", "data", "datalist", "dd", "del", "details", "dfn", "dialog",
        "dir", "div", "dl", "dt", "em", "fieldset", "figcaption", "figure", "font", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "i", "img",
        "input", "ins", "kbd", "label", "legend", "li", "main", "map", "mark", "menu", "meter",
        "nav", "nobr", "noscript", "object", "ol", "optgroup", "option", "output", "p", "picture",
        "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "section", "select", "small",
        "source", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td",
        "template", "textarea", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var",
        "video", "wbr"
    ]
)
_CLOSING_OR_REFERENCE = re.compile(r"</\w+>|&#?\w+;")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
_NAMED_REFERENCE = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")


def looks_like_html(value: str) -> bool:
    """Whether text from an element that should be plain (an RSS title) is in fact HTML.

    Conservative, because a wrong yes loses text: it needs a closing tag or a
    character reference, every tag must be an HTML element, and every named
    reference one HTML defines.
    """
    if ("<" not in value and "&" not in value) or _CLOSING_OR_REFERENCE.search(value) is None:
        return False
    if any(name.lower() not in _HTML_ELEMENTS for name in _TAG_NAME.findall(value)):
        return False
    return all(name in html.entities.name2codepoint for name in _NAMED_REFERENCE.findall(value))


_HEX_REFERENCE_UPPER = re.compile(r"&#X([0-9A-Fa-f]+;)")
_CP1252_REFERENCE = re.compile(r"&#(1[2-5][0-9]);")
_SELF_CLOSING = re.compile(r"(<[A-Za-z][^<>]*?[^\s/<>])/>")
_BARE_LT = re.compile(r"<(?![A-Za-z/?]|!(?:[A-Za-z]|--|\[CDATA\[))")


def _cp1252_reference(match: re.Match[str]) -> str:
    value = int(match.group(1))
    if 128 <= value <= 159:
        char = bytes([value]).decode("windows-1252", "replace")
        if char != "\ufffd":
            return f"&#x{ord(char):x};"
    return match.group(0)


def normalize_html(markup: str) -> str:
    """Escaped publisher HTML with the few repairs every reader wants.

    `&#146;` (a Windows-1252 code point written as if it were Unicode)
    becomes the character it meant, `&#X..;` is written `&#x..;`, `<br/>`
    gets its space (`<br />`, as XHTML-compatible HTML writes it), and a `<`
    that opens no tag, comment or declaration becomes `&lt;`.
    """
    if "&#" in markup:
        if "&#X" in markup:
            markup = _HEX_REFERENCE_UPPER.sub(r"&#x\1", markup)
        if "&#1" in markup:
            markup = _CP1252_REFERENCE.sub(_cp1252_reference, markup)
    if "<" in markup:
        if "/>" in markup:
            markup = _SELF_CLOSING.sub(r"\1 />", markup)
        markup = _BARE_LT.sub("&lt;", markup)
    return markup


_TITLE_TAGS = frozenset(
    [
        "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "del", "dfn", "div",
        "em", "font", "i", "ins", "kbd", "mark", "p", "q", "s", "samp", "small", "span", "strike",
        "strong", "sub", "sup", "time", "tt", "u", "var"
    ]
)
_TITLE_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "acronym": {"title"}, "time": {"datetime"}}


_TAG_PARTS = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)([^<>]*)>")
_SAFE_LINK = re.compile(r'\s*href="https?://[^"<>]*"\s*/?\s*')


def _inline_only(markup: str) -> bool:
    """Whether a title's markup is already plain inline formatting (nothing to remove)."""
    if "<!" in markup or "<?" in markup:
        return False
    for match in _TAG_PARTS.finditer(markup):
        name, attributes = match.group(1).lower(), match.group(2)
        if name not in _TITLE_TAGS:
            return False
        if attributes.strip(" \t\n/") and not (name == "a" and _SAFE_LINK.fullmatch(attributes)):
            return False
    return True


def title_markup(markup: str) -> str:
    """A title written as HTML, reduced to the inline formatting a heading can show.

    Titles already made only of such formatting are returned as written (the
    sanitizer would respell their character references).
    """
    if "<" not in markup or _inline_only(markup):
        return markup
    return nh3.clean(
        markup,
        tags=set(_TITLE_TAGS),
        attributes=_TITLE_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel=None,
        strip_comments=True,
    ).strip()
