"""The quick inline pass builds exactly the HTML of Python-Markdown's own inline pass."""

from __future__ import annotations

import markdown
import pytest
from markdown.treeprocessors import InlineProcessor

from auditor.ingest.inline import QuickInlineProcessor, install, needles
from auditor.ingest.markdown import _MARKDOWN
from tests.ingest.test_tree import CASES

MORE = {
    "emphasis": "*em* _em_ **strong** __strong__ ***both*** a*b*c snake_case_name",
    "links": "[a](/a) [b][r] [r] ![i](/i.png) ![j][r] [^n] <https://x.org> <a@b.org>\n\n[r]: /r",
    "nothing": "A paragraph with no inline markup at all, just words.",
    "nested": "**bold [link *em* `code`](/l) & &amp; <b>x</b>** and a  \nbreak",
}


def stock() -> markdown.Markdown:
    return markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


@pytest.mark.parametrize("body", [*CASES.values(), *MORE.values()])
def test_quick_inline_pass_gives_the_stock_html(body: str) -> None:
    quick = stock()
    install(quick)
    assert quick.convert(body) == stock().convert(body)


def test_the_override_reaches_the_stock_private_method() -> None:
    """A Markdown release renaming ``__handleInline`` would silently drop the skip."""
    assert hasattr(InlineProcessor, "_InlineProcessor__handleInline")
    assert hasattr(InlineProcessor, "_InlineProcessor__applyPattern")
    assert isinstance(_MARKDOWN.treeprocessors["inline"], QuickInlineProcessor)


def test_every_stock_pattern_has_needles() -> None:
    """A regex changed by a Markdown release is always tried (None) and shows up here."""
    assert all(needles(pattern) for pattern in _MARKDOWN.inlinePatterns)
