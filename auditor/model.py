"""The frozen records that flow through the pipeline: ingest -> score -> render.

Every stage takes and returns these dataclasses and never a loose dict, so the shape of the data
is written down once and a stage cannot quietly mutate what an earlier stage produced.
Offsets (``start``/``end``) always index into ``Document.text``, the extracted prose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat, starmap
from operator import itemgetter, le
from typing import Literal

SourceKind = Literal["markdown", "html", "feed"]
BlockKind = Literal["heading", "paragraph", "item", "quote", "cell"]
Status = Literal["works", "improve", "na"]
FunctionLabel = Literal["information", "community", "action"]


class Span(tuple[int, int]):
    """A half-open character range ``[start, end)`` in a document's prose text.

    An immutable pair, not a slotted dataclass: a piece has ~230 spans, and ``Span.many``
    builds them all with one C call each (``tuple.__new__``) after checking every range at
    once; a dataclass costs an allocation and two slot setters per span, five times as much.
    It reads, compares, hashes and prints as the dataclass did (``Span(start=3, end=9)``).
    """

    __slots__ = ()
    __match_args__ = ("start", "end")

    def __new__(cls, start: int, end: int) -> Span:
        if not 0 <= start <= end:
            raise ValueError(f"bad span {start}..{end}")
        return tuple.__new__(cls, (start, end))

    def __getnewargs__(self) -> tuple[int, int]:  # pickle and copy rebuild it through __new__
        return (self[0], self[1])

    def __repr__(self) -> str:
        return f"Span(start={self[0]!r}, end={self[1]!r})"

    def __eq__(self, other: object) -> bool:
        """Equal to another span with the same range, never to a bare tuple."""
        return type(other) is Span and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = tuple.__hash__

    start = property(itemgetter(0), doc="The first character's offset.")
    end = property(itemgetter(1), doc="The offset just past the last character.")

    def text(self, doc_text: str) -> str:
        """The evidence this span points at."""
        return doc_text[self[0] : self[1]]

    @classmethod
    def many(cls, ranges: Iterable[tuple[int, int]]) -> tuple[Span, ...]:
        """Spans of many ``(start, end)`` pairs, each checked as ``Span(start, end)`` checks it.

        The scorer builds a span per highlighted hit: every range is checked at once (C-level
        maps), then each span is one ``tuple.__new__`` call in C, no Python frame per span.
        """
        pairs = tuple(ranges)
        if pairs and not (min(map(_FIRST, pairs)) >= 0 and all(starmap(le, pairs))):
            for start, end in pairs:  # name the first bad range, as Span(start, end) does
                cls(start, end)
        return tuple(map(tuple.__new__, repeat(cls), pairs))


_FIRST = itemgetter(0)


@dataclass(frozen=True, slots=True)
class Block:
    """One block of prose (heading, paragraph, list item, quote) in ``Document.text``.

    ``quoted`` marks someone else's words (block quotes): they count as credit to others,
    never as the author's own voice. ``line`` is the 1-based line in the source file where the
    block starts, when it is known, so that CI annotations can point at the right line.
    ``suppress`` lists rule ids (or prefixes) silenced for this block by an inline
    ``<!-- auditor-ignore: rule.id -->`` comment just before it in the source.
    """

    start: int
    end: int
    kind: BlockKind
    quoted: bool = False
    line: int | None = None
    suppress: tuple[str, ...] = ()

    @classmethod
    def many(cls, rows: Iterable[BlockRow]) -> tuple[Block, ...]:
        """Blocks of many ``(start, end, kind, quoted, line, suppress)`` rows, equal to the
        ones ``Block(*row)`` builds.

        Every post's blocks are built here; filling the slots directly skips the frozen
        dataclass ``__init__``, which sets each field through ``object.__setattr__``: 5,700
        instructions a block instead of 9,700, by callgrind.
        """
        new = object.__new__
        start, end, kind, quoted, line, suppress = (d.__set__ for d in _BLOCK_SLOTS)
        blocks = []
        for row in rows:
            block = new(cls)
            start(block, row[0])
            end(block, row[1])
            kind(block, row[2])
            quoted(block, row[3])
            line(block, row[4])
            suppress(block, row[5])
            blocks.append(block)
        return tuple(blocks)


BlockRow = tuple[int, int, BlockKind, bool, int | None, tuple[str, ...]]
"""A ``Block``'s fields in order, as ``Block.many`` takes them."""
_BLOCK_SLOTS = (Block.start, Block.end, Block.kind, Block.quoted, Block.line, Block.suppress)


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink found in the prose: its target and where its anchor text sits in the text."""

    href: str
    start: int
    end: int
    external: bool


@dataclass(frozen=True, slots=True)
class Document:
    """One piece of content (a post, a page, a feed entry) reduced to what the scorer needs.

    ``id`` is stable across builds (the content path relative to its folder, or feed URL plus
    entry id); ``slug`` is unique within a build and safe to use as a file name.
    ``text`` holds only prose: blocks joined by a blank line, with code, URLs, markup and
    template tags removed.
    """

    id: str
    slug: str
    source: str
    source_kind: SourceKind
    path: str | None
    title: str
    url: str | None
    date: str | None
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str
    text: str
    blocks: tuple[Block, ...]
    links: tuple[Link, ...]
    suppress: tuple[str, ...] = ()
    draft: bool = False
    meta_lines: int = 0
    digest: str = ""

    @property
    def month(self) -> str | None:
        """``YYYY-MM`` of the piece's date, for month roll-ups and trend charts."""
        return self.date[:7] if self.date and len(self.date) >= 7 else None

    def line_at(self, offset: int) -> int | None:
        """The source line of the block holding ``offset``, for file:line messages."""
        for block in self.blocks:
            if block.start <= offset <= block.end:
                return block.line
        return None


