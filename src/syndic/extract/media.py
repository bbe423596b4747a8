"""Images in the article body, as a reader of the original page sees them.

Pages load their pictures lazily: the `src` is a grey placeholder and the
real address waits in `data-src`, `data-srcset`, a `<noscript>` copy or a
`<picture>`'s sources, for a script that never runs in a feed reader. This
module resolves those on the chosen body's tree (absolute addresses, one
copy of each picture), keeps a caption as the `<figcaption>` of its picture
(the benchmarks' text leaves captions out; the HTML keeps them), and finds
the article's lead picture when it sits above the body (a hero image in the
article's header).

It refuses to keep what is not a picture of the article: a tracking pixel,
a placeholder that never resolves, a caption with no picture near it.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from syndic.clean.sanitize import absolute_url
from syndic.extract import patterns as pt

_SPACE_RE = re.compile(r"\s+")


def _text(node: LexborNode) -> str:
    return " ".join(node.text().split())


def _is_placeholder(url: str) -> bool:
    return not url or url.startswith("data:") or bool(pt.PLACEHOLDER_IMAGE_RE.search(url))


def _absolute_srcset(value: str, base_url: str) -> str:
    """Each address of a srcset made absolute, descriptors kept."""
    parts = []
    for candidate in value.split(","):
        pieces = candidate.split()
        if not pieces or pieces[0].startswith("data:"):
            continue
        pieces[0] = absolute_url(base_url, pieces[0])
        parts.append(" ".join(pieces))
    return ", ".join(parts)


def _first_of_srcset(value: str) -> str:
    for candidate in value.split(","):
        pieces = candidate.split()
        if pieces and not pieces[0].startswith("data:"):
            return pieces[0]
    return ""


def _is_tiny(img: LexborNode, limit: int = pt.TINY_IMAGE_PIXELS) -> bool:
    """Whether `img` declares a width or height of at most `limit` pixels."""
    attrs = img.attributes
    for name in ("width", "height"):
        value = (attrs.get(name) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) <= limit:
            return True
    return False


def resolve_image(img: LexborNode, base_url: str) -> str | None:
    """Give `img` its real, absolute `src` (and `srcset`) from wherever the
    page hid it; returns the src, or None when it has none (or is a pixel)."""
    attrs = img.attributes
    if _is_tiny(img):
        return None
    srcset = next((attrs[name] for name in pt.LAZY_SRCSET_ATTRIBUTES if attrs.get(name)), None)
    src = next((attrs[name] for name in pt.LAZY_SRC_ATTRIBUTES if attrs.get(name)), None)
    if src is None or _is_placeholder(src):
        plain = (attrs.get("src") or "").strip()
        src = plain if not _is_placeholder(plain) else (_first_of_srcset(srcset) if srcset else "")
    src = src.strip()
    if not src or _is_placeholder(src):
        return None
    absolute = absolute_url(base_url, src)
    img.attrs["src"] = absolute
    if srcset:
        img.attrs["srcset"] = _absolute_srcset(srcset, base_url)
    return absolute


def _resolve_sources(picture: LexborNode, base_url: str) -> None:
    for source in picture.css("source"):
        attrs = source.attributes
        srcset = next((attrs[name] for name in pt.LAZY_SRCSET_ATTRIBUTES if attrs.get(name)), None)
        if srcset:
            source.attrs["srcset"] = _absolute_srcset(srcset, base_url)


def _images_in(node: LexborNode) -> list[LexborNode]:
    return [node] if node.tag == "img" else list(node.css("img"))


def resolve_images(nodes: list[LexborNode], base_url: str) -> str | None:
    """Resolve every picture in the body `nodes` (in place); a picture seen
    twice (a lazy copy and its <noscript> fallback) is kept once, a picture
    with no address is dropped. Returns the first picture's address."""
    seen: set[str] = set()
    first: str | None = None
    for node in nodes:
        for picture in node.css("picture"):
            _resolve_sources(picture, base_url)
        for img in _images_in(node):
            if img.parent is None:
                continue
            src = resolve_image(img, base_url)
            if src is None or src in seen:
                img.decompose()
                continue
            seen.add(src)
            first = first or src
    return first


