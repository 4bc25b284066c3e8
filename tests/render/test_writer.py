"""The writer: files from text, and files from text mixed with ranges of a previous file."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import BuildError
from auditor.render import writer
from auditor.render.export import JsonReuse, PieceText, Reused
from auditor.render.writer import Writer

OLD = b'{"pieces":[{"a":1},{"b":22},{"c":333}],"end":0}\n'


def piece(slug: str, text: str) -> PieceText:
    chunk = PieceText(text)
    chunk.slug = slug
    return chunk


def ranges(data: bytes, *parts: bytes) -> list[tuple[int, int]]:
    found = []
    for part in parts:
        start = data.index(part)
        found.append((start, start + len(part)))
    return found


@pytest.fixture(params=["kernel copy", "through memory"])
def copier(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a run of the previous file is copied give the same bytes."""
    if request.param == "through memory":
        monkeypatch.setattr(writer, "_COPY_RANGE", None)
    return request.param


def test_mixed_chunks_give_the_same_bytes_and_places(tmp_path: Path, copier: str) -> None:
    old = tmp_path / "old.json"
    old.write_bytes(OLD)
    a, c = ranges(OLD, b'{"a":1}', b'{"c":333}')
    chunks = [
        '{"pieces":[',
        Reused("a", *a),
        ",",
        piece("b", '{"b":"new"}'),
        ",",
        Reused("c", *c),
        '],"end":1}\n',
    ]
    reuse = JsonReuse(old)
    Writer(tmp_path / "out").write_chunks("audit.json", chunks, reuse)
    new = (tmp_path / "out" / "audit.json").read_bytes()
    assert new == b'{"pieces":[{"a":1},{"b":"new"},{"c":333}],"end":1}\n'
    for slug, text in (("a", b'{"a":1}'), ("b", b'{"b":"new"}'), ("c", b'{"c":333}')):
        start, end = reuse.placed[slug]
        assert new[start:end] == text


def test_unchanged_pieces_in_another_order_are_copied_each_from_its_place(
    tmp_path: Path, copier: str
) -> None:
    old = tmp_path / "old.json"
    old.write_bytes(OLD)
    (a, b, c) = ranges(OLD, b'{"a":1}', b'{"b":22}', b'{"c":333}')
    chunks = ["[", Reused("c", *c), ",", Reused("a", *a), ",", Reused("b", *b), "]"]
    reuse = JsonReuse(old)
    Writer(tmp_path / "out").write_chunks("x.json", chunks, reuse)
    new = (tmp_path / "out" / "x.json").read_bytes()
    assert new == b'[{"c":333},{"a":1},{"b":22}]'
    assert [new[s:e] for s, e in reuse.placed.values()] == [b'{"c":333}', b'{"a":1}', b'{"b":22}']


def test_a_previous_file_shorter_than_recorded_is_an_error(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_bytes(b"[1]")
    with pytest.raises(BuildError, match="shorter"):
        Writer(tmp_path / "out").write_chunks("x.json", [Reused("a", 1, 40)], JsonReuse(old))


def test_text_files_are_written_whole_and_listed(tmp_path: Path) -> None:
    w = Writer(tmp_path / "out")
    text = "é" * (3 << 20)  # larger than one write may take
    w.write("pieces/p.html", text)
    w.write(".nojekyll", "")
    assert (tmp_path / "out" / "pieces" / "p.html").read_text(encoding="utf-8") == text
    assert (tmp_path / "out" / ".nojekyll").read_bytes() == b""
    assert w.written == ["pieces/p.html", ".nojekyll"]
