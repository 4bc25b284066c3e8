"""The ingest stage's fast paths give exactly what the plain definitions they replace give."""

from __future__ import annotations

import re
from itertools import accumulate, chain
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.ingest import files
from auditor.ingest import markdown as md
from auditor.ingest.markdown import WORD, _blank, _first_words, _word_stream, locate_blocks
from auditor.ingest.text import BARE_URL, CONTROLS, SPACES, Extracted, clean_run, remove_urls

ALPHABET = st.sampled_from(
    [
        *"aZ9_ .,;:'\"-\t\n\r\x0b\x0c\x1c\x00\x7f\x85\xa0\u2003’—“…éİß٣Σ",
        "http://x.org",
        "www.",
        "WwW.",
        "w",
        "W",
        "İ",
        "\ufeff",
        "\ud800",
    ]
)
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(TEXTS)
def test_clean_run_equals_the_three_regexes(text: str) -> None:
    """The regexes it skips on printable text would have changed nothing."""
    assert clean_run(text) == SPACES.sub(" ", remove_urls(CONTROLS.sub("", text)))


@FUZZ
@given(TEXTS)
def test_blanked_lines_hold_the_words_of_the_regex(text: str) -> None:
    """ASCII lines blanked by ``translate``, others by the regex's complement: each word stays
    where the regex finds it, every other character a space."""
    for line in text.lower().split("\n"):
        blanked = _blank(line)
        assert [(m.start(), m.group()) for m in WORD.finditer(line)] == [
            (m.start(), m.group()) for m in re.finditer(r"[^ ]+", blanked)
        ]
        assert len(blanked) == len(line)


@FUZZ
@given(TEXTS)
def test_word_stream_holds_the_words_of_each_line(text: str) -> None:
    """Typographic punctuation blanked, ASCII bodies translated as bytes: the regex's words of
    each line, spaces around, and the lines where they were."""
    spaced, lined = _word_stream(text)
    assert len(spaced) == len(lined) + 2 and spaced[0] == spaced[-1] == " "
    assert not re.search(r"[^\w ]|_", spaced)  # words and spaces only
    breaks = [i + 1 for i, char in enumerate(lined) if char == "\n"]
    pieces = [spaced[i:j] for i, j in zip([0, *breaks], [*breaks, len(spaced)], strict=True)]
    assert [piece.split() for piece in pieces] == [
        WORD.findall(line) for line in text.lower().split("\n")
    ]


def reference_lines(text: str, spans: list[tuple[int, int]], body: str) -> list[int | None]:
    """The plain definition ``locate_blocks`` is checked against: the body split into words by
    the regex line by line; each block's first words looked for as a run of that list from
    just after the last block's first word, at most MAX_CANDIDATES places holding the first
    word tried; else the first word alone within FALLBACK_WINDOW words."""
    line_words = [WORD.findall(line) for line in body.lower().split("\n")]
    words = list(chain.from_iterable(line_words))
    line_ends = list(accumulate(map(len, line_words)))
    cursor, lines = 0, []
    for start, end in spans:
        wanted = WORD.findall(text[start:end].lower())[: md.MATCH_WORDS]
        found = _run_at(wanted, words, cursor, len(words), md.MAX_CANDIDATES)
        if found is None:
            found = _run_at(wanted[:1], words, cursor, cursor + md.FALLBACK_WINDOW, 1)
        if found is not None:
            cursor = found + 1
            found = sum(1 for line_end in line_ends if line_end <= found) + 1
        lines.append(found)
    return lines


def _run_at(wanted: list[str], words: list[str], cursor: int, stop: int, tries: int) -> int | None:
    places = [i for i in range(cursor, min(stop, len(words))) if wanted and words[i] == wanted[0]]
    return next((i for i in places[:tries] if words[i : i + len(wanted)] == wanted), None)


WORDY = st.lists(
    st.sampled_from(["a", "b", "ab", " ", " ", "\n", ", ", "’", "é", "İ", "_"]), max_size=60
).map("".join)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(WORDY, WORDY, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8))
def test_locate_blocks_as_the_word_list_search(
    body: str, other: str, spans: list[tuple[int, int]]
) -> None:
    """Found in the word stream with ``str.find``, blocks get the lines the plain definition
    gives, also when the candidate limit and the fallback window are reached."""
    text = body.replace("\n", " ") + other  # the blocks' text: the body's words, then others
    bounds = [sorted((min(one, len(text)), min(two, len(text)))) for one, two in spans]
    rows = tuple((start, end, "paragraph", False, None, ()) for start, end in bounds)
    extracted = Extracted(text, rows, ())  # type: ignore[arg-type]
    for candidates, window in ((50, 400), (1, 400), (2, 1), (1, 3)):
        with mock.patch.multiple(md, MAX_CANDIDATES=candidates, FALLBACK_WINDOW=window):
            lines = [block.line for block in locate_blocks(extracted, body, 1)]
            assert lines == reference_lines(text, bounds, body)


@FUZZ
@given(TEXTS, st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), max_size=6))
def test_first_words_equal_the_word_regex(text: str, spans: list[tuple[int, int]]) -> None:
    """Blocks' first words from their prefixes split together are the regex's first words."""
    bounds = [sorted((min(one, len(text)), min(two, len(text)))) for one, two in spans]
    rows = tuple((start, end, "paragraph", False, None, ()) for start, end in bounds)
    expected = [WORD.findall(text[start:end].lower())[:3] for start, end in bounds]
    assert _first_words(Extracted(text, rows, ())) == expected  # type: ignore[arg-type]


@FUZZ
@given(TEXTS)
def test_newlines_and_controls_as_the_regex_gives(text: str) -> None:
    """The control-character test on UTF-8 bytes answers as the regex; lone surrogates too."""
    assert files.has_controls(text) == bool(files.CONTROLS.search(text))
    plain = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    assert files.normalise_newlines(text) == files.CONTROLS.sub("", plain)


@FUZZ
@given(TEXTS)
def test_remove_urls_equals_the_regex(text: str) -> None:
    """Text left alone for holding no ``://`` and no ``w.`` in any case has no URL to remove."""
    assert remove_urls(text) == BARE_URL.sub("", text)
