"""Finding the article body in a parsed page, and turning it into text.

The generic extractor, used when no site rule names the body. It works on a
lexbor tree (selectolax) because lexbor parses several times faster than
lxml, and the whole extraction must stay cheap enough to run on every entry
of every feed. The procedure: drop page furniture (scripts, navigation,
nodes whose class or id says "share", "related", …), score paragraphs and
credit their parents and grandparents (the readability idea), take the best
container with its like siblings, then drop link lists and short fragments
inside it. All the words it looks for live in `patterns.py`.

It refuses to guess: a page whose best container holds too little text
gives no body, and the caller reports "no article found".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from syndic.extract import patterns as pt

_SPACE_RE = re.compile(r"\s+")


@dataclass
class Body:
    """The chosen body: nodes in document order and their paragraph texts."""

    nodes: list[LexborNode]
    paragraphs: list[str]

    @property
    def html(self) -> str:
        return "".join(node.html or "" for node in self.nodes)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _attr_words(node: LexborNode) -> str:
    attrs = node.attributes
    words = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    if "-" in words:  # CMS taxonomy classes ("category-advertising") say nothing of layout
        words = " ".join(w for w in words.split() if not w.startswith(pt.TAXONOMY_PREFIXES))
    return words


def is_furniture(words: str) -> bool:
    """Whether class/id words mark page furniture."""
    return bool(
        pt.STRONG_UNLIKELY_RE.search(words)
        or (pt.UNLIKELY_RE.search(words) and not pt.MAYBE_RE.search(words))
    )


def _clean_text(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def remove_furniture(root: LexborNode) -> None:
    """Drop scripts, hidden nodes and nodes whose class/id marks furniture.

    A node holding a large share of the page's text is kept whatever its
    class says: it is a layout wrapper ("page-wrapper header-style-2").
    """
    root.strip_tags(list(pt.JUNK_TAGS))
    limit = len(root.text()) * pt.WRAPPER_TEXT_SHARE
    for node in root.css(pt.DROP_SELECTOR):
        if node.parent is not None and len(node.text()) < limit:
            node.decompose()
    for node in root.css("[class], [id]"):
        if node.tag in pt.NEVER_DROP_TAGS or node.parent is None:
            continue
        if is_furniture(_attr_words(node)) and len(node.text()) < limit:
            node.decompose()


def class_weight(node: LexborNode) -> float:
    """A head start for containers whose class/id says "article", a penalty
    for those that say "photo" or "comment"."""
    words = _attr_words(node)
    weight = 0.0
    if pt.POSITIVE_RE.search(words):
        weight += pt.CLASS_WEIGHT
    if pt.NEGATIVE_RE.search(words):
        weight -= pt.CLASS_WEIGHT
    return weight


def link_density(node: LexborNode, text_length: int | None = None) -> float:
    if text_length is None:
        text_length = len(_clean_text(node.text()))
    if text_length == 0:
        return 1.0
    linked = sum(len(_clean_text(a.text())) for a in node.css("a"))
    return min(1.0, linked / text_length)


def _paragraph_score(text: str) -> float:
    return 1.0 + text.count(",") + min(len(text) // 100, 3)


def text_blocks(root: LexborNode) -> list[tuple[LexborNode, str]]:
    """Each block element with the text directly inside it (inline children
    included, nested blocks not), in document order: a `<p>`, and equally a
    `<div>` of text lines separated by `<br>`."""
    blocks: dict[int, tuple[LexborNode, list[str]]] = {}
    block_tags = pt.BLOCK_TAGS

    def walk(node: LexborNode, pieces: list[str]) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                pieces.append(child.text_content or "")
            elif tag in block_tags:
                own: list[str] = []
                blocks[child.mem_id] = (child, own)
                walk(child, own)
            elif tag != "-comment":
                walk(child, pieces)

    top: list[str] = []
    blocks[root.mem_id] = (root, top)
    walk(root, top)
    out = []
    for node, pieces in blocks.values():
        text = _clean_text("".join(pieces))
        if text:
            out.append((node, text))
    return out


def score_candidates(root: LexborNode) -> tuple[dict[int, float], dict[int, LexborNode]]:
    """Readability-style scores: each paragraph credits its ancestors."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for para, text in text_blocks(root):
        if len(text) < pt.MIN_PARAGRAPH_CHARS or para.tag not in pt.PARAGRAPH_TAGS:
            continue
        score = _paragraph_score(text)
        ancestor: LexborNode | None = para if para.tag in pt.CONTAINER_TAGS else para.parent
        for divider in (1.0, 2.0, 3.0):
            if ancestor is None or ancestor.tag in ("html", "#document"):
                break
            key = ancestor.mem_id
            if key not in nodes:
                nodes[key] = ancestor
                scores[key] = 0.0
            scores[key] += score / divider
            ancestor = ancestor.parent
    for key, node in nodes.items():
        length = len(_clean_text(node.text()))
        weight = class_weight(node) * min(1.0, length / pt.FULL_WEIGHT_CHARS)
        scores[key] = (scores[key] + weight) * (1.0 - link_density(node, length))
    return scores, nodes


