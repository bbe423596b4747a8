"""Article HTML to Markdown.

Markdown is one of the three outputs (with sanitized HTML and plain text).
The conversion is markdownify's; this module fixes its options (ATX
headings, "-" bullets, no raw HTML left) and tidies blank lines. It refuses
to convert unsanitized HTML: the input is sanitized again first, so a
script's text can never end up in the Markdown.
"""

from __future__ import annotations

import re

from markdownify import markdownify

from syndic.clean.sanitize import sanitize_html

_BLANK_LINES_RE = re.compile(r"\n{3,}")


def to_markdown(html: str) -> str:
    """Markdown for `html` (already-sanitized article HTML, typically)."""
    if not html.strip():
        return ""
    converted = markdownify(
        sanitize_html(html),
        heading_style="ATX",
        bullets="-",
        strip=["span", "div", "section", "figure", "picture", "source", "small"],
        escape_underscores=False,
    )
    lines = [line.rstrip() for line in converted.splitlines()]
    return _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip() + "\n"
