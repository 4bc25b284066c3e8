"""The view model of one piece page: metadata, gauges, highlighted text, findings, readability."""

from __future__ import annotations

import functools
import operator
import pickle
import re
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from typing import NamedTuple

from markupsafe import Markup

from auditor.config import EVIDENCE_LISTED
from auditor.model import Finding, PieceResult, Readability, Reviewed, RuleInfo
from auditor.render.export import Lines, SpanRow, span_rows
from auditor.render.fragments import (
    EvidenceItem,
    advice_html,
    advice_mark,
    evidence_html,
    fill_advice,
    finding_html,
    finding_lines,
    prose_html,
)
from auditor.render.groups import group_keys
from auditor.render.highlight import Anchor, BlockGroup, evidence_ids, highlight_groups
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

STATUS_SECTIONS = (
    ("improve", "To improve"),
    ("works", "What works"),
    ("na", "Not applicable"),
    ("dismissed", "Dismissed by an editor"),
)
MAX_LABEL_SPANS = 8
_NOT_ID = re.compile(r"[^A-Za-z0-9_.:-]+")
PIECE_ROOT = "../"
"""The site root as seen from a piece page (``pieces/<slug>.html``)."""
TextGroups = tuple[tuple[str, tuple[str, ...]], ...]
"""Highlighted text as (group kind, HTML of each block): plain strings, which pickle fast."""


@dataclass(frozen=True, slots=True)
class EvidenceView:
    """One quoted span of a finding; ``id`` is set when its mark exists in the text."""

    id: str | None
    text: str
    line: int | None


class FindingView(NamedTuple):
    """A finding as listed under its status section, with links to its evidence.

    ``html(root)`` is the whole ``<li>``, formatted in Python (``fragments``) because a real
    post lists ~30 findings quoting ~180 spans; it lists the first ``listed`` of them, and
    ``evidence`` gives them all as views. A named tuple, not a dataclass: page bodies are
    pickled into the cache and read back per page, and a tuple's fields need no constructor
    call per attribute.
    """

    number: int
    rule: str
    rule_href: str | None
    rule_title: str
    dimension: str
    status: str
    message: str
    why: str
    suggestion: str
    items: tuple[EvidenceItem, ...]
    decision: str = ""
    comment: str = ""
    listed: int = EVIDENCE_LISTED

    @property
    def evidence(self) -> tuple[EvidenceView, ...]:
        """The quoted spans as views (id, text, line), for templates that lay them out."""
        return tuple(EvidenceView(*item) for item in self.items)

    @property
    def evidence_html(self) -> Markup:
        """The ``<li>`` lines of the evidence list, every value escaped."""
        return evidence_html(self.number, self.items, self.listed)

    def html(self, root: str) -> Markup:
        """The finding's ``<li>`` on a page whose site root is ``root``."""
        return finding_html(self, root)


_WHY, _SUGGESTION = FindingView._fields.index("why"), FindingView._fields.index("suggestion")


@dataclass(frozen=True, slots=True)
class FindingSection:
    """The findings of one status: "To improve", "What works" or "Not applicable".

    Made in a worker and read back from the cache for each page: the theme shows the
    findings' HTML only (``page_html``, made once), so the records stay pickled (``packed``)
    until a template asks for ``findings``, and a page unpickles one string instead of ~30
    records with ~180 quoted spans. Neither holds a rule's why and what-to-do, the same in
    every piece and kept in the results already: ``page_html`` has an ``advice_mark`` and a
    record ``None`` instead, filled from ``rules``, which ``piece_view`` sets.
    """

    id: str
    title: str
    count: int
    page_html: str
    packed: bytes
    rules: Mapping[str, RuleInfo] | None = None

    @classmethod
    def of(
        cls,
        id: str,
        title: str,
        findings: tuple[FindingView, ...],
        rules: Mapping[str, RuleInfo] | None = None,
    ) -> FindingSection:
        """The section of ``findings``, with their ``<li>`` HTML for a piece page; the advice
        of findings whose rule (in ``rules``) gives it is left for the page to fill in."""
        ruled = [_advised(f, rules or {}) for f in findings]
        page_html = "\n".join(
            [
                finding_lines(f, PIECE_ROOT, advice_mark(f.rule) if r else None)
                for f, r in zip(findings, ruled, strict=True)
            ]
        )
        rows = tuple(  # plain tuples pickle with no call per finding
            (*f[:_WHY], None, None, *f[_SUGGESTION + 1 :]) if r else tuple(f)
            for f, r in zip(findings, ruled, strict=True)
        )
        packed = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(id, title, len(findings), page_html, packed)

    @property
    def findings(self) -> tuple[FindingView, ...]:
        """The findings as views, for templates that lay them out themselves."""
        rules = self.rules or {}
        return tuple([_with_advice(row, rules) for row in pickle.loads(self.packed)])

    def html(self, root: str) -> Markup:
        """The findings' ``<li>`` lines on a page whose site root is ``root``."""
        if root == PIECE_ROOT:
            return Markup(fill_advice(self.page_html, self._advice))
        return Markup("\n".join([finding_html(f, root) for f in self.findings]))

    def _advice(self, rule_id: str) -> str:
        rule = (self.rules or {}).get(rule_id)
        return advice_html(rule.why, rule.suggestion) if rule else ""