def _figure_of(caption: LexborNode) -> LexborNode | None:
    """The picture container a caption belongs to: a <figure> around it, or
    a small ancestor holding a picture and little text besides the caption."""
    own = len(_text(caption))
    node = caption.parent
    for _ in range(pt.CAPTION_LEVELS):
        if node is None or node.tag in ("body", "html"):
            return None
        if node.tag == "figure":
            return node
        if node.css_first("img, picture") is not None:
            return node if len(_text(node)) <= own + pt.CAPTION_SLACK_CHARS else None
        node = node.parent
    return None


def _outermost(nodes: list[LexborNode]) -> list[LexborNode]:
    """`nodes` without those inside another of them (looked up before any is changed)."""
    ids = {node.mem_id for node in nodes}
    out = []
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in ids:
            parent = parent.parent
        if parent is None:
            out.append(node)
    return out


_IMAGE_ATTRIBUTES = ("src", "srcset", "alt", "width", "height", *pt.LAZY_SRC_ATTRIBUTES, *pt.LAZY_SRCSET_ATTRIBUTES)


def _figure(tree: LexborHTMLParser, img: LexborNode, caption: str) -> LexborNode:
    """A new <figure> holding a copy of `img` and `caption` as its <figcaption>."""
    figure = tree.create_node("figure")
    copy = tree.create_node("img")
    attrs = img.attributes
    for name in _IMAGE_ATTRIBUTES:
        value = attrs.get(name)
        if value:
            copy.attrs[name] = value
    figure.insert_child(copy)
    figcaption = tree.create_node("figcaption")
    figcaption.insert_child(caption)
    figure.insert_child(figcaption)
    return figure


def mark_captions(tree: LexborHTMLParser, root: LexborNode) -> None:
    """Each caption becomes the <figcaption> of its picture's <figure>, as
    plain text (the text output leaves figures' captions out, the HTML shows
    them): inside a <figure> it is replaced, in a picture's wrapper (one
    picture, little other text) the wrapper becomes a <figure>; a caption
    with no picture near it is dropped."""
    captions = [
        node for node in root.css(pt.CAPTION_SELECTOR)
        if node.css_first("img, picture, video") is None  # a picture's wrapper, not its caption
    ]
    for caption in _outermost(captions):
        container = _figure_of(caption)
        text = _text(caption)
        if container is None or not text:
            caption.decompose()
        elif container.tag == "figure":
            if caption.tag != "figcaption" or caption.attributes:
                replacement = tree.create_node("figcaption")
                replacement.insert_child(text)
                caption.replace_with(replacement)
        else:
            images = container.css("img")
            if len(images) == 1:
                container.insert_before(_figure(tree, images[0], text))
                container.decompose()
            else:
                caption.decompose()


def find_lead_image(top: LexborNode, chosen: set[int]) -> tuple[LexborNode | None, bool]:
    """The article's lead picture above its body: the nearest <figure>,
    <picture> or <img> before `top` (the body's main container), within a
    few ancestors, when it has a real address. Nodes already chosen (the
    lead paragraph) are passed over. Returns the picture and whether it
    comes before every chosen node (it was found beside an ancestor)."""
    node: LexborNode | None = top
    for level in range(pt.LEAD_LEVELS):
        if node is None or node.tag in ("body", "html"):
            return None, False
        sibling = node.prev
        while sibling is not None:
            if sibling.tag not in ("-text", "-comment") and sibling.mem_id not in chosen:
                found = _picture_in(sibling)
                if found is not None:
                    return found, level > 0
                if len(_text(sibling)) > pt.LEAD_IMAGE_MAX_TEXT:
                    return None, False  # past text that is not the header: no lead picture here
            sibling = sibling.prev
        node = node.parent
    return None, False


def _picture_in(node: LexborNode) -> LexborNode | None:
    if node.tag in ("figure", "picture", "img"):
        candidates = [node]
    else:
        candidates = list(node.css("figure, picture, img"))
    for candidate in reversed(candidates):  # the nearest to the body
        img = candidate if candidate.tag == "img" else candidate.css_first("img")
        if img is None or _is_tiny(img, pt.LEAD_IMAGE_MIN_PIXELS - 1):
            continue
        attrs = img.attributes
        if any(attrs.get(name) for name in pt.LAZY_SRC_ATTRIBUTES) or not _is_placeholder(attrs.get("src") or ""):
            # a figure's caption comes with it; a bare img in a figure is the figure
            parent = candidate.parent
            return parent if candidate.tag != "figure" and parent is not None and parent.tag == "figure" else candidate
    return None
