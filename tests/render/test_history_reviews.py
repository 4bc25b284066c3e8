"""Rendering of editor decisions, score changes, build history and label evidence."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from auditor.model import Audit, Decision, HistoryPoint, Label, Reviewed, Span
from auditor.render import render_site
from auditor.render.charts import build_chart

from .conftest import HOSTILE
from .htmlscan import scan


def _point(build: int, overall: int | None, pieces: int = 4) -> HistoryPoint:
    return HistoryPoint(build, f"build {build}", pieces, (("overall", overall), ("dialogue", 60)))


@pytest.fixture
def changed(audit: Audit) -> Audit:
    """The main audit as a second build: moved scores, a dismissed and an accepted finding."""
    main, short, hostile, plain = audit.results
    dismissed, accepted = main.findings[1], main.findings[0]
    main = dataclasses.replace(
        main,
        findings=tuple(f for f in main.findings if f is not dismissed),
        reviewed=(
            Reviewed(
                dismissed, Decision("posts/launch.md", dismissed.rule, "h1", "dismiss", HOSTILE)
            ),
            Reviewed(accepted, Decision("posts/launch.md", accepted.rule, "h2", "accept", "Good.")),
        ),
        previous_overall=60,
        label=Label("community", (Span(0, 3), Span(1000, 1004))),
    )
    return dataclasses.replace(
        audit,
        results=(
            main,
            dataclasses.replace(short, previous_overall=99),
            hostile,  # new since the last build
            dataclasses.replace(plain, previous_overall=50),
        ),
        removed=("Gone piece", HOSTILE),
        history=(_point(1, 55, 5), _point(2, 58)),
        has_previous=True,
    )


@pytest.fixture
def out(changed: Audit, tmp_path: Path) -> Path:
    target = tmp_path / "site"
    target.mkdir()
    render_site(changed, target)
    return target


def test_dismissed_findings_are_grouped_with_the_comment(out: Path) -> None:
    html = (out / "pieces/launch.html").read_text()
    section = html[html.index('id="sec-dismissed"') :]
    assert "Dismissed by an editor" in html and "Hype" in section.split("</section>")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section and "<script>alert" not in html
    assert html.index('id="sec-improve"') < html.index('id="sec-dismissed"')
    # a dismissed finding is not highlighted in the text
    assert "e-5-1" not in scan(html).ids


def test_accepted_findings_carry_a_badge(out: Path) -> None:
    html = (out / "pieces/launch.html").read_text()
    start = html.index('id="f-1"')
    first = html[start : html.index("</ol>", start)]
    assert "accepted by an editor" in first and "Good." in first
    assert html.count("accepted by an editor") == 1
    assert "accepted by an editor" not in (out / "pieces/plain.html").read_text()


def test_no_dismissed_section_without_dismissals(out: Path) -> None:
    assert 'id="sec-dismissed"' not in (out / "pieces/plain.html").read_text()


def test_piece_pages_show_the_change(out: Path) -> None:
    launch = (out / "pieces/launch.html").read_text()
    assert "▲4" in launch and "up 4 since the last build" in launch and "(was 60)" in launch
    assert "▼4" in (out / "pieces/short.html").read_text()
    assert "<strong>New</strong> since the last build" in (out / "pieces/hostile.html").read_text()
    assert "unchanged since the last build" in (out / "pieces/plain.html").read_text()


def test_index_has_a_change_column_and_summary(out: Path) -> None:
    html = (out / "index.html").read_text()
    assert 'data-key="delta"' in html
    assert 'class="num delta delta-up" data-sort="4"' in html
    assert 'class="num delta delta-new" data-sort=""' in html
    summary = html[html.index('id="changes-h"') : html.index('id="pieces-h"')]
    for text in ("<strong>1</strong> new", "<strong>2</strong> removed", "<strong>1</strong> up"):
        assert text in summary
    assert "Gone piece" in summary and "&lt;script&gt;" in summary


def test_no_change_column_or_summary_on_a_first_build(audit: Audit, tmp_path: Path) -> None:
    render_site(audit, tmp_path)
    html = (tmp_path / "index.html").read_text()
    assert 'data-key="delta"' not in html and 'id="changes-h"' not in html
    assert "since the last build" not in (tmp_path / "pieces/launch.html").read_text()


def test_trend_chart_needs_two_builds(out: Path) -> None:
    html = (out / "index.html").read_text()
    assert '<polyline class="trend-line"' in html and "Median scores of each build" in html
    assert build_chart([_point(1, 50)], [("overall", "Overall")]) is None
    chart = build_chart([_point(1, 50), _point(2, None)], [("overall", "Overall")])
    assert chart is not None and chart.rows[1][-1] == "n/a"


def test_label_spans_link_into_the_text(out: Path) -> None:
    html = (out / "pieces/launch.html").read_text()
    found = scan(html)
    assert 'href="#l-1"' in html and "l-1" in found.ids
    assert "l-2" not in found.ids  # out of range: quoted but not linked
    assert "Why “Community”" in html


def test_tables_link_authors_and_tags_to_roll_ups(out: Path) -> None:
    index = (out / "index.html").read_text()
    assert '<a href="authors/ann.html">Ann</a>' in index
    assert '<a href="tags/news.html">news</a>' in index
    group = (out / "tags/news.html").read_text()
    assert '<a href="../authors/ann.html">Ann</a>' in group


def test_audit_json_has_changes_and_decisions(out: Path) -> None:
    data = json.loads((out / "audit.json").read_text())
    assert data["has_previous"] is True and data["removed"] == ["Gone piece", HOSTILE]
    assert [h["build"] for h in data["history"]] == [1, 2]
    launch, short, hostile, _ = data["pieces"]
    assert (launch["previous_overall"], launch["delta"]) == (60, 4)
    assert short["delta"] == -4 and hostile["previous_overall"] is None
    assert hostile["delta"] is None
    assert launch["dismissed"][0]["rule"] == "restraint.hype"
    assert launch["dismissed"][0]["decision"] == {
        "action": "dismiss",
        "comment": HOSTILE,
        "evidence": "h1",
    }
    assert launch["accepted"] == [
        {
            "rule": "dialogue.question",
            "decision": {"action": "accept", "comment": "Good.", "evidence": "h2"},
        }
    ]
    rows = json.loads((out / "pieces.json").read_text())
    assert rows["has_previous"] is True and rows["rows"][0]["delta"] == 4
    assert rows["links"]["authors"]["Ann"] == "authors/ann.html"
