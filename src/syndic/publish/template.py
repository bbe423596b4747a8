"""Post templates: `{title}`, `{content}` … filled from an article, nothing else.

A template is checked when the campaign is saved: an unknown placeholder,
an attribute or index (`{title.upper}`, `{x[0]}`), a conversion or a format
spec is refused with the placeholder named, so a typo never reaches a
destination as literal braces. `{{` and `}}` are literal braces.

Values are HTML-escaped; `{content}` is the article's sanitized HTML and
`{image}` an `<img>` element (empty without a lead image). The rendered
post is sanitized again by the caller before it leaves.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from string import Formatter

from syndic.errors import ConfigError

PLACEHOLDERS: tuple[str, ...] = (
    "title",
    "content",
    "excerpt",
    "permalink",
    "source",
    "source_url",
    "author",
    "date",
    "image",
)
DEFAULT_TEMPLATE = "{image}{content}"


@dataclass(frozen=True)
class TemplateValues:
    """Plain values for one post; `content_html` is already sanitized."""

    title: str
    content_html: str
    excerpt: str
    permalink: str
    source: str
    source_url: str
    authors: tuple[str, ...]
    date: str
    image_url: str | None


def check_template(template: str) -> list[str]:
    """The placeholders `template` uses; ConfigError naming the first bad one."""
    used: list[str] = []
    try:
        parts = list(Formatter().parse(template))
    except ValueError as exc:
        raise ConfigError(f"template is malformed: {exc} (write {{{{ and }}}} for literal braces)") from exc
    for _literal, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in PLACEHOLDERS:
            raise ConfigError(
                f"template uses unknown placeholder {{{field}}}; known: "
                + " ".join("{" + name + "}" for name in PLACEHOLDERS)
            )
        if spec or conversion:
            raise ConfigError(f"template placeholder {{{field}}} takes no format spec or conversion")
        used.append(field)
    return used


def render(template: str, values: TemplateValues) -> str:
    """The template filled with `values` (HTML, not yet re-sanitized)."""
    check_template(template)
    image = (
        f'<img src="{html.escape(values.image_url, quote=True)}" alt="{html.escape(values.title, quote=True)}">'
        if values.image_url
        else ""
    )
    filled = {
        "title": html.escape(values.title),
        "content": values.content_html,
        "excerpt": html.escape(values.excerpt),
        "permalink": html.escape(values.permalink, quote=True),
        "source": html.escape(values.source),
        "source_url": html.escape(values.source_url, quote=True),
        "author": html.escape(", ".join(values.authors)),
        "date": html.escape(values.date),
        "image": image,
    }
    out: list[str] = []
    for literal, field, _spec, _conversion in Formatter().parse(template):
        out.append(literal)
        if field is not None:
            out.append(filled[field])
    return "".join(out)
