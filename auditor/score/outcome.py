"""From a rule's evidence to its strength and Finding: one rule's arithmetic on one piece.

Counting rules turn hits into a rate per 1,000 words and the rate into a 0-1 strength with a
saturating curve; measure rules turn a value of the whole piece into a strength with a logistic
curve. Both curves are smooth, so a piece (or a single sentence) that is a little better scores
a little higher instead of hitting a cap. docs/rules.md spells out the formulas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from auditor.model import Finding, Span
from auditor.score.rule import Params, Rule
from auditor.score.text import Context, Hit

MAX_SPANS = 50
PER_WORDS = 1000
PRIOR_WORDS = 50
STEEPNESS = 3.0
WORKS_AT = 1 - math.exp(-STEEPNESS / 2)
LOGIT_90 = 2 * math.log(9)
EXAMPLES = 3
LONG_HIT = 40
WEAK_EVIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class ActiveRule:
    """A rule with the numbers this model gives it (defaults from data, overridden by settings)."""

    rule: Rule
    params: Params
    by_length: bool = False


class Outcome(NamedTuple):
    """What one rule concluded: all its evidence and a 0-1 strength (None: cannot judge).

    For a positive rule the strength is how far the piece meets the target; for a negative rule
    it is how much of the full penalty applies. A named tuple, not a frozen dataclass: every
    piece makes one per rule, and a tuple is built faster.
    """

    active: ActiveRule
    hits: tuple[Hit, ...]
    strength: float | None
    detail: str = ""
    evidence: float = 1.0

    @property
    def weight(self) -> float:
        """The rule's weight in its dimension, scaled by how much evidence the piece offers."""
        return self.active.params.weight * self.evidence

    @property
    def mark(self) -> float | None:
        """The rule's 0-1 contribution to its dimension: strength, or 1 - penalty."""
        if self.strength is None:
            return None
        return self.strength if self.active.rule.polarity == "positive" else 1 - self.strength


def rate(hits: int, allow: int, words: int) -> float:
    """Hits beyond the allowance per 1,000 words, shrunk for short texts (+50 words)."""
    return max(0, hits - allow) * PER_WORDS / (words + PRIOR_WORDS)


def saturating(value: float, floor: float, target: float) -> float:
    """0 at or below ``floor``, 0.95 at ``target``, approaching 1 above: 1 - e^(-3x)."""
    x = max(value - floor, 0.0) / max(target - floor, 1e-9)
    return 1 - math.exp(-STEEPNESS * x)


def logistic(value: float, floor: float, target: float) -> float:
    """An S-curve through 0.1 at ``floor`` and 0.9 at ``target`` (floor > target reverses it)."""
    mid, scale = (floor + target) / 2, (target - floor) / LOGIT_90
    z = (value - mid) / scale
    return 1 / (1 + math.exp(-z)) if z > -60 else 0.0


def _measure_strength(value: float, p: Params, log_scale: bool) -> float:
    """A measure's S-curve; on a log scale for ratio quantities such as words per sentence."""
    if log_scale:
        return logistic(math.log(max(value, 1e-9)), math.log(p.floor), math.log(p.target))
    return logistic(value, p.floor, p.target)


def evidence(target: float, words: int) -> float:
    """The chance that a text of ``words`` words, written at the target rate, shows a hit at all.

    1 - e^(-target x words / 1,000): about 0.14 for one 10-word sentence at 15 per 1,000 words,
    0.78 at 100 words, 1.00 for a post of 1,000. A rule whose weight is scaled by it has little
    say in a single sentence, where one word more or less decides whether it hits, and its full
    weight in a post.
    """
    return 1 - math.exp(-target * words / PER_WORDS)


