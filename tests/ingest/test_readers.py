"""Markdown and HTML files: decoding, limits, prose, titles, lines and the real 18F posts."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.ingest import document_from_text, read_file, read_path
from auditor.ingest.files import read_bytes
from auditor.ingest.html import read_html
from auditor.ingest.markdown import read_markdown

DATA = Path(__file__).parent.parent / "data" / "18f"

POST = """---
title: Hello
date: 2026-03-01
authors: [Ana]
tags: [news]
---
# Welcome

Have you tried `pip install` yet? See https://example.com/x for more.

```python
print("code never counts")
```

> Someone else said this.

{{< figure src="a.png" caption="A caption" >}}
Read [our guide](/guide/) or [theirs](https://other.org/guide).
"""


def write(root: Path, name: str, content: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


def test_markdown_document_fields(root: Path) -> None:
    doc = read_markdown(write(root, "posts/2026-03-01-hello.md", POST), root, "blog", None)
    assert doc.id == "posts/2026-03-01-hello.md"
    assert doc.path == "content/posts/2026-03-01-hello.md"
    assert (doc.slug, doc.source, doc.source_kind) == ("2026-03-01-hello", "blog", "markdown")
    fields = (doc.title, doc.date, doc.authors, doc.tags)
    assert fields == ("Hello", "2026-03-01", ("Ana",), ("news",))
    assert doc.meta_lines == 6
    assert doc.text.split("\n\n") == [
        "Welcome",
        "Have you tried yet? See for more.",
        "Someone else said this.",
        "Read our guide or theirs.",
    ]
    assert [b.line for b in doc.blocks] == [7, 9, 15, 18]
    assert [b.quoted for b in doc.blocks] == [False, False, True, False]
    hrefs = [(link.href, doc.text[link.start : link.end], link.external) for link in doc.links]
    assert hrefs == [("/guide/", "our guide", False), ("https://other.org/guide", "theirs", True)]


def test_crlf_and_bom_read_the_same_as_lf(root: Path) -> None:
    plain = read_markdown(write(root, "a.md", POST), root, "s", None)
    windows = read_markdown(
        write(root, "a2.md", b"\xef\xbb\xbf" + POST.replace("\n", "\r\n").encode()), root, "s", None
    )
    assert (windows.text, windows.blocks, windows.links, windows.title) == (
        plain.text,
        plain.blocks,
        plain.links,
        plain.title,
    )


def test_cp1252_file_decodes(root: Path) -> None:
    raw = "---\ntitle: Caf\u00e9\n---\nIt\u2019s \u201cquoted\u201d.\n".encode("cp1252")
    doc = read_markdown(write(root, "old.md", raw), root, "s", None)
    assert doc.title == "Caf\u00e9"
    assert doc.text == "It\u2019s \u201cquoted\u201d."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"PNG\x00\x01\x02", "binary"),
        (b"---\ntitle: x\n---\n```\ncode\n```\n", "no prose"),
    ],
)
def test_unreadable_files_are_input_errors(root: Path, content: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        read_markdown(write(root, "bad.md", content), root, "s", None)


def test_files_over_the_limit_are_input_errors(root: Path) -> None:
    path = write(root, "huge.md", b"word " * (1024 * 1024 + 1))
    with pytest.raises(InputError, match="1 MB"):
        read_markdown(path, root, "s", None)


def test_the_limit_holds_for_a_file_that_reports_no_size(tmp_path: Path) -> None:
    """A pipe's size is 0: the read goes on past it, up to the limit and no further."""
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_bytes, args=(b"x" * 5000,))
    writer.start()
    try:
        with pytest.raises(InputError, match="4 KB"):
            read_bytes(fifo, "pipe.md", limit=4096)
    finally:
        writer.join()


def test_read_path_uses_the_bytes_it_is_given(root: Path) -> None:
    """A build reads and hashes each file once and hands the bytes on: no second read."""
    path = root / "never-written.md"
    docs, notes = read_path(path, root, None, data=b"# Title\n\nSome prose.")
    assert [(d.id, d.text, d.digest[:8]) for d in docs] == [
        ("never-written.md", "Title\n\nSome prose.", "65c0e57c")
    ]
    assert notes == []


