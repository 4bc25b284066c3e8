"""Unit tests of the render helpers: URL safety, slugs, highlighting, output paths."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from markupsafe import escape as markup_escape

from auditor.errors import BuildError
from auditor.model import Block, Span
from auditor.render.charts import LABEL_HALF_CHAR, distribution_chart, month_chart
from auditor.render.export import Lines, span_groups, span_rows
from auditor.render.highlight import Anchor, Evidence, highlight, highlight_findings
from auditor.render.safety import (
    csv_cell,
    original_link,
    safe_url,
    slugify,
    target_in,
    unique_slugs,
)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "\x01javascript:x",
        "vbscript:msgbox",
        "data:text/html,<b>",
        "DATA:image/png;base64,AA",
        "file:///etc/passwd",
    ],
)
def test_unsafe_urls_rejected(url: str) -> None:
    assert safe_url(url) is None
    assert original_link(url, "https://example.org/") is None


@pytest.mark.parametrize("url", ["https://a.org/x", "HTTP://a.org", "/rel/path", "page.html", "#x"])
def test_safe_urls_kept(url: str) -> None:
    assert safe_url(url) == url


def test_original_link_resolves_relative() -> None:
    assert original_link("/p/1", "https://blog.example/") == "https://blog.example/p/1"
    assert original_link("/p/1", None) is None


def test_slugs() -> None:
    assert slugify("Éric O'Neil") == "eric-o-neil"
    assert slugify("<script>") == "script"
    assert slugify("日本") == "item"
    slugs = unique_slugs(["A b", "a-b", "A B", "index", "日本"])
    assert sorted(slugs.values()) == sorted({"a-b", "a-b-2", "a-b-3", "index-2", "item"})
    assert len(set(slugs.values())) == len(slugs)


def test_csv_cell() -> None:
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("@x") == "'@x"
    assert csv_cell("ok") == "ok"
    assert csv_cell(-3) == -3


def test_target_in_refuses_escape(tmp_path: Path) -> None:
    assert target_in(tmp_path, "a/b.html") == (tmp_path / "a/b.html").resolve()
    for bad in ("../x.html", "/etc/passwd", "a/../../x", "."):
        with pytest.raises(BuildError):
            target_in(tmp_path, bad)


def test_highlight_escapes_and_nests() -> None:
    text = "a <b> c\n\nnext"
    blocks = (Block(0, 7, "paragraph"), Block(9, 13, "paragraph"))
    ev = [
        Evidence(1, 1, 2, 5, "improve"),
        Evidence(2, 1, 0, 13, "works"),  # crosses the block gap
        Evidence(3, 1, 7, 9, "works"),  # only the gap: never placed
    ]
    out = highlight(text, blocks, ev, [Anchor(9, "s-1")])
    html = "".join(str(i) for g in out.groups for i in g.items)
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert out.ids == {"e-1-1", "e-2-1", "s-1"}
    assert html.count('id="e-2-1"') == 1


def test_highlight_without_blocks() -> None:
    out = highlight("just text", ())
    assert [g.kind for g in out.groups] == ["paragraph"]
    assert str(out.groups[0].items[0]) == "just text"


def test_highlight_many_overlaps_keep_the_text_and_place_each_id_once() -> None:
    text = "abcdefghij" * 20
    blocks = (Block(0, 100, "paragraph"), Block(102, 200, "item"))
    ev = [
        Evidence(n, 1, n * 7 % 190, n * 7 % 190 + 5 + n % 30, ("works", "improve")[n % 2])
        for n in range(1, 60)
    ]
    out = highlight(text, blocks, ev, [Anchor(50, "s-1"), Anchor(50, "l-1")])
    html = "".join(str(i) for g in out.groups for i in g.items)
    assert re.sub(r"<[^>]+>", "", html) == text[0:100] + text[102:200]
    assert all(html.count(f'id="{i}"') == 1 for i in out.ids)
    assert html.index('id="s-1"') < html.index('id="l-1"')
    assert {f"e-{n}-1" for n in range(1, 60)} <= out.ids


def test_highlight_findings_matches_highlight_of_evidence() -> None:
    text = "one <two> three & four\n\nfive six seven"
    blocks = (Block(0, 22, "paragraph"), Block(24, 38, "item"))
    findings = [
        ("improve", (Span(4, 9), Span(0, 22), Span(3, 3))),
        ("works", (Span(6, 30), Span(24, 28))),
    ]
    evidence = [
        Evidence(n, k, s.start, s.end, status)
        for n, (status, spans) in enumerate(findings, 1)
        for k, s in enumerate(spans, 1)
    ]
    anchors = [Anchor(24, "s-1"), Anchor(4, "l-1")]
    one = highlight_findings(text, blocks, findings, anchors)
    other = highlight(text, blocks, evidence, anchors)
    assert one == other and "e-1-3" not in one.ids


def test_whitespace_between_touching_spans_is_not_an_empty_link() -> None:
    """axe's link-name rule: an evidence link must have visible text; its id still lands."""
    spans = (Span(0, 2), Span(2, 3), Span(3, 5))  # "ab", " ", "cd": the middle one is a gap
    out = highlight_findings("ab cd", (Block(0, 5, "paragraph"),), [("works", spans)])
    html = str(out.groups[0].items[0])
    assert '<span class="anchor" id="e-1-2"></span> ' in html and "e-1-2" in out.ids
    assert html.count('<a href="#f-1"') == 2 and '<a href="#f-1" id="e-1-2"' not in html


