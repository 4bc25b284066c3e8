"""What a rule is (a small declared record) and the registry that holds rules in a fixed order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from auditor.model import Document, Span
from auditor.score.text import Context

Polarity = Literal["positive", "negative"]
Detect = Callable[[Document, Context], "list[Span] | None"]
Measure = Callable[[Context, "Params"], "float | None"]
DIMENSIONS = ("conversational", "dialogue", "community", "restraint", "readability")


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

    ``detect`` returns the evidence spans, or ``None`` when it cannot judge the piece.
    A ``presence`` rule counts as fully met by one hit; a ``measure`` rule computes its own
    0-1 strength (e.g. mapped Flesch reading ease) instead of a rate of hits.
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

    @property
    def dimension(self) -> str:
        """The dimension is the first part of the dotted id."""
        return self.id.split(".", 1)[0]

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

    def detect(doc: Document, ctx: Context) -> list[Span]:
        return list(_list_spans(ctx, names, own_only))

    return detect


def _list_spans(ctx: Context, names: Iterable[str], own_only: bool) -> Iterator[Span]:
    for name in names:
        for m in ctx.matches.get(name, ()):
            if m.own or not own_only:
                yield ctx.token_span(m.first, m.last)
