"""The ingest stage's fast paths give exactly what the plain definitions they replace give."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.ingest import files
from auditor.ingest.markdown import WORD, _first_words, _line_words, _words
from auditor.ingest.text import BARE_URL, CONTROLS, SPACES, Extracted, clean_run, remove_urls
from auditor.model import Block

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
def test_words_equal_the_word_regex(text: str) -> None:
    """ASCII lines split after blanking punctuation, others by the regex: the same words."""
    for line in text.lower().split("\n"):
        assert _words(line) == WORD.findall(line)


@FUZZ
@given(TEXTS)
def test_line_words_equal_the_word_regex(text: str) -> None:
    """Typographic punctuation blanked, whole ASCII bodies split at once: the same words."""
    assert _line_words(text) == [WORD.findall(line) for line in text.lower().split("\n")]


@FUZZ
@given(TEXTS, st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), max_size=6))
def test_first_words_equal_the_word_regex(text: str, spans: list[tuple[int, int]]) -> None:
    """Blocks' first words from their prefixes split together are the regex's first words."""
    bounds = [sorted((min(one, len(text)), min(two, len(text)))) for one, two in spans]
    blocks = tuple(Block(start, end, "paragraph") for start, end in bounds)
    expected = [WORD.findall(text[b.start : b.end].lower())[:3] for b in blocks]
    assert _first_words(Extracted(text, blocks, ())) == expected


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
