"""Site rules in the FiveFilters (Full-Text RSS) site-config format.

A user who knows a site better than any heuristic writes one text file per
host (`example.com.txt`, or `.example.com.txt` for every subdomain) with
XPath rules: where the body and title are, what to strip, how to find the
next page. A matching rule file wins over the generic extractor for its
host. This module reads and caches the files and applies them to a page
with lxml (the rules are XPath 1.0, which lexbor cannot evaluate).

It refuses: directives it does not know (logins, `wrap_in`, …) are ignored,
an XPath that does not compile is skipped, and `global.txt` is never a site
rule. Files are read from the folder a user points to; nothing is fetched.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

log = logging.getLogger(__name__)

_LINE_RE = re.compile(r"^([a-z_]+)(?:\(([^)]*)\))?\s*:\s?(.*)$")
_LIST_KEYS = (
    "title", "body", "strip", "strip_id_or_class", "strip_image_src", "author", "date",
    "single_page_link", "next_page_link", "test_url",
)


@dataclass(frozen=True)
class SiteRules:
    """The parsed rules of one site-config file."""

    host: str
    title: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    strip: tuple[str, ...] = ()
    strip_id_or_class: tuple[str, ...] = ()
    strip_image_src: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    single_page_link: tuple[str, ...] = ()
    next_page_link: tuple[str, ...] = ()
    test_url: tuple[str, ...] = ()
    replacements: tuple[tuple[str, str], ...] = ()
    header_pairs: tuple[tuple[str, str], ...] = ()
    prune: bool = True
    tidy: bool = True
    autodetect_on_failure: bool = True

    @property
    def http_headers(self) -> dict[str, str]:
        """Request headers the site needs (`http_header(name): value`)."""
        return {name: value for name, value in self.header_pairs}


def parse_site_config(text: str, host: str) -> SiteRules:
    """Parse the text of one site-config file."""
    lists: dict[str, list[str]] = {key: [] for key in _LIST_KEYS}
    replacements: list[tuple[str, str]] = []
    headers: list[tuple[str, str]] = []
    flags: dict[str, bool] = {}
    pending_find: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE_RE.match(line)
        if match is None:
            continue
        key, arg, value = match.group(1), match.group(2), match.group(3).strip()
        if key in lists and arg is None:
            if value:
                lists[key].append(value)
        elif key == "find_string" and arg is None:
            pending_find.append(match.group(3))
        elif key == "replace_string":
            if arg is not None:
                replacements.append((arg, match.group(3)))
            elif pending_find:
                replacements.append((pending_find.pop(0), match.group(3)))
        elif key == "http_header" and arg:
            headers.append((arg.strip(), value))
        elif key in ("prune", "tidy", "autodetect_on_failure"):
            flags[key] = value.lower() not in ("no", "false", "0")
    return SiteRules(
        host=host,
        title=tuple(lists["title"]),
        body=tuple(lists["body"]),
        strip=tuple(lists["strip"]),
        strip_id_or_class=tuple(lists["strip_id_or_class"]),
        strip_image_src=tuple(lists["strip_image_src"]),
        author=tuple(lists["author"]),
        date=tuple(lists["date"]),
        single_page_link=tuple(lists["single_page_link"]),
        next_page_link=tuple(lists["next_page_link"]),
        test_url=tuple(lists["test_url"]),
        replacements=tuple(replacements),
        header_pairs=tuple(headers),
        prune=flags.get("prune", True),
        tidy=flags.get("tidy", True),
        autodetect_on_failure=flags.get("autodetect_on_failure", True),
    )


_CACHE: dict[Path, tuple[float, SiteRules]] = {}


def _read_cached(path: Path, host: str) -> SiteRules | None:
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    cached = _CACHE.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    rules = parse_site_config(text, host)
    _CACHE[path] = (mtime, rules)
    return rules


def rule_file_names(host: str) -> list[str]:
    """File names to try for `host`, most specific first."""
    host = host.strip().lower().rstrip(".")
    if not host or "/" in host or host.startswith("."):
        return []
    names = [host]
    bare = host[4:] if host.startswith("www.") else host
    if bare != host:
        names.append(bare)
    labels = bare.split(".")
    for i in range(len(labels) - 1):
        names.append("." + ".".join(labels[i:]))
    return [f"{name}.txt" for name in names if name != "global"]


def load_site_rules(folder: Path, host: str) -> SiteRules | None:
    """The rules for `host` in `folder`: exact host file, then wildcards."""
    for name in rule_file_names(host):
        path = folder / name
        if path.is_file():
            return _read_cached(path, host)
    return None


@dataclass
class RuledPage:
    """What site rules found on a page; `body_html` is None when no body rule matched."""

    body_html: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    next_page_url: str | None = None
    single_page_url: str | None = None


def _xpath(tree: Any, expression: str) -> list[Any]:
    try:
        result = tree.xpath(expression)
    except (etree.XPathError, ValueError, TypeError) as error:
        log.debug("site rule %r skipped: %s", expression, error)
        return []
    if isinstance(result, list):
        return result
    if isinstance(result, (str, bytes)):
        return [result] if result else []
    return []


def _string(item: Any) -> str:
    if isinstance(item, etree._Element):
        return re.sub(r"\s+", " ", "".join(str(t) for t in item.itertext())).strip()
    return re.sub(r"\s+", " ", str(item)).strip()


def _first_string(tree: Any, expressions: tuple[str, ...]) -> str | None:
    for expression in expressions:
        for item in _xpath(tree, expression):
            text = _string(item)
            if text:
                return text
    return None


def _link(tree: Any, expressions: tuple[str, ...], base: str) -> str | None:
    for expression in expressions:
        for item in _xpath(tree, expression):
            href = item.get("href") if isinstance(item, etree._Element) else str(item)
            if href and href.strip():
                return urljoin(base, href.strip())
    return None


def _remove(elements: list[Any]) -> None:
    for element in elements:
        if isinstance(element, etree._Element):
            parent = element.getparent()
            if parent is None:
                continue
            if isinstance(element, lxml_html.HtmlElement):
                element.drop_tree()  # keeps the text that follows the element
            else:
                parent.remove(element)


def _xpath_literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    return "concat('" + value.replace("'", "', \"'\", '") + "')"


def apply_site_rules(page: str, url: str, rules: SiteRules) -> RuledPage:
    """Apply `rules` to the text of a page."""
    for find, replace in rules.replacements:
        page = page.replace(find, replace)
    result = RuledPage()
    try:
        tree = lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return result
    result.single_page_url = _link(tree, rules.single_page_link, url)
    result.next_page_url = _link(tree, rules.next_page_link, url)
    result.title = _first_string(tree, rules.title)
    for expression in rules.author:
        names = [_string(item) for item in _xpath(tree, expression)]
        result.authors = [n for n in names if n]
        if result.authors:
            break
    result.date = _first_string(tree, rules.date)
    for expression in rules.strip:
        _remove(_xpath(tree, expression))
    for word in rules.strip_id_or_class:
        literal = _xpath_literal(word.strip("'\""))
        _remove(_xpath(tree, f"//*[contains(@class, {literal}) or contains(@id, {literal})]"))
    for src in rules.strip_image_src:
        _remove(_xpath(tree, f"//img[contains(@src, {_xpath_literal(src.strip(chr(39) + chr(34)))})]"))
    for expression in rules.body:
        elements = [e for e in _xpath(tree, expression) if isinstance(e, etree._Element)]
        if elements:
            result.body_html = "".join(
                lxml_html.tostring(e, encoding="unicode", with_tail=False) for e in elements
            )
            break
    return result
