"""The scoring model (rules, weights, word lists, settings) and the pure function `score`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate

from auditor.config import ScoringSettings
from auditor.model import (
    DimensionInfo,
    DimensionScore,
    Document,
    Finding,
    PieceResult,
    RuleInfo,
)
from auditor.score import readability as rd
from auditor.score.label import function_label
from auditor.score.lexicon import Lexicon, read_data
from auditor.score.outcome import ActiveRule, Outcome, evaluate, finding
from auditor.score.rule import DIMENSIONS, Params, Registry, Rule
from auditor.score.rules import default_registry
from auditor.score.text import Context, build_context
from auditor.score.words import WordFacts

DIMENSION_TEXT: Mapping[str, tuple[str, str]] = {
    "conversational": (
        "Conversational voice",
        "Talks with the reader: 'you', questions, first person, contractions, discourse markers; "
        "corporate speak and noun-heavy prose count against.",
    ),
    "dialogue": (
        "Dialogue",
        "Opens a conversation: invitations to reply, a closing question, answering readers, "
        "reasons to come back.",
    ),
    "community": (
        "Community & credit",
        (
            "Credits, quotes and links to others, thanks people, and uses a 'we' that includes "
            "the reader."
        ),
    ),
    "restraint": (
        "Restraint",
        (
            "Little broadcasting: 100 means no self-promotion, hype, vanity metrics, hard selling"
            " or shouting."
        ),
    ),
    "readability": (
        "Readability",
        "Plain words and sentences (Flesch reading ease from textstat); needs 100+ words to judge.",
    ),
}


@dataclass(frozen=True)
class ScoringModel:
    """Everything scoring needs, built once: active rules, weights, word lists, counters."""

    active: tuple[ActiveRule, ...]
    dimension_weights: tuple[tuple[str, float], ...]
    lexicon: Lexicon
    vocab: Mapping[str, frozenset[str]]
    min_words: int
    syllables: rd.Syllables
    words: WordFacts
    quiet: dict[str, tuple[Outcome, Finding]] = field(default_factory=dict, compare=False)
    """Per rule id, the outcome and finding of a piece without hits, kept on first use when no
    figure of the piece enters them (see ``_quiet``): later pieces reuse both records."""

    @cached_property
    def dimensions(self) -> tuple[DimensionInfo, ...]:
        """The dimensions, in display order, for the "How scores work" page.

        Kept once made: every worker asks for them (and ``rules_info``) for each piece it
        prepares, and the model never changes.
        """
        return tuple(
            DimensionInfo(name, *DIMENSION_TEXT[name], weight)
            for name, weight in self.dimension_weights
        )

    @cached_property
    def rules_info(self) -> tuple[RuleInfo, ...]:
        """Every active rule with its documentation and examples."""
        return tuple(_info(a) for a in self.active)


def _info(a: ActiveRule) -> RuleInfo:
    r, p = a.rule, a.params
    kind = "measure" if r.measure else "presence" if r.presence else "rate"
    return RuleInfo(
        r.id,
        r.dimension,
        r.title,
        r.polarity,
        p.weight,
        r.why,
        r.suggestion,
        r.research,
        r.flags,
        r.passes,
        kind=kind,
        target=p.target,
        floor=p.floor,
        allow=p.allow,
        log_scale=r.log_scale,
    )


def load_model(
    settings: ScoringSettings | None = None, registry: Registry | None = None
) -> ScoringModel:
    """Build the model once: registered rules, data-file weights and word lists, user settings."""
    settings = settings or ScoringSettings()
    registry = registry if registry is not None else default_registry()
    weights = read_data("weights.toml")
    active = tuple(
        _active(rule, weights["rules"].get(rule.id, {}), settings)
        for rule in registry
        if settings.enabled(rule.id)
    )
    dims = tuple((d, settings.weight(d, float(weights["dimensions"][d]))) for d in DIMENSIONS)
    lexicon = Lexicon(read_data("lexicons.toml")).with_extra(dict(settings.words))
    vocab = {name: frozenset(" ".join(p) for p in ps) for name, ps in lexicon.lists.items()}
    syllables = rd.Syllables()
    words = WordFacts(vocab, syllables, lexicon.flag, lexicon.unflag)
    return ScoringModel(active, dims, lexicon, vocab, settings.min_words, syllables, words)


def _active(rule: Rule, raw: Mapping[str, float], settings: ScoringSettings) -> ActiveRule:
    """A rule with its numbers from weights.toml, and the user's weight for it when given."""
    params = Params(
        weight=settings.weight(rule.id, float(raw.get("weight", 1.0))),
        target=float(raw.get("target", 1.0)),
        floor=float(raw.get("floor", 0.0)),
        allow=int(raw.get("allow", 0)),
    )
    return ActiveRule(rule, params, bool(raw.get("by_length", False)))