def test_title_falls_back_to_heading_then_stem(root: Path) -> None:
    assert read_markdown(write(root, "a.md", "## Sub\n\nText."), root, "s", None).title == "Sub"
    assert read_markdown(write(root, "b-c.md", "Just text."), root, "s", None).title == "b-c"


def test_page_bundle_slug_is_the_folder(root: Path) -> None:
    doc = read_markdown(write(root, "posts/my-trip/index.md", "Text."), root, "s", None)
    assert doc.slug == "my-trip"


def test_html_page_metadata_and_prose(root: Path) -> None:
    page = """<!doctype html><html><head><title> Our  news </title>
    <meta name="author" content="Kim"><meta name="description" content="About us.">
    <meta name="keywords" content="civic, local">
    <meta property="article:published_time" content="2025-04-05T06:07:08Z"></head>
    <body><nav>Home</nav><main><h1>Big news</h1><p>We <a href="https://me.org/x">moved</a>.</p>
    <script>track()</script></main></body></html>"""
    doc = read_html(write(root, "news.html", page), root, "site", "https://me.org")
    assert (doc.title, doc.authors, doc.summary, doc.tags, doc.date) == (
        "Our news",
        ("Kim",),
        "About us.",
        ("civic", "local"),
        "2025-04-05T06:07:08",
    )
    assert doc.text == "Big news\n\nWe moved."
    assert doc.source_kind == "html" and doc.path == "content/news.html"
    assert doc.links[0].external is False


def test_html_title_falls_back_to_h1_and_front_matter_wins(root: Path) -> None:
    doc = read_html(write(root, "a.htm", "<h1>First <b>h1</b></h1><p>Text.</p>"), root, "s", None)
    assert doc.title == "First h1"
    front = "---\ntitle: From YAML\ndraft: true\n---\n<title>Tag</title><p>Text.</p>"
    doc = read_html(write(root, "b.html", front), root, "s", None)
    assert (doc.title, doc.draft, doc.text) == ("From YAML", True, "Text.")


def test_document_from_text() -> None:
    doc = document_from_text("---\ntitle: Draft\n---\nWhat do you think?\n")
    assert (doc.id, doc.title, doc.text, doc.blocks[0].line) == (
        "<stdin>",
        "Draft",
        "What do you think?",
        4,
    )


def test_real_18f_posts_ingest() -> None:
    docs = {
        p.name: read_markdown(p, DATA, "18f", "https://18f.gsa.gov")
        for p in sorted(DATA.glob("*.md"))
        if p.name != "NOTE.md"
    }
    assert len(docs) == 3
    (tab,) = [doc for name, doc in docs.items() if name.startswith("2016-05-19-content-debt")]
    assert "melody" in tab.authors
    studio = docs["2014-09-25-design-studio-onrr.md"]
    assert "{" not in studio.text and "http" not in studio.text
    assert studio.date == "2014-09-25"
    quote = docs["2015-06-16-fast-company-story.md"]
    assert any(b.quoted for b in quote.blocks)
    for doc in docs.values():
        assert doc.title and doc.authors and doc.tags
        lines = [b.line for b in doc.blocks if b.line is not None]
        assert lines == sorted(lines) and lines[0] > doc.meta_lines
        for link in doc.links:
            assert 0 <= link.start <= link.end <= len(doc.text)


def test_read_file_outside_a_content_folder(tmp_path: Path) -> None:
    doc = read_file(write(tmp_path, "draft.md", "---\ntitle: T\n---\nHi there."))
    assert (doc.id, doc.path, doc.title, doc.text) == (
        "draft.md",
        str(tmp_path / "draft.md"),
        "T",
        "Hi there.",
    )
    assert read_file(write(tmp_path, "p.html", "<p>Page.</p>")).source_kind == "html"
    with pytest.raises(InputError, match="not a Markdown"):
        read_file(write(tmp_path, "notes.txt", "text"))
