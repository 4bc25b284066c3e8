"""Per-word facts packed into one integer, memoised per model: one lookup per token serves many.

A word's facts (whether it is letters only, its letters, whether it is a formal or an involved
closed-class word, its syllables) never change, so each distinct word is examined once per
model and its facts are kept packed in one integer, FIELD_BITS bits a field. One dictionary
lookup per token then gives every per-token figure, and one running sum gives any stretch of
text all its totals at once: the difference of two running sums is the packed totals between.
"""

from __future__ import annotations

from collections.abc import Callable

FIELD_BITS = 36  # no total over a text under 2**32 characters reaches 2**36
MASK = (1 << FIELD_BITS) - 1
ALPHA, LETTERS, FORMAL, INVOLVED, SYLLABLES = range(5)
MEMO_LIMIT = 500_000


def field(packed: int, index: int) -> int:
    """One field of packed facts, or of a difference of running sums of them."""
    return (packed >> (FIELD_BITS * index)) & MASK


class WordFacts:
    """The packed facts of every word a model has seen, each worked out once."""

    def __init__(
        self, formal: frozenset[str], involved: frozenset[str], syllables: Callable[[str], int]
    ) -> None:
        self._formal = formal
        self._involved = involved - formal  # a word in both lists counts as formal
        self._syllables = syllables
        self._memo: dict[str, int] = {}

    def of(self, words: list[str]) -> list[int]:
        """Each word's packed facts: one C-level lookup per word once all are known."""
        memo = self._memo
        try:
            return list(map(memo.__getitem__, words))
        except KeyError:
            if len(memo) > MEMO_LIMIT:
                memo.clear()
            for word in set(words).difference(memo):
                memo[word] = self._facts(word)
            return list(map(memo.__getitem__, words))

    def _facts(self, word: str) -> int:
        """One word's facts, packed in the order of the field indices."""
        alpha = word.isalpha()
        values = (
            int(alpha),
            len(word) if alpha else 0,
            int(word in self._formal),
            int(word in self._involved),
            self._syllables(word),
        )
        return sum(v << (FIELD_BITS * i) for i, v in enumerate(values))
