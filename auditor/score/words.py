"""Per-word facts packed into one integer, memoised per model: one lookup per token serves many.

A word's facts (whether it is letters only, its letters, whether it is a formal or an involved
closed-class word, its syllables, and the rare marks a few rules look for) never change, so each
distinct word is examined once per model and its facts are kept packed in one integer,
FIELD_BITS bits a field. One dictionary lookup per token then gives every per-token figure, one
running sum gives any stretch of text all its totals at once (the difference of two running
sums is the packed totals between them), and one pass finds the few tokens with a rare mark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import TypeVar

from auditor.score.text import Context

V = TypeVar("V")

FIELD_BITS = 36  # no total over a text under 2**32 characters reaches 2**36
MASK = (1 << FIELD_BITS) - 1
MARKS, ALPHA, LETTERS, FORMAL, INVOLVED, SYLLABLES = range(6)
NOMINAL, APOSTROPHE, ATTRIBUTION = 1, 2, 4
"""Marks few tokens carry, as bits of the lowest field (so testing one makes no big integer):
rules visit only the tokens ``marked`` finds, not every token."""
MEMO_LIMIT = 500_000
NOMINAL_MIN_LETTERS = 8


def field(packed: int, index: int) -> int:
    """One field of packed facts, or of a difference of running sums of them."""
    return (packed >> (FIELD_BITS * index)) & MASK


def looked_up(table: Mapping[str, V], keys: Sequence[str]) -> Sequence[V]:
    """``table[key]`` for every key, in order, by one C call (KeyError for a key it lacks).

    ``itemgetter(*keys)`` indexes the table itself key after key, in about half the time of
    ``map(table.__getitem__, keys)``, which makes a method call per key; a piece's ~1,250
    tokens and whitespace runs are looked up so three times. Of one key ``itemgetter`` gives
    the bare value and of none it cannot be made, so those few are looked up one by one.
    """
    if len(keys) > 1:
        return itemgetter(*keys)(table)
    return [table[key] for key in keys]


def marked(ctx: Context, mark: int) -> list[int]:
    """Indices of the tokens with the rare ``mark``, in text order.

    The scorer finds the few tokens with any rare mark once (``Context.rare``); each rule then
    checks only those.
    """
    facts = ctx.facts
    return [i for i in ctx.rare if facts[i] & mark]


class WordFacts:
    """The packed facts of every word a model has seen, each worked out once."""

    def __init__(
        self,
        vocab: Mapping[str, frozenset[str]],
        syllables: Callable[[str], int],
        flag: Callable[[str], None],
        unflag: Callable[[Iterable[str]], None],
    ) -> None:
        """``flag`` is told each word with a rare mark when it is first seen: the lexicon's
        pass over the tokens then finds them (``Lexicon.flag``), with no pass of its own.
        ``unflag`` is told the rare words the memo forgets when it is cleared."""
        self._formal = vocab["formal_closed"]
        self._involved = vocab["involved_closed"] - self._formal  # in both: counts as formal
        self._suffixes = tuple(sorted(vocab["nominal_suffixes"]))
        self._plain = vocab["nominal_plain"]
        self._attribution = vocab["attribution_verbs"]
        self._syllables = syllables
        self._flag = flag
        self._unflag = unflag
        self._memo: dict[str, int] = {}
        self.rare: set[str] = set()
        """The memo's words with a rare mark."""

    def of(self, words: list[str]) -> list[int]:
        """Each word's packed facts: one C-level lookup per word once all are known."""
        memo = self._memo
        try:
            return list(looked_up(memo, words))
        except KeyError:
            if len(memo) > MEMO_LIMIT:
                memo.clear()
                self._unflag(self.rare)
                self.rare.clear()
            for word in set(words).difference(memo):
                memo[word] = self._facts(word)
            return list(looked_up(memo, words))

    def _facts(self, word: str) -> int:
        """One word's facts, packed in the order of the field indices."""
        alpha = word.isalpha()
        marks = (
            NOMINAL * self._nominal(word)
            | APOSTROPHE * ("'" in word)
            | ATTRIBUTION * (word in self._attribution)
        )
        if marks:
            self.rare.add(word)
            self._flag(word)
        values = (
            marks,
            int(alpha),
            len(word) if alpha else 0,
            int(word in self._formal),
            int(word in self._involved),
            self._syllables(word),
        )
        return sum(v << (FIELD_BITS * i) for i, v in enumerate(values))

    def _nominal(self, word: str) -> bool:
        """A noun made from a verb or adjective (-tion, -ment, -ity, ...), not a plain one."""
        return (
            len(word) >= NOMINAL_MIN_LETTERS
            and word.endswith(self._suffixes)
            and word not in self._plain
        )
