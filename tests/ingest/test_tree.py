"""Markdown read off Python-Markdown's tree gives exactly what its serialised HTML gives."""

from __future__ import annotations

import markdown
import pytest

from auditor.ingest.markdown import extract_markdown
from auditor.ingest.text import extract, strip_template_tags

CASES = {
    "raw block html": "Intro.\n\n<div>\nRaw <em>block</em> HTML.\n</div>\n\nOutro.",
    "markdown in html": '<div markdown="1">\nMarkdown *inside* a [div](/d).\n</div>',
    "raw paragraph": '<p>Raw paragraph, <a href="https://x.org">linked</a>.</p>',
    "inline html": "A <span class='x'>span</span> and <b>bold</b> and <kbd>Ctrl</kbd> keys.",
    "unclosed inline html": "Unclosed <em>inline html\n\nNext paragraph.",
    "raw script": "Before.\n\n<script>var a = '<p>no</p>';</script>\n\nAfter.",
    "unclosed raw script": "Before.\n\n<script>\n\n*Markdown* after it.\n\n- item",
    "ignore comment": "<!-- auditor-ignore: voice.passive, community -->\nA paragraph.\n\nNext.",
    "inline comment": "Words <!-- auditor-ignore: voice --> more words.",
    "entities": "Entities: &amp; &copy; &mdash; &#169; &#x27; &nbsp; &copyright &bogus; AT&T",
    "escapes": "\\*not em\\* and 1\\. not a list and \\<b>no tag\\</b> and &lt;b&gt;",
    "nested": "- one\n- two\n    - three *em*\n        > quoted in a list\n- four\n\n> a\n> > b",
    "footnotes": "Claim[^1] here.\n\n[^1]: The footnote, with a [link](/fn).",
    "autolinks": "Mail <mailto:me@example.org> or <https://auto.example.org> or me@x.org.",
    "tables and lists": "| a | b |\n|---|---|\n| one | [two](/t) |\n\nTerm\n:   Definition.",
    "abbreviation": "*[HTML]: Hyper Text Markup Language\n\nHTML is an abbreviation.",
    "code": "Inline `code <b>` here.\n\n```python\nprint('<b>')\n```\n\n    indented <i>code</i>",
    "bad href": '<a href="javascript:alert(1)">bad</a> and [also](javascript:x) bad.',
    "hard break": "Line with a hard break  \nnext line & more.",
    "escaped template": "Shown {\\{ not a tag }} here.",
    "attribute lists": "# Head {#h}\n\nText {: .c }\n\n[x](/a){: href='/b' } and [y](/y){ #i }",
    "plain inline runs": "A *b [link **bold**](https://x.org) c* `co<de>` d  \nnext ![i](/i.png)"
    " [e](/e)*[f](/f)* <x> and [**g**](/g) [](/empty) [ h ](/h) [i](javascript:x)",
    "plain blocks": "# Title *em*\n\n- item [a](/a)\n- plain\n\n1. one\n2. two `x`\n\n"
    "Term\n:   Def *em*\n\n| a | [b](/b) |\n|---|---|\n| *c* | `d` |",
    "line breaks prettify adds": "- a\n\n    code in an item\n- b  \n  c  \n\n> q\n>\n>     code\n"
    "\n1. x\n\n    > y\n\n    tail\n\nTerm\n:   d  \n\nend  \n",
    "escaped href": '[x](/a\\_b "t\\*") and \\\\ a backslash, `\\`` code',
}


def via_html(body: str) -> object:
    """The reference: serialise with Python-Markdown, then parse the HTML."""
    md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    return extract(md.convert(strip_template_tags(body)), site_url="https://example.org")


@pytest.mark.parametrize("body", CASES.values(), ids=CASES.keys())
def test_tree_walk_equals_parsing_the_html(body: str) -> None:
    assert extract_markdown(body, "post.md", 1, "https://example.org") == via_html(body)


def test_template_tags_do_not_swallow_later_paragraphs() -> None:
    """An opener whose closer is past a blank line stays text, as in the Markdown source."""
    body = "Open {{ with no close.\n\nMiddle paragraph.\n\nA stray }} closer."
    result = extract_markdown(body, "post.md", 1, None)
    assert "Middle paragraph." in result.text
    assert len(result.blocks) == 3


def test_blank_body_has_no_prose() -> None:
    assert extract_markdown("  \n\n ", "post.md", 1, None).text == ""
