"""Evidence lists on piece pages: the first ``evidence_listed`` spans, then one "more" line."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from auditor.model import Audit, Block, Finding, Span
from auditor.render.fragments import EvidenceItem, evidence_html, gain_html
from auditor.render.piece_view import piece_body
from auditor.render.views import PIECE_ROOT
from tests.render.conftest import RULES


def items(count: int, marked: bool = True) -> tuple[EvidenceItem, ...]:
    return tuple((f"e-3-{k}" if marked else None, f"word {k}", k) for k in range(1, count + 1))


def quoted(html: str) -> list[str]:
    return re.findall(r"<q>(.*?)</q>", html)


def more_lines(html: str) -> list[str]:
    return [line.strip() for line in html.splitlines() if 'class="more"' in line]


@pytest.mark.parametrize("count", [1, 9, 10])
def test_a_list_of_at_most_n_has_no_more_line(count: int) -> None:
    html = evidence_html(3, items(count), 10)
    assert quoted(html) == [f"word {k}" for k in range(1, count + 1)]
    assert more_lines(html) == []


def test_a_longer_list_shows_n_then_says_how_many_more_and_links_the_first() -> None:
    html = evidence_html(3, items(14), 10)
    assert quoted(html) == [f"word {k}" for k in range(1, 11)]
    assert more_lines(html) == [
        '<li class="more">And 4 more, all highlighted in the text. '
        '<a href="#e-3-11">Show evidence 11'
        '<span class="vh"> of finding 3</span> in the text</a></li>'
    ]
    assert html.splitlines()[-1].strip().startswith('<li class="more">')


def test_one_more_is_said_in_the_singular() -> None:
    (line,) = more_lines(evidence_html(3, items(3), 2))
    assert "And 1 more, highlighted in the text." in line and 'href="#e-3-3"' in line


def test_the_link_goes_to_the_first_unlisted_span_marked_in_the_text() -> None:
    unmarked = ((None, "empty", None),)  # an empty span has no mark
    (line,) = more_lines(evidence_html(3, items(2) + unmarked + items(4)[2:], 2))
    assert "And 3 more" in line and 'href="#e-3-3">Show evidence 4<' in line


def test_unmarked_evidence_gets_a_more_line_without_a_link() -> None:
    (line,) = more_lines(evidence_html(3, items(5, marked=False), 2))
    assert line == '<li class="more">And 3 more.</li>'


def test_evidence_links_name_their_finding_once_on_the_finding() -> None:
    html = evidence_html(3, items(2), 10)
    assert "data-finding" not in html
    assert html.count('<span class="vh">, evidence ') == 2


def test_piece_pages_list_n_spans_and_mark_them_all(audit: Audit) -> None:
    text = "you " * 30
    doc = replace(audit.results[0].doc, text=text, blocks=(Block(0, len(text), "paragraph"),))
    spans = tuple(Span(i * 4, i * 4 + 3) for i in range(30))
    finding = Finding("dialogue.question", "dialogue", "works", "30 yous", "w", "s", spans)
    result = replace(audit.results[0], doc=doc, findings=(finding,), reviewed=())
    body = piece_body(result, {}, {r.id: r for r in RULES}, listed=7)
    (works,) = [s for s in body.sections if s.count]
    html = works.html(PIECE_ROOT)
    assert len(quoted(html)) == 7
    assert "And 23 more, all highlighted in the text." in html and 'href="#e-1-8"' in html
    prose = "".join(item for _, block in body.groups for item in block)
    assert all(f'id="e-1-{k}"' in prose for k in range(1, 31))
    (view,) = works.findings
    assert len(view.evidence) == 30 and view.listed == 7


def test_a_section_fills_in_its_rules_advice_on_the_page(audit: Audit) -> None:
    rules = {r.id: r for r in RULES}
    body = piece_body(audit.results[0], {}, rules)  # restraint.hype: its rule's advice
    (improve,) = [s for s in body.sections if s.id == "improve"]
    assert "Hype pushes readers away." not in improve.page_html  # left for the page
    filled = replace(improve, rules=rules)
    html = filled.html(PIECE_ROOT)
    assert "<strong>Why it matters:</strong> Hype pushes readers away.</p>" in html
    assert "<strong>What to do:</strong> Say what it does.</p>" in html and "\0" not in html
    hype = next(f for f in filled.findings if f.rule == "restraint.hype")
    assert (hype.why, hype.suggestion) == ("Hype pushes readers away.", "Say what it does.")


def test_advice_that_is_not_its_rules_stays_in_the_page_html(audit: Audit) -> None:
    result = audit.results[0]
    own = tuple(replace(f, why="Its own reason.") for f in result.findings)
    body = piece_body(replace(result, findings=own), {}, {r.id: r for r in RULES})
    html = "".join(s.page_html for s in body.sections)
    assert html.count("Its own reason.") == len(own)
    assert all(f.why == "Its own reason." for s in body.sections for f in s.findings)


@pytest.mark.parametrize("root", [PIECE_ROOT, "../../"])
def test_a_finding_that_works_says_why_and_what_to_do(audit: Audit, root: str) -> None:
    """Every finding shows why its rule matters and a suggestion, whatever its status: one
    that works says how to do more of it (issue 3: each finding has a why and a suggestion)."""
    rules = {r.id: r for r in RULES}
    result = audit.results[0]
    works = tuple(replace(f, status="works") for f in result.findings)
    body = piece_body(replace(result, findings=works), {}, rules)
    (section,) = [replace(s, rules=rules) for s in body.sections if s.count]
    html = section.html(root)
    assert "<strong>Why it matters:</strong> Hype pushes readers away.</p>" in html
    assert "<strong>What to do:</strong> Say what it does.</p>" in html and "\0" not in html
    suggesting = [f for f in section.findings if f.suggestion]
    assert len(suggesting) > 1 and html.count("What to do:") == len(suggesting)


def test_label_and_hardest_sentence_links_reach_elements_in_the_text(audit: Audit) -> None:
    """Their anchors may be stood for by a mark's own id; either way the target exists."""
    linked = 0
    for result in audit.results:
        body = piece_body(result, {}, {r.id: r for r in RULES})
        prose = "".join(item for _, block in body.groups for item in block)
        targets = [e.id for e in body.label_spans if e.id]
        targets += [h.href.removeprefix("#") for h in body.hardest if h.href]
        assert all(f'id="{t}"' in prose for t in targets), result.doc.slug
        linked += len(targets)
    assert linked


