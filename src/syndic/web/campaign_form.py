"""The campaign form: every option of a campaign as a labelled field, and back to the config JSON.

`form_values(config)` gives the fields' values for the page; `config_from_form`
reads a submitted form into a config and checks it with the library's
`config_problems` (the publish stage's own parser), so the form refuses
exactly what `syndic campaign save` refuses. Problems come back per field (`errors[field]`), the message naming
the option or the rule ("rewrites[1]: invalid regex …").

The form starts from the stored config, so options it has no field for
(category maps, title-only filter rules written in JSON) are kept. The raw
JSON stays available as the advanced editor: a post without `editor=fields`
(scripts, older pages) is read as JSON, as before.

Secrets are write-only: the application password and the webhook secret are
never put in the page (not in the fields, not in the JSON, which shows
`SECRET_KEPT` instead); an empty field or that placeholder keeps the stored
value.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from syndic.library.campaigns import (
    DEFAULT_ATTRIBUTION,
    DEFAULT_TEMPLATE,
    POST_FORMATS,
    STATUSES,
    TAGS,
    config_problems,
)

SECRET_KEPT = "(stored; not shown)"  # noqa: S105 - a placeholder shown instead of a secret
SECRET_FIELDS = ("app_password", "secret")
BLANK_RULE_ROWS = 3

HELP: Mapping[str, str] = {
    "dest_type": "Where posts go: a WordPress site (REST API and an application password), a webhook "
                 "(signed JSON POST), or nowhere (the campaign is then only a merged full-text feed).",
    "dest_url": "The site's address, e.g. https://blog.example (WordPress) or the webhook's URL.",
    "dest_username": "The WordPress user the application password belongs to.",
    "dest_password": "Users → Profile → Application Passwords in WordPress. Never shown again; leave empty "
                     "to keep the stored one.",
    "dest_secret": "At least 16 characters; each request carries an HMAC-SHA256 signature made with it. "
                   "Leave empty to keep the stored one.",
    "every_minutes": "How often the campaign runs by itself (in `syndic serve` or `syndic beat`). After "
                     "downtime it runs once, not once per missed period.",
    "max_posts_per_run": "New posts per run at most; the rest wait for the next run.",
    "max_per_feed": "New posts per feed per run at most (empty: no per-feed limit).",
    "backfill": "Only stories that arrive after the campaign was created are posted; this many older "
                "ones (the newest) are posted too.",
    "status": "draft, pending review (in WordPress), private or published.",
    "post_type": "post, page, or a custom post type's REST base.",
    "post_format": "The theme's post format (WordPress posts only).",
    "author": "The WordPress user id to post as (empty: the application password's user).",
    "comments": "Allow comments on the posts (empty: the site's default).",
    "pings": "Allow pingbacks and trackbacks (empty: the site's default).",
    "post_date": "The post's date: the article's publication date, or when it is posted.",
    "featured_image": "The article's lead image becomes the featured image (and is not repeated in the text).",
    "upload_images": "Every image of the text is copied to the media library, never hot-linked.",
    "upload_media": "The feed's audio and video files are copied to the media library and played with "
                    "WordPress's [audio]/[video] players.",
    "review": "New stories wait in the review queue until someone approves them.",
    "template": "The post's HTML. Tags: " + ", ".join("{" + t + "}" for t in TAGS)
                + ". Write {{tag}} for the literal text {tag}; other braces (CSS) are text.",
    "attribution_template": "The link to the original, on every post; it must contain {permalink}. "
                            "syndic adds nothing else.",
    "attribution_position": "Before or after the post's text.",
    "categories": "Comma-separated names (created when missing) or ids.",
    "categories_from_feed": "Also the categories the feed gave the item.",
    "tags": "Comma-separated tag names.",
    "tags_from_feed": "Also the feed item's categories, as tags.",
    "require": "One rule a line, all must match: a word, or /a regex/; prefix title: or text: to look "
               "only there.",
    "exclude": "One rule a line, any match leaves the story out (same syntax).",
    "min_words": "Stories with fewer words are left out.",
    "languages": "Comma-separated codes (en, de …); empty: any language.",
    "rewrites": "In order, on the text between tags: find (a word, or a regex), replace, and optionally "
                "a link for what was found (relink).",
    "words_to_category": "Any of the words (comma-separated) in the title or text puts the post in the category.",
    "strip_links": "Remove every link, keep its words.",
    "strip_html": "Post plain text only.",
    "duplicates": "Before creating a post, look on the site for one that links the same source (and, if "
                  "checked, one with the same title); such stories are not posted.",
}


def _lines(rules: Any) -> str:
    out: list[str] = []
    for rule in rules or []:
        if isinstance(rule, str):
            out.append(rule)
            continue
        if not isinstance(rule, Mapping):
            continue
        text = f"/{rule['regex']}/" if "regex" in rule else str(rule.get("keyword", ""))
        where = rule.get("in", "any")
        out.append(text if where == "any" else f"{where}: {text}")
    return "\n".join(out)


def _join(values: Any) -> str:
    return ", ".join(str(v) for v in values or [])


def form_values(config: Mapping[str, Any]) -> dict[str, Any]:
    """The fields' values for one stored config (secrets left out)."""
    dest = config.get("destination") or {}
    cats, tags = config.get("categories") or {}, config.get("tags") or {}
    attribution, filters = config.get("attribution") or {}, config.get("filters") or {}
    duplicates = config.get("duplicates") or {}
    rewrites = [dict(r) for r in config.get("rewrites") or [] if isinstance(r, Mapping)]
    w2c = [dict(r) for r in config.get("words_to_category") or [] if isinstance(r, Mapping)]
    for rule in w2c:
        if isinstance(rule.get("words"), list):
            rule["words"] = _join(rule["words"])
    return {
        "dest_type": dest.get("type", "none"),
        "dest_url": dest.get("url", ""),
        "dest_username": dest.get("username", ""),
        "dest_has_password": bool(dest.get("app_password")),
        "dest_has_secret": bool(dest.get("secret")),
        "every_minutes": (config.get("schedule") or {}).get("every_minutes", 60),
        "max_posts_per_run": config.get("max_posts_per_run", 10),
        "max_per_feed": config.get("max_per_feed") or "",
        "backfill": config.get("backfill", 0),
        "status": config.get("status", "draft"),
        "post_type": config.get("post_type", "post"),
        "post_format": config.get("post_format") or "standard",
        "author": config.get("author") or "",
        "comments": config.get("comments") or "",
        "pings": config.get("pings") or "",
        "post_date": config.get("post_date", "item"),
        "featured_image": bool(config.get("featured_image", True)),
        "upload_images": bool(config.get("upload_images", True)),
        "upload_media": bool(config.get("upload_media", False)),
        "review": bool(config.get("review", False)),
        "template": config.get("template", DEFAULT_TEMPLATE),
        "attribution_template": attribution.get("template", DEFAULT_ATTRIBUTION),
        "attribution_position": attribution.get("position", "after"),
        "categories": _join(cats.get("fixed")),
        "categories_from_feed": bool(cats.get("from_feed")),
        "tags": _join(tags.get("fixed")),
        "tags_from_feed": bool(tags.get("from_feed")),
        "require": _lines(filters.get("require")),
        "exclude": _lines(filters.get("exclude")),
        "min_words": filters.get("min_words", 0),
        "languages": _join(filters.get("languages")),
        "rewrites": rewrites + [{} for _ in range(BLANK_RULE_ROWS)],
        "words_to_category": w2c + [{} for _ in range(BLANK_RULE_ROWS)],
        "strip_links": bool(config.get("strip_links")),
        "strip_html": bool(config.get("strip_html")),
        "dup_url": bool(duplicates.get("by_url", True)),
        "dup_title": bool(duplicates.get("by_title", False)),
    }


