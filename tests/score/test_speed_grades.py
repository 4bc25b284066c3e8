"""Sentence grades kept as plain tuples give the same figures as grading each sentence alone."""

from __future__ import annotations

from auditor.model import SentenceDifficulty, Span
from auditor.score import readability as rd
from auditor.score.scoring import ScoringModel, _context

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
    for s in ctx.sentences:
        words = s.stop - s.first
        if words >= rd.HARDEST_MIN_WORDS:
            syllables = sum(model.syllables(w) for w in ctx.words[s.first : s.stop])
            grade = round(0.39 * words + 11.8 * syllables / words - 15.59, 1)
            expected.append((s.start, s.end, grade, words))
    assert [tuple(g) for g in ctx.graded] == expected
    assert len(expected) == 4


def test_hardest_are_the_top_grades_as_records(model: ScoringModel) -> None:
    filler = " We made it short so you can read it fast." * 10  # past the 100-word minimum
    ctx = _context(make_doc(TEXT + filler), model)
    ranked = sorted(ctx.graded, key=lambda g: (-g.grade, g.start))[: rd.HARDEST_COUNT]
    assert ctx.readability is not None
    assert ctx.readability.hardest == tuple(
        SentenceDifficulty(Span(g.start, g.end), g.grade, g.words) for g in ranked
    )
    assert ctx.readability.hardest[0].grade > ctx.readability.hardest[-1].grade
