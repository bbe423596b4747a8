"""Parse XML from strangers without letting it reach anything but our memory.

Every XML document syndic reads (feeds, OPML) goes through `parse_xml`. It
refuses what makes XML dangerous: the document type declaration is cut out
before the parser sees it, so no entity is ever declared, expanded or
fetched (billion laughs, external entities such as file:///etc/passwd, DTD
loading); the lxml parser is built with entity resolution, network access
and DTD loading switched off and the huge-tree limits on.

What it forgives: the HTML named entities feeds use without declaring them
(`&eacute;`, `&nbsp;`) become the characters they name, from a fixed table;
a stray `&` becomes `&amp;`; and when the document is still not well-formed
it is parsed again in lxml's recover mode, with the first error kept as the
reason (`bozo`).
"""

from __future__ import annotations

import bisect
import html.entities
import re
import threading
from dataclasses import dataclass

from lxml import etree

_XML_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})
_ENTITY_REF = re.compile(r"&(?:([A-Za-z][A-Za-z0-9._-]*);|(#[0-9]+;|#[xX][0-9A-Fa-f]+;)|)")
_CP1252_REF = re.compile(r"&#(1[2-5][0-9]);")
# Elements whose HTML publishers paste in unescaped and unbalanced (RSS, and Atom's html constructs).
_HTML_OPEN = re.compile(r"<(description|content:encoded|summary|content)(?:\s[^<>]{0,4000})?>")
_HTML_CLOSE = {
    name: re.compile(rf"</{name}\s*>") for name in ("description", "content:encoded", "summary", "content")
}
_CDATA_START = re.compile(r"\s*<!\[CDATA\[")
# Characters XML 1.0 forbids, which publishers' CMSes let through (form feeds, escapes, NULs).
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")

_local = threading.local()


@dataclass(frozen=True)
class ParsedXml:
    root: etree._Element
    problem: str | None


def _parser(recover: bool) -> etree.XMLParser:
    key = "recover" if recover else "strict"
    parser: etree.XMLParser | None = getattr(_local, key, None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            recover=recover,
            remove_comments=True,
            remove_pis=True,
            encoding="utf-8",
        )
        setattr(_local, key, parser)
    return parser


def strip_doctype(text: str) -> str:
    """Remove the `<!DOCTYPE ...>` of the prolog, internal subset included.

    Only the prolog is searched (comments and processing instructions are
    stepped over), so "<!DOCTYPE" written inside a comment or the document's
    text is left alone.
    """
    i = 0
    n = len(text)
    while i < n:
        if text[i].isspace() or text[i] == "\ufeff":
            i += 1
        elif text.startswith("<!--", i):
            close = text.find("-->", i + 4)
            if close < 0:
                return text
            i = close + 3
        elif text.startswith("<?", i):
            close = text.find("?>", i + 2)
            if close < 0:
                return text
            i = close + 2
        elif text[i : i + 9].upper() == "<!DOCTYPE":
            return text[:i] + text[_doctype_end(text, i + 9) :]
        else:
            return text
    return text


def _doctype_end(text: str, i: int) -> int:
    """Index just past the `>` closing a doctype whose body starts at `i`."""
    depth = 0
    quote = ""
    n = len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == ">" and depth <= 0:
            return i + 1
        i += 1
    return n


def _fix_entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name is not None:
        if name in _XML_PREDEFINED:
            return match.group(0)
        codepoint = html.entities.name2codepoint.get(name)
        if codepoint is not None:
            return f"&#{codepoint};"
        return "&amp;" + name + ";"
    if match.group(2) is not None:
        return "&" + match.group(2).replace("X", "x", 1) if match.group(2)[1:2] == "X" else match.group(0)
    return "&amp;"


def _cp1252_ref(match: re.Match[str]) -> str:
    value = int(match.group(1))
    if 128 <= value <= 159:
        char = bytes([value]).decode("windows-1252", "replace")
        return f"&#{ord(char)};"
    return match.group(0)


