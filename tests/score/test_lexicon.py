"""The one-pass lexicon matcher finds what matching each list on its own finds."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.score.lexicon import Lexicon

WORDS = st.sampled_from(["a", "b", "c", "d"])


def context(words: list[str], own: list[bool], breaks: frozenset[int] = frozenset()) -> object:
    """What ``find`` reads of a context: token i starts at offset i, as does a sentence
    starting at a token in ``breaks``."""
    starts = list(range(len(words)))
    return SimpleNamespace(words=words, own=own, starts=starts, sentence_starts=breaks)


PHRASES = st.lists(st.lists(WORDS, min_size=1, max_size=3).map(" ".join), max_size=6)
LISTS = st.dictionaries(st.sampled_from(["one", "two", "three"]), PHRASES, min_size=1)


def one_list(
    phrases: tuple[tuple[str, ...], ...],
    words: list[str],
    own: list[bool],
    breaks: frozenset[int] = frozenset(),
) -> list:
    """Left to right, the longest phrase at each position not inside an earlier match and with
    no sentence starting after its first word (``breaks``: the tokens that start one)."""
    found, free = [], 0
    for i in range(len(words)):
        if i < free:
            continue
        for p in sorted(phrases, key=len, reverse=True):
            whole = not breaks.intersection(range(i + 1, i + len(p)))
            if tuple(words[i : i + len(p)]) == p and whole:
                found.append((i, i + len(p) - 1, own[i]))
                free = i + len(p)
                break
    return found


@settings(max_examples=300, deadline=None)
@given(LISTS, st.lists(WORDS, max_size=14), st.data())
def test_find_equals_each_list_matched_alone(
    lists: dict[str, list[str]], words: list[str], data: st.DataObject
) -> None:
    own = data.draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    breaks = frozenset(data.draw(st.sets(st.integers(0, max(len(words) - 1, 0)))))
    lexicon = Lexicon(lists)
    found = lexicon.find(context(words, own, breaks))
    expected = {name: one_list(ps, words, own, breaks) for name, ps in lexicon.lists.items()}
    assert found.matches == expected


@settings(max_examples=300, deadline=None)
@given(LISTS, st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=14), st.data())
def test_flagged_tokens_are_found_with_the_matches(
    lists: dict[str, list[str]], words: list[str], data: st.DataObject
) -> None:
    """Flagging words (in lists or not) finds their tokens and leaves the matches alone."""
    own = [True] * len(words)
    flagged = data.draw(st.sets(st.sampled_from(["a", "c", "e", "f"])))
    lexicon = Lexicon(lists)
    expected = lexicon.find(context(words, own)).matches
    for word in flagged:
        lexicon.flag(word)
    found = lexicon.find(context(words, own), flagged)
    assert found.matches == expected
    assert found.flagged == [i for i, w in enumerate(words) if w in flagged]


def test_a_one_word_entry_inside_a_longer_phrase_of_its_list_is_skipped() -> None:
    lexicon = Lexicon({"thanks": ["thank you", "you"], "second": ["you"]})
    words = ["thank", "you", "and", "you"]
    found = lexicon.find(context(words, [True] * 4)).matches
    assert found == {
        "thanks": [(0, 1, True), (3, 3, True)],
        "second": [(1, 1, True), (3, 3, True)],
    }


def test_a_phrase_does_not_run_across_a_sentence_end() -> None:
    """ "Thanks. To begin" is no "thanks to": a sentence starts at "to"."""
    lexicon = Lexicon({"credit": ["thanks to"], "thanks": ["thanks"]})
    words = ["thanks", "to", "thanks", "to"]
    found = lexicon.find(context(words, [True] * 4, frozenset({1}))).matches
    assert found == {
        "credit": [(2, 3, True)],
        "thanks": [(0, 0, True), (2, 2, True)],
    }