def score(doc: Document, model: ScoringModel) -> PieceResult:
    """Score one piece: pure and deterministic (no I/O, no clock)."""
    ctx = _context(doc, model)
    silenced = _block_suppressions(doc)
    outcomes = [
        _run(a, doc, ctx, silenced, model.quiet)
        for a in model.active
        if not _suppressed(a.rule.id, doc.suppress)
    ]
    na_reason = _na_reason(ctx, model)
    findings = tuple(_finding(o, na_reason, ctx, model.quiet) for o in outcomes)
    weighed = [(o.active.rule.dimension, o.weight, o.mark) for o in outcomes]
    marks: dict[str, list[tuple[float, float]]] = {}
    for name, weight, mark in weighed:
        if mark is not None:
            marks.setdefault(name, []).append((weight, mark))
    dims = tuple(_dimension(name, w, marks.get(name, [])) for name, w in model.dimension_weights)
    assert ctx.readability is not None
    gains = _gains(weighed, marks, dims)
    label = function_label(ctx)
    return PieceResult(doc, dims, _overall(dims), label, ctx.readability, findings, gains=gains)


def _context(doc: Document, model: ScoringModel) -> Context:
    """Tokens, their packed facts, sentences, word-list matches and readability, each once."""
    ctx = build_context(doc)
    ctx.vocab = model.vocab
    ctx.facts = model.words.of(ctx.words)
    ctx.fact_sums = list(accumulate(ctx.facts, initial=0))
    ctx.matches, ctx.rare = model.lexicon.find(ctx, model.words.rare)
    ctx.readability, ctx.graded = rd.measure(ctx, model.syllables, model.min_words)
    return ctx


def _suppressed(rule_id: str, suppress: tuple[str, ...]) -> bool:
    """Whether the piece's front matter silences this rule by id or dotted prefix."""
    return bool(suppress) and any(rule_id == s or rule_id.startswith(s + ".") for s in suppress)


def _block_suppressions(doc: Document) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, rule ids) of blocks silenced by an inline ``auditor-ignore`` comment."""
    return [(b.start, b.end, b.suppress) for b in doc.blocks if b.suppress]


def _run(
    active: ActiveRule,
    doc: Document,
    ctx: Context,
    silenced: Sequence[tuple[int, int, tuple[str, ...]]] = (),
    quiet: Mapping[str, tuple[Outcome, Finding]] | None = None,
) -> Outcome:
    """Run one rule, dropping its hits inside blocks that silence it.

    Readability rules cannot judge pieces below the minimum length. A rule without hits whose
    outcome is kept in ``quiet`` returns that outcome.
    """
    too_short = ctx.readability is not None and ctx.readability.too_short
    if active.rule.dimension == "readability" and too_short:
        return evaluate(active, None, ctx)
    hits = active.rule.detect(doc, ctx)
    rule_id = active.rule.id
    for start, end, ids in silenced:
        if hits and _suppressed(rule_id, ids):
            hits = [h for h in hits if not start <= h[0] < end]
    if quiet and hits is not None and not hits and rule_id in quiet:
        return quiet[rule_id][0]
    return evaluate(active, hits, ctx)


def _finding(
    o: Outcome,
    na_reason: Callable[[Outcome], str],
    ctx: Context,
    quiet: dict[str, tuple[Outcome, Finding]],
) -> Finding:
    """The outcome's finding: the kept one for a kept outcome; kept on first use when quiet."""
    rule_id = o.active.rule.id
    known = quiet.get(rule_id)
    if known is not None and known[0] is o:
        return known[1]
    found = finding(o, na_reason(o), ctx)
    if known is None and _quiet(o):
        quiet[rule_id] = (o, found)
    return found


