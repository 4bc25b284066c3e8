"""From a rule's evidence to its strength and Finding: one rule's arithmetic on one piece."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.model import Finding, Span
from auditor.score.rule import Params, Rule
from auditor.score.text import Context

MAX_SPANS = 50
PER_WORDS = 1000
WORKS_AT = 0.5


@dataclass(frozen=True, slots=True)
class ActiveRule:
    """A rule with the numbers this model gives it (defaults from data, overridden by settings)."""

    rule: Rule
    params: Params


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one rule concluded: all its evidence and a 0-1 strength (None: cannot judge).

    For a positive rule the strength is how far the piece meets the target; for a negative rule
    it is how much of the full penalty applies.
    """

    active: ActiveRule
    spans: tuple[Span, ...]
    strength: float | None
    detail: str = ""


def evaluate(active: ActiveRule, doc_spans: list[Span] | None, ctx: Context) -> Outcome:
    """Turn a rule's spans into a capped, length-normalised strength."""
    rule, p = active.rule, active.params
    if doc_spans is None:
        return Outcome(active, (), None)
    spans = tuple(doc_spans)
    if rule.measure is not None:
        detail = rule.describe(ctx) if rule.describe else rule.title
        return Outcome(active, spans, rule.measure(ctx, p), detail)
    if rule.presence:
        return Outcome(active, spans, 1.0 if spans else 0.0)
    rate = max(0, len(spans) - p.allow) * PER_WORDS / max(ctx.own_words, 1)
    return Outcome(active, spans, _clamp((rate - p.floor) / max(p.target - p.floor, 1e-9)))


def _clamp(x: float) -> float:
    return min(max(x, 0.0), 1.0)


def finding(outcome: Outcome, na_reason: str) -> Finding:
    """The editor-facing finding for one outcome: works, improve or na, with capped spans."""
    rule = outcome.active.rule
    status, message = _verdict(outcome, na_reason)
    shown = outcome.spans[:MAX_SPANS] if status != "na" else ()
    return Finding(rule.id, rule.dimension, status, message, rule.why, rule.suggestion, shown)


def _verdict(o: Outcome, na_reason: str) -> tuple[str, str]:
    """Status and message; positive rules say what is there or missing, negative what to cut."""
    rule, n = o.active.rule, len(o.spans)
    if o.strength is None:
        return "na", na_reason
    if rule.measure is not None:
        return ("works" if o.strength >= WORKS_AT else "improve"), o.detail
    if rule.polarity == "negative":
        if n == 0:
            return "works", f"No {rule.noun[1]}"
        if o.strength == 0:
            return "works", f"{rule.count_phrase(n)}, fine in moderation"
        return "improve", rule.count_phrase(n)
    if n == 0:
        return "improve", f"No {rule.noun[1]}"
    if o.strength < WORKS_AT and not rule.presence:
        aim = o.active.params.target
        return "improve", f"Only {rule.count_phrase(n)} (aim for about {aim:g} per 1,000 words)"
    return "works", rule.count_phrase(n)
