"""The quick block and inline passes build exactly the HTML of Python-Markdown's own passes."""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement

import markdown
import pytest
from markdown.treeprocessors import InlineProcessor

from auditor.ingest.markdown import _MARKDOWN
from auditor.ingest.quick import (
    BLOCK_STARTS,
    QuickBlockParser,
    QuickInlineProcessor,
    QuickNormalizeWhitespace,
    SkipUnless,
    _any_of,
    _may_start,
    install,
    needles,
)
from tests.ingest.test_tree import CASES

MORE = {
    "emphasis": "*em* _em_ **strong** __strong__ ***both*** a*b*c snake_case_name",
    "links": "[a](/a) [b][r] [r] ![i](/i.png) ![j][r] [^n] <https://x.org> <a@b.org>\n\n[r]: /r",
    "nothing": "A paragraph with no inline markup at all, just words.",
    "undefined references": "[a][b], [c] [d], [e][], [f], ![g][h] and ![i] stay text.",
    "some references": "[a][b], [c], [r], ![r] and [x][R]\n\n[r]: /r\n[b]: /b 'B'",
    "nested": "**bold [link *em* `code`](/l) & &amp; <b>x</b>** and a  \nbreak",
    "headings": "# One #\n\nTwo\n===\n\nThree\n---\n\n#no space\n\ntext\n## Four",
    "rules": "a\n\n---\n\n* * *\n\n___\n\n- - -\n\n**not** a rule",
    "spaced rules": "_  _  _\n\n-  - -\n\n *  *  *\n\n- -   -\n\nwell-made and **x**",
    "setext under text": "Title\n=\n\nSub\n- not a list\n\nratio\n  = spaced",
    "block quotes": "> a\n> > b\n\n  > indented\n\ntext > not a quote",
    "definitions": "[r]: /r 'T'\n[^f]: foot\n*[A]: Abbr\n\nUse [r], [^f] and A.",
    "tables": "a | b\n- | -\n1 | 2\n\n|one|\n|---|\n|1|\n\nnot | a table",
    "def lists": "Term\n: one\n:   two\n\nratio 3:1 is not one\n\nT\n   :    four spaces",
    "spaces line": "a\n   \nb\n\n    \ncode?",
    "one space line": "a\n \nb",
    "tabs and returns": "b\twith\ttabs\r\nand CR\rlines",
    "tilde fence": "~~~\ntilde <b>fence</b>\n~~~\n\nafter",
    "backtick fence": "```\nback `ticks`\n```\n\n`` not a fence ``",
    "char refs": "x &copyright; y &#38 z &amp and AT&T &#x27 &bogus",
    "lists": "1. one\n2. two\n\n    indented\n\n* a\n    * b\n\n        code\n\n+ c\n- d\n\n٣. x",
    "indented": "    code\n\n  1. spaced\n\n   * spaced\n\nTerm\n:   def\n\n    more def",
    "html blocks": "<div markdown='1'>\n# In\n</div>\n\n<section>\nraw\n</section>\n\n<p>p</p>",
}


def stock() -> markdown.Markdown:
    return markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


@pytest.mark.parametrize("body", [*CASES.values(), *MORE.values()])
def test_quick_passes_give_the_stock_html(body: str) -> None:
    quick = stock()
    install(quick)
    assert quick.convert(body) == stock().convert(body)


def test_the_overrides_reach_the_stock_methods() -> None:
    """A Markdown release renaming ``__handleInline`` would silently drop the skip."""
    assert hasattr(InlineProcessor, "_InlineProcessor__handleInline")
    assert hasattr(InlineProcessor, "_InlineProcessor__applyPattern")
    assert hasattr(InlineProcessor, "_InlineProcessor__processPlaceholders")
    assert hasattr(InlineProcessor, "_InlineProcessor__build_ancestors")
    assert isinstance(_MARKDOWN.treeprocessors["inline"], QuickInlineProcessor)
    assert isinstance(_MARKDOWN.parser, QuickBlockParser)
    assert isinstance(_MARKDOWN.preprocessors["normalize_whitespace"], QuickNormalizeWhitespace)
    assert isinstance(_MARKDOWN.preprocessors["html_block"], SkipUnless)


def test_every_stock_pattern_has_needles() -> None:
    """A regex changed by a Markdown release is always tried (None) and shows up here."""
    assert all(needles(pattern) for pattern in _MARKDOWN.inlinePatterns)


def test_block_level_test_answers_as_the_stock_one() -> None:
    """The set is a copy of the instance's list, so it must answer for every tag as before."""
    reference = stock()
    tags = [*reference.block_level_elements, "P", "DIV/", "a", "span", "em", "", "x-y", None, 3]
    assert [_MARKDOWN.is_block_level(t) for t in tags] == [
        reference.is_block_level(t) for t in tags
    ]
    assert _MARKDOWN.block_level_elements == reference.block_level_elements


def test_one_scan_finds_any_patterns_needle() -> None:
    """Text without every needle skips the patterns at once; unknown needles always try."""
    test = _any_of((("`",), ("[^",), ("[",), ("![",), ("  \n",), ()))
    texts = ("a`b", "x[^", "![", "a  \nb", "a \nb", "plain", "x ^ !")
    assert [bool(test(t)) for t in texts] == [True, True, True, True, False, False, False]
    assert _any_of((("a",), None))("zzz")


@pytest.mark.parametrize("first", ["", "\n", " ", "\t", "a", "1", "٣", "*", "+", "-", "#", ">"])
def test_processors_skipped_by_first_character_would_fail(first: str) -> None:
    """A processor left out for a block's first character fails its test on such blocks,
    whatever the parent (a list item, after a list, a quote)."""
    item, after_list, quote = Element("li"), Element("div"), Element("blockquote")
    SubElement(after_list, "ul")
    processors = [p for p in _MARKDOWN.parser.blockprocessors if type(p) in BLOCK_STARTS]
    assert len(processors) == 6  # empty, two indents, code, two lists
    for rest in ("", "    x", "   1. x", "* x", ". x", "\n    y"):
        block = first + rest if first else ""
        for processor in processors:
            if not _may_start(type(processor), block[:1]):
                for parent in (item, after_list, quote):
                    assert not processor.test(parent, block)