def _quiet(o: Outcome) -> bool:
    """Whether the outcome is one of a counting rule without hits: every piece gives it alike.

    Without hits the rate is 0 on any piece, so the strength is the same, and the message
    names no hit; a measure's value and a length-scaled weight depend on the piece.
    """
    return (
        not o.hits
        and o.strength is not None
        and o.active.rule.measure is None
        and not o.active.by_length
    )


def _na_reason(ctx: Context, model: ScoringModel):
    """The 'cannot judge' message for an outcome."""
    words = ctx.readability.words if ctx.readability else 0

    def reason(o: Outcome) -> str:
        if o.active.rule.dimension == "readability":
            return f"Too short to judge ({words} words; needs {model.min_words})"
        return "Cannot judge this piece (no prose found)"

    return reason


def _dimension(name: str, weight: float, marks: list[tuple[float, float]]) -> DimensionScore:
    """100 x the weighted mean of the rules' marks (strength, or 1 - penalty for negatives).

    ``marks`` are (weight, mark) of this dimension's rules that could judge the piece, in rule
    order. A rule marked ``by_length`` counts with its weight scaled by the evidence the
    piece's length offers (outcome.evidence).
    """
    total = sum(w for w, _ in marks)
    if total <= 0:
        return DimensionScore(name, DIMENSION_TEXT[name][0], None, weight)
    value = round(100 * sum(w * m for w, m in marks) / total)
    return DimensionScore(name, DIMENSION_TEXT[name][0], value, weight)


def _gains(
    weighed: list[tuple[str, float, float | None]],
    marks: dict[str, list[tuple[float, float]]],
    dims: tuple[DimensionScore, ...],
) -> tuple[float, ...]:
    """What each outcome's rule would add to the overall score at a full mark (unrounded:
    rendering rounds it, and ``round`` to a digit costs more than the rest of this).

    ``weighed`` is each outcome's (dimension, weight, mark), ``marks`` what ``_dimension``
    averaged. A rule's mark m of weight w moves its dimension by 100 w (1 - m) / W, W the
    weights of its dimension's marks; the dimension moves the overall by its weight over
    those of the dimensions that judged the piece (``_overall``). Rounding the scores to whole
    points can make the change one point more or less.
    """
    judged = _judged(dims)
    total = sum(d.weight for d in judged)
    scale = {  # a judged dimension has marks of positive total weight
        d.name: 100 * d.weight / total / sum(w for w, _ in marks[d.name]) for d in judged
    }
    return tuple(
        [
            w * (1 - m) * scale[name] if m is not None and name in scale else 0.0
            for name, w, m in weighed
        ]
    )


def _judged(dims: tuple[DimensionScore, ...]) -> list[DimensionScore]:
    """The dimensions that count in the overall score: those that judged the piece and weigh."""
    return [d for d in dims if d.score is not None and d.weight > 0]


def _overall(dims: tuple[DimensionScore, ...]) -> int:
    """Weighted mean of the dimensions that could judge the piece (0 when none could)."""
    judged = [(d.score, d.weight) for d in _judged(dims)]
    total = sum(w for _, w in judged)
    return round(sum(s * w for s, w in judged) / total) if total else 0  # type: ignore[operator]
