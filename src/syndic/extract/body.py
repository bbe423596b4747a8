"""Finding the article body in a parsed page, and turning it into text.

The generic extractor, used when no site rule names the body. It works on a
lexbor tree (selectolax) because lexbor parses several times faster than
lxml, and the whole extraction must stay cheap enough to run on every entry
of every feed. The procedure: drop page furniture (scripts, navigation,
nodes whose class or id says "share", "related", …), score paragraphs and
credit their parents and grandparents (the readability idea), take the best
container with its like siblings, then drop link lists and short fragments
inside it. All the words it looks for live in `patterns.py`.

It refuses to guess: a page whose best container holds too little text,
or is a list of teasers whose headings link elsewhere, gives no body but a
reason, and the caller reports "no article found: <reason>".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from syndic.extract import patterns as pt
from syndic.extract.media import find_lead_image, mark_captions

_PLAIN_CLASS_RE = re.compile(r"^[\w\- ]+$")  # safe to put in a CSS attribute selector


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


def class_words(node: LexborNode) -> str:
    """The node's class and id, lower-cased: what the class/id patterns read."""
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()


@lru_cache(maxsize=65536)  # class strings repeat across a site's pages
def _layout_words(raw: str) -> str:
    """Class/id words without CMS taxonomy ("category-advertising" says
    nothing of layout)."""
    if "-" not in raw:
        return raw
    return " ".join(w for w in raw.split() if not w.startswith(pt.TAXONOMY_PREFIXES))


def _attr_words(node: LexborNode) -> str:
    return _layout_words(class_words(node))


@lru_cache(maxsize=65536)  # class strings repeat across a site's pages
def is_furniture(raw: str) -> bool:
    """Whether class/id words mark page furniture."""
    words = _layout_words(raw)
    return bool(
        pt.STRONG_UNLIKELY_RE.search(words)
        or (pt.UNLIKELY_RE.search(words) and not pt.MAYBE_RE.search(words))
    )


@lru_cache(maxsize=65536)  # class strings repeat across a site's pages
def is_strong_furniture(raw: str) -> bool:
    """Whether class/id words say furniture whatever the node holds (a
    cookie banner is one even when it is the longest text of a short page),
    and nothing in them says article ("s-article-text js-advertorial")."""
    words = _layout_words(raw)
    return bool(pt.STRONG_UNLIKELY_RE.search(words)) and not pt.MAYBE_RE.search(words)


def _clean_text(text: str) -> str:
    return " ".join(text.split())


