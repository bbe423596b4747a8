"""Cleaning HTML: judge each paragraph-level block, drop the residue.

The HTML is split into *leaf blocks* (block elements with no block inside
them; a block whose paragraphs are separated by `<br>` is split first), and
each block's text goes through the same decision as plain text, with one
more signal only HTML has: how much of the block is link text, measured in
the extracted HTML and, when given, in the page's own HTML (`source_html`),
where teasers are still links even if extraction unwrapped them.

Figures are left alone: a caption or credit under a picture belongs to the
picture. The output is always passed through `sanitize_html`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import cast

import lxml.html
from lxml import etree

from syndic.clean.lines import judge_lines
from syndic.clean.result import CleanResult
from syndic.clean.sanitize import sanitize_html

BLOCK_TAGS = frozenset(
    {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "pre", "td", "th",
     "dd", "dt", "section", "article", "header", "footer", "aside", "figure", "ul", "ol", "dl", "table",
     "tr", "tbody", "thead", "tfoot", "main", "nav", "details", "summary", "address", "hr", "center"}
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
UNJUDGED_TAGS = frozenset({"figure", "table", "pre"})
MEDIA_TAGS = frozenset({"img", "picture", "video", "audio", "iframe", "source", "svg", "object", "embed", "hr"})
_HTML_HINT = re.compile(r"<(!doctype|html|head|body|p|div|article|section|br|span|a|h[1-6]|ul|ol|li|img|table|"
                        r"blockquote|em|strong|b|i|figure)\b[^>]*>", re.I)
_SPACE = re.compile(r"\s+")
# huge_tree: libxml2 otherwise silently drops a text node over 10 MB.
_PARSER = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)


def looks_like_html(data: str) -> bool:
    """Whether `data` is HTML rather than plain text (judged on its start)."""
    return bool(_HTML_HINT.search(data[:4096]))


def _text(el: lxml.html.HtmlElement) -> str:
    return _SPACE.sub(" ", el.text_content()).strip()


def _is_block(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and el.tag in BLOCK_TAGS


def _with_block_inside(root: lxml.html.HtmlElement) -> set[etree._Element]:
    """Every element that has a block element somewhere below it (one pass)."""
    marked: set[etree._Element] = set()
    for el in root.iter():
        if el is not root and _is_block(el):
            for anc in el.iterancestors():
                if anc in marked:
                    break
                marked.add(anc)
    return marked


def _leaf_blocks_all(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    inside = _with_block_inside(root)
    return [el for el in root.iter() if el is not root and _is_block(el) and el not in inside and el.tag != "hr"]


def _leaf_blocks(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Leaf blocks that are judged; figures and tables, and what is inside them, are not
    (a caption belongs to its picture, a cell to its table: "%" in a cell is data)."""
    return [
        el for el in _leaf_blocks_all(root)
        if el.tag not in UNJUDGED_TAGS and not any(a.tag in UNJUDGED_TAGS for a in el.iterancestors())
    ]


def _split_on_breaks(root: lxml.html.HtmlElement) -> None:
    """Turn `<div>a<br><br>b</div>` into `<div><p>a</p><p>b</p></div>`."""
    inside = _with_block_inside(root)
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.tag in ("pre", "figure") or not any(c.tag == "br" for c in el):
            continue
        if el in inside:
            continue
        runs: list[list[str | lxml.html.HtmlElement]] = [[]]
        if el.text:
            runs[-1].append(el.text)
        for child in list(el):
            if child.tag == "br":
                runs.append([])
                if child.tail:
                    runs[-1].append(child.tail)
            else:
                tail = child.tail
                child.tail = None
                runs[-1].append(child)
                if tail:
                    runs[-1].append(tail)
        for child in list(el):
            el.remove(child)
        el.text = None
        if el.tag == "p":
            el.tag = "div"
        for run in runs:
            if not any((isinstance(n, str) and n.strip()) or not isinstance(n, str) for n in run):
                continue
            p = etree.SubElement(el, "p")
            last: lxml.html.HtmlElement | None = None
            for node in run:
                if isinstance(node, str):
                    if last is None:
                        p.text = (p.text or "") + node
                    else:
                        last.tail = (last.tail or "") + node
                else:
                    p.append(node)
                    last = node