def test_spans_and_anchors_beginning_on_a_new_mark_are_reached_by_its_id() -> None:
    """No empty anchor where a mark's own link begins: the link's id stands for them all."""
    findings = [("works", (Span(0, 13),)), ("improve", (Span(0, 4),))]
    anchors = [Anchor(0, "l-1")]
    out = highlight_findings("Have you ever", (Block(0, 13, "paragraph"),), findings, anchors)
    html = str(out.groups[0].items[0])
    assert "anchor" not in html and html.count(" id=") == 1 and 'id="e-2-1"' in html
    assert out.targets == {"e-2-1": "e-2-1", "e-1-1": "e-2-1", "l-1": "e-2-1"}
    assert out.ids == {"e-1-1", "e-2-1", "l-1"}


def test_an_anchor_inside_a_placed_mark_stays_an_anchor() -> None:
    """A position inside a span whose id is placed already keeps its own empty element."""
    findings = [("works", (Span(0, 13),))]
    out = highlight_findings(
        "Have you ever", (Block(0, 13, "paragraph"),), findings, [Anchor(5, "s-1")]
    )
    html = str(out.groups[0].items[0])
    assert '<span class="anchor" id="s-1"></span><mark' in html
    assert out.targets == {"e-1-1": "e-1-1", "s-1": "s-1"}


def test_fragment_escape_matches_markupsafe() -> None:

    from auditor.render.fragments import escape

    for text in ["", "plain", "a & b < c > d", 'it\'s "quoted"', "&amp; already", "<>&'\"" * 3]:
        assert escape(text) == str(markup_escape(text))


def test_escape_all_equals_escaping_each_text_even_with_the_separator_inside() -> None:
    from auditor.render.fragments import escape, escape_all

    for texts in ([], [""], ["a & b", "<q>", "it's"], ["x\0<y", '"'], ["\0", "\0"]):
        assert escape_all(texts) == [escape(t) for t in texts]


def span_line(blocks: Sequence[Block], offset: int) -> int | None:
    """The plain definition: the line of the first block containing ``offset``, else None."""
    for block in blocks:
        if block.start <= offset <= block.end:
            return block.line
    return None


def test_lines_give_the_line_of_the_block_holding_each_offset() -> None:
    """Touching blocks: the earlier one wins; nested blocks: the outer one; gaps: None."""
    blocks = (
        Block(0, 10, "paragraph", line=1),
        Block(10, 20, "paragraph", line=3),
        Block(12, 15, "item", line=4),
        Block(25, 30, "heading", line=7),
    )
    offsets = list(range(0, 33))
    expected = [span_line(blocks, o) for o in offsets]
    assert Lines(blocks).of(offsets) == expected
    assert [Lines(blocks)(o) for o in offsets] == expected
    assert Lines(()).of([0, 5]) == [None, None]


def test_span_rows_quote_each_span_with_its_line() -> None:
    text = "one two\n\nthree"
    blocks = (Block(0, 7, "paragraph", line=2), Block(9, 14, "paragraph", line=4))
    rows = span_rows((Span(0, 3), Span(9, 14), Span(7, 9)), text, Lines(blocks))
    assert rows == ((0, 3, "one", 2), (9, 14, "three", 4), (7, 9, "\n\n", 2))


def test_span_groups_are_each_groups_span_rows() -> None:
    text = "one two\n\nthree"
    lines = Lines((Block(0, 7, "paragraph", line=2), Block(9, 14, "paragraph", line=4)))
    groups = [(Span(0, 3), Span(9, 14)), (), (Span(4, 7),)]
    assert span_groups(groups, text, lines) == [span_rows(g, text, lines) for g in groups]
    assert span_groups([], text, lines) == []


def test_highlight_escapes_every_special_character_once() -> None:
    text = "a&b <c> \"d\" 'e' & plain"
    spans = (Span(2, 6), Span(9, 14))
    out = highlight_findings(text, (Block(0, len(text), "paragraph"),), [("works", spans)])
    html_text = str(out.groups[0].items[0])
    assert re.sub(r"<[^>]+>", "", html_text) == str(markup_escape(text))


def test_marks_carry_no_title() -> None:
    """Titles come from the script on hover: ~200 per page were a third of the text's bytes."""
    spans = (Span(0, 3), Span(2, 5))
    out = highlight_findings("abcdef", (Block(0, 6, "paragraph"),), [("works", spans)])
    html_text = str(out.groups[0].items[0])
    assert "<mark" in html_text and "title=" not in html_text


def _label_extents(view_box: str) -> tuple[float, float]:
    left, _, width, _ = map(float, view_box.split())
    return left, left + width


@pytest.mark.parametrize("months", [1, 12, 24, 122])
def test_month_labels_at_the_edges_stay_inside_the_chart(months: int) -> None:
    """Centred labels such as "2014-03" on the first and last bars were cut off."""
    medians = [(f"{2014 + m // 12}-{m % 12 + 1:02d}", 50) for m in range(months)]
    chart = month_chart(medians)
    left, right = _label_extents(chart.view_box)
    shown = [b for b in chart.bars if b.show_label]
    assert shown and left <= 0 and right >= chart.width
    for bar in shown:
        half = len(bar.label) * LABEL_HALF_CHAR
        assert left <= float(bar.label_x) - half and float(bar.label_x) + half <= right


def test_a_chart_whose_labels_fit_keeps_its_plain_view_box() -> None:
    assert distribution_chart([5, 50, 95]).view_box == "0 0 600 200"
