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

import html.entities
import re
import threading
from dataclasses import dataclass

from lxml import etree

_XML_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})
_ENTITY_REF = re.compile(r"&(?:([A-Za-z][A-Za-z0-9._-]*);|(#[0-9]+;|#[xX][0-9A-Fa-f]+;)|)")
_CP1252_REF = re.compile(r"&#(1[2-5][0-9]);")
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
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
    """Remove every `<!DOCTYPE ...>`, internal subset included."""
    while True:
        match = _DOCTYPE.search(text)
        if match is None:
            return text
        start = match.start()
        i = match.end()
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
                break
            i += 1
        text = text[:start] + text[i + 1 :]


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
        return match.group(0)
    return "&amp;"


def _cp1252_ref(match: re.Match[str]) -> str:
    value = int(match.group(1))
    if 128 <= value <= 159:
        char = bytes([value]).decode("windows-1252", "replace")
        return f"&#{ord(char)};"
    return match.group(0)


def _prepare(text: str) -> str:
    text = _XML_DECL.sub("", text, count=1)
    if "<!" in text and _DOCTYPE.search(text):
        text = strip_doctype(text)
    if "&#1" in text:
        text = _CP1252_REF.sub(_cp1252_ref, text)
    return text


def parse_xml(text: str) -> ParsedXml:
    """Parse decoded XML text safely; raise `ValueError` when nothing is left."""
    text = _prepare(text)
    data = text.encode("utf-8", "surrogatepass")
    try:
        root = etree.fromstring(data, _parser(False))
    except etree.XMLSyntaxError as error:
        problem = str(error) or "document is not well-formed XML"
    else:
        if root is None:
            raise ValueError("document holds no XML element")
        return ParsedXml(root, None)
    fixed = _ENTITY_REF.sub(_fix_entity, text).encode("utf-8", "surrogatepass")
    try:
        root = etree.fromstring(fixed, _parser(False))
    except etree.XMLSyntaxError:
        pass
    else:
        if root is not None:
            undefined_only = problem.startswith("Entity '") and "not defined" in problem
            return ParsedXml(root, None if undefined_only else problem)
    try:
        root = etree.fromstring(fixed, _parser(True))
    except etree.XMLSyntaxError as error:  # recover mode gave up as well
        raise ValueError(problem or str(error)) from error
    if root is None:
        raise ValueError(problem)
    return ParsedXml(root, problem)