def _wrap_html_elements(text: str) -> str:
    """Wrap the unescaped HTML publishers paste into descriptions and contents in CDATA.

    Each opening tag is paired with the first closing tag of its name after
    it, found by bisecting the closing tags' positions (listed once per name),
    so a document of ten thousand unclosed `<description>`s costs one pass,
    not ten thousand. Elements already in CDATA, without markup, or declared
    XML (`type="xhtml"`) are left as they are.
    """
    closes: dict[str, list[tuple[int, int]]] = {}
    out: list[str] = []
    done = 0
    position = 0
    while True:
        opening = _HTML_OPEN.search(text, position)
        if opening is None:
            break
        name = opening.group(1)
        if name not in closes:
            closes[name] = [(m.start(), m.end()) for m in _HTML_CLOSE[name].finditer(text)]
        spans = closes[name]
        i = bisect.bisect_left(spans, (opening.end(), 0))
        if i == len(spans):
            position = opening.end()
            continue
        close_start, close_end = spans[i]
        inner = text[opening.end() : close_start]
        tag = opening.group(0)
        if "<" in inner and "xml" not in tag.lower() and _CDATA_START.match(inner) is None:
            out.append(text[done : opening.end()])
            out.append("<![CDATA[" + inner.replace("]]>", "]]]]><![CDATA[>") + "]]>")
            done = close_start
        position = close_end
    out.append(text[done:])
    return "".join(out)


def _prepare(text: str) -> tuple[str, bool]:
    """The text lxml will see, and whether a doctype was cut out of it."""
    text = _XML_DECL.sub("", text, count=1)
    stripped = strip_doctype(text)
    had_doctype = len(stripped) != len(text)
    if "&#1" in stripped:
        stripped = _CP1252_REF.sub(_cp1252_ref, stripped)
    return stripped, had_doctype


# The vocabularies feeds use with a prefix they forgot to declare.
_USUAL_NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "media": "http://search.yahoo.com/mrss/",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "atom": "http://www.w3.org/2005/Atom",
    "georss": "http://www.georss.org/georss",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "sy": "http://purl.org/rss/1.0/modules/syndication/",
    "feedburner": "http://rssnamespace.org/feedburner/ext/1.0",
}
_PREFIXED_TAG = re.compile(r"</?([A-Za-z][\w.-]*):[A-Za-z]")
_ROOT_TAG = re.compile(r"<[A-Za-z][^\s/>]*")


def _declare_prefixes(text: str) -> str:
    """Declare, on the root element, the usual prefixes the document uses without declaring."""
    missing = {
        prefix
        for prefix in set(_PREFIXED_TAG.findall(text))
        if prefix in _USUAL_NAMESPACES and f"xmlns:{prefix}=" not in text
    }
    root = _ROOT_TAG.search(text)
    if not missing or root is None:
        return text
    declarations = "".join(f' xmlns:{prefix}="{_USUAL_NAMESPACES[prefix]}"' for prefix in sorted(missing))
    return text[: root.end()] + declarations + text[root.end() :]


def _strict(text: str) -> etree._Element | None:
    try:
        return etree.fromstring(text.encode("utf-8", "surrogatepass"), _parser(False))
    except etree.XMLSyntaxError:
        return None


def parse_xml(text: str) -> ParsedXml:
    """Parse decoded XML text safely; raise `ValueError` when nothing is left.

    Well-formed XML is parsed once, strictly. Otherwise the text is repaired
    step by step and parsed strictly again after each step (forbidden
    characters dropped and HTML entities named, then undeclared usual
    prefixes declared, then unescaped HTML in descriptions and contents
    wrapped in CDATA); what is still broken goes to lxml's recover mode.
    The first error is kept as the reason (`bozo`).
    """
    # A DTD (Netscape's RSS 0.91 one, XHTML's) may declare the HTML entities
    # the document uses; we never read it, but their use is then no fault.
    text, had_doctype = _prepare(text)
    data = text.encode("utf-8", "surrogatepass")
    try:
        root = etree.fromstring(data, _parser(False))
    except etree.XMLSyntaxError as error:
        problem = str(error) or "document is not well-formed XML"
    else:
        if root is None:
            raise ValueError("document holds no XML element")
        return ParsedXml(root, None)
    text = _ENTITY_REF.sub(_fix_entity, _NOT_XML_CHAR.sub("", text))
    root = _strict(text)
    if root is not None:
        undefined_only = problem.startswith("Entity '") and "not defined" in problem
        return ParsedXml(root, None if undefined_only and had_doctype else problem)
    if "Namespace prefix" in problem or ":" in text[:4096]:
        declared = _declare_prefixes(text)
        if declared is not text:
            text = declared
            root = _strict(text)
            if root is not None:
                return ParsedXml(root, problem)
    if "<description" in text or "<content" in text or "<summary" in text:
        text = _wrap_html_elements(text)
        root = _strict(text)
        if root is not None:
            return ParsedXml(root, problem)
    try:
        root = etree.fromstring(text.encode("utf-8", "surrogatepass"), _parser(True))
    except etree.XMLSyntaxError as error:  # recover mode gave up as well
        raise ValueError(problem or str(error)) from error
    if root is None:
        raise ValueError(problem)
    return ParsedXml(root, problem)
