"""Proportions and means over the author's own words and sentences, and the sentences behind them.

Density rules (formal phrasing, long words, long sentences) judge a property of stretches of
text, so they score the whole piece's value and show the few sentences where it is highest.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from auditor.score.text import END, FIRST, OWN, START, STOP, Context, Hit, Sentence, quoted_tokens
from auditor.score.words import ALPHA, FIELD_BITS, FORMAL, INVOLVED, LETTERS, MASK, field

MIN_SENTENCE_WORDS = 6
PRIOR_WORDS = 20
SHOWN = 3

SentenceValues = Callable[["Totals", "Judged"], list[float]]
"""The values of a list of sentences from the piece's running totals and their own figures:
one comprehension for all of them (no call per sentence), reading what it is given rather than
the memo."""
_NET_SHIFTS = (FIELD_BITS * FORMAL, FIELD_BITS * INVOLVED)
_LENGTH_SHIFTS = (FIELD_BITS * LETTERS, FIELD_BITS * ALPHA)
_STOP = itemgetter(STOP)


@dataclass(frozen=True, slots=True)
class Totals:
    """Running sums over the tokens, so any stretch's proportion costs two subtractions.

    ``every``: running sums of the tokens' packed facts (auditor.score.words), any voice;
    ``own_total``: the packed facts of the piece's own-voice tokens; ``quoted``: the token
    ranges ``[first, stop)`` of someone else's words. A stretch's own-voice figures are its
    ``every`` difference less the few quoted ranges inside it: no own-voice running sum over
    every token is needed (only sentence ends and the whole piece are ever asked for).
    """

    every: list[int]
    own_total: int
    quoted: list[tuple[int, int]]

    @property
    def own_letters(self) -> int:
        """Letters in the piece's own words of letters only."""
        return field(self.own_total, LETTERS)

    @property
    def own_alpha(self) -> int:
        """The piece's own words of letters only."""
        return field(self.own_total, ALPHA)

    def own_stretch(self, first: int, stop: int) -> tuple[int, int]:
        """(packed facts, count) of the own-voice tokens in ``[first, stop)``."""
        sums = self.every
        packed, n = sums[stop] - sums[first], stop - first
        for a, b in self.quoted:
            a, b = max(a, first), min(b, stop)
            if a < b:
                packed -= sums[b] - sums[a]
                n -= b - a
        return packed, n


class Judged(NamedTuple):
    """Sentences with their packed any-voice totals and word counts, each worked out once.

    The three density rules rank the same sentences: reading two attributes of every sentence
    and subtracting wide running sums are worth doing once per piece, not once per rule.
    """

    sentences: list[Sentence]
    stretches: list[int]
    words: list[int]


def judged_figures(sums: list[int], sentences: list[Sentence]) -> Judged:
    """The sentences' figures: the difference of the running sums at their ends, their words."""
    stretches = [sums[s[STOP]] - sums[s[FIRST]] for s in sentences]
    return Judged(sentences, stretches, [s[STOP] - s[FIRST] for s in sentences])


def totals(ctx: Context) -> Totals:
    """The context's running totals, computed on first use and kept in its memo."""
    found = ctx.memo.get("density")
    if found is None:
        found = ctx.memo["density"] = _totals(ctx)
    assert isinstance(found, Totals)
    return found


def _totals(ctx: Context) -> Totals:
    """The any-voice sums, and the own-voice total: all of it less each quoted range."""
    sums = ctx.fact_sums
    quoted = [(a, b) for a, b in quoted_tokens(ctx.starts, ctx.quoted) if a < b]
    own_total = sums[-1] - sum(sums[b] - sums[a] for a, b in quoted)
    return Totals(sums, own_total, quoted)


def _net(facts: int) -> int:
    """Formal minus involved closed-class words in a stretch's packed totals."""
    return field(facts, FORMAL) - field(facts, INVOLVED)


def closed_class_balance(ctx: Context, first: int, stop: int) -> tuple[int, int]:
    """(formal minus involved closed-class words, own words) in tokens ``[first, stop)``."""
    packed, n = totals(ctx).own_stretch(first, stop)
    return _net(packed), n


