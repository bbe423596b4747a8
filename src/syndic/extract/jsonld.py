"""Article metadata from schema.org JSON-LD blocks.

JSON-LD is the most reliable metadata a news page carries (publishers fill
it for search engines), so `metadata.py` asks it first. This module only
finds the article object among the blocks (top level, lists, `@graph`) and
reads plain values out of it; it refuses malformed JSON silently (a broken
block is common and must not stop extraction) and never fetches `@context`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

ARTICLE_TYPES: frozenset[str] = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "techarticle",
        "scholarlyarticle", "report", "socialmediaposting", "liveblogposting", "posting",
        "advertisercontentarticle", "satiricalarticle", "medicalscholarlyarticle", "review",
    }
)
# Page objects whose dates are the article's when no article object is given.
PAGE_TYPES: frozenset[str] = frozenset({"webpage", "itempage"})
_MAX_DEPTH = 6


@dataclass
class JsonLdMeta:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    image: str | None = None
    language: str | None = None
    url: str | None = None
    site_name: str | None = None
    description: str | None = None


def _objects(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        for item in value:
            yield from _objects(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        graph = value.get("@graph")
        if graph is not None:
            yield from _objects(graph, depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _text(value: Any, *, names_only: bool = False) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or (
            None if names_only else value.get("url") or value.get("@id")
        )
    if isinstance(value, (int, float)):
        value = str(value)
    if isinstance(value, str) and value.strip():
        return html.unescape(value.strip())  # CMSs put HTML entities in JSON strings
    return None


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                names.extend(n for n in name if isinstance(n, str))
            elif isinstance(name, str):
                names.append(name)
        elif isinstance(item, str):
            names.append(item)
    return [html.unescape(n.strip()) for n in names if n and n.strip()]


def _image(value: Any) -> str | None:
    if isinstance(value, list):
        for item in value:
            found = _image(item)
            if found:
                return found
        return None
    if isinstance(value, dict):
        return _text(value.get("url") or value.get("contentUrl") or value.get("@id"))
    return _text(value)


def parse_blocks(blocks: list[str]) -> JsonLdMeta:
    """Read the first article-typed object of the given JSON-LD texts."""
    meta = JsonLdMeta()
    article: dict[str, Any] | None = None
    page: dict[str, Any] | None = None  # the WebPage a CMS (Yoast) describes when it names no article
    for block in blocks:
        try:
            data = json.loads(block, strict=False)
        except (ValueError, RecursionError):
            continue
        for obj in _objects(data):
            kinds = _types(obj)
            if article is None and kinds & ARTICLE_TYPES:
                article = obj
            if page is None and kinds & PAGE_TYPES:
                page = obj
            if meta.site_name is None and kinds & {"website", "organization", "newsmediaorganization"}:
                meta.site_name = _text(obj.get("name"), names_only=True)
    if article is None:
        if page is not None:
            meta.published = _text(page.get("datePublished")) or _text(page.get("dateCreated"))
            meta.modified = _text(page.get("dateModified"))
        return meta
    meta.title = _text(article.get("headline")) or _text(article.get("name"))
    meta.authors = _names(article.get("author"))
    meta.published = _text(article.get("datePublished")) or _text(article.get("dateCreated"))
    meta.modified = _text(article.get("dateModified"))
    meta.image = _image(article.get("image")) or _image(article.get("thumbnailUrl"))
    meta.language = _text(article.get("inLanguage"))
    page = article.get("mainEntityOfPage")
    meta.url = _text(article.get("url")) or (_text(page) if page else None)
    publisher = article.get("publisher")
    meta.site_name = (_text(publisher, names_only=True) if publisher else None) or meta.site_name
    meta.description = _text(article.get("description"))
    return meta