def _inside(node: LexborNode, tags: frozenset[str]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def read_noscript(root: LexborNode) -> None:
    """A <noscript> that holds markup is unwrapped (its markup is what a
    reader without scripts gets; serialized as it is, it would be text); one
    that holds only a "please enable JavaScript" line is dropped."""
    for node in root.css("noscript"):
        if node.parent is None:
            continue
        text = node.text()
        if node.css_first(pt.NOSCRIPT_CONTENT) is None or (
            len(text) < pt.NOSCRIPT_NOTICE_CHARS and "javascript" in text.lower()
        ):
            node.decompose()
        else:
            node.unwrap()


def is_dropped(node: LexborNode) -> bool:
    """Whether a node `patterns.DROP_SELECTOR` selected is hidden, or a byline,
    date or other page metadata."""
    if node.tag in pt.DROP_TAGS:
        return True
    attrs = node.attributes
    if (
        "hidden" in attrs
        or attrs.get("aria-hidden") == "true"
        or attrs.get("rel") == "author"
        or attrs.get("itemprop") in pt.DROP_ITEMPROPS
    ):
        return True
    style = attrs.get("style") or ""
    return any(hiding in style for hiding in pt.HIDDEN_STYLES)


def remove_furniture(root: LexborNode, *, by_class: bool = True) -> None:
    """Drop scripts, hidden nodes and (unless `by_class` is False) nodes
    whose class/id marks furniture.

    A node holding a large share of the page's text is kept whatever its
    class says: it is a layout wrapper ("page-wrapper header-style-2"). So
    is an article's own <header> (its standfirst), and a <noscript> that
    holds markup.
    """
    for node in root.css(pt.JUNK_SELECTOR):
        if node.parent is not None:
            node.decompose()
    read_noscript(root)
    whole = len(root.text()) * pt.LAYOUT_WRAPPER_SHARE
    for node in root.css(pt.LAYOUT_SELECTOR):
        if (
            node.parent is not None
            and not (node.tag in pt.HEADER_TAGS and _inside(node, pt.ARTICLE_TAGS))
            and len(node.text()) < whole  # a <header> around the whole page is its layout
        ):
            node.decompose()
    limit = len(root.text()) * pt.WRAPPER_TEXT_SHARE
    for node in [n for n in root.css(pt.DROP_SELECTOR) if is_dropped(n)]:
        if (
            node.parent is not None
            and len(node.text()) < limit
            and node.css_first(pt.BODY_SELECTORS[0]) is None  # a body hidden for scripts to show
        ):
            node.decompose()
    if not by_class:
        return
    kept_tags = pt.NEVER_DROP_TAGS | pt.NOT_FURNITURE_BY_CLASS
    for node in root.css("[class], [id]"):
        tag = node.tag
        if tag in kept_tags:
            continue
        raw = class_words(node)
        if not is_furniture(raw) or node.parent is None:  # the cheap tests first: most nodes stop here
            continue
        if not is_strong_furniture(raw) and len(node.text()) >= limit:
            continue
        if tag in pt.HEADER_TAGS and _inside(node, pt.ARTICLE_TAGS):
            continue
        if node.css_first(pt.EMBED_SELECTOR) is not None:
            continue
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


@dataclass
class Measure:
    """One walk over a page's tree: per element, the characters of text in
    it, of link text, and of prose (paragraph-long blocks that are not mostly
    links); and every block with its own text. Scoring and climbing read
    these instead of walking subtrees again."""

    chars: dict[int, int]
    links: dict[int, int]
    prose: dict[int, int]
    blocks: list[tuple[LexborNode, str, int]]  # block, its own text, its own link characters

    def link_density(self, node: LexborNode) -> float:
        chars = self.chars.get(node.mem_id, 0)
        return min(1.0, self.links.get(node.mem_id, 0) / chars) if chars else 1.0


def measure(root: LexborNode) -> Measure:
    """Measure `root`'s tree in one walk over each element's children (an
    explicit stack, not recursion: pages nest thousands of levels deep).

    A frame is one open element: [key, node, its text pieces (a block's
    own, inline children included), its link characters, inside a link,
    is a block, its children left, then the characters, link characters
    and prose characters of its subtree]."""
    chars: dict[int, int] = {}
    links: dict[int, int] = {}
    prose: dict[int, int] = {}
    blocks: list[tuple[LexborNode, str, int]] = []
    block_tags = pt.BLOCK_TAGS
    paragraph_tags = pt.PARAGRAPH_TAGS
    min_chars = pt.MIN_PARAGRAPH_CHARS
    top: list[Any] = [root.mem_id, root, [], 0, False, True, root.iter(include_text=True), 0, 0, 0]
    stack = [top]
    open_blocks = [top]  # the innermost one gathers the text of inline elements
    while stack:
        frame = stack[-1]
        child = next(frame[6], None)
        if child is None:  # the element closes
            stack.pop()
            if frame[5]:
                text = " ".join("".join(frame[2]).split())
                if text:
                    length = len(text)
                    linked = min(length, frame[3])
                    blocks.append((frame[1], text, linked))
                    frame[7] += length
                    frame[8] += linked
                    if frame[1].tag in paragraph_tags and length >= min_chars and linked * 2 < length:
                        frame[9] += length
                open_blocks.pop()
            key = frame[0]
            chars[key], links[key], prose[key] = frame[7], frame[8], frame[9]
            if stack:
                parent = stack[-1]
                parent[7] += frame[7]
                parent[8] += frame[8]
                parent[9] += frame[9]
            continue
        tag = child.tag
        if tag == "-text":
            piece = child.text_content or ""
            block = open_blocks[-1]
            block[2].append(piece)
            if frame[4]:
                block[3] += len(piece.strip())
        elif tag != "-comment":
            is_block = tag in block_tags
            opened = [child.mem_id, child, [] if is_block else None, 0, frame[4] or (tag == "a" and not is_block),
                      is_block, child.iter(include_text=True), 0, 0, 0]
            if is_block:
                open_blocks.append(opened)
            stack.append(opened)
    blocks.reverse()  # closed innermost first; document order is what callers expect
    return Measure(chars, links, prose, blocks)


def text_blocks(root: LexborNode) -> list[tuple[LexborNode, str]]:
    """Each block element with the text directly inside it (inline children
    included, nested blocks not): a `<p>`, and equally a `<div>` of text
    lines separated by `<br>`."""
    return [(node, text) for node, text, _ in measure(root).blocks]


def score_candidates(root: LexborNode, page: Measure | None = None) -> tuple[dict[int, float], dict[int, LexborNode]]:
    """Readability-style scores: each paragraph credits its ancestors."""
    page = page or measure(root)
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for para, text, _ in page.blocks:
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
        length = page.chars.get(key, 0)
        weight = class_weight(node) * min(1.0, length / pt.FULL_WEIGHT_CHARS)
        scores[key] = (scores[key] + weight) * (1.0 - page.link_density(node))
    return scores, nodes


def _is_marked_body(node: LexborNode) -> bool:
    if node.attributes.get("itemprop") == "articleBody":
        return True
    return bool(pt.MARKED_BODY_RE.search(class_words(node)))


def _marked_ancestor(top: LexborNode, page: Measure) -> LexborNode | None:
    """The container the publisher marks as the body (or the <article>)
    around `top`, when `top` is only part of it; None when `top` is itself
    marked or nothing around it is."""
    if _is_marked_body(top):
        return None
    node = top.parent
    for _ in range(pt.MARKED_BODY_LEVELS):
        if node is None or node.tag in ("body", "html"):
            return None
        if node.tag == "article" or _is_marked_body(node):
            if page.link_density(node) > pt.MARKED_BODY_MAX_LINKS:
                return None
            gain = page.prose.get(node.mem_id, 0) - page.prose.get(top.mem_id, 0)
            return node if gain >= pt.MARKED_BODY_MIN_GAIN else None
        node = node.parent
    return None


def _top_candidate(
    root: LexborNode, page: Measure | None = None
) -> tuple[LexborNode | None, float, dict[int, float]]:
    for selector in pt.BODY_SELECTORS:
        marked = root.css(selector)
        if len(marked) == 1 and len(_clean_text(marked[0].text())) > pt.MIN_BODY_CHARS:
            return marked[0], float("inf"), {}
    page = page or measure(root)
    scores, nodes = score_candidates(root, page)
    if not scores:
        return None, 0.0, scores
    key = max(scores, key=scores.__getitem__)
    top = nodes[key]
    container = _marked_ancestor(top, page)
    if container is not None:
        return container, float("inf"), scores
    return top, scores[key], scores


def find_lead(first: LexborNode) -> LexborNode | None:
    """The article's standfirst before its body (`first` is the body's
    first node): an element whose class names a lead, with prose, not links."""
    node: LexborNode | None = first
    for _ in range(pt.LEAD_LEVELS):
        if node is None or node.tag in ("body", "html"):
            return None
        sibling = node.prev
        while sibling is not None:
            if sibling.tag not in ("-text", "-comment"):
                for candidate in (sibling, *sibling.css("[class], [id]")):
                    if candidate.tag not in pt.LEAD_TAGS:
                        continue
                    if not pt.LEAD_RE.search(class_words(candidate)):
                        continue
                    text = _clean_text(candidate.text())
                    length = len(text)
                    if (
                        pt.LEAD_MIN_CHARS <= length <= pt.LEAD_MAX_CHARS
                        and text.endswith(pt.SENTENCE_ENDS)  # a sentence, not a byline or a date
                        and link_density(candidate, length) <= pt.LEAD_MAX_LINKS
                    ):
                        return candidate
            sibling = sibling.prev
        node = node.parent
    return None


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
    if not css_class or not _PLAIN_CLASS_RE.match(css_class):
        return [top]
    root = top.parser.body if top.parser is not None else None
    if root is None:
        return [top]
    same = root.css(f'{top.tag}[class="{css_class}"]')
    threshold = top_score * pt.COUSIN_SHARE
    chosen = [n for n in same if n.mem_id == top.mem_id or scores.get(n.mem_id, 0.0) >= threshold]
    return chosen if any(n.mem_id == top.mem_id for n in chosen) else [top]


def prune(node: LexborNode, page: Measure | None = None) -> None:
    """Drop link lists, empty blocks and widget labels ("Close", "Share")
    inside the chosen container, so its HTML and its text agree.

    With `page` (the measure taken before selection) lengths and link
    densities are read, not walked again: blocks come ancestors first, so
    none has lost a descendant when it is judged and the measure holds."""
    boilerplate = pt.BOILERPLATE_LINE_RE
    for block in node.css(pt.PRUNE_SELECTOR):
        if block.parent is None:
            continue
        key = block.mem_id
        if page is not None and key in page.chars:
            length = page.chars[key]
            text = _clean_text(block.text()) if 0 < length < pt.MAX_LABEL_CHARS else ""
            density = page.link_density(block) if length else 1.0
        else:
            text = _clean_text(block.text())
            length = len(text)
            density = link_density(block, length) if length else 1.0
        if not length:
            if block.tag not in ("img", "picture", "figure") and not block.css_first("img, picture, video"):
                block.decompose()
            continue
        if (
            text
            and length < pt.MAX_LABEL_CHARS
            and boilerplate.match(text)
            and not pt.TRAILER_START_RE.match(text)  # kept to mark where the trailer starts
        ):
            block.decompose()
            continue
        if density > 0.5 or (block.tag in ("ul", "ol") and density > 0.33):
            block.decompose()


def paragraphs_of(nodes: list[LexborNode]) -> list[str]:
    """Plain text of `nodes`: one string per block, whitespace collapsed."""
    out: list[str] = []
    buf: list[str] = []

    boilerplate = pt.BOILERPLATE_LINE_RE

    def flush() -> None:
        if buf:
            text = _clean_text("".join(buf))
            if text and not (
                len(text) < pt.MAX_LABEL_CHARS
                and boilerplate.match(text)
                and not pt.TRAILER_START_RE.match(text)
            ):
                out.append(text)
            buf.clear()

    block_tags = pt.BLOCK_TAGS
    for node in nodes:
        # (children, is_block): leaving a block ends its paragraph.
        stack: list[tuple[Iterator[LexborNode], bool]] = [
            (iter((node,)), False)
        ]
        while stack:
            children, is_block = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if is_block:
                    flush()
                continue
            tag = child.tag
            if tag == "-text":
                buf.append(child.text_content or "")
            elif tag in block_tags:
                flush()
                stack.append((child.iter(include_text=True), True))
            elif tag != "-comment":
                stack.append((child.iter(include_text=True), False))
    flush()
    return out


def trailer_start(paragraphs: list[str]) -> int | None:
    """Index of the paragraph that starts a trailer ("You may also like",
    "Leave a reply"), when it comes after the first half of the body or its
    first TRAILER_MIN_START characters."""
    total = sum(len(p) for p in paragraphs)
    start = min(total / 2, pt.TRAILER_MIN_START)
    seen = 0
    for index, paragraph in enumerate(paragraphs):
        if seen > start and len(paragraph) < pt.MAX_LABEL_CHARS and pt.TRAILER_START_RE.match(paragraph):
            return index
        seen += len(paragraph)
    return None


def _cut_html_from(nodes: list[LexborNode], heading: str) -> None:
    """Remove the last element whose text is `heading`, and everything after
    it inside `nodes`, so the HTML ends where the text does."""
    marker: LexborNode | None = None
    for node in nodes:
        for candidate in node.css(pt.TRAILER_HEADING_SELECTOR):
            if _clean_text(candidate.text()) == heading:
                marker = candidate
    if marker is None:
        return
    tops = {n.mem_id for n in nodes}
    current: LexborNode | None = marker
    while current is not None and current.mem_id not in tops:
        following = current.next
        while following is not None:
            after = following.next
            following.decompose()
            following = after
        parent = current.parent
        if current is marker:
            current.decompose()
        current = parent
    if current is not None:  # a chosen top node: drop the tops after it
        index = next(i for i, n in enumerate(nodes) if n.mem_id == current.mem_id)
        del nodes[index + 1 :]


def looks_like_listing(nodes: list[LexborNode]) -> bool:
    """Whether the chosen nodes are a list of teasers (most headings are
    links to other pages), as on a home or section page."""
    headings = [h for node in nodes for h in node.css(pt.LISTING_HEADINGS)]
    if len(headings) < pt.LISTING_MIN_HEADINGS:
        return False
    text_length = sum(len(_clean_text(node.text())) for node in nodes)
    if text_length > pt.LISTING_MAX_CHARS_PER_HEADING * len(headings):
        return False  # long sections under each heading: an article with subheadings
    linked = sum(1 for h in headings if link_density(h) > 0.8)
    return linked >= pt.LISTING_LINKED_SHARE * len(headings)


LISTING = "the page is a list of links to articles"


def extract_body(
    tree: LexborHTMLParser, *, relaxed: bool = False, min_chars: int = pt.MIN_BODY_CHARS
) -> Body | str:
    """The article body of `tree` (which it mutates), or why there is none.

    `relaxed` keeps nodes whatever their class names say (the second pass,
    for pages whose body sits in a container named like furniture);
    `min_chars` is the least text that is an article (less for a page that
    says it is one)."""
    root = tree.body
    if root is None:
        return "the page has no body"
    remove_furniture(root, by_class=not relaxed)
    page = measure(root)
    top, top_score, scores = _top_candidate(root, page)
    if top is None:
        return "no block of text long enough to be one"
    nodes = _with_siblings(top, top_score, scores)
    if looks_like_listing(nodes):
        return LISTING
    lead = find_lead(nodes[0])
    if lead is not None:
        nodes.insert(0, lead)
    picture, first = find_lead_image(top, {node.mem_id for node in nodes})
    if picture is not None:
        at = 0 if first or top.mem_id not in {n.mem_id for n in nodes} else next(
            i for i, n in enumerate(nodes) if n.mem_id == top.mem_id
        )
        nodes.insert(at, picture)
    for node in nodes:  # on the body only: a caption elsewhere on the page is not shown
        mark_captions(tree, node)
    for node in nodes:
        prune(node, page)
    paragraphs = paragraphs_of(nodes)
    cut = trailer_start(paragraphs)
    if cut is not None:
        _cut_html_from(nodes, paragraphs[cut])
        paragraphs = paragraphs[:cut]
    if sum(len(p) for p in paragraphs) < min_chars:
        return "no block of text long enough to be one"
    return Body(nodes, paragraphs)
