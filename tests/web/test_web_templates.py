"""The templates and the script obey the Content-Security-Policy by construction."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import syndic.web

WEB = Path(syndic.web.__file__).parent
TEMPLATES = sorted((WEB / "templates").glob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_inline_script_style_or_handlers(template: Path) -> None:
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text, re.I), "event-handler attribute"
    assert not re.search(r"\sstyle\s*=", text, re.I), "style attribute"
    assert "<style" not in text
    assert "|safe" not in text.replace("|safe_article", ""), "unsanitized |safe"


def test_every_form_that_posts_carries_the_csrf_token() -> None:
    for template in TEMPLATES:
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", template.read_text(), re.S):
            assert 'name="csrf_token"' in form, (template.name, form[:120])


def test_script_builds_no_html_from_strings() -> None:
    script = (WEB / "static" / "reader.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink
