"""What workers prepare for the parent: page bodies, JSON values and the parts file."""

from __future__ import annotations

import json
import re
from pathlib import Path

from markupsafe import escape

from auditor import parallel
from auditor.model import Audit, Block, Span
from auditor.render.export import piece_json, piece_to_json
from auditor.render.finding_view import FindingSection
from auditor.render.highlight import highlight_findings
from auditor.render.piece_view import piece_body, piece_view
from auditor.render.prepared import prepare
from auditor.render.site import render_site
from auditor.render.views import PIECE_ROOT, columns
from tests.render.conftest import RULES


def _body(audit: Audit, n: int = 0):  # type: ignore[no-untyped-def]
    titles = {d.name: d.title for d in audit.dimensions}
    return piece_body(audit.results[n], titles, {r.id: r for r in RULES})


def test_a_section_keeps_its_findings_for_templates_that_lay_them_out(audit: Audit) -> None:
    for section in _body(audit).sections:
        findings = section.findings
        assert section.count == len(findings)
        assert section.html(PIECE_ROOT) == "\n".join(f.html(PIECE_ROOT) for f in findings)
        assert section.html("") == "\n".join(f.html("") for f in findings)
    assert any(s.count for s in _body(audit).sections)


def test_a_section_of_no_findings_has_no_html() -> None:
    empty = FindingSection.of("na", "Not applicable", ())
    assert empty.count == 0 and empty.findings == () and empty.html(PIECE_ROOT) == ""


def test_piece_view_text_and_prose_come_from_the_same_groups(audit: Audit) -> None:
    result = audit.results[0]
    view = piece_view(result, columns(audit), {}, {r.id: r for r in RULES}, (None, None))
    assert [g.kind for g in view.text] == [kind for kind, _ in view.groups]
    for group, (_, items) in zip(view.text, view.groups, strict=True):
        assert [str(i) for i in group.items] == list(items)
        assert all(item in view.prose for item in items)


def test_escaping_a_block_once_equals_escaping_each_segment() -> None:
    """Marks cut the text right beside characters that escaping lengthens."""
    first, second = "a&b<c>d\"e'f &&'' <x>", "g'h\"&"
    text = f"{first}\n\n{second}"
    blocks = (Block(0, len(first), "paragraph"), Block(len(first) + 2, len(text), "item"))
    for width in (1, 2, 3):
        spans = tuple(Span(i, min(i + width, len(text))) for i in range(0, len(text), width + 1))
        out = highlight_findings(text, blocks, [("works", spans)])
        items = [str(i) for g in out.groups for i in g.items]
        assert [re.sub(r"<[^>]+>", "", i) for i in items] == [escape(first), escape(second)]
        for span in spans:
            if text[span.start : span.end].strip() == text[span.start : span.end]:  # one link
                assert f">{escape(text[span.start : span.end])!s}</a></mark>" in "".join(items)


def test_piece_to_json_is_audit_json_parsed(audit: Audit) -> None:
    for result in audit.results:
        text = piece_json(result)
        assert piece_to_json(result) == json.loads(text)
        assert piece_json(result, prepare(result, audit.dimensions, RULES).json) == text


def test_parts_file_sections_read_back_alone(audit: Audit, tmp_path: Path) -> None:
    results = audit.results[:2]
    ready = [prepare(r, audit.dimensions, RULES) for r in results]
    blob = parallel.dumps((results, ()))
    path = tmp_path / f"x{parallel.PARTS_SUFFIX}"
    size = parallel.save_parts(path, blob, ready)
    assert path.stat().st_size == size
    assert parallel.load_parts_json(path) == [r.json for r in ready]
    assert [parallel.load_parts_body(path, i) for i in range(2)] == [r.body for r in ready]
    assert parallel.loads(parallel.load_parts_results(path)) == (results, ())


def test_pages_from_prepared_bodies_equal_pages_from_results(audit: Audit, tmp_path: Path) -> None:
    bodies = {r.doc.slug: prepare(r, audit.dimensions, RULES) for r in audit.results}

    class Prepared:
        def __call__(self, result):  # type: ignore[no-untyped-def]
            return bodies[result.doc.slug].body

        def json(self, result):  # type: ignore[no-untyped-def]
            return bodies[result.doc.slug].json

    render_site(audit, tmp_path / "plain")
    render_site(audit, tmp_path / "prepared", prepared=Prepared())
    for page in (tmp_path / "plain").rglob("*"):
        if page.is_file():
            other = tmp_path / "prepared" / page.relative_to(tmp_path / "plain")
            assert other.read_bytes() == page.read_bytes(), page