def _top_candidate(root: LexborNode) -> tuple[LexborNode | None, float, dict[int, float]]:
    for selector in pt.BODY_SELECTORS:
        marked = root.css(selector)
        if len(marked) == 1 and len(_clean_text(marked[0].text())) > pt.MIN_BODY_CHARS:
            return marked[0], float("inf"), {}
    scores, nodes = score_candidates(root)
    if not scores:
        return None, 0.0, scores
    key = max(scores, key=scores.__getitem__)
    return nodes[key], scores[key], scores


def _with_siblings(top: LexborNode, top_score: float, scores: dict[int, float]) -> list[LexborNode]:
    parent = top.parent
    if parent is None or top_score == float("inf"):
        return [top]
    cousins = _cousins(top, top_score, scores)
    if len(cousins) > 1:
        return cousins
    threshold = max(10.0, top_score * 0.2)
    chosen: list[LexborNode] = []
    top_words = _attr_words(top).strip()
    for sibling in parent.iter():
        if sibling.mem_id == top.mem_id:
            chosen.append(sibling)
            continue
        bonus = top_score * 0.2 if top_words and _attr_words(sibling).strip() == top_words else 0.0
        if scores.get(sibling.mem_id, 0.0) + bonus >= threshold:
            chosen.append(sibling)
        elif sibling.tag == "p":
            text = _clean_text(sibling.text())
            density = link_density(sibling, len(text))
            if (len(text) > 80 and density < 0.25) or (
                0 < len(text) <= 80 and density == 0 and text.endswith((".", "!", "?", '"', "”"))
            ):
                chosen.append(sibling)
    return chosen


def _cousins(top: LexborNode, top_score: float, scores: dict[int, float]) -> list[LexborNode]:
    """Other containers of the same tag and class as `top`, in document
    order: an article split in chunks between ads ("article__body" × 3)."""
    css_class = top.attributes.get("class")
    if not css_class or '"' in css_class or "\\" in css_class:
        return [top]
    root = top.parser.body if top.parser is not None else None
    if root is None:
        return [top]
    same = root.css(f'{top.tag}[class="{css_class}"]')
    threshold = top_score * pt.COUSIN_SHARE
    chosen = [n for n in same if n.mem_id == top.mem_id or scores.get(n.mem_id, 0.0) >= threshold]
    return chosen if any(n.mem_id == top.mem_id for n in chosen) else [top]


def prune(node: LexborNode) -> None:
    """Drop link lists and thin blocks inside the chosen container."""
    for block in node.css(pt.PRUNE_SELECTOR):
        if block.parent is None:
            continue
        text = _clean_text(block.text())
        if not text:
            if block.tag not in ("img", "picture", "figure") and not block.css_first("img"):
                block.decompose()
            continue
        density = link_density(block, len(text))
        if density > 0.5 or (block.tag in ("ul", "ol") and density > 0.33):
            block.decompose()


def paragraphs_of(nodes: list[LexborNode]) -> list[str]:
    """Plain text of `nodes`: one string per block, whitespace collapsed."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            text = _clean_text("".join(buf))
            if text:
                out.append(text)
            buf.clear()

    def walk(node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                buf.append(child.text_content or "")
            elif tag in pt.BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            elif tag != "-comment":
                walk(child)

    for node in nodes:
        if node.tag in pt.BLOCK_TAGS:
            flush()
            walk(node)
            flush()
        else:
            walk(node)
    flush()
    return out


def extract_body(tree: LexborHTMLParser) -> Body | None:
    """The article body of `tree` (which it mutates), or None."""
    root = tree.body
    if root is None:
        return None
    remove_furniture(root)
    top, top_score, scores = _top_candidate(root)
    if top is None:
        return None
    nodes = _with_siblings(top, top_score, scores)
    for node in nodes:
        prune(node)
    paragraphs = paragraphs_of(nodes)
    if sum(len(p) for p in paragraphs) < pt.MIN_BODY_CHARS:
        return None
    return Body(nodes, paragraphs)
