"""The rendered site: files, links, safety, highlights and determinism."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from auditor.model import Audit, PieceResult
from auditor.render import render_site
from auditor.render.views import Summary

from .htmlscan import scan


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_expected_files_are_written(site: tuple[Path, list[str]]) -> None:
    out, written = site
    expected = {
        "index.html",
        "rules.html",
        "skipped.html",
        "audit.json",
        "audit.csv",
        "pieces.json",
        ".nojekyll",
        "static/style.css",
        "static/app.js",
        "pieces/launch.html",
        "pieces/short.html",
        "pieces/hostile.html",
        "pieces/plain.html",
        "authors/index.html",
        "tags/index.html",
        "sources/index.html",
        "months/index.html",
        "authors/ann.html",
        "authors/bob.html",
        "tags/news.html",
        "sources/content.html",
        "months/2024-03.html",
        "months/2024-04.html",
    }
    names = set(written)
    assert expected <= names
    assert written == sorted(written)
    assert all((out / p).is_file() for p in written)
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk == names


def test_group_slugs_are_safe(site: tuple[Path, list[str]]) -> None:
    _, written = site
    for path in map(Path, written):
        if path.parts[0] in {"authors", "tags", "sources", "months"}:
            assert re.fullmatch(r"[a-z0-9-]+\.html", path.name), path


def test_internal_links_resolve(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    ids = {p: set(scan(p.read_text()).ids) for p in html_files(out)}
    for page in ids:
        found = scan(page.read_text())
        assert len(found.ids) == len(set(found.ids)), f"duplicate ids in {page}"
        for _tag, url in found.links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                continue
            assert not parts.scheme and not parts.netloc, url
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(out)} links to missing {url}"
            assert target.is_relative_to(out.resolve())
            if parts.fragment and target.suffix == ".html":
                assert unquote(parts.fragment) in ids[target], f"{page}: missing #{parts.fragment}"


def test_no_active_content(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    for page in html_files(out):
        text = page.read_text()
        found = scan(text)
        rel = page.relative_to(out)
        assert all(src and src.endswith("static/app.js") for src in found.scripts), rel
        assert len(found.scripts) == 1
        for tag, name, value in found.attrs:
            assert not name.startswith("on"), (rel, tag, name)
            assert name != "style", (rel, tag)
            if name in ("href", "src", "action"):
                assert (
                    not re.sub(r"[\x00-\x20]", "", value or "")
                    .lower()
                    .startswith(("javascript:", "vbscript:", "data:"))
                ), (rel, value)
        assert "<script>alert" not in text
        assert "<img" not in text
        assert "style" not in found.tags
        assert text.startswith('<!doctype html>\n<html lang="en">')
        assert "Content-Security-Policy" in text


def test_external_links_are_marked(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    html = (out / "pieces/launch.html").read_text()
    assert (
        '<a class="external" href="https://example.org/launch" '
        'rel="noopener noreferrer nofollow">' in html
    )
    plain = (out / "pieces/plain.html").read_text()
    assert 'href="https://example.org/relative/page"' in plain
    hostile = (out / "pieces/hostile.html").read_text()
    assert "not a web address" in hostile


def test_marks_reproduce_span_texts(audit: Audit, site: tuple[Path, list[str]]) -> None:
    out, _ = site
    for result in audit.results:
        found = scan((out / f"pieces/{result.doc.slug}.html").read_text())
        for n, finding in enumerate(result.findings, 1):
            for k, span in enumerate(finding.spans, 1):
                evidence_id = f"e-{n}-{k}"
                text = "".join(t for ev, t in found.marks if evidence_id in ev.split())
                assert text == span.text(result.doc.text), evidence_id


def test_every_evidence_link_reaches_an_element(site: tuple[Path, list[Path]]) -> None:
    """A span's own id, or the id of the mark that begins where it does, is the target."""
    out, _ = site
    for page in sorted((out / "pieces").glob("*.html")):
        found = scan(page.read_text())
        targets = {url[1:] for tag, url in found.links if tag == "a" and url.startswith("#")}
        assert targets <= set(found.ids), page


