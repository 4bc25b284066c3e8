"""The one-pass lexicon matcher finds what matching each list on its own finds."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.score.lexicon import Lexicon, Match

WORDS = st.sampled_from(["a", "b", "c", "d"])
PHRASES = st.lists(st.lists(WORDS, min_size=1, max_size=3).map(" ".join), max_size=6)
LISTS = st.dictionaries(st.sampled_from(["one", "two", "three"]), PHRASES, min_size=1)


def one_list(phrases: tuple[tuple[str, ...], ...], words: list[str], own: list[bool]) -> list:
    """Left to right, the longest phrase at each position not inside an earlier match."""
    found, free = [], 0
    for i in range(len(words)):
        if i < free:
            continue
        for p in sorted(phrases, key=len, reverse=True):
            if tuple(words[i : i + len(p)]) == p:
                found.append(Match(i, i + len(p) - 1, own[i]))
                free = i + len(p)
                break
    return found


@settings(max_examples=300, deadline=None)
@given(LISTS, st.lists(WORDS, max_size=14), st.data())
def test_find_equals_each_list_matched_alone(
    lists: dict[str, list[str]], words: list[str], data: st.DataObject
) -> None:
    own = data.draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    lexicon = Lexicon(lists)
    found = lexicon.find(SimpleNamespace(words=words, own=own))
    assert found.matches == {name: one_list(ps, words, own) for name, ps in lexicon.lists.items()}


@settings(max_examples=300, deadline=None)
@given(LISTS, st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=14), st.data())
def test_flagged_tokens_are_found_with_the_matches(
    lists: dict[str, list[str]], words: list[str], data: st.DataObject
) -> None:
    """Flagging words (in lists or not) finds their tokens and leaves the matches alone."""
    own = [True] * len(words)
    flagged = data.draw(st.sets(st.sampled_from(["a", "c", "e", "f"])))
    lexicon = Lexicon(lists)
    expected = lexicon.find(SimpleNamespace(words=words, own=own)).matches
    for word in flagged:
        lexicon.flag(word)
    found = lexicon.find(SimpleNamespace(words=words, own=own), flagged)
    assert found.matches == expected
    assert found.flagged == [i for i, w in enumerate(words) if w in flagged]


def test_a_one_word_entry_inside_a_longer_phrase_of_its_list_is_skipped() -> None:
    lexicon = Lexicon({"thanks": ["thank you", "you"], "second": ["you"]})
    words = ["thank", "you", "and", "you"]
    found = lexicon.find(SimpleNamespace(words=words, own=[True] * 4)).matches
    assert found == {
        "thanks": [Match(0, 1, True), Match(3, 3, True)],
        "second": [Match(1, 1, True), Match(3, 3, True)],
    }