def formality_proxy(ctx: Context) -> float | None:
    """(articles + prepositions - pronouns - interjections) / (own words + 20).

    Heylighen's F on closed-class words; the 20 extra words (about one sentence) shrink short
    texts towards neutral, so a ten-word note with two articles is not called dense, while a
    single sentence still shows its own density.
    """
    net, n = closed_class_balance(ctx, 0, len(ctx.words))
    return net / (n + PRIOR_WORDS) if n else None


def sentence_proxies(t: Totals, judged: Judged) -> list[float]:
    """The closed-class formality proxy of each sentence (``_net`` per own word)."""
    formal, involved = _NET_SHIFTS
    packed, words = judged.stretches, judged.words
    if t.quoted:
        packed, words = packed[:], words[:]
        _drop_quoted(t, judged.sentences, packed, words)
    return [
        ((d >> formal & MASK) - (d >> involved & MASK)) / n if n else 0.0
        for d, n in zip(packed, words, strict=True)
    ]


def _drop_quoted(t: Totals, sentences: list[Sentence], packed: list[int], words: list[int]) -> None:
    """The own-voice totals (``Totals.own_stretch``) of the sentences a quoted range overlaps:
    only those are visited (sentences are in text order, so their stops ascend)."""
    for a, b in t.quoted:
        for j in range(bisect_right(sentences, a, key=_STOP), len(sentences)):
            _, _, _, _, first, stop = sentences[j]
            if first >= b:
                break
            packed[j], words[j] = t.own_stretch(first, stop)


def mean_word_length(ctx: Context) -> float | None:
    """Mean letters per own word (numbers and symbols left out)."""
    t = totals(ctx)
    alpha = t.own_alpha
    return t.own_letters / alpha if alpha else None


def sentence_word_lengths(t: Totals, judged: Judged) -> list[float]:
    """Mean letters per word of letters only in each sentence."""
    letters, alpha = _LENGTH_SHIFTS
    return [
        (d >> letters & MASK) / n if (n := d >> alpha & MASK) else 0.0 for d in judged.stretches
    ]


def mean_sentence_length(ctx: Context) -> float | None:
    """Mean words per own sentence (one-word fragments left out, unless there is nothing else).

    A piece made only of one-word sentences ("Wow.", "Thanks!") has short sentences, not none.
    """
    if "sentence_length" not in ctx.memo:  # the rule's detector, measure and message ask
        sizes = [s[STOP] - s[FIRST] for s in ctx.sentences if s[OWN] and s[STOP] > s[FIRST]]
        sizes = [n for n in sizes if n >= 2] or sizes
        ctx.memo["sentence_length"] = sum(sizes) / len(sizes) if sizes else None
    found = ctx.memo["sentence_length"]
    assert found is None or isinstance(found, float)
    return found


def sentence_lengths(t: Totals, judged: Judged) -> list[float]:
    """Words in each sentence."""
    return list(map(float, judged.words))


def top_sentences(ctx: Context, values: SentenceValues, above: float) -> list[Hit]:
    """Up to three own sentences with the highest value above ``above``, in text order."""
    judged = _judged(ctx)
    return highest(values(totals(ctx), judged), judged.sentences, above)


def highest(values: list[float], sentences: list[Sentence], above: float) -> list[Hit]:
    """The (start, end) of the up to three sentences with the highest values above ``above``
    (the earlier first among equals), in text order.

    Only sentences at or above the third-highest value can be among them, so only those are
    ranked (one C-level sort of plain floats finds it). Sentences start at distinct offsets, so
    sorting (-value, start, end) triples ranks them as (-value, start) does, with no key.
    """
    third = sorted(values)[-SHOWN] if len(values) > SHOWN else above
    ranked = sorted(
        [
            (-v, s[START], s[END])
            for v, s in zip(values, sentences, strict=True)
            if v > above and v >= third
        ]
    )
    return sorted((start, end) for _, start, end in ranked[:SHOWN])


def _judged(ctx: Context) -> Judged:
    """Own sentences long enough to judge and their figures, once per piece (three rules rank
    them)."""
    found = ctx.memo.get("judged")
    if found is None:
        judged = ctx.own_sentences(MIN_SENTENCE_WORDS)
        found = ctx.memo["judged"] = judged_figures(ctx.fact_sums, judged)
    assert isinstance(found, Judged)
    return found
