"""audit.json, audit.csv and pieces.json."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from auditor.errors import BuildError
from auditor.model import Audit, Finding, Span
from auditor.render import audit_csv, audit_to_json, piece_to_json, render_site
from auditor.render.export import MAX_SPANS, audit_json_chunks, dumps
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
        "has_previous",
        "history",
        "removed",
        "pieces",
        "skipped",
    ]
    assert data["schema_version"] == 1
    assert [d["name"] for d in data["dimensions"]] == [d.name for d in audit.dimensions]
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
            assert finding["status"] == model.status
            for span, s in zip(finding["spans"], model.spans, strict=True):
                assert span["text"] == result.doc.text[s.start : s.end]
                assert set(span) == {"start", "end", "text", "line"}


def test_piece_json_details(audit: Audit) -> None:
    launch = piece_to_json(audit.results[0])
    assert launch["scores"]["readability"] is None
    assert launch["readability"]["hardest"][0] == {
        "start": 0,
        "end": 10,
        "text": "The launch",
        "grade": 12.5,
    }
    assert launch["findings"][0]["spans"][0]["line"] == 4
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
    assert '"schema_version":1,' in text and ": " not in text.split('"pieces"')[0]
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
