"""Every rule's own examples, checked: sentences it must flag and sentences it must pass."""

from __future__ import annotations

import pytest

from auditor.config import ScoringSettings
from auditor.score import load_model
from auditor.score.rule import DIMENSIONS
from auditor.score.rules import default_registry
from auditor.score.scoring import _context, _run

from .conftest import make_doc

RULES = list(default_registry())
SHORT_OK = load_model(ScoringSettings(min_words=1))


def _fires(rule_id: str, sentence: str) -> bool:
    """Whether the rule finds evidence (or, for a measure rule, gives the text under half marks)."""
    doc = make_doc(sentence)
    active = next(a for a in SHORT_OK.active if a.rule.id == rule_id)
    outcome = _run(active, doc, _context(doc, SHORT_OK))
    if active.rule.measure is not None:
        return outcome.mark is not None and outcome.mark < 0.5
    return bool(outcome.hits)


FLAGS = [(r.id, s) for r in RULES for s in r.flags]
PASSES = [(r.id, s) for r in RULES for s in r.passes]


@pytest.mark.parametrize(("rule_id", "sentence"), FLAGS)
def test_rule_flags_its_examples(rule_id: str, sentence: str) -> None:
    assert _fires(rule_id, sentence), f"{rule_id} should flag: {sentence}"


@pytest.mark.parametrize(("rule_id", "sentence"), PASSES)
def test_rule_passes_its_examples(rule_id: str, sentence: str) -> None:
    assert not _fires(rule_id, sentence), f"{rule_id} should pass: {sentence}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_documented(rule) -> None:
    assert rule.id.startswith(rule.dimension + ".") and rule.dimension in DIMENSIONS
    assert rule.why and rule.suggestion and rule.research and rule.title
    assert rule.flags and rule.passes


def test_every_rule_is_registered_and_weighted() -> None:
    from auditor.score.lexicon import read_data

    weights = read_data("weights.toml")["rules"]
    assert sorted(weights) == sorted(r.id for r in RULES)
    assert {r.dimension for r in RULES} == set(DIMENSIONS)


def test_registration_order_is_fixed() -> None:
    assert [r.id for r in default_registry()] == [r.id for r in RULES]


def test_rule_modules_are_named_after_their_dimension() -> None:
    for rule in RULES:
        assert rule.detect.__module__.rsplit(".", 1)[-1] in (rule.dimension, "rule")
