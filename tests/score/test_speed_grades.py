"""Sentence grades kept as plain tuples give the same figures as grading each sentence alone."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.model import SentenceDifficulty, Span
from auditor.score import readability as rd
from auditor.score.rules import readability as rules
from auditor.score.scoring import ScoringModel, _context
from auditor.score.text import RAW, START, Context, Graded

from .conftest import make_doc

TEXT = (
    "We made it short and you can finish it fast today. "
    "The organizational implementation of comprehensive interoperability frameworks "
    "necessitates considerable institutional coordination across administrative jurisdictions. "
    "Short one. Residents told us which questions on the permit form confused them most. "
    "Accessibility evaluation methodologies require systematic verification of conformance "
    "criteria throughout iterative development."
)


def test_grades_equal_each_sentence_graded_alone(model: ScoringModel) -> None:
    ctx = _context(make_doc(TEXT), model)
    expected = []
    for start, end, _, _, first, stop in ctx.sentences:
        words = stop - first
        if words >= rd.HARDEST_MIN_WORDS:
            syllables = sum(model.syllables(w) for w in ctx.words[first:stop])
            grade = round(0.39 * words + 11.8 * syllables / words - 15.59, 1)
            expected.append((start, end, grade, words))
    assert [(start, end, round(raw, 1), n) for start, end, raw, n in ctx.graded] == expected
    assert len(expected) == 4


def test_hardest_are_the_top_grades_as_records(model: ScoringModel) -> None:
    filler = " We made it short so you can read it fast." * 10  # past the 100-word minimum
    ctx = _context(make_doc(TEXT + filler), model)
    ranked = sorted(ctx.graded, key=lambda g: (-round(g[RAW], 1), g[START]))[: rd.HARDEST_COUNT]
    assert ctx.readability is not None
    assert ctx.readability.hardest == tuple(
        SentenceDifficulty(Span(start, end), round(raw, 1), n) for start, end, raw, n in ranked
    )
    assert ctx.readability.hardest[0].grade > ctx.readability.hardest[-1].grade


GRADES = st.lists(
    st.one_of(
        st.sampled_from([11.95, 11.949999, 12.05, 12.0, 11.9, 7.25, 7.35, 7.15, 3.05]),
        st.floats(min_value=-20, max_value=40, allow_nan=False),
    ),
    max_size=40,
)


def graded(raws: list[float]) -> tuple[Graded, ...]:
    return tuple((10 * i, 10 * i + 5, raw, 9) for i, raw in enumerate(raws))


@settings(max_examples=500, deadline=None)
@given(GRADES)
def test_hardest_equal_ranking_every_rounded_grade(raws: list[float]) -> None:
    """Rounding only the grades near the fifth-highest ranks the sentences as rounding all."""
    ranked = sorted(graded(raws), key=lambda g: (-round(g[RAW], 1), g[START]))[: rd.HARDEST_COUNT]
    expected = tuple(
        SentenceDifficulty(Span(start, end), round(raw, 1), n) for start, end, raw, n in ranked
    )
    assert rd._hardest(graded(raws)) == expected


@settings(max_examples=500, deadline=None)
@given(GRADES)
def test_very_hard_sentences_equal_every_rounded_grade(raws: list[float]) -> None:
    """Rounding only the grades near grade 12 finds the sentences that round to 12 or above."""
    ctx = Context("", [], [], [], [], [], [], ([], []), frozenset(), 0, graded=graded(raws))
    expected = [(start, end) for start, end, raw, _ in graded(raws) if round(raw, 1) >= 12.0]
    assert rules.hard_sentences(None, ctx) == expected  # type: ignore[arg-type]


@settings(max_examples=500, deadline=None)
@given(GRADES, st.integers(min_value=0, max_value=3))
def test_hardest_first_equals_ranking_every_rounded_grade(raws: list[float], extra: int) -> None:
    """Rounding only the very hard grades near the third-highest picks the same three."""
    ctx = Context("", [], [], [], [], [], [], ([], []), frozenset(), 0, graded=graded(raws))
    hits = rules.hard_sentences(None, ctx) + [(1000 + i, 1001 + i) for i in range(extra)]
    grades = {(s, e): round(raw, 1) for s, e, raw, _ in graded(raws) if round(raw, 1) >= 12.0}
    worst = sorted(hits, key=lambda h: (-grades.get(h, 0.0), h))[: rules.SHOWN_SENTENCES]
    assert rules.hardest_first(ctx, hits) == sorted(worst)
