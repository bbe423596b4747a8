"""Cleaning HTML: judge each paragraph unit, drop the residue, render the text.

The article HTML is normalized into paragraph units (`blocks.py`: every
block and every `<br>`-separated line is one, and text standing beside
blocks is wrapped so it is never lost). Each unit goes through the same
decision as plain text (`lines.judge_units`), with what only markup knows:
whether it is a heading or a list item, and how much of it is link text,
in the article and on the page (`PageContext.linked_texts`: teasers are
still links there even when extraction unwrapped them).

Figures, tables and listings are not judged: a caption or credit under a
picture belongs to the picture, a cell to its table. The text is rendered
from the cleaned tree, so the HTML and the text always say the same thing.
The HTML output is always passed through `sanitize_html`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from lxml import etree

from syndic.clean import blocks as bl
from syndic.clean.context import PageContext, linked_texts_of
from syndic.clean.lines import judge_units
from syndic.clean.residue import Unit
from syndic.clean.result import CleanResult
from syndic.clean.sanitize import sanitize_html

_HTML_HINT = re.compile(r"<(!doctype|html|head|body|p|div|article|section|br|span|a|h[1-6]|ul|ol|li|img|table|"
                        r"blockquote|em|strong|b|i|figure)\b[^>]*>", re.I)


def looks_like_html(data: str) -> bool:
    """Whether `data` is HTML rather than plain text (judged on its start)."""
    return bool(_HTML_HINT.search(data[:4096]))


def _link_density(el: bl.Element, text: str) -> float:
    if not text:
        return 0.0
    linked = sum(len(bl.collapse(bl.text_content(a))) for a in el.iter("a"))
    if not linked:
        return 0.0
    return min(1.0, linked / len(text))


def _has_media(el: etree._Element) -> bool:
    return any(isinstance(d.tag, str) and d.tag in bl.MEDIA_TAGS for d in el.iter())


def _drop_unit(unit: bl.Element, root: bl.Element) -> None:
    """Remove a residue unit; a picture inside it stays where it was."""
    if _has_media(unit):
        media = [d for d in unit.iter() if isinstance(d.tag, str) and d.tag in bl.MEDIA_TAGS]
        for el in media:
            el.tail = None
            unit.addprevious(el)
    parent = unit.getparent()
    bl.drop_tree(unit)
    while parent is not None and parent is not root:
        if bl.text_content(parent).strip() or _has_media(parent):
            return
        up = parent.getparent()
        bl.drop_tree(parent)
        parent = up


def clean_body(html: str, context: PageContext | None = None) -> CleanResult:
    """Remove residue units from article HTML; return sanitized HTML and its text.

    `html` may be raw or sanitized; the output is sanitized, with links made
    absolute against `context.url` when it is given.
    """
    context = context or PageContext()
    try:
        root = bl.parse_fragment(html)
    except bl.TooDeep:
        return _clean_unparsable(html, context)
    if root is None:
        verdict = judge_units([], context)
        return CleanResult("", "", verdict.authors, verdict.byline_problem, ())
    blocks = bl.segment(root)
    judged = [i for i, b in enumerate(blocks) if b.text and not b.whole]
    verdict = judge_units(
        [
            Unit(
                blocks[i].text,
                heading=blocks[i].tag in bl.HEADING_TAGS,
                item=blocks[i].tag in ("li", "dt", "dd"),
                link_density=_link_density(blocks[i].element, blocks[i].text),
            )
            for i in judged
        ],
        context,
    )
    dropped = {i for i, keep in zip(judged, verdict.keep, strict=True) if not keep}
    for i in dropped:
        _drop_unit(blocks[i].element, root)
    return CleanResult(
        text=bl.render([b for i, b in enumerate(blocks) if i not in dropped]),
        html=sanitize_html(bl.inner_html(root), base_url=context.url),
        authors=verdict.authors,
        byline_problem=verdict.byline_problem,
        removed=verdict.removed,
    )


def _clean_unparsable(html: str, context: PageContext) -> CleanResult:
    """Markup nested too deep to parse whole, cleaned as plain text: its words are kept."""
    from html import escape

    from syndic.clean.plain import clean_text

    result = clean_text(
        bl.markup_to_lines(html), metadata_authors=context.authors, known_residue=context.known_residue
    )
    paragraphs = [p for p in result.text.split("\n\n") if p]
    return CleanResult(
        text=result.text,
        html="".join(f"<p>{escape(p)}</p>" for p in paragraphs),
        authors=result.authors,
        byline_problem=result.byline_problem,
        removed=result.removed,
    )


def clean_html(
    html: str,
    *,
    metadata_authors: Sequence[str] = (),
    source_html: str | None = None,
    known_residue: Collection[str] = (),
) -> CleanResult:
    """`clean_body` with the context given piece by piece (`source_html` is the page)."""
    context = PageContext(
        authors=tuple(metadata_authors),
        linked_texts=linked_texts_of(source_html) if source_html else frozenset(),
        known_residue=frozenset(known_residue),
    )
    return clean_body(html, context)
