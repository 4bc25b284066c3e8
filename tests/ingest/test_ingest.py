"""The whole ingest stage over a site folder, and slugs that are unique and safe."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from auditor.config import Config
from auditor.ingest import ingest
from auditor.ingest.slugs import assign_slugs, slugify
from auditor.model import Document

from .test_feeds import RSS


def site(tmp_path: Path, files: dict[str, str | bytes], **options: object) -> Config:
    content = tmp_path / "content"
    content.mkdir()
    for name, body in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body if isinstance(body, bytes) else body.encode())
    return Config(site_dir=tmp_path, content=(content,), **options)  # type: ignore[arg-type]


def test_ingest_walks_dispatches_and_reports(tmp_path: Path) -> None:
    config = site(
        tmp_path,
        {
            "b.md": "Second post.",
            "a.html": "<p>A page.</p>",
            "feed.xml": RSS,
            "img.png": b"\x89PNG\x00",
            "notes.txt": "ignored",
            ".hidden.md": "Hidden.",
            ".git/x.md": "Hidden folder.",
            "broken.md": "---\ntitle: [x\n---\nBody",
            "draft.md": "---\ndraft: true\n---\nNot yet.",
            "drafts/c.md": "Excluded.",
        },
        exclude=("drafts/**",),
    )
    docs, skipped = ingest(config)
    ids = [doc.id for doc in docs]
    assert ids == sorted(ids)
    assert ids[:2] == ["a.html", "b.md"]
    feed_ids = [doc.id for doc in docs if doc.source_kind == "feed"]
    assert feed_ids == ["content/feed.xml#https://town.org/notitle", "content/feed.xml#park-1"]
    assert all(not doc.draft for doc in docs)
    assert [(s.path, s.line) for s in skipped if s.path.endswith("broken.md")] == [
        ("content/broken.md", 3)
    ]
    assert [s.path for s in skipped] == sorted(s.path for s in skipped)
    assert not any("Excluded" in doc.text or "Hidden" in doc.text for doc in docs)


def test_drafts_are_kept_when_asked(tmp_path: Path) -> None:
    config = site(tmp_path, {"draft.md": "---\ndraft: true\n---\nNot yet.", "ok.md": "Live."})
    assert [d.id for d in ingest(config)[0]] == ["ok.md"]
    assert [d.id for d in ingest(config, drafts=True)[0]] == ["draft.md", "ok.md"]
    assert [d.id for d in ingest(replace(config, drafts=True))[0]] == ["draft.md", "ok.md"]


def test_exclude_globs_match_at_any_depth(tmp_path: Path) -> None:
    config = site(
        tmp_path,
        {"x.draft.md": "A.", "sub/y.draft.md": "B.", "z.md": "C."},
        exclude=("**/*.draft.md",),
    )
    assert [d.id for d in ingest(config)[0]] == ["z.md"]


def test_missing_content_folder_is_reported(tmp_path: Path) -> None:
    config = Config(site_dir=tmp_path, content=(tmp_path / "nope",))
    docs, skipped = ingest(config)
    assert docs == [] and "nope" in skipped[0].path and not skipped[0].warning


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinks_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("Outside secret.")
    config = site(tmp_path, {"in.md": "Inside."})
    (config.content[0] / "link.md").symlink_to(outside)
    assert [d.text for d in ingest(config)[0]] == ["Inside."]


def test_ingest_is_deterministic(tmp_path: Path) -> None:
    posts = {f"p{i}.md": f"---\ntitle: Same\nslug: same\n---\nPost {i}." for i in range(5)}
    config = site(tmp_path, posts)
    first, second = ingest(config), ingest(config)
    assert first == second
    assert [d.slug for d in first[0]] == ["same", "same-2", "same-3", "same-4", "same-5"]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Hello, World!", "hello-world"),
        ("../../etc/passwd", "etc-passwd"),
        ("", "piece"),
        ("..", "piece"),
        ("Café déjà vu", "cafe-deja-vu"),
        ("日本語", "piece"),
        ("a/b\\c", "a-b-c"),
        ("x" * 200, "x" * 80),
    ],
)
def test_slugify_is_safe(text: str, slug: str) -> None:
    assert slugify(text) == slug


def doc(doc_id: str, slug: str) -> Document:
    return Document(
        id=doc_id,
        slug=slug,
        source="s",
        source_kind="markdown",
        path=None,
        title="t",
        url=None,
        date=None,
        authors=(),
        tags=(),
        summary="",
        text="x",
        blocks=(),
        links=(),
    )


def test_assign_slugs_unique_in_id_order_avoiding_reserved_names() -> None:
    docs = [
        doc("c", "Same"),
        doc("a", "same"),
        doc("b", "same-2"),
        doc("d", "index"),
        doc("e", "日本"),
        doc("f", ""),
    ]
    slugs = [(d.id, d.slug) for d in assign_slugs(docs)]
    assert slugs == [
        ("a", "same"),
        ("b", "same-2"),
        ("c", "same-3"),
        ("d", "index-2"),
        ("e", "piece"),
        ("f", "piece-2"),
    ]


def test_long_colliding_slugs_stay_within_the_limit() -> None:
    slugs = [d.slug for d in assign_slugs([doc(str(i), "y" * 100) for i in range(12)])]
    assert len(set(slugs)) == 12 and max(map(len, slugs)) == 80


def test_configured_feed_files_get_site_relative_ids(tmp_path: Path) -> None:
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "town.rss").write_text(RSS, encoding="utf-8")
    config = site(tmp_path, {"a.md": "A."}, feeds=(str(tmp_path / "feeds" / "town.rss"),))
    docs, skipped = ingest(config)
    assert [d.id for d in docs] == [
        "a.md",
        "feeds/town.rss#https://town.org/notitle",
        "feeds/town.rss#park-1",
    ]
    assert [s.path for s in skipped if not s.warning] == ["feeds/town.rss"]
