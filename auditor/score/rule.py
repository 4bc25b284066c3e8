"""What a rule is (a small declared record) and the registry that holds rules in a fixed order."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from auditor.model import Document
from auditor.score.text import END, FIRST, START, STOP, Context, Hit, Sentence, sentence_words

Polarity = Literal["positive", "negative"]
Detect = Callable[[Document, Context], "list[Hit] | None"]
Measure = Callable[[Context], "float | None"]
Rank = Callable[[Context, "list[Hit]"], "list[Hit]"]
DIMENSIONS = ("conversational", "dialogue", "community", "restraint", "readability")
SHOWN_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class Params:
    """A rule's numbers from the model data: weight, saturation target, floor, free allowance."""

    weight: float
    target: float = 1.0
    floor: float = 0.0
    allow: int = 0


@dataclass(frozen=True, slots=True)
class Rule:
    """One check: what it looks for, why it matters, what to do, and examples it flags and passes.

    ``detect`` returns the evidence as character ranges, or ``None`` when it cannot judge.
    A ``presence`` rule counts as fully met by one hit. A ``measure`` rule scores a value of the
    whole piece (a proportion, a mean, Flesch reading ease) instead of a rate of hits, and its
    detector returns the sentences that explain the value. ``rank`` picks which hits are shown
    (e.g. the few worst sentences instead of every word); ``shows`` says whether the evidence
    is good (highlighted when the finding works) or a problem (highlighted when to improve).
    A ``log_scale`` measure puts value, floor and target on a log scale (4 against 8 words
    counts as much as 20 against 40).
    """

    id: str
    title: str
    polarity: Polarity
    noun: tuple[str, str]
    why: str
    suggestion: str
    research: str
    detect: Detect
    flags: tuple[str, ...]
    passes: tuple[str, ...]
    presence: bool = False
    measure: Measure | None = None
    describe: Callable[[Context], str] | None = None
    rank: Rank | None = None
    problems: bool | None = None
    log_scale: bool = False
    dimension: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The dimension is the first part of the dotted id; kept, as scoring asks for it often.
        object.__setattr__(self, "dimension", self.id.split(".", 1)[0])

    @property
    def shows_problems(self) -> bool:
        """Whether the evidence marks problems (negative rules, unless declared otherwise)."""
        return self.polarity == "negative" if self.problems is None else self.problems

    def count_phrase(self, n: int) -> str:
        """'1 question to readers' / '3 questions to readers'."""
        return f"{n} {self.noun[0] if n == 1 else self.noun[1]}"


class Registry:
    """Rules in registration order; ids are unique and every rule belongs to a known dimension."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def register(self, *rules: Rule) -> None:
        """Add rules at the end, refusing duplicates and unknown dimensions."""
        for rule in rules:
            if rule.id in self._rules:
                raise ValueError(f"rule {rule.id} registered twice")
            if rule.dimension not in DIMENSIONS:
                raise ValueError(f"rule {rule.id}: unknown dimension {rule.dimension}")
            self._rules[rule.id] = rule

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def get(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError if none)."""
        return self._rules[rule_id]


def from_lists(*names: str, own_only: bool = True) -> Detect:
    """A detector that reports the matches of the named word lists (own voice only, by default)."""

    def detect(doc: Document, ctx: Context) -> list[Hit]:
        return _list_hits(ctx, names, own_only)

    return detect


def _list_hits(ctx: Context, names: Iterable[str], own_only: bool) -> list[Hit]:
    """The character ranges of the named lists' matches, list by list."""
    starts, ends, matches = ctx.starts, ctx.ends, ctx.matches
    return [
        (starts[first], ends[last])
        for name in names
        for first, last, own in matches.get(name, ())
        if own or not own_only
    ]


def worst_sentences(ctx: Context, hits: list[Hit]) -> list[Hit]:
    """The few own sentences with the most hits per word, in text order: where to start editing.

    A density is a property of stretches of text, so its evidence is whole sentences, never
    every word that counts towards it.
    """
    if not hits:
        return []
    sentences, ends = _worded(ctx)
    counts: dict[int, int] = {}
    for start, _ in hits:
        i = bisect_right(ends, start)
        if i < len(sentences) and sentences[i][START] <= start:
            counts[i] = counts.get(i, 0) + 1
    ranked = sorted(counts, key=lambda i: (-counts[i] / max(sentence_words(sentences[i]), 8), i))
    shown = sorted(ranked[:SHOWN_SENTENCES])
    return [(sentences[i][START], sentences[i][END]) for i in shown]


def _worded(ctx: Context) -> tuple[list[Sentence], list[int]]:
    """The sentences holding words and their ends, found once per piece (two rules rank by
    them, each reading two attributes of every sentence otherwise)."""
    found = ctx.memo.get("worded")
    if found is None:
        sentences = [s for s in ctx.sentences if s[STOP] > s[FIRST]]
        found = ctx.memo["worded"] = (sentences, [s[END] for s in sentences])
    assert isinstance(found, tuple)
    return found
