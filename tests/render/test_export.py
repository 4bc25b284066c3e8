"""audit.json, audit.csv and pieces.json."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from auditor.errors import BuildError
from auditor.model import Audit, Decision, Finding, Reviewed, Span
from auditor.render import audit_csv, audit_to_json, piece_to_json, render_site
from auditor.render.export import MAX_SPANS, RULE_KEYS, audit_json_chunks, dumps
from auditor.score.outcome import MAX_SPANS as SCORER_MAX_SPANS

PIECE_KEYS = [
    "id",
    "slug",
    "title",
    "source",
    "source_kind",
    "path",
    "digest",
    "url",
    "date",
    "authors",
    "tags",
    "word_count",
    "label",
    "label_spans",
    "scores",
    "previous_overall",
    "delta",
    "readability",
    "findings",
    "dismissed",
    "accepted",
    "page",
]


def test_audit_json_round_trips(audit: Audit, site: tuple[Path, list[Path]]) -> None:
    out, _ = site
    text = (out / "audit.json").read_text(encoding="utf-8")
    assert text.endswith("}\n")
    data = json.loads(text)
    assert data == json.loads(json.dumps(audit_to_json(audit)))
    assert list(data) == [
        "schema_version",
        "title",
        "base_url",
        "generated",
        "dimensions",
        "rules",
        "has_previous",
        "history",
        "removed",
        "pieces",
        "skipped",
    ]
    assert data["schema_version"] == 2
    assert [d["name"] for d in data["dimensions"]] == [d.name for d in audit.dimensions]
    assert list(data["rules"]) == [r.id for r in audit.rules]
    assert data["skipped"] == [
        {"path": "bad.md", "line": 3, "reason": "not UTF-8", "warning": False},
        {"path": "odd.md", "line": None, "reason": "no title", "warning": True},
    ]
    for piece, result in zip(data["pieces"], audit.results, strict=True):
        assert list(piece) == PIECE_KEYS
        assert piece["scores"]["overall"] == result.overall
        for dim in result.dimensions:
            assert piece["scores"][dim.name] == dim.score
        assert (out / piece["page"]).is_file()
        for finding, model in zip(piece["findings"], result.findings, strict=True):
            assert list(finding) == ["rule", "status", "message", "gain", "spans"]
            assert finding["status"] == model.status
            assert type(finding["gain"]) is float
            for span, s in zip(finding["spans"], model.spans, strict=True):
                assert span[:3] == [s.start, s.end, result.doc.text[s.start : s.end]]
                assert len(span) == 4


def test_rule_texts_are_written_once_in_the_rules_table(audit: Audit) -> None:
    data = audit_to_json(audit)
    for rule in audit.rules:
        entry = data["rules"][rule.id]
        assert list(entry) == list(RULE_KEYS)
        assert (entry["why"], entry["suggestion"]) == (rule.why, rule.suggestion)
        assert (entry["dimension"], entry["weight"]) == (rule.dimension, rule.weight)
    text = dumps(data)
    for rule in audit.rules:
        assert text.count(json.dumps(rule.why, ensure_ascii=False)) == 1


def test_a_dismissed_finding_keeps_the_finding_shape(audit: Audit) -> None:
    result = next(r for r in audit.results if r.findings)
    finding = result.findings[0]
    decision = Decision(result.doc.id, finding.rule, "e1", "dismiss", "house style")
    piece = piece_to_json(replace(result, reviewed=(Reviewed(finding, decision),)))
    [dismissed] = piece["dismissed"]
    assert list(dismissed) == ["rule", "status", "message", "gain", "spans", "decision"]
    assert dismissed["gain"] == 0.0  # out of the scores: nothing to gain
    expected = {"action": "dismiss", "comment": "house style", "evidence": "e1"}
    assert dismissed["decision"] == expected


def test_piece_json_details(audit: Audit) -> None:
    launch = piece_to_json(audit.results[0])
    assert launch["scores"]["readability"] is None
    assert launch["readability"]["hardest"][0] == {
        "start": 0,
        "end": 10,
        "text": "The launch",
        "grade": 12.5,
    }
    assert launch["findings"][0]["spans"][0][3] == 4  # [start, end, text, line]
    assert all(len(span) == 4 for span in launch["label_spans"])
    short = piece_to_json(audit.results[1])
    assert short["readability"]["too_short"] is True
    assert short["readability"]["flesch_reading_ease"] is None


def test_csv_rows_and_formula_guard(audit: Audit, site: tuple[Path, list[Path]]) -> None:
    out, _ = site
    assert (out / "audit.csv").read_text(encoding="utf-8") == audit_csv(audit)
    rows = list(csv.DictReader(io.StringIO(audit_csv(audit))))
    assert len(rows) == len(audit.results)
    assert list(rows[0]) == [
        "id",
        "title",
        "source",
        "authors",
        "date",
        "tags",
        "word_count",
        "label",
        "overall",
        "conversational",
        "dialogue",
        "community",
        "restraint",
        "readability",
        "page",
    ]
    hostile = rows[2]
    assert hostile["authors"].startswith("<script>")
    assert hostile["source"] == "'-source"
    assert hostile["tags"].endswith("; +tag")
    assert rows[0]["readability"] == "" and rows[0]["overall"] == "64"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_pieces_json_is_compact(audit: Audit, site: tuple[Path, list[Path]]) -> None:
    out, _ = site
    data = json.loads((out / "pieces.json").read_text(encoding="utf-8"))
    assert data["columns"][0] == "overall"
    assert [r["href"] for r in data["rows"]] == [f"pieces/{r.doc.slug}.html" for r in audit.results]


def test_audit_json_is_compact_and_streamed(audit: Audit, site: tuple[Path, list[Path]]) -> None:
    out, _ = site
    text = (out / "audit.json").read_text(encoding="utf-8")
    assert text == dumps(audit_to_json(audit)) == "".join(audit_json_chunks(audit))
    assert text.count("\n") == 1 and text.endswith("}\n")  # one line: no indentation
    assert '"schema_version":2,' in text and ": " not in text.split('"pieces"')[0]
    empty = replace(audit, results=())
    assert json.loads("".join(audit_json_chunks(empty)))["pieces"] == []


def test_export_caps_spans_per_finding_like_the_scorer(audit: Audit) -> None:
    assert MAX_SPANS == SCORER_MAX_SPANS
    result = audit.results[0]
    many = tuple(Span(0, 3) for _ in range(MAX_SPANS + 7))
    finding = Finding("x.rule", "dialogue", "works", "m", "w", "s", many)
    piece = piece_to_json(replace(result, findings=(finding,)))
    assert len(piece["findings"][0]["spans"]) == MAX_SPANS


def test_writer_does_not_follow_a_planted_symlink(audit: Audit, tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text("keep", encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / "audit.json").symlink_to(outside)
    with pytest.raises(BuildError):
        render_site(audit, out)
    assert outside.read_text(encoding="utf-8") == "keep"


def test_the_schema_doc_names_every_key_written(audit: Audit) -> None:
    doc = (Path(__file__).parents[2] / "docs" / "audit-json.md").read_text(encoding="utf-8")
    data = audit_to_json(audit)
    finding = next(f for p in data["pieces"] for f in p["findings"])
    for key in [*data, *RULE_KEYS, *PIECE_KEYS, *finding]:
        assert f"`{key}`" in doc, key
    assert f"(schema version {data['schema_version']})" in doc.splitlines()[0]
