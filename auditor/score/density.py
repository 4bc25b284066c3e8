"""Proportions and means over the author's own words and sentences, and the sentences behind them.

Density rules (formal phrasing, long words, long sentences) judge a property of stretches of
text, so they score the whole piece's value and show the few sentences where it is highest.
"""

from __future__ import annotations

from collections.abc import Callable

from auditor.score.text import Context, Hit, Sentence

MIN_SENTENCE_WORDS = 6
PRIOR_WORDS = 50
SHOWN = 3

SentenceValue = Callable[[Context, Sentence], float]


def closed_class_balance(ctx: Context, first: int, stop: int) -> tuple[int, int]:
    """(formal minus involved closed-class words, own words) in tokens ``[first, stop)``."""
    formal, involved = ctx.vocab["formal_closed"], ctx.vocab["involved_closed"]
    words, own = ctx.words, ctx.own
    net = n = 0
    for i in range(first, stop):
        if own[i]:
            n += 1
            w = words[i]
            if w in formal:
                net += 1
            elif w in involved:
                net -= 1
    return net, n


def formality_proxy(ctx: Context) -> float | None:
    """(articles + prepositions - pronouns - interjections) / (own words + 50).

    Heylighen's F on closed-class words; the 50 extra words shrink short texts towards neutral,
    so a ten-word note with two articles is not called dense.
    """
    net, n = closed_class_balance(ctx, 0, len(ctx.words))
    return net / (n + PRIOR_WORDS) if n else None


def sentence_proxy(ctx: Context, s: Sentence) -> float:
    """The closed-class formality proxy of one sentence."""
    net, n = closed_class_balance(ctx, s.first, s.stop)
    return net / n if n else 0.0


def mean_word_length(ctx: Context) -> float | None:
    """Mean letters per own word (numbers and symbols left out)."""
    lengths = [len(w) for w, o in zip(ctx.words, ctx.own, strict=True) if o and w.isalpha()]
    return sum(lengths) / len(lengths) if lengths else None


def sentence_word_length(ctx: Context, s: Sentence) -> float:
    """Mean letters per word in one sentence."""
    lengths = [len(w) for w in ctx.words[s.first : s.stop] if w.isalpha()]
    return sum(lengths) / len(lengths) if lengths else 0.0


def mean_sentence_length(ctx: Context) -> float | None:
    """Mean words per own sentence (headings and one-word fragments left out)."""
    sizes = [s.words for s in ctx.own_sentences(2)]
    return sum(sizes) / len(sizes) if sizes else None


def sentence_length(ctx: Context, s: Sentence) -> float:
    """Words in one sentence."""
    return float(s.words)


def top_sentences(ctx: Context, value: SentenceValue, above: float) -> list[Hit]:
    """Up to three own sentences with the highest value above ``above``, in text order."""
    scored = [(value(ctx, s), s) for s in ctx.own_sentences(MIN_SENTENCE_WORDS)]
    scored = [vs for vs in scored if vs[0] > above]
    scored.sort(key=lambda vs: (-vs[0], vs[1].span.start))
    return sorted((s.span.start, s.span.end) for _, s in scored[:SHOWN])
