"""Proportions and means over the author's own words and sentences, and the sentences behind them.

Density rules (formal phrasing, long words, long sentences) judge a property of stretches of
text, so they score the whole piece's value and show the few sentences where it is highest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import and_, mul

from auditor.score.text import Context, Hit, Sentence

MIN_SENTENCE_WORDS = 6
PRIOR_WORDS = 20
SHOWN = 3

SentenceValue = Callable[["Totals", Sentence], float]
"""A sentence's value from the piece's running totals: called once per sentence, so it reads
the totals it is given rather than looking them up in the context's memo."""


@dataclass(frozen=True, slots=True)
class Totals:
    """Running totals over the tokens, so any stretch's proportion costs two subtractions.

    ``net``/``own``: formal minus involved closed-class words / own words, own voice only;
    ``letters``/``alpha``: letters / words of letters only (any voice, for sentences);
    ``own_letters``/``own_alpha``: the same for the whole piece's own voice.
    """

    net: list[int]
    own: list[int]
    letters: list[int]
    alpha: list[int]
    own_letters: int
    own_alpha: int


def totals(ctx: Context) -> Totals:
    """The context's running totals, computed on first use and kept in its memo."""
    found = ctx.memo.get("density")
    if found is None:
        found = ctx.memo["density"] = _totals(ctx)
    assert isinstance(found, Totals)
    return found


def _totals(ctx: Context) -> Totals:
    """One pass of C-level maps over the tokens: closed-class balance and word lengths."""
    words, own = ctx.words, ctx.own
    formal, involved = ctx.vocab["formal_closed"], ctx.vocab["involved_closed"]
    closed = dict.fromkeys(involved, -1) | dict.fromkeys(formal, 1)
    net = list(map(closed.get, words, repeat(0)))
    if not all(own):
        net = list(map(mul, net, own))
    alpha = list(map(str.isalpha, words))
    letters = list(map(mul, map(len, words), alpha))
    own_alpha = list(map(and_, alpha, own))
    return Totals(
        net=list(accumulate(net, initial=0)),
        own=list(accumulate(own, initial=0)),
        letters=list(accumulate(letters, initial=0)),
        alpha=list(accumulate(alpha, initial=0)),
        own_letters=sum(map(mul, letters, own_alpha)),
        own_alpha=sum(own_alpha),
    )


def closed_class_balance(ctx: Context, first: int, stop: int) -> tuple[int, int]:
    """(formal minus involved closed-class words, own words) in tokens ``[first, stop)``."""
    t = totals(ctx)
    return t.net[stop] - t.net[first], t.own[stop] - t.own[first]


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
    return (t.net[s.stop] - t.net[s.first]) / n if n else 0.0


def mean_word_length(ctx: Context) -> float | None:
    """Mean letters per own word (numbers and symbols left out)."""
    t = totals(ctx)
    return t.own_letters / t.own_alpha if t.own_alpha else None


def sentence_word_length(t: Totals, s: Sentence) -> float:
    """Mean letters per word in one sentence."""
    n = t.alpha[s.stop] - t.alpha[s.first]
    return (t.letters[s.stop] - t.letters[s.first]) / n if n else 0.0


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
    scored = [(value(t, s), s) for s in ctx.own_sentences(MIN_SENTENCE_WORDS)]
    scored = [vs for vs in scored if vs[0] > above]
    scored.sort(key=lambda vs: (-vs[0], vs[1].start))
    return sorted((s.start, s.end) for _, s in scored[:SHOWN])
