"""Paragraph units and the text renderer: where a paragraph starts and ends, and that none is lost."""

from __future__ import annotations

from syndic.clean import clean_body, html_to_text
from syndic.clean.blocks import parse_fragment, segment

STORY_1 = "Chelsea paid the record fee to the Spanish league this morning to secure the goalkeeper."
STORY_2 = "The club hopes to announce the signing later today after a medical at Stamford Bridge."
STORY_3 = "The goalkeeper flew to London yesterday evening to complete the formalities of the deal."


def test_text_beside_a_block_is_its_own_paragraph_and_is_kept() -> None:
    # Text standing directly in a container that also holds a block (a picture's div):
    # the shape that cut whole articles to nothing when only leaf blocks were read.
    html = (
        f"<div><div><span>Jane Doe</span></div><div>{STORY_1}<br>"
        f'<div><a href="/i.jpg"><img src="/i.jpg"></a></div><br>{STORY_2}<br><br>{STORY_3}</div></div>'
    )
    assert html_to_text(html).split("\n\n") == ["Jane Doe", STORY_1, STORY_2, STORY_3]
    result = clean_body(html)
    assert [STORY_1, STORY_2, STORY_3] == [p for p in result.text.split("\n\n") if p != "Jane Doe"]
    assert '<img src="/i.jpg"' in (result.html or "")


def test_br_lines_become_paragraphs_and_a_p_never_holds_a_p() -> None:
    root = parse_fragment(f"<p>{STORY_1}<br>{STORY_2}</p>")
    assert root is not None
    blocks = segment(root)
    assert [b.text for b in blocks] == [STORY_1, STORY_2]
    assert all(b.tag == "p" for b in blocks)
    assert all(b.element.getparent() is not None and b.element.getparent().tag == "div" for b in blocks)


def test_figure_is_kept_in_html_and_left_out_of_text() -> None:
    html = (
        f"<p>{STORY_1}</p><figure><img src='https://x.test/a.jpg'><figcaption>Photo: Jane Doe/Reuters"
        f"</figcaption></figure><p>{STORY_2}</p>"
    )
    result = clean_body(html)
    assert result.text.split("\n\n") == [STORY_1, STORY_2]
    assert "<figcaption>Photo: Jane Doe/Reuters</figcaption>" in (result.html or "")


def test_tables_and_listings_render_cell_by_cell_and_are_never_judged() -> None:
    html = "<p>" + STORY_1 + "</p><table><tr><td>Share</td><td>Read more</td></tr></table><pre>Powered by X</pre>"
    result = clean_body(html)
    assert result.text.split("\n\n") == [STORY_1, "Share", "Read more", "Powered by X"]


def test_control_characters_and_encoding_declarations_do_not_crash() -> None:
    html = f"<?xml version='1.0' encoding='utf-8'?><div>\x00{STORY_1}\x0c<br>\x1b{STORY_2}</div>"
    result = clean_body(html)
    assert result.text.split("\n\n") == [STORY_1, STORY_2]


def test_deep_nesting_is_segmented_without_recursion() -> None:
    html = "<div>" * 5000 + STORY_1 + "<br>" + STORY_2 + "</div>" * 5000
    assert html_to_text(html).split("\n\n") == [STORY_1, STORY_2]
    assert clean_body(html).text.split("\n\n") == [STORY_1, STORY_2]


def test_empty_and_invisible_input() -> None:
    for html in ("", "  ", "<script>alert(1)</script>", "<style>p{}</style><!-- c -->"):
        assert html_to_text(html) == ""
        assert clean_body(html).text == ""
