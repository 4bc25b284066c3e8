"""The rules' faster regular expressions find exactly what the patterns they replaced found.

Each was rewritten to start with a plain character class (so the regex engine can skip ahead
quickly) instead of a look-ahead or a word boundary, or with possessive repeats (no state kept
to backtrack into); the originals are kept here as the spec.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.score.rules.conversational import informal_marks
from auditor.score.rules.restraint import _CAPS_RUN, _TWO_CAPITALS, may_shout
from auditor.score.text import _QUOTATION, WORD, _quotation_pattern

ORIGINAL_INFORMAL = re.compile(
    r"(?=[!.…:;\U0001F300-\U0001FAFF\u2600-\u27BF])"
    r"(?:!+|\.\.\.+|…|(?<!\w)[:;]-?[)(DPp](?!\w)|[\U0001F300-\U0001FAFF\u2600-\u27BF])"
)
ORIGINAL_WORD = re.compile(r"[#\w]+(?:['’]\w+)*")
ORIGINAL_CAPS = re.compile(r"(?=[A-Z])\b[A-Z][A-Z'’]*[A-Z]\b(?: +[A-Z][A-Z'’]*[A-Z]\b)*")
FUZZ = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INFORMAL_TEXTS = st.lists(st.sampled_from([*"!.…:;-)(DPpa _1😀☀é\n"]), max_size=30).map("".join)
QUOTE_TEXTS = st.lists(st.sampled_from([*'“”"ab \n']), max_size=30).map("".join)
WORD_TEXTS = st.lists(st.sampled_from([*"ab1_#'’ .-é\n"]), max_size=30).map("".join)
CAPS_TEXTS = st.lists(st.sampled_from([*"ABZab'’ ,._1É\n"]), max_size=30).map("".join)
SHOUT_TEXTS = st.lists(st.sampled_from([*"AZIa'’—“\u2000É😀\ud800 "]), max_size=20).map("".join)


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@FUZZ
@given(INFORMAL_TEXTS)
def test_informal_marks_equal_original(text: str) -> None:
    found = sorted(m.span() for m in informal_marks(text))  # the informal rule sorts its hits
    assert found == spans(ORIGINAL_INFORMAL, text)


@FUZZ
@given(QUOTE_TEXTS)
def test_quotation_pattern_finds_what_both_branches_find(text: str) -> None:
    assert spans(_quotation_pattern(text), text) == spans(_QUOTATION, text)


@FUZZ
@given(CAPS_TEXTS)
def test_caps_runs_equal_original(text: str) -> None:
    assert spans(_CAPS_RUN, text) == spans(ORIGINAL_CAPS, text)


@FUZZ
@given(WORD_TEXTS)
def test_possessive_words_equal_original(text: str) -> None:
    assert spans(WORD, text) == spans(ORIGINAL_WORD, text)


@FUZZ
@given(CAPS_TEXTS)
def test_no_caps_run_starts_before_two_capitals(text: str) -> None:
    first = _CAPS_RUN.search(text)
    if first is not None:
        two = _TWO_CAPITALS.search(text)
        assert two is not None and two.start() <= first.start()
        assert spans(_CAPS_RUN, text) == [m.span() for m in _CAPS_RUN.finditer(text, two.start())]


@FUZZ
@given(SHOUT_TEXTS)
def test_byte_test_never_misses_two_capitals(text: str) -> None:
    """The byte test may let a text through to the search, never hold one back."""
    assert may_shout(text) or _TWO_CAPITALS.search(text) is None


def test_byte_test_passes_over_texts_without_two_capitals() -> None:
    assert not may_shout("I’m Ann, and I'm writing “quotes” — and dashes.")
    assert may_shout("It’s HUGE") and may_shout("O’NEIL") and may_shout("A'’B")
