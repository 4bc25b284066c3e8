"""Property tests: arbitrary text, front matter and feeds never crash ingest or scoring.

The only exception allowed out of ingest is ``InputError`` (a clear reason to skip); whatever is
read, spans lie inside the text and scores stay within 0-100 (or None where a dimension cannot
judge). Feeds are fuzzed from a fixed seed, and feedparser's own ill-formed test cases are run
when they have been downloaded (see ``FEEDPARSER_CASES``).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.errors import InputError
from auditor.ingest import document_from_text, read_file
from auditor.ingest.feeds import read_feed
from auditor.model import Document
from auditor.score import load_model, score

MODEL = load_model()
HOSTILE_FEEDS = Path(__file__).parent / "hostile" / "feeds"
FEEDPARSER_TESTS = Path(os.environ.get("FEEDPARSER_TESTS", "/tmp/fp/feedparser-6.0.11/tests"))
"""``pip download --no-deps --no-binary :all: feedparser==6.0.11 -d /tmp/fp`` and unpack it."""

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.dates(),
    st.datetimes(),
)
KEYS = st.sampled_from(
    ["title", "date", "author", "authors", "tags", "categories", "slug", "draft", "summary",
     "url", "permalink", "auditor_ignore", "auditor", "published", "status", "x"]
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
MARKUP = st.sampled_from(
    ["---\n", "+++\n", "{", "}", "> ", "- ", "1. ", "# ", "```\n", "    ", "<!-- ", " -->",
     "<!-- auditor-ignore: a.b, c -->\n", "<div>", "</div>", "<a href='javascript:x'>", "</a>",
     "[x](http://a.b)", "{{ x }}", "{% y %}", "\n\n", "\r\n", "\ufeff", "\x00", "title: x\n",
     "&amp;", "&#0;", "*", "_", "`", "|a|b|\n|-|-|\n", "Hello, you! ", "We thank Ann. "]
)  # fmt: skip
PIECES = st.lists(st.one_of(MARKUP, st.text(max_size=20)), max_size=30).map("".join)


def check_document(doc: Document) -> None:
    """Spans inside the text, and scoring within range."""
    size = len(doc.text)
    for block in doc.blocks:
        assert 0 <= block.start <= block.end <= size
        assert all(isinstance(rule, str) and rule for rule in block.suppress)
    for link in doc.links:
        assert 0 <= link.start <= link.end <= size
    result = score(doc, MODEL)
    assert 0 <= result.overall <= 100
    for dim in result.dimensions:
        assert dim.score is None or 0 <= dim.score <= 100
    for finding in result.findings:
        assert all(0 <= s.start <= s.end <= size for s in finding.spans)
    assert all(0 <= s.start <= s.end <= size for s in result.label.spans)


def ingest_text(text: str) -> None:
    try:
        doc = document_from_text(text)
    except InputError as exc:
        assert exc.reason and "\n" not in exc.reason
        return
    check_document(doc)


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    ingest_text(text)


@SETTINGS
@given(PIECES)
def test_markup_soup_never_crashes(text: str) -> None:
    ingest_text(text)


@SETTINGS
@given(st.dictionaries(KEYS | st.text(max_size=10), VALUES, max_size=8), PIECES)
def test_arbitrary_yaml_front_matter_never_crashes(meta: dict, body: str) -> None:
    header = yaml.safe_dump(meta, allow_unicode=True, default_flow_style=None)
    ingest_text(f"---\n{header}---\n{body}")


@SETTINGS
@given(st.sampled_from(["---\n", "+++\n", ""]), st.text(max_size=200), PIECES)
def test_arbitrary_front_matter_text_never_crashes(fence: str, header: str, body: str) -> None:
    ingest_text(f"{fence}{header}\n{fence}{body}")


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=300), st.sampled_from([".md", ".html"]))
def test_arbitrary_bytes_in_a_file_never_crash(tmp_path_factory, data: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"f{suffix}"
    path.write_bytes(data)
    try:
        doc = read_file(path)
    except InputError:
        return
    check_document(doc)


def check_feed(data: bytes) -> None:
    docs, skipped = read_feed("https://fuzz.example/feed", fetch=lambda _: data)
    for doc in docs:
        check_document(doc)
    assert all(s.reason and "\n" not in s.reason for s in skipped)


def _mutations(seed: bytes, count: int, rng: random.Random) -> list[bytes]:
    """Truncations, byte flips, deletions and duplications of a well-formed feed."""
    out = [seed[:n] for n in range(0, len(seed), max(1, len(seed) // 40))]
    for _ in range(count):
        data = bytearray(seed)
        for _ in range(rng.randint(1, 8)):
            if not data:
                break
            at = rng.randrange(len(data))
            choice = rng.random()
            if choice < 0.4:
                data[at] = rng.choice(b"<>&;\"'/!?[]\x00\xff\xfe =")
            elif choice < 0.7:
                del data[at : at + rng.randint(1, 20)]
            else:
                data[at:at] = data[at : at + rng.randint(1, 40)]
        out.append(bytes(data))
    return out


def _seeds() -> list[Path]:
    return sorted(p for p in HOSTILE_FEEDS.iterdir() if p.stat().st_size > 0)


@pytest.mark.parametrize("seed", _seeds(), ids=lambda p: p.name)
def test_mutated_feeds_never_crash(seed: Path) -> None:
    rng = random.Random(seed.name)
    for data in _mutations(seed.read_bytes(), 40, rng):
        check_feed(data)


@SETTINGS
@given(st.binary(max_size=500))
def test_arbitrary_bytes_as_a_feed_never_crash(data: bytes) -> None:
    check_feed(data)


@pytest.mark.parametrize("kind", ["illformed", "entities", "encoding", "wellformed"])
def test_feedparsers_own_test_feeds_never_crash(kind: str) -> None:
    cases = sorted((FEEDPARSER_TESTS / kind).rglob("*.xml"))
    if not cases:
        pytest.skip(f"feedparser's {kind} test feeds are not in {FEEDPARSER_TESTS}")
    for case in cases:
        check_feed(case.read_bytes())