@dataclass(frozen=True, slots=True)
class Finding:
    """One explained observation: which rule, what it saw (spans), why it matters, what to do.

    ``status`` groups findings the way an editor reads them: ``works`` (keep doing this),
    ``improve`` (change this), ``na`` (the rule could not judge this piece, e.g. too short).
    A finding with no spans is about the whole piece (e.g. "no question to readers anywhere").
    """

    rule: str
    dimension: str
    status: Status
    message: str
    why: str
    suggestion: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """A dimension's 0-100 score (higher is always better); ``None`` when it cannot judge."""

    name: str
    title: str
    score: int | None
    weight: float


@dataclass(frozen=True, slots=True)
class SentenceDifficulty:
    """A sentence and its Flesch-Kincaid grade, for the 'hardest sentences' list."""

    span: Span
    grade: float
    words: int


@dataclass(frozen=True, slots=True)
class Readability:
    """Textstat figures for the whole piece; ``too_short`` when below the reliable length."""

    words: int
    sentences: int
    syllables: int
    too_short: bool
    flesch_reading_ease: float | None
    flesch_kincaid_grade: float | None
    gunning_fog: float | None
    smog_index: float | None
    coleman_liau_index: float | None
    automated_readability_index: float | None
    dale_chall: float | None
    reading_time_minutes: float
    hardest: tuple[SentenceDifficulty, ...] = ()


@dataclass(frozen=True, slots=True)
class Label:
    """The piece's Lovejoy & Saxton function and the spans that triggered it."""

    name: FunctionLabel
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    """An editor's decision on one finding, from ``reviews.toml``.

    ``evidence`` is a hash of the finding's evidence text, so a decision lapses when the
    sentence it was about changes.
    """

    piece: str
    rule: str
    evidence: str
    action: Literal["accept", "dismiss"]
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Reviewed:
    """A finding together with the editor's decision on it."""

    finding: Finding
    decision: Decision


@dataclass(frozen=True, slots=True)
class PieceResult:
    """Everything the scorer concluded about one document."""

    doc: Document
    dimensions: tuple[DimensionScore, ...]
    overall: int
    label: Label
    readability: Readability
    findings: tuple[Finding, ...]
    reviewed: tuple[Reviewed, ...] = ()
    previous_overall: int | None = None
    gains: tuple[float, ...] = ()
    """Per finding, in order: the points the overall score would rise by were its rule given a
    full mark with everything else the same (0 for a rule that cannot judge). Editors read
    "to improve" findings in this order, as Lighthouse lists opportunities by their savings."""

    @property
    def finding_gains(self) -> tuple[float, ...]:
        """``gains``, one per finding: 0 each for a result made without them (by hand, in
        tests), so every reader zips findings and gains alike."""
        return self.gains or (0.0,) * len(self.findings)

    @property
    def dismissed(self) -> tuple[Reviewed, ...]:
        """Findings an editor dismissed: shown apart, and left out of the scores."""
        return tuple(r for r in self.reviewed if r.decision.action == "dismiss")

    @property
    def delta(self) -> int | None:
        """How the overall score moved since the previous build (None for a new piece)."""
        return None if self.previous_overall is None else self.overall - self.previous_overall

    @property
    def word_count(self) -> int:
        return self.readability.words

    def score(self, name: str) -> int | None:
        """The score of one dimension by name (``overall`` included)."""
        if name == "overall":
            return self.overall
        for dim in self.dimensions:
            if dim.name == name:
                return dim.score
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be audited, and why (shown on stderr and on the site)."""

    path: str
    reason: str
    line: int | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "warning" if self.warning else "skipped"
        return f"{where}: {kind}: {self.reason}"


@dataclass(frozen=True, slots=True)
class DimensionInfo:
    """A scoring dimension as documented on the "How scores work" page."""

    name: str
    title: str
    description: str
    weight: float


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule as documented on the "How scores work" page and in docs/rules.md.

    ``flags`` are sentences the rule fires on and ``passes`` sentences it does not: the same
    examples the rule tables in the tests check, so the documentation cannot drift.
    ``kind``, ``target``, ``floor`` and ``allow`` say how evidence becomes a score (docs/rules.md
    gives the formulas), so an editor can trace a number.
    """

    id: str
    dimension: str
    title: str
    polarity: Literal["positive", "negative"]
    weight: float
    why: str
    suggestion: str
    research: str
    flags: tuple[str, ...] = ()
    passes: tuple[str, ...] = ()
    kind: Literal["rate", "presence", "measure"] = "rate"
    target: float = 1.0
    floor: float = 0.0
    allow: int = 0
    log_scale: bool = False


@dataclass(frozen=True, slots=True)
class Audit:
    """The whole build's results, in a deterministic order, ready to render."""

    title: str
    base_url: str | None
    results: tuple[PieceResult, ...]
    skipped: tuple[Skipped, ...] = ()
    dimensions: tuple[DimensionInfo, ...] = ()
    rules: tuple[RuleInfo, ...] = ()
    generated: str | None = None
    history: tuple[HistoryPoint, ...] = ()
    removed: tuple[str, ...] = ()
    has_previous: bool = False


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """Site-level figures of one earlier build, kept in ``history.json`` for the trend chart."""

    build: int
    label: str
    pieces: int
    medians: tuple[tuple[str, int | None], ...]