def _advised(f: FindingView, rules: Mapping[str, RuleInfo]) -> bool:
    """Whether the finding's why and what-to-do are its rule's (as the scorer makes them)."""
    rule = rules.get(f.rule)
    return rule is not None and (rule.why, rule.suggestion) == (f.why, f.suggestion)


def _with_advice(row: tuple[object, ...], rules: Mapping[str, RuleInfo]) -> FindingView:
    """A packed finding as a view, its rule's why and what-to-do restored when left out."""
    if row[_WHY] is not None:
        return FindingView(*row)  # type: ignore[arg-type]
    rule = rules.get(str(row[1]))
    advice = (rule.why, rule.suggestion) if rule else ("", "")
    return FindingView(*row[:_WHY], *advice, *row[_SUGGESTION + 1 :])  # type: ignore[arg-type]


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


@functools.lru_cache(maxsize=1024)
def rule_anchor(rule_id: str) -> str:
    """The element id of a rule on the rules page (the id, with whitespace made safe)."""
    return _NOT_ID.sub("-", rule_id) or "rule"


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


def _finding_view(
    n: int,
    f: Finding,
    items: tuple[EvidenceItem, ...],
    rules: Mapping[str, RuleInfo],
    titles: Mapping[str, str],
    listed: int,
    review: Reviewed | None = None,
) -> FindingView:
    rule = rules.get(f.rule)
    return FindingView(
        n,
        f.rule,
        f"rules.html#{rule_anchor(f.rule)}" if rule else None,
        rule.title if rule else f.rule,
        titles.get(f.dimension, f.dimension),
        "dismissed" if review and review.decision.action == "dismiss" else f.status,
        f.message,
        f.why,
        f.suggestion,
        items,
        review.decision.action if review else "",
        review.decision.comment if review else "",
        listed,
    )


def _items(
    rows: Sequence[SpanRow], n: int, placed: Callable[[str], str | None]
) -> tuple[EvidenceItem, ...]:
    """Finding ``n``'s evidence items: each span's text and line, with its id ``e-N-K`` where
    the highlighted text holds that anchor (``placed`` gives the id back, else None)."""
    ids = map(placed, evidence_ids(n, len(rows)))
    return tuple(zip(ids, map(_text, rows), map(_line, rows), strict=True))


_text, _line = operator.itemgetter(2), operator.itemgetter(3)


def _sections(
    result: PieceResult,
    spans: Sequence[Sequence[SpanRow]],
    placed: Set[str],
    rules: Mapping[str, RuleInfo],
    titles: Mapping[str, str],
    listed: int,
) -> tuple[FindingSection, ...]:
    """Findings by status; accepted ones carry their decision, dismissed ones come last.

    ``spans`` holds each finding's ``span_rows``; ``placed`` the evidence ids in the text;
    each finding's page lists ``listed`` of its spans.
    """
    accepted = {r.finding: r for r in result.reviewed if r.decision.action == "accept"}
    views: list[FindingView] = []
    found = dict(zip(placed, placed, strict=True)).get  # the id if placed, else None: in C
    for n, (f, rows) in enumerate(zip(result.findings, spans, strict=True), 1):
        items = _items(rows, n, found)
        review = accepted.get(f) if accepted else None
        views.append(_finding_view(n, f, items, rules, titles, listed, review))
    if result.dismissed:
        text, lines = result.doc.text, Lines(result.doc.blocks)
        for n, review in enumerate(result.dismissed, len(result.findings) + 1):
            rows = span_rows(review.finding.spans, text, lines)
            items = _items(rows, n, {}.get)  # dismissed: not in the text
            views.append(_finding_view(n, review.finding, items, rules, titles, listed, review))
    return tuple(
        FindingSection.of(key, title, tuple(v for v in views if v.status == key), rules)
        for key, title in STATUS_SECTIONS
        if key != "dismissed" or result.dismissed
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


def finding_spans(result: PieceResult) -> list[tuple[SpanRow, ...]]:
    """Each finding's ``span_rows``: the page and the JSON show the same spans."""
    text, lines = result.doc.text, Lines(result.doc.blocks)
    return [span_rows(f.spans, text, lines) for f in result.findings]


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
    return PieceBody(
        groups=tuple([(kind, tuple(items)) for kind, items in groups]),
        sections=_sections(result, spans or finding_spans(result), placed, rules, titles, listed),
        label_spans=tuple(
            EvidenceView(
                f"l-{i}" if f"l-{i}" in placed else None, span.text(doc.text), lines(span.start)
            )
            for i, span in enumerate(label_spans, 1)
        ),
        hardest=tuple(
            HardSentence(
                f"#s-{i}" if f"s-{i}" in placed else None, h.span.text(doc.text), f"{h.grade:.1f}"
            )
            for i, h in enumerate(read.hardest, 1)
        ),
    )


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
