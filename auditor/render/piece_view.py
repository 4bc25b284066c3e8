"""The view model of one piece page: metadata, gauges, highlighted text, findings, readability."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup

from auditor.config import EVIDENCE_LISTED
from auditor.model import PieceResult, Readability, RuleInfo
from auditor.render.export import Lines, SpanRow
from auditor.render.finding_view import (
    EvidenceView,
    FindingSection,
    finding_sections,
    finding_spans,
)
from auditor.render.fragments import (
    prose_html,
)
from auditor.render.groups import group_keys
from auditor.render.highlight import Anchor, BlockGroup, highlight_groups
from auditor.render.safety import original_link
from auditor.render.views import (
    LABEL_TEXT,
    Column,
    DeltaView,
    GroupLink,
    ScoreView,
    delta_view,
    piece_href,
    score_of,
    score_view,
)

MAX_LABEL_SPANS = 8
TextGroups = tuple[tuple[str, tuple[str, ...]], ...]
"""Highlighted text as (group kind, HTML of each block): plain strings, which pickle fast."""


@dataclass(frozen=True, slots=True)
class Figure:
    """A labelled readability figure, already formatted."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class HardSentence:
    """A hard sentence with its grade and a link to it in the text when placed."""

    href: str | None
    text: str
    grade: str


@dataclass(frozen=True, slots=True)
class NavLink:
    """A previous/next link; ``href`` is relative to the site root."""

    title: str
    href: str


@dataclass(frozen=True, slots=True)
class PieceView:
    """Everything the piece template shows, decided in Python."""

    title: str
    source: GroupLink | None
    source_kind: str
    path: str | None
    url: str | None
    url_text: str | None
    date: str
    month: GroupLink | None
    authors: tuple[GroupLink, ...]
    tags: tuple[GroupLink, ...]
    words: int
    label_text: str
    label_spans: tuple[EvidenceView, ...]
    overall: ScoreView
    delta: DeltaView
    previous_overall: int | None
    scores: tuple[ScoreView, ...]
    groups: TextGroups
    prose: Markup
    sections: tuple[FindingSection, ...]
    too_short: bool
    figures: tuple[Figure, ...]
    hardest: tuple[HardSentence, ...]
    prev: NavLink | None
    next: NavLink | None

    @property
    def gauges(self) -> tuple[ScoreView, ...]:
        """Overall first, then each dimension."""
        return (self.overall, *self.scores)

    @property
    def text(self) -> tuple[BlockGroup, ...]:
        """The highlighted text as block groups, for templates that lay it out themselves
        (the theme shows ``prose``, made from the same groups)."""
        return tuple(BlockGroup(kind, tuple(map(Markup, items))) for kind, items in self.groups)


def _num(value: float | None, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:.1f}{unit}"


def figures(r: Readability) -> tuple[Figure, ...]:
    """The readability figures in display order."""
    return (
        Figure("Words", str(r.words)),
        Figure("Sentences", str(r.sentences)),
        Figure("Flesch reading ease", _num(r.flesch_reading_ease)),
        Figure("Flesch–Kincaid grade", _num(r.flesch_kincaid_grade)),
        Figure("Gunning fog", _num(r.gunning_fog)),
        Figure("SMOG index", _num(r.smog_index)),
        Figure("Coleman–Liau index", _num(r.coleman_liau_index)),
        Figure("Automated readability index", _num(r.automated_readability_index)),
        Figure("Dale–Chall score", _num(r.dale_chall)),
        Figure("Reading time", _num(r.reading_time_minutes, " min")),
    )


def _nav(result: PieceResult | None) -> NavLink | None:
    if result is None:
        return None
    return NavLink(result.doc.title or result.doc.id, piece_href(result))


def _first(links: tuple[GroupLink, ...]) -> GroupLink | None:
    return links[0] if links else None


def _links(
    result: PieceResult, hrefs: Mapping[str, Mapping[str, str]], folder: str
) -> tuple[GroupLink, ...]:
    """Links from a piece to the roll-up pages of one kind it belongs to."""
    pages = hrefs.get(folder, {})
    return tuple(GroupLink(k, pages[k]) for k in group_keys(result, folder) if k in pages)


