"""Hostile and broken input at the ingest stage: refused or read, always with a clear reason."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.ingest import document_from_text, read_path
from auditor.ingest.feeds import read_feed
from auditor.ingest.markdown import MAX_NESTING

LOL = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(1, 10))
ENTITY_FEEDS = {
    "xxe": '<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>',
    "billion laughs": f'<!DOCTYPE rss [\n<!ENTITY lol0 "lol">\n{LOL}]>',
    "quadratic": f'<!DOCTYPE rss [\n<!ENTITY a "{"x" * 20000}">\n]>',
}


def _feed(doctype: str, body: str = "&a;" * 20000) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><title>T</title>'
        f"<item><title>t</title><description>{body}</description></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize("name", sorted(ENTITY_FEEDS))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_feeds_declaring_entities_are_refused_before_parsing(name: str, encoding: str) -> None:
    data = _feed(ENTITY_FEEDS[name]).decode().encode(encoding)
    started = time.perf_counter()
    docs, (problem,) = read_feed("https://x.example/feed", fetch=lambda _: data)
    assert docs == [] and not problem.warning
    assert problem.reason == "feed declares XML entities (<!ENTITY>), which are refused for safety"
    assert time.perf_counter() - started < 1


def test_a_plain_doctype_is_fine() -> None:
    data = _feed('<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN">', "Hi.")
    docs, _ = read_feed("https://x.example/feed", fetch=lambda _: data)
    assert [d.text for d in docs] == ["Hi."]


def test_entry_over_the_size_limit_is_skipped_and_the_rest_kept() -> None:
    big = "<item><title>Big</title><description>" + "word " * 250_000 + "</description></item>"
    data = _feed("", "Small one.").replace(b"</channel>", big.encode() + b"</channel>")
    docs, skipped = read_feed("https://x.example/feed", fetch=lambda _: data)
    assert [d.title for d in docs] == ["t"]
    assert [s.reason for s in skipped if not s.warning] == [
        "entry 'Big' of feed 'T' is over the 1 MB limit"
    ]


def test_invalid_entry_dates_are_warnings_and_the_entry_is_kept() -> None:
    data = _feed("", "Hello.").replace(
        b"<title>t</title>", b"<title>t</title><pubDate>soon</pubDate>"
    )
    docs, skipped = read_feed("https://x.example/feed", fetch=lambda _: data)
    assert [(d.title, d.date) for d in docs] == [("t", None)]
    assert any("no readable date ('t')" in s.reason and s.warning for s in skipped)


@pytest.mark.parametrize(
    "text",
    [
        "> " * (MAX_NESTING + 1) + "deep",
        ">" * 10_000 + " deep",
        "- " * 5000 + "deep",
        "1. " * 5000 + "deep",
        "".join("    " * i + "- item\n" for i in range(MAX_NESTING + 2)),
        ">" * (MAX_NESTING + 1) + " one character a level",
        "\t" * (MAX_NESTING + 1) + "x",
    ],
)
def test_nesting_over_the_limit_is_refused_quickly(text: str) -> None:
    started = time.perf_counter()
    with pytest.raises(InputError, match=f"nested over {MAX_NESTING} levels deep"):
        document_from_text("Intro.\n\n" + text)
    assert time.perf_counter() - started < 1


def test_nesting_within_the_limit_is_read() -> None:
    doc = document_from_text("> " * (MAX_NESTING - 1) + "deep words\n\n" + "- " * 50 + "x")
    assert "deep words" in doc.text


def test_a_megabyte_of_deep_lines_stays_bounded() -> None:
    text = ("> " * (MAX_NESTING - 1) + "a line\n") * 4000
    started = time.perf_counter()
    document_from_text(text)
    assert time.perf_counter() - started < 20


SUPPRESSED = """\
<!-- auditor-ignore: restraint.exclamations, dialogue -->
Buy now!

A plain paragraph.

Mid-paragraph <!-- auditor-ignore: community.credit --> comment.

<!-- an ordinary comment -->
<!-- auditor-ignore: restraint -->

- first item
- second item

