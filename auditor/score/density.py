"""Proportions and means over the author's own words and sentences, and the sentences behind them.

Density rules (formal phrasing, long words, long sentences) judge a property of stretches of
text, so they score the whole piece's value and show the few sentences where it is highest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from operator import mul

from auditor.score.text import Context, Hit, Sentence
from auditor.score.words import ALPHA, FORMAL, INVOLVED, LETTERS, field

MIN_SENTENCE_WORDS = 6
PRIOR_WORDS = 20
SHOWN = 3

SentenceValue = Callable[["Totals", Sentence], float]
"""A sentence's value from the piece's running totals: called once per sentence, so it reads
the totals it is given rather than looking them up in the context's memo."""


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
    own_facts = list(accumulate(map(mul, ctx.facts, ctx.own), initial=0))
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


def sentence_proxy(t: Totals, s: Sentence) -> float:
    """The closed-class formality proxy of one sentence."""
    n = t.own[s.stop] - t.own[s.first]
    return _net(t.own_facts[s.stop] - t.own_facts[s.first]) / n if n else 0.0


def mean_word_length(ctx: Context) -> float | None:
    """Mean letters per own word (numbers and symbols left out)."""
    t = totals(ctx)
    alpha = t.own_alpha
    return t.own_letters / alpha if alpha else None


def sentence_word_length(t: Totals, s: Sentence) -> float:
    """Mean letters per word in one sentence."""
    facts = t.every[s.stop] - t.every[s.first]
    n = field(facts, ALPHA)
    return field(facts, LETTERS) / n if n else 0.0


def mean_sentence_length(ctx: Context) -> float | None:
    """Mean words per own sentence (one-word fragments left out, unless there is nothing else).

    A piece made only of one-word sentences ("Wow.", "Thanks!") has short sentences, not none.
    """
    sizes = [s.words for s in ctx.own_sentences(2)] or [s.words for s in ctx.own_sentences(1)]
    return sum(sizes) / len(sizes) if sizes else None


def sentence_length(t: Totals, s: Sentence) -> float:
    """Words in one sentence."""
    return float(s.words)


def top_sentences(ctx: Context, value: SentenceValue, above: float) -> list[Hit]:
    """Up to three own sentences with the highest value above ``above``, in text order."""
    t = totals(ctx)
    scored = [(value(t, s), s) for s in _judged_sentences(ctx)]
    scored = [vs for vs in scored if vs[0] > above]
    scored.sort(key=lambda vs: (-vs[0], vs[1].start))
    return sorted((s.start, s.end) for _, s in scored[:SHOWN])


def _judged_sentences(ctx: Context) -> list[Sentence]:
    """Own sentences long enough to judge, found once per piece (three rules rank them)."""
    found = ctx.memo.get("judged")
    if found is None:
        found = ctx.memo["judged"] = ctx.own_sentences(MIN_SENTENCE_WORDS)
    assert isinstance(found, list)
    return found