def _drop_all(root: lxml.html.HtmlElement, tags: tuple[str, ...]) -> None:
    for bad in list(root.iter(*tags)):
        if bad is not root:
            cast(lxml.html.HtmlElement, bad).drop_tree()


def _link_density(el: lxml.html.HtmlElement, text: str) -> float:
    if not text:
        return 0.0
    linked = sum(len(_SPACE.sub(" ", a.text_content()).strip()) for a in el.iter("a"))
    return min(1.0, linked / len(text))


def _source_densities(source_html: str) -> dict[str, float]:
    try:
        doc = lxml.html.document_fromstring(source_html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return {}
    _drop_all(doc, ("script", "style", "noscript", "template"))
    densities: dict[str, float] = {}
    for el in doc.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "span", "a", "td", "dd"):
        text = _text(el)
        if text and len(text) <= 400:
            density = _link_density(el, text) if el.tag != "a" else 1.0
            densities[text] = max(density, densities.get(text, 0.0))
    return densities


def _drop_empty_ancestors(parent: lxml.html.HtmlElement | None, root: lxml.html.HtmlElement) -> None:
    while parent is not None and parent is not root:
        if _text(parent) or any(isinstance(d.tag, str) and d.tag in MEDIA_TAGS for d in parent.iter()):
            return
        up = parent.getparent()
        parent.drop_tree()
        parent = up


def html_to_text(root: lxml.html.HtmlElement) -> str:
    """Plain text of a cleaned tree: one paragraph per leaf block, blank lines between."""
    blocks = [t for t in (_text(el) for el in _leaf_blocks_all(root)) if t]
    if not blocks:
        return _text(root)
    return "\n\n".join(blocks)


def _parse_fragment(html: str) -> lxml.html.HtmlElement | None:
    if not html.strip():
        return None
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div", parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    _drop_all(root, ("script", "style", "noscript", "template"))
    return root


def clean_html(
    html: str,
    *,
    metadata_authors: Sequence[str] = (),
    source_html: str | None = None,
    known_residue: Collection[str] = (),
) -> CleanResult:
    """Remove residue blocks from article HTML; return sanitized HTML and its text."""
    root = _parse_fragment(html)
    if root is None:
        from syndic.clean.plain import clean_text

        result = clean_text("", metadata_authors=metadata_authors)
        return CleanResult("", "", result.authors, result.byline_problem, ())
    _split_on_breaks(root)
    blocks = _leaf_blocks(root)
    texts = [_text(b) for b in blocks]
    source = _source_densities(source_html) if source_html else {}
    # Headings that link to themselves (product round-ups, titles) are not teasers.
    densities: list[float | None] = [
        None if b.tag in HEADING_TAGS else max(_link_density(b, t), source.get(t, 0.0))
        for b, t in zip(blocks, texts, strict=True)
    ]
    present = [i for i, t in enumerate(texts) if t]
    verdict = judge_lines(
        [texts[i] for i in present],
        metadata_authors=metadata_authors,
        link_density=[densities[i] for i in present],
        known_residue=known_residue,
    )
    for i, keep in zip(present, verdict.keep, strict=True):
        if not keep:
            parent = blocks[i].getparent()
            blocks[i].drop_tree()
            _drop_empty_ancestors(parent, root)
    inner = (root.text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in root
    )
    return CleanResult(
        text=html_to_text(root),
        html=sanitize_html(inner),
        authors=verdict.authors,
        byline_problem=verdict.byline_problem,
        removed=verdict.removed,
    )
