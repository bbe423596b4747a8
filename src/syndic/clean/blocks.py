"""Article HTML as a sequence of paragraph units, and its plain text.

Cleaning judges paragraphs, and the plain text of an article is its
paragraphs: both need one answer to "where does a paragraph start and end"
in markup nobody wrote for us. Here it is, in one place:

- every block element and every `<br>` ends a paragraph (the convention the
  extractor's text and the benchmarks follow);
- text standing directly in a container that also holds blocks
  (`<div>Story text<div><img></div>More text</div>`) is a paragraph of its
  own: it is wrapped in a `<p>` so it can be judged, kept or removed like
  any other, and is never lost;
- a paragraph split by `<br>` becomes one `<p>` a line.

`normalize` rewrites a parsed fragment that way; `units` lists its leaf
paragraphs in document order; `html_to_text` renders the text from them, so
the text of an article is always the text of its HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import cast

from lxml import etree

BLOCK_TAGS = frozenset(
    {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "pre", "td", "th",
     "dd", "dt", "section", "article", "header", "footer", "aside", "figure", "ul", "ol", "dl", "table",
     "tr", "tbody", "thead", "tfoot", "main", "nav", "details", "summary", "address", "hr", "center",
     "caption", "form", "fieldset", "body", "html"}
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Blocks whose lines are not split on <br> and whose parts are not judged apart:
# a caption belongs to its picture, a cell to its table, a line of code to its listing.
WHOLE_TAGS = frozenset({"pre", "figure", "table"})
MEDIA_TAGS = frozenset({"img", "picture", "video", "audio", "iframe", "source", "svg", "object", "embed"})
MEDIA_TAGS_T = tuple(MEDIA_TAGS)
BLOCK_TAGS_AND_BR = (*BLOCK_TAGS, "br")
# Tags whose content is never text of the article.
INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head", "title", "meta", "link")

# Characters XML (and so lxml) refuses in text; a page full of them is still a page.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# huge_tree: libxml2 otherwise silently drops a text node over 10 MB. A plain etree parser
# (not lxml.html's) builds elements without a Python class lookup for each.
_PARSER = etree.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True, no_network=True)
_UTF8_PARSER = etree.HTMLParser(
    huge_tree=True, remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8"
)

Element = etree._Element


def collapse(text: str) -> str:
    """Whitespace runs as one space, ends stripped: the form paragraphs are compared in."""
    return " ".join(text.split())


def text_content(el: Element) -> str:
    """All the text inside `el` (its tail excluded)."""
    return "".join(cast("Iterator[str]", el.itertext()))


def drop_tree(el: Element) -> None:
    """Remove `el` and what is inside it; the text after it stays."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def drop_tag(el: Element) -> None:
    """Remove `el` but keep its text and children in its place."""
    parent = el.getparent()
    if parent is None:
        return
    previous = el.getprevious()
    text = (el.text or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    index = parent.index(el)
    children = list(el)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if el.tail:
        last = children[-1] if children else el.getprevious()
        if last is not None:
            last.tail = (last.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


class TooDeep(ValueError):
    """The parser gave up part of the document (libxml2 stops at 2,048 levels of nesting)."""


_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(rf"<(br|/?(?:{'|'.join(sorted(BLOCK_TAGS))}))\b[^>]*>", re.I)


def markup_to_lines(html: str) -> str:
    """Text of markup that cannot be parsed whole: a line per block, every tag dropped."""
    import html as entities

    text = _TAG.sub(" ", _BREAK.sub("\n", _XML_INVALID.sub("", html)))
    return "\n".join(collapse(entities.unescape(line)) for line in text.split("\n"))


def parse_fragment(html: str) -> Element | None:
    """`html` parsed under one `<body>` root, invisible elements gone; None when empty.

    Raises `TooDeep` when the parser had to give up part of it, rather than
    return a tree with text silently missing.
    """
    html = _XML_INVALID.sub("", html)
    if not html.strip():
        return None
    document = f"<html><body>{html}</body></html>"
    parser = _PARSER
    try:
        try:
            doc = etree.fromstring(document, parser)
        except ValueError:  # a str with an encoding declaration inside
            parser = _UTF8_PARSER
            doc = etree.fromstring(document.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise TooDeep("the HTML nests too deep to be parsed whole")
    root = doc.find("body") if doc is not None else None
    if root is None:
        return None
    for bad in list(root.iter(*INVISIBLE_TAGS)):
        drop_tree(bad)
    return root


def _tag(el: object) -> str:
    tag = getattr(el, "tag", None)
    return tag if isinstance(tag, str) else ""


def _bearing(root: Element) -> set[etree._Element]:
    """Elements that are blocks or hold a block or a <br> below them (one pass)."""
    marked: set[etree._Element] = set()
    for el in root.iter(*BLOCK_TAGS_AND_BR):
        node: etree._Element | None = el
        while node is not None and node not in marked:
            marked.add(node)
            node = node.getparent()
    return marked


def _has_content(run: list[etree._Element | str]) -> bool:
    for node in run:
        if isinstance(node, str):
            if node.strip():
                return True
        elif text_content(node).strip() or _tag(node) in MEDIA_TAGS or next(node.iter(*MEDIA_TAGS_T), None) is not None:
            return True
    return False


def _wrap_runs(el: Element, bearing: set[etree._Element]) -> None:
    """Wrap each run of inline content between blocks and <br>s of `el` in a <p>."""
    runs: list[list[etree._Element | str]] = [[]]
    seq: list[etree._Element | str] = []
    if el.text:
        seq.append(el.text)
    for child in el:
        seq.append(child)
        if child.tail:
            seq.append(child.tail)
    for node in seq:
        if isinstance(node, str):
            runs[-1].append(node)
        elif node in bearing:  # a block, or a <br>: a separator, dropped
            runs.append([node])
            runs.append([])
        else:
            runs[-1].append(node)
    for child in list(el):
        child.tail = None
        el.remove(child)
    el.text = None
    if el.tag == "p":  # a <p> cannot hold a <p>
        el.tag = "div"
    for run in runs:
        if len(run) == 1 and not isinstance(run[0], str) and run[0] in bearing:
            if run[0].tag != "br":
                el.append(run[0])
            continue
        if not _has_content(run):
            continue
        p = etree.SubElement(el, "p")
        last: etree._Element | None = None
        for node in run:
            if isinstance(node, str):
                if last is None:
                    p.text = (p.text or "") + node
                else:
                    last.tail = (last.tail or "") + node
            else:
                p.append(node)
                last = node


class Block:
    """One paragraph unit: its element and its text (whitespace collapsed)."""

    __slots__ = ("element", "tag", "text")

    def __init__(self, element: Element, text: str) -> None:
        self.element = element
        self.text = text
        self.tag: str = element.tag

    @property
    def whole(self) -> bool:
        """A figure, table or listing: kept whole, never judged."""
        return self.tag in WHOLE_TAGS


def segment(root: Element) -> list[Block]:
    """Rewrite `root` so every paragraph is a leaf block, and list them in document order.

    A container that mixes text with blocks or <br>s gets its text runs
    wrapped in <p>s (a <p> holding blocks becomes a <div>); a block that holds
    no other block is a unit as it stands. Headings, figures, tables and
    listings are units whole, and not split.
    """
    bearing = _bearing(root)
    out: list[Block] = []
    stack: list[Iterator[etree._Element]] = []

    def enter(el: Element) -> None:
        children = list(el)
        has_inline = bool((el.text or "").strip()) or any(
            (c.tail or "").strip() or c not in bearing for c in children
        )
        has_separator = any(c in bearing for c in children)
        if has_inline and (has_separator or el is root):
            _wrap_runs(el, bearing)
        else:
            if has_separator and el.tag == "p":
                el.tag = "div"  # only blocks inside: a container
            for c in children:
                if c.tag == "br":  # between blocks it separates nothing
                    drop_tag(c)
        stack.append(iter(list(el)))

    enter(root)
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if el not in bearing and tag != "p":
            continue  # inline content without text of its own (an image)
        if tag in WHOLE_TAGS:
            out.append(Block(el, ""))
        elif tag in HEADING_TAGS or el not in bearing or not any(c in bearing for c in el):
            out.append(Block(el, collapse(text_content(el))))
        else:
            enter(el)
    return out


def normalize(root: Element) -> None:
    """Rewrite `root` so that every paragraph of text is a leaf block of its own (see `segment`)."""
    segment(root)


def units(root: Element) -> list[Element]:
    """Leaf paragraphs of a tree in document order (normalizing it first)."""
    return [b.element for b in segment(root)]


def unit_text(el: Element) -> str:
    """The text of one unit, whitespace collapsed; cells and lines of a table or listing apart.

    A figure's caption (`<figcaption>`) is the picture's, shown in the HTML and
    left out of the article's text (the benchmarks' convention).
    """
    if el.tag in WHOLE_TAGS:
        return "\n\n".join(_whole_lines(el))
    return collapse(text_content(el))


def _whole_lines(el: Element) -> list[str]:
    """The paragraphs inside a figure, table or listing (each cell, caption, line group)."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = collapse("".join(buf))
        if text:
            lines.append(text)
        buf.clear()

    skip: Element | None = None  # inside this figcaption
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = _tag(node)
        if skip is not None:
            if event == "end" and node is skip:
                skip = None
                if node.tail:
                    buf.append(node.tail)
            continue
        if tag == "figcaption" and event == "start":
            flush()
            skip = node
            continue
        if not tag:  # a comment or processing instruction: only its tail is text
            if event == "end" and node.tail:
                buf.append(node.tail)
            continue
        if event == "start":
            if tag in BLOCK_TAGS or tag == "br":
                flush()
            if node.text:
                buf.append(node.text)
        else:
            if tag in BLOCK_TAGS:
                flush()
            if node is not el and node.tail:
                buf.append(node.tail)
    flush()
    return lines


def render(blocks: list[Block]) -> str:
    """Plain text of segmented blocks: one paragraph a unit, blank lines between."""
    texts = (unit_text(b.element) if b.whole else b.text for b in blocks)
    return "\n\n".join(t for t in texts if t)


def text_of(root: Element) -> str:
    """Plain text of a tree: one paragraph per unit, blank lines between."""
    return render(segment(root))


def html_to_text(html: str) -> str:
    """Plain text of article HTML: one paragraph a block or <br>-separated line, figures left out."""
    try:
        root = parse_fragment(html)
    except TooDeep:
        return "\n\n".join(line for line in markup_to_lines(html).split("\n") if line)
    return "" if root is None else text_of(root)


def inner_html(root: Element) -> str:
    """The markup inside `root` (its children and text), without `root` itself."""
    whole = etree.tostring(root, encoding="unicode", method="html", with_tail=False)  # one call, not one a child
    return whole[whole.index(">") + 1 : whole.rindex("</")]