@dataclass(frozen=True, slots=True)
class PieceBody:
    """The costly part of a piece page, from the piece alone (no slugs, neighbours or groups).

    Builds compute it in the worker right after scoring and keep it in the cache, so the
    parent only assembles pages; it holds strings and tuples, not ``Markup`` or one object
    per block, which pickle faster. Readability figures are not here: a lightened result
    keeps them.
    """

    groups: TextGroups
    sections: tuple[FindingSection, ...]
    label_spans: tuple[EvidenceView, ...]
    hardest: tuple[HardSentence, ...]


def piece_body(
    result: PieceResult,
    titles: Mapping[str, str],
    rules: Mapping[str, RuleInfo],
    spans: Sequence[Sequence[SpanRow]] | None = None,
    listed: int = EVIDENCE_LISTED,
) -> PieceBody:
    """Highlighted text, findings, label evidence and hardest sentences of one piece.

    ``titles`` maps dimension name -> title; ``rules`` maps rule id -> rule; ``spans`` is
    ``finding_spans(result)`` when the caller made it already; ``listed`` is how many spans
    a finding lists (the option ``evidence_listed``).
    """
    doc, read = result.doc, result.readability
    lines = Lines(doc.blocks)
    label_spans = result.label.spans[:MAX_LABEL_SPANS]
    anchors = [Anchor(h.span.start, f"s-{i}") for i, h in enumerate(read.hardest, 1)]
    anchors += [Anchor(span.start, f"l-{i}") for i, span in enumerate(label_spans, 1)]
    marked = [(f.status, f.spans) for f in result.findings]
    groups, placed = highlight_groups(doc.text, doc.blocks, marked, anchors)
    spans = spans or finding_spans(result)
    return PieceBody(
        groups=tuple([(kind, tuple(items)) for kind, items in groups]),
        sections=finding_sections(result, spans, placed, rules, titles, listed),
        label_spans=tuple(
            EvidenceView(placed.get(f"l-{i}"), span.text(doc.text), lines(span.start))
            for i, span in enumerate(label_spans, 1)
        ),
        hardest=tuple(
            HardSentence(_href(placed.get(f"s-{i}")), h.span.text(doc.text), f"{h.grade:.1f}")
            for i, h in enumerate(read.hardest, 1)
        ),
    )


def _href(target: str | None) -> str | None:
    return None if target is None else f"#{target}"


def piece_view(
    result: PieceResult,
    cols: Sequence[Column],
    hrefs: Mapping[str, Mapping[str, str]],
    rules: Mapping[str, RuleInfo],
    neighbours: tuple[PieceResult | None, PieceResult | None],
    base_url: str | None = None,
    has_previous: bool = False,
    body: PieceBody | None = None,
    listed: int = EVIDENCE_LISTED,
) -> PieceView:
    """Build the piece page's view model (``neighbours`` are the previous and next pieces).

    ``hrefs`` maps group kind -> name -> roll-up page (``group_hrefs``); ``body`` is the
    piece's ``piece_body`` when it was computed earlier (by a worker, or kept in the cache),
    else it is made here, listing ``listed`` spans a finding.
    """
    doc = result.doc
    if body is None:
        body = piece_body(result, {c.name: c.title for c in cols}, rules, listed=listed)
    return PieceView(
        title=doc.title or doc.id,
        source=_first(_links(result, hrefs, "sources")),
        source_kind=doc.source_kind,
        path=doc.path,
        url=original_link(doc.url, base_url),
        url_text=doc.url,
        date=doc.date or "",
        month=_first(_links(result, hrefs, "months")),
        authors=_links(result, hrefs, "authors"),
        tags=_links(result, hrefs, "tags"),
        words=result.word_count,
        label_text=LABEL_TEXT.get(result.label.name, result.label.name),
        label_spans=body.label_spans,
        overall=score_view("overall", "Overall", result.overall),
        delta=delta_view(result, has_previous),
        previous_overall=result.previous_overall,
        scores=tuple(score_view(c.name, c.title, score_of(result, c.name)) for c in cols),
        groups=body.groups,
        prose=prose_html(body.groups),
        sections=tuple([replace(s, rules=rules) for s in body.sections]),
        too_short=result.readability.too_short,
        figures=figures(result.readability),
        hardest=body.hardest,
        prev=_nav(neighbours[0]),
        next=_nav(neighbours[1]),
    )
