"""The Jinja2 environment of the reader: autoescaping on, and filters for dates and article HTML.

Article HTML is sanitized again here, on output (`safe_article` runs
`clean.sanitize.sanitize_html`), whatever the store holds: the database is
not trusted to contain only what our input side wrote into it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from syndic.clock import as_utc
from syndic.library import http_url, sanitize_html

TEMPLATES = Path(__file__).with_name("templates")


def safe_article(html: str | None, base_url: str | None = None) -> Markup:
    return Markup(sanitize_html(html or "", base_url=base_url))  # noqa: S704  (sanitized just now)


def when(value: datetime | None) -> str:
    if value is None:
        return ""
    return as_utc(value).strftime("%Y-%m-%d %H:%M UTC")


def iso(value: datetime | None) -> str:
    if value is None:
        return ""
    return as_utc(value).isoformat()


def names(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value if v)
    return str(value or "")


def is_http(url: str | None) -> bool:
    """Only absolute http(s) addresses become links or images in a page (the one rule: `http_url`)."""
    return http_url(str(url) if url else None) is not None


def excerpt(text: str | None, limit: int = 220) -> str:
    """The start of a text on a word boundary, for a list row (escaped by the template)."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:—-")
    return cut + "…"


templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.filters["is_http"] = is_http
templates.env.filters["excerpt"] = excerpt
templates.env.filters["safe_article"] = safe_article
templates.env.filters["when"] = when
templates.env.filters["iso"] = iso
templates.env.filters["names"] = names