def test_an_evidence_line_is_a_quote_and_one_link_named_by_where_it_is() -> None:
    """The link's visible text is the line; the hidden rest keeps every name distinct."""
    listed = (("e-3-1", "a <b>", 8), ("e-3-2", "c", None), (None, "d", 9))
    assert str(evidence_html(3, listed, 10)).split("\n") == [
        '<li><q>a &lt;b&gt;</q> <a href="#e-3-1">line 8'
        '<span class="vh">, evidence 1 of finding 3</span></a></li>',
        '<li><q>c</q> <a href="#e-3-2">in the text'
        '<span class="vh">, evidence 2 of finding 3</span></a></li>',
        "<li><q>d</q> (line 9)</li>",  # not in the text (dismissed): nothing to link to
    ]


def test_findings_to_improve_come_most_to_gain_first_with_what_each_is_worth(
    audit: Audit,
) -> None:
    rules = {r.id: r for r in RULES}
    result = audit.results[0]
    improve = tuple(
        replace(f, status="improve", message=f"m{n}") for n, f in enumerate(result.findings)
    )
    works = replace(result.findings[0], status="works", message="kept")
    gains = tuple(float(n % 3) + 0.3 * n for n in range(len(improve)))
    result = replace(result, findings=(*improve, works), gains=(*gains, 4.0), reviewed=())
    assert len(improve) >= 2
    body = piece_body(result, {}, rules)
    (section,) = [s for s in body.sections if s.id == "improve"]
    order = [f.message for f in section.findings]
    assert order == [f"m{n}" for n in sorted(range(len(gains)), key=lambda n: (-gains[n], n))]
    html = section.html(PIECE_ROOT)
    assert html.count('class="badge badge-gain"') == len(improve)
    assert gain_html(max(gains)) in html.split("</h4>")[0]  # the first heading: the most
    (kept,) = [s for s in body.sections if s.id == "works"]
    assert "badge-gain" not in kept.html(PIECE_ROOT)


@pytest.mark.parametrize(
    ("gain", "text"),
    [
        (0.0, "under 1 point"),
        (0.4, "under 1 point"),
        (0.6, "up to +1 point "),
        (7.5, "up to +8 points"),
    ],
)
def test_a_gain_reads_in_whole_points(gain: float, text: str) -> None:
    assert text in gain_html(gain)
