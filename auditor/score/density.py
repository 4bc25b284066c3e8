"""Proportions and means over the author's own words and sentences, and the sentences behind them.

Density rules (formal phrasing, long words, long sentences) judge a property of stretches of
text, so they score the whole piece's value and show the few sentences where it is highest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from auditor.score.text import Context, Hit, Sentence, quoted_tokens
from auditor.score.words import ALPHA, FIELD_BITS, FORMAL, INVOLVED, LETTERS, MASK, field

MIN_SENTENCE_WORDS = 6
PRIOR_WORDS = 20
SHOWN = 3

SentenceValues = Callable[["Totals", list[Sentence]], list[float]]
"""The values of a list of sentences from the piece's running totals: one comprehension for
all of them (no call per sentence), reading the totals it is given rather than the memo."""
_NET_SHIFTS = (FIELD_BITS * FORMAL, FIELD_BITS * INVOLVED)
_LENGTH_SHIFTS = (FIELD_BITS * LETTERS, FIELD_BITS * ALPHA)


@dataclass(frozen=True, slots=True)
class Totals:
    """Running sums over the tokens, so any stretch's proportion costs two subtractions.

    ``every``: the tokens' packed facts (auditor.score.words), any voice, for sentences;
    ``own_facts``: the same, counting own-voice tokens only; ``own``: own-voice tokens.
    """

    every: list[int]
    own_facts: list[int]
    own: list[int]

    @property
    def own_letters(self) -> int:
        """Letters in the piece's own words of letters only."""
        return field(self.own_facts[-1], LETTERS)

    @property
    def own_alpha(self) -> int:
        """The piece's own words of letters only."""
        return field(self.own_facts[-1], ALPHA)


def totals(ctx: Context) -> Totals:
    """The context's running totals, computed on first use and kept in its memo."""
    found = ctx.memo.get("density")
    if found is None:
        found = ctx.memo["density"] = _totals(ctx)
    assert isinstance(found, Totals)
    return found


def _totals(ctx: Context) -> Totals:
    """Own-voice running sums; a piece that quotes no one reuses the any-voice sums."""
    if ctx.own_words == len(ctx.own):
        return Totals(ctx.fact_sums, ctx.fact_sums, list(range(len(ctx.own) + 1)))
    own_only = ctx.facts.copy()  # quoted tokens' facts zeroed by slice: no product per token
    for first, stop in quoted_tokens(ctx.starts, ctx.quoted):
        own_only[first:stop] = [0] * (stop - first)
    own_facts = list(accumulate(own_only, initial=0))
    return Totals(ctx.fact_sums, own_facts, list(accumulate(ctx.own, initial=0)))


def _net(facts: int) -> int:
    """Formal minus involved closed-class words in a stretch's packed totals."""
    return field(facts, FORMAL) - field(facts, INVOLVED)


def closed_class_balance(ctx: Context, first: int, stop: int) -> tuple[int, int]:
    """(formal minus involved closed-class words, own words) in tokens ``[first, stop)``."""
    t = totals(ctx)
    return _net(t.own_facts[stop] - t.own_facts[first]), t.own[stop] - t.own[first]


def formality_proxy(ctx: Context) -> float | None:
    """(articles + prepositions - pronouns - interjections) / (own words + 20).

    Heylighen's F on closed-class words; the 20 extra words (about one sentence) shrink short
    texts towards neutral, so a ten-word note with two articles is not called dense, while a
    single sentence still shows its own density.
    """
    net, n = closed_class_balance(ctx, 0, len(ctx.words))
    return net / (n + PRIOR_WORDS) if n else None


def _stretches(sums: list[int], sentences: list[Sentence]) -> list[int]:
    """Each sentence's totals: the difference of the running sums at its ends."""
    return [sums[s.stop] - sums[s.first] for s in sentences]


def sentence_proxies(t: Totals, sentences: list[Sentence]) -> list[float]:
    """The closed-class formality proxy of each sentence (``_net`` per own word)."""
    formal, involved = _NET_SHIFTS
    return [
        ((d >> formal & MASK) - (d >> involved & MASK)) / n if n else 0.0
        for d, n in zip(
            _stretches(t.own_facts, sentences), _stretches(t.own, sentences), strict=True
        )
    ]


def mean_word_length(ctx: Context) -> float | None:
    """Mean letters per own word (numbers and symbols left out)."""
    t = totals(ctx)
    alpha = t.own_alpha
    return t.own_letters / alpha if alpha else None


def sentence_word_lengths(t: Totals, sentences: list[Sentence]) -> list[float]:
    """Mean letters per word of letters only in each sentence."""
    letters, alpha = _LENGTH_SHIFTS
    return [
        (d >> letters & MASK) / n if (n := d >> alpha & MASK) else 0.0
        for d in _stretches(t.every, sentences)
    ]


def mean_sentence_length(ctx: Context) -> float | None:
    """Mean words per own sentence (one-word fragments left out, unless there is nothing else).

    A piece made only of one-word sentences ("Wow.", "Thanks!") has short sentences, not none.
    """
    if "sentence_length" not in ctx.memo:  # the rule's detector, measure and message ask
        sizes = [s.stop - s.first for s in ctx.sentences if s.own and s.stop > s.first]
        sizes = [n for n in sizes if n >= 2] or sizes
        ctx.memo["sentence_length"] = sum(sizes) / len(sizes) if sizes else None
    found = ctx.memo["sentence_length"]
    assert found is None or isinstance(found, float)
    return found


def sentence_lengths(t: Totals, sentences: list[Sentence]) -> list[float]:
    """Words in each sentence."""
    return [float(s.stop - s.first) for s in sentences]


def top_sentences(ctx: Context, values: SentenceValues, above: float) -> list[Hit]:
    """Up to three own sentences with the highest value above ``above``, in text order.

    Sentences start at distinct offsets, so sorting (-value, start, end) triples ranks them
    as (-value, start) does, with no key function.
    """
    judged = _judged_sentences(ctx)
    ranked = sorted(
        [
            (-v, s.start, s.end)
            for v, s in zip(values(totals(ctx), judged), judged, strict=True)
            if v > above
        ]
    )
    return sorted((start, end) for _, start, end in ranked[:SHOWN])


def _judged_sentences(ctx: Context) -> list[Sentence]:
    """Own sentences long enough to judge, found once per piece (three rules rank them)."""
    found = ctx.memo.get("judged")
    if found is None:
        found = ctx.memo["judged"] = ctx.own_sentences(MIN_SENTENCE_WORDS)
    assert isinstance(found, list)
    return found