def redacted(config: Mapping[str, Any]) -> dict[str, Any]:
    """The config with every stored secret replaced by SECRET_KEPT: what a page or the API may show.

    Secrets are write-only (#13): the reader's form, its JSON editor and
    /api/v1/campaigns all show this, and `keep_secrets` turns the
    placeholder back into the stored value when the config is saved again.
    """
    shown = copy.deepcopy(dict(config))
    dest = shown.get("destination")
    if isinstance(dest, dict):
        for key in SECRET_FIELDS:
            if dest.get(key):
                dest[key] = SECRET_KEPT
    return shown


def redacted_json(config: Mapping[str, Any]) -> str:
    """The config as the advanced editor shows it: secrets replaced by SECRET_KEPT."""
    return json.dumps(redacted(config), indent=2, ensure_ascii=False)


def keep_secrets(config: dict[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """An empty or placeholder secret in `config` takes the stored one (same destination).

    Only for the same type, address and user: a stored secret is never sent
    somewhere new without being typed again, so pointing a campaign at
    another server cannot carry the old password there (and read it back).
    The placeholder itself is never stored as a secret.
    """
    dest, old = config.get("destination"), stored.get("destination") or {}
    if not isinstance(dest, dict):
        return config
    same = isinstance(old, Mapping) and all(dest.get(key) == old.get(key) for key in ("type", "url", "username"))
    for key in SECRET_FIELDS:
        if dest.get(key) in (None, "", SECRET_KEPT):
            if same and isinstance(old, Mapping) and old.get(key):
                dest[key] = old[key]
            elif dest.get(key) == SECRET_KEPT:
                dest[key] = ""
    return config


_FIELD_OF: tuple[tuple[str, str], ...] = (
    ("destination (wordpress) needs app_password", "dest_password"),
    ("destination (wordpress) needs username", "dest_username"),
    ("destination (webhook) needs a secret", "dest_secret"),
    ("destination", "dest_url"),
    ("attribution", "attribution_template"),
    ("template", "template"),
    ("filters.require", "require"),
    ("filters.exclude", "exclude"),
    ("filters.min_words", "min_words"),
    ("filters.languages", "languages"),
    ("max_posts_per_run", "max_posts_per_run"),
    ("max_per_feed", "max_per_feed"),
    ("every_minutes", "every_minutes"),
    ("schedule", "every_minutes"),
    ("backfill", "backfill"),
    ("status", "status"),
    ("post_type", "post_type"),
    ("post_format", "post_format"),
    ("author", "author"),
    ("comments", "comments"),
    ("pings", "pings"),
    ("post_date", "post_date"),
    ("categories", "categories"),
    ("tags", "tags"),
)


def field_of(message: str) -> str:
    """The form field a config error is about ('general' when none)."""
    indexed = re.match(r"(rewrites|words_to_category)\[(\d+)\]", message)
    if indexed:
        return f"{'rw' if indexed.group(1) == 'rewrites' else 'w2c'}_{indexed.group(2)}"
    for prefix, name in _FIELD_OF:
        if message.startswith(prefix):
            return name
    return "general"


def _rule_lines(text: str) -> list[Any]:
    rules: list[Any] = []
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        where = "any"
        prefix = re.match(r"(title|text):\s*", line)
        if prefix:
            where, line = prefix.group(1), line[prefix.end():]
        rule: dict[str, str] = {"regex": line[1:-1]} if len(line) > 2 and line[0] == line[-1] == "/" else {
            "keyword": line}
        if where != "any":
            rule["in"] = where
        rules.append(rule if where != "any" or "regex" in rule else line)
    return rules


def _terms(text: str) -> list[str | int]:
    return [int(t) if t.isdigit() else t for t in (p.strip() for p in text.split(",")) if t]


def config_from_form(
    get: Callable[[str], str | None], stored: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The config a submitted fields form describes, and its problems by field (empty when it saves)."""
    errors: dict[str, str] = {}
    config: dict[str, Any] = copy.deepcopy(dict(stored))

    def text(name: str) -> str:
        return (get(name) or "").strip()

    def flag(name: str) -> bool:
        return get(name) is not None

    def number(name: str, *, optional: bool = False) -> int | None:
        value = text(name)
        if not value and optional:
            return None
        if not re.fullmatch(r"\d{1,9}", value):
            errors[name] = "A whole number, please."
            return None
        return int(value)

    kind = text("dest_type") or "none"
    if kind not in ("none", "wordpress", "webhook"):
        errors["dest_type"] = "Choose WordPress, webhook or none."
        kind = "none"
    old_dest = stored.get("destination") or {}
    dest: dict[str, Any] = {"type": kind}
    if kind != "none":
        dest["url"] = text("dest_url")
        if kind == "wordpress":
            dest["username"] = text("dest_username")
            dest["app_password"] = get("dest_password") or ""
        else:
            dest["secret"] = get("dest_secret") or ""
        if isinstance(old_dest, Mapping) and old_dest.get("type") == kind and "timeout" in old_dest:
            dest["timeout"] = old_dest["timeout"]
    config["destination"] = dest
    keep_secrets(config, stored)

    every = number("every_minutes")
    if every is not None:
        config["schedule"] = {"every_minutes": every}
    for name in ("max_posts_per_run", "backfill"):
        value = number(name)
        if value is not None:
            config[name] = value
    per_feed = number("max_per_feed", optional=True)
    config.pop("max_per_feed", None)
    if per_feed is not None:
        config["max_per_feed"] = per_feed
    config["status"] = text("status") or "draft"
    config["post_type"] = text("post_type") or "post"
    post_format = text("post_format")
    config.pop("post_format", None)
    if post_format and post_format != "standard":
        config["post_format"] = post_format
    author = number("author", optional=True)
    config.pop("author", None)
    if author is not None:
        config["author"] = author
    for name in ("comments", "pings"):
        config.pop(name, None)
        if text(name):
            config[name] = text(name)
    config["post_date"] = text("post_date") or "item"
    for name in ("featured_image", "upload_images", "upload_media", "review", "strip_links", "strip_html"):
        config[name] = flag(name)
    config["template"] = get("template") or DEFAULT_TEMPLATE
    config["attribution"] = {
        "template": get("attribution_template") or DEFAULT_ATTRIBUTION,
        "position": text("attribution_position") or "after",
    }
    for key, field_name in (("categories", "categories"), ("tags", "tags")):
        mapping = dict(config.get(key) or {})
        mapping["fixed"] = _terms(text(field_name))
        mapping["from_feed"] = flag(f"{field_name}_from_feed")
        config[key] = mapping
    filters = dict(config.get("filters") or {})
    filters["require"] = _rule_lines(get("require") or "")
    filters["exclude"] = _rule_lines(get("exclude") or "")
    min_words = number("min_words", optional=True)
    filters["min_words"] = min_words or 0
    filters["languages"] = [c.strip() for c in text("languages").split(",") if c.strip()]
    config["filters"] = filters
    config["duplicates"] = {"by_url": flag("dup_url"), "by_title": flag("dup_title")}

    rewrites: list[dict[str, Any]] = []
    for i in range(min(int(text("rw_count") or 0), 200)):
        find = get(f"rw_{i}_find") or ""
        if not find.strip():
            continue
        rule: dict[str, Any] = {"find": find, "replace": get(f"rw_{i}_replace") or "",
                                "regex": flag(f"rw_{i}_regex"), "title": flag(f"rw_{i}_title"),
                                "content": flag(f"rw_{i}_content")}
        if text(f"rw_{i}_relink"):
            rule["relink"] = text(f"rw_{i}_relink")
        rewrites.append(rule)
    config["rewrites"] = rewrites
    w2c: list[dict[str, Any]] = []
    for i in range(min(int(text("w2c_count") or 0), 200)):
        words = text(f"w2c_{i}_words")
        if not words:
            continue
        category: str | int = text(f"w2c_{i}_category")
        if isinstance(category, str) and category.isdigit():
            category = int(category)
        w2c.append({"words": [w.strip() for w in words.split(",") if w.strip()], "category": category,
                    "regex": flag(f"w2c_{i}_regex"), "in": text(f"w2c_{i}_in") or "any"})
    config["words_to_category"] = w2c
    for empty in ("rewrites", "words_to_category"):
        if not config[empty]:
            del config[empty]

    if not errors:  # every problem at once (each bad rule), not one per submit
        for message in config_problems(config):
            errors.setdefault(_renumber(field_of(message), rewrites, w2c, get), message)
    return config, errors


def _renumber(name: str, _rewrites: list[dict[str, Any]], _w2c: list[dict[str, Any]],
              get: Callable[[str], str | None]) -> str:
    """Blank rows are skipped, so rewrites[i] is the i-th non-empty row: find that row's field name."""
    match = re.fullmatch(r"(rw|w2c)_(\d+)", name)
    if not match:
        return name
    prefix, wanted = match.group(1), int(match.group(2))
    key = "find" if prefix == "rw" else "words"
    seen = -1
    for row in range(200):
        if (get(f"{prefix}_{row}_{key}") or "").strip():
            seen += 1
            if seen == wanted:
                return f"{prefix}_{row}"
    return name


CHOICES: Mapping[str, tuple[str, ...]] = {
    "status": STATUSES,
    "post_format": POST_FORMATS,
    "dest_type": ("none", "wordpress", "webhook"),
    "attribution_position": ("after", "before"),
    "w2c_in": ("any", "title", "content"),
    "comments": ("", "open", "closed"),
    "pings": ("", "open", "closed"),
    "post_date": ("item", "now"),
}