def evaluate(active: ActiveRule, hits: list[Hit] | None, ctx: Context) -> Outcome:
    """Turn a rule's hits (or its measured value) into a smooth strength."""
    rule, p = active.rule, active.params
    if hits is None:
        return Outcome(active, (), None)
    if rule.measure is not None:
        value = rule.measure(ctx)
        detail = rule.describe(ctx) if rule.describe else rule.title
        strength = None if value is None else _measure_strength(value, p, rule.log_scale)
        return Outcome(active, tuple(hits), strength, detail)
    if rule.presence:
        return Outcome(active, tuple(hits), 1.0 if hits else 0.0)
    r = rate(len(hits), p.allow, ctx.own_words)
    weight = evidence(p.target, ctx.own_words) if active.by_length else 1.0
    return Outcome(active, tuple(hits), saturating(r, p.floor, p.target), evidence=weight)


def finding(outcome: Outcome, na_reason: str, ctx: Context) -> Finding:
    """The editor-facing finding: works, improve or na, highlighting only what the status says.

    Highlighted text is always an example of the status: good evidence when a finding works,
    problems when it is to improve. Evidence of the other kind is quoted in the message instead.
    """
    rule = outcome.active.rule
    status, message = _verdict(outcome, na_reason, ctx.text)
    if status != "na" and outcome.evidence < WEAK_EVIDENCE:
        message += f" (a short piece: this counts for {outcome.evidence:.0%} of the rule's weight)"
    wanted = "improve" if rule.shows_problems else "works"
    shown: tuple[Span, ...] = ()
    if status == wanted and outcome.hits:
        picked = rule.rank(ctx, list(outcome.hits)) if rule.rank else outcome.hits
        shown = Span.many(picked[:MAX_SPANS])
    return Finding(rule.id, rule.dimension, status, message, rule.why, rule.suggestion, shown)


def _verdict(o: Outcome, na_reason: str, text: str) -> tuple[str, str]:
    """Status and message; positive rules say what is there or missing, negative what to cut."""
    rule, n = o.active.rule, len(o.hits)
    if o.strength is None:
        return "na", na_reason
    if rule.measure is not None:
        good = o.mark is not None and o.mark >= 0.5
        return ("works" if good else "improve"), o.detail
    if rule.polarity == "negative":
        if n == 0:
            return "works", f"No {rule.noun[1]}"
        if o.strength == 0:
            shown = _in_brackets(o.hits, text)
            return "works", f"{rule.count_phrase(n)}{shown}, fine in moderation"
        examples = _examples(o.hits, text)
        return "improve", f"{rule.count_phrase(n)}: {examples}" if examples else rule.count_phrase(
            n
        )
    if n == 0:
        return "improve", f"No {rule.noun[1]}"
    if o.strength < WORKS_AT and not rule.presence:
        aim = o.active.params.target
        return "improve", (
            f"Only {rule.count_phrase(n)}{_in_brackets(o.hits, text)}; "
            f"aim for about {aim:g} per 1,000 words"
        )
    return "works", rule.count_phrase(n)


def _in_brackets(hits: tuple[Hit, ...], text: str) -> str:
    """' (“a”, “b”)' after a count, or nothing when the hits are too long to quote."""
    quoted = _examples(hits, text)
    return f" ({quoted})" if quoted else ""


def _examples(hits: tuple[Hit, ...], text: str) -> str:
    """The first few distinct matched words, quoted: '“leverage”, “synergies”, …'.

    Empty when the hits are whole sentences: those are highlighted, not quoted.
    """
    if not hits:
        return ""
    starts, ends = zip(*hits, strict=True)
    if sum(ends) - sum(starts) > LONG_HIT * len(hits):
        return ""
    seen: dict[str, None] = {}  # the first EXAMPLES + 1 distinct words, in order
    for a, b in hits:
        seen[" ".join(text[a:b].split())] = None
        if len(seen) > EXAMPLES:
            break
    shown = list(seen)[:EXAMPLES]
    quoted = ", ".join(f"“{w if len(w) <= 60 else w[:57] + '…'}”" for w in shown)
    return quoted + (", …" if len(seen) > EXAMPLES else "")