def test_overlapping_spans_split_into_segments(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    found = scan((out / "pieces/launch.html").read_text())
    shared = [t for ev, t in found.marks if ev.split() == ["e-2-1", "e-3-1"]]
    assert shared == ["best ever"]
    assert ("e-3-1", " launch") in found.marks


def test_findings_grouped_and_linked(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    html = (out / "pieces/launch.html").read_text()
    improve, works, na = (html.index(t) for t in ("To improve", "What works", "Not applicable <"))
    assert improve < works < na
    assert 'href="../rules.html#dialogue.question"' in html
    assert 'href="#e-2-2"' in html and 'href="#f-2"' in html
    assert "About the piece as a whole." in html


def test_too_short_and_na(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    assert "Too short to judge" in (out / "pieces/short.html").read_text()
    assert ">n/a<" in (out / "pieces/launch.html").read_text()


def test_rendering_is_deterministic(audit: Audit, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    a, b = render_site(audit, first), render_site(audit, second)
    assert a == b
    for rel in a:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_user_template_overrides_default(audit: Audit, tmp_path: Path) -> None:
    user = tmp_path / "templates"
    (user / "static").mkdir(parents=True)
    (user / "skipped.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Custom skipped</h1>{% endblock %}'
    )
    (user / "static" / "style.css").write_text("body { color: red; }\n")
    out = tmp_path / "site"
    out.mkdir()
    render_site(audit, out, user_templates=user)
    assert "<h1>Custom skipped</h1>" in (out / "skipped.html").read_text()
    assert (out / "static/style.css").read_text() == "body { color: red; }\n"
    assert "Content-Security-Policy" in (out / "skipped.html").read_text()


def test_pagination_above_page_size(many: Audit, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    written = set(render_site(many, out, page_size=5))
    assert {"index.html", "index-2.html", "index-3.html"} <= written
    assert "index-4.html" not in written
    first = (out / "index.html").read_text()
    third = (out / "index-3.html").read_text()
    assert first.count("<tr data-authors") == 5 and third.count("<tr data-authors") == 2
    assert 'href="index-2.html"' in first and 'aria-current="page"><span class="vh">Page' in third
    assert "Summary" in first and 'id="summary-h"' not in third
    assert "sources/content--2.html" in written


def test_no_pagination_at_page_size(many: Audit, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    written = set(render_site(many, out, page_size=12))
    assert "index-2.html" not in written
    assert 'class="pager"' not in (out / "index.html").read_text()


def test_index_summary(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    html = (out / "index.html").read_text()
    assert "4 pieces" in html
    # ten score bands; three months (the hostile date "../../etc" makes its own, slugified)
    assert html.count('<rect class="bar') == 10 + 3
    assert '<title id="dist-title">' in html and '<desc id="trend-desc">' in html
    gain = html[html.index('<ol class="gain">') :]
    assert gain.index("hostile.html") < gain.index("plain.html") < gain.index("launch.html")


def test_a_group_of_every_piece_shows_the_index_summary(
    audit: Audit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A blog with one source has a source page summarising every piece, as the index
    does: those pieces are summarised once."""
    from auditor.render import site as site_module

    sizes: list[int] = []
    real = site_module.summary

    def counted(results: Sequence[PieceResult], *args: Any, **kwargs: Any) -> Summary:
        sizes.append(len(results))
        return real(results, *args, **kwargs)

    monkeypatch.setattr(site_module, "summary", counted)
    one = tuple(replace(r, doc=replace(r.doc, source="blog")) for r in audit.results)
    render_site(replace(audit, results=one), tmp_path / "out")
    assert sizes.count(len(one)) == 1
    assert (
        'href="../sources/blog.html"'
        in (tmp_path / "out" / "pieces" / f"{one[0].doc.slug}.html").read_text()
    )