<!-- auditor-ignore: x.y -->
"""


def test_inline_ignore_comments_land_on_the_next_block() -> None:
    doc = document_from_text(SUPPRESSED)
    got = [(doc.text[b.start : b.end], b.suppress) for b in doc.blocks]
    assert got == [
        ("Buy now!", ("restraint.exclamations", "dialogue")),
        ("A plain paragraph.", ()),
        ("Mid-paragraph comment.", ("community.credit",)),
        ("first item", ("restraint",)),
        ("second item", ()),
    ]
    assert [b.line for b in doc.blocks][:2] == [2, 4]


def test_inline_ignore_comments_work_in_html_pages(tmp_path: Path) -> None:
    root = tmp_path / "content"
    root.mkdir()
    page = root / "p.html"
    page.write_text(
        "<main><p>One.</p><!--auditor-ignore:dialogue.closing_question--><p>Two?</p></main>"
    )
    (doc,), notes = read_path(page, root, None)
    assert [b.suppress for b in doc.blocks] == [(), ("dialogue.closing_question",)]
    assert notes == []


def _read(tmp_path: Path, name: str, data: bytes):
    root = tmp_path / "content"
    root.mkdir(exist_ok=True)
    (root / name).write_bytes(data)
    return read_path(root / name, root, None)


@pytest.mark.parametrize(
    ("data", "reason", "line"),
    [
        (b"", "empty file", None),
        (b"  \n\n", "empty file", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (contains NUL bytes), not text", None),
        (b"---\ntitle: [unclosed\n---\nHi.", "front matter is not valid YAML", 3),
        (b"---\n- a list\n---\nHi.", "front matter is a list, not a mapping", 2),
        (b"---\ntitle: x\nBody with no closing fence.", "never closed", 1),
        (b"---\nx: !!python/object/apply:os.system ['true']\n---\nHi.", "not valid YAML", 2),
        (b"---\nn: !!int abc\n---\nHi.", "a value YAML cannot build", 2),
        (b"\xff\xfe" + "Hi \udc80".encode("utf-16-le", "surrogatepass"), "not valid UTF-16", None),
    ],
)
def test_bad_files_are_skipped_with_reason_and_line(tmp_path, data, reason, line) -> None:
    docs, (note,) = _read(tmp_path, "bad.md", data)
    assert docs == [] and not note.warning and reason in note.reason and note.line == line
    assert note.path == "content/bad.md"


def test_legacy_encodings_are_read_with_a_warning(tmp_path: Path) -> None:
    (doc,), (note,) = _read(
        tmp_path, "old.md", "Title\n\nCaf\u00e9 \u201cquoted\u201d.".encode("cp1252")
    )
    assert doc.text.endswith("Caf\u00e9 \u201cquoted\u201d.")
    assert note.warning and note.line == 3 and "read as cp1252" in note.reason


def test_utf16_with_a_bom_and_bom_crlf_utf8_read_alike(tmp_path: Path) -> None:
    text = "---\r\ntitle: Same\r\n---\r\nHello, friends.\r\n"
    (a,), _ = _read(tmp_path, "a.md", text.encode("utf-16"))
    (b,), _ = _read(tmp_path, "b.md", b"\xef\xbb\xbf" + text.encode())
    assert (
        (a.title, a.text, a.blocks)
        == (b.title, b.text, b.blocks)
        == ("Same", "Hello, friends.", b.blocks)
    )


def test_invalid_dates_are_warnings_and_the_piece_is_kept(tmp_path: Path) -> None:
    (doc,), notes = _read(tmp_path, "d.md", b"---\ndate: 2024-13-45\ntitle: T\n---\nHello.")
    assert doc.date is None
    assert [(n.warning, n.reason) for n in notes] == [
        (True, "date '2024-13-45' is not a date (use YYYY-MM-DD); kept without a date")
    ]


def test_control_characters_never_reach_titles_or_text() -> None:
    doc = document_from_text('---\ntitle: "A\\0B\\x07C"\n---\nText\x01 here &#0; ok.')
    assert doc.title == "ABC"
    assert "\x01" not in doc.text and "\x00" not in doc.text
