"""Readability: plain words and sentences, from textstat's Flesch figures."""

from __future__ import annotations

from auditor.model import Document
from auditor.score import readability
from auditor.score.rule import SHOWN_SENTENCES, Rule
from auditor.score.text import END, RAW, START, Context, Graded, Hit

FLESCH = "Flesch 1948, J. of Applied Psychology 32(3); Kincaid et al. 1975 (via textstat)"
VERY_HARD_GRADE = 12.0
NEAR_VERY_HARD = VERY_HARD_GRADE - 0.1
"""Below it no grade rounds to VERY_HARD_GRADE: only grades above it are rounded (``Graded``)."""
SURELY_VERY_HARD = VERY_HARD_GRADE + 0.1
"""At or above it every grade rounds to VERY_HARD_GRADE or more: no rounding needed."""
HARD_EXAMPLE = (
    "The organizational implementation of comprehensive interoperability frameworks "
    "necessitates considerable institutional coordination across multiple administrative "
    "jurisdictions."
)


def flesch_ease(ctx: Context) -> float | None:
    """The piece's Flesch reading ease (the scorer maps it to 0-1); None when too short."""
    return ctx.readability.flesch_reading_ease if ctx.readability else None


def describe(ctx: Context) -> str:
    """'Flesch reading ease 64 (plain English)' for the finding's message."""
    ease = ctx.readability.flesch_reading_ease if ctx.readability else None
    if ease is None:
        return "Flesch reading ease: too short to judge"
    band = next(name for floor, name in _BANDS if ease >= floor)
    return f"Flesch reading ease {ease:.0f} ({band})"


_BANDS = (
    (80.0, "easy"),
    (60.0, "plain English"),
    (50.0, "fairly difficult"),
    (30.0, "difficult"),
    (float("-inf"), "very difficult"),
)


def hardest(doc: Document, ctx: Context) -> list[Hit]:
    """The Flesch rule judges the whole piece; its evidence is the hardest sentences."""
    found = ctx.readability.hardest[:SHOWN_SENTENCES] if ctx.readability else ()
    return sorted((h.span.start, h.span.end) for h in found)


def hard_sentences(doc: Document, ctx: Context) -> list[Hit]:
    """Sentences of 8+ words at Flesch-Kincaid grade 12 or above (Hemingway's 'very hard')."""
    return [(g[START], g[END]) for g in _very_hard(ctx)]


def _very_hard(ctx: Context) -> list[Graded]:
    """The graded sentences at grade 12 or above (to a tenth).

    Rounding moves a grade by 0.05 at most, so only grades within 0.1 of 12 are rounded: a
    post can hold dozens of very hard sentences, and ``round`` costs ten times the test.
    """
    return [
        g
        for g in ctx.graded
        if (raw := g[RAW]) >= SURELY_VERY_HARD
        or (raw >= NEAR_VERY_HARD and round(raw, 1) >= VERY_HARD_GRADE)
    ]


def hardest_first(ctx: Context, hits: list[Hit]) -> list[Hit]:
    """The three hardest of the very hard sentences, in text order (by grade to a tenth, the
    earlier first among equals)."""
    raws = {(start, end): raw for start, end, raw, _ in _very_hard(ctx)}

    def raw(hit: Hit) -> float:
        return raws.get(hit, 0.0)

    return sorted(readability.hardest_first(hits, raw, lambda hit: hit, SHOWN_SENTENCES))


RULES = (
    Rule(
        id="readability.flesch",
        title="Plain, easy reading",
        polarity="positive",
        noun=("point of reading ease", "points of reading ease"),
        why=(
            "Short sentences and everyday words let more people read to the end; formulas need "
            "100+ words to mean anything."
        ),
        suggestion=(
            "Split long sentences and swap long words for short ones; aim for a Flesch reading "
            "ease of 60 or more."
        ),
        research=FLESCH,
        detect=hardest,
        flags=((HARD_EXAMPLE),),
        passes=(
            "We made the form short. It has ten questions. Most people finish it in five minutes.",
        ),
        measure=flesch_ease,
        describe=describe,
        problems=True,
    ),
    Rule(
        id="readability.hard_sentences",
        title="Very hard sentences",
        polarity="negative",
        noun=("very hard sentence", "very hard sentences"),
        why=(
            "A sentence at grade 12 or above loses many readers, however good the rest of the "
            "post is."
        ),
        suggestion="Split each highlighted sentence in two, and put the main point first.",
        research=FLESCH,
        detect=hard_sentences,
        rank=hardest_first,
        flags=((HARD_EXAMPLE),),
        passes=("We made the form short, and most people finish it in five minutes.",),
    ),
)
