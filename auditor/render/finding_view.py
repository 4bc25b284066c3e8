"""The findings of one piece as its page lists them: by status, each with its evidence.

Made in a worker with the rest of the page body (``piece_view.piece_body``) and kept in the
cache: a section holds its findings' HTML for a piece page and the records, pickled, for
templates that lay them out themselves.
"""

from __future__ import annotations

import functools
import operator
import pickle
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from markupsafe import Markup

from auditor.config import EVIDENCE_LISTED
from auditor.model import Finding, PieceResult, Reviewed, RuleInfo
from auditor.render.export import Lines, SpanRow, span_groups, span_rows
from auditor.render.fragments import (
    EvidenceItem,
    advice_html,
    advice_mark,
    evidence_html,
    fill_advice,
    finding_html,
    finding_lines,
)
from auditor.render.highlight import evidence_ids
from auditor.render.views import PIECE_ROOT

STATUS_SECTIONS = (
    ("improve", "To improve"),
    ("works", "What works"),
    ("na", "Not applicable"),
    ("dismissed", "Dismissed by an editor"),
)
_NOT_ID = re.compile(r"[^A-Za-z0-9_.:-]+")


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
    gain: float = 0.0
    """Overall points the rule would add at a full mark (``PieceResult.gains``)."""

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


@functools.lru_cache(maxsize=1024)
def rule_anchor(rule_id: str) -> str:
    """The element id of a rule on the rules page (the id, with whitespace made safe)."""
    return _NOT_ID.sub("-", rule_id) or "rule"


def _finding_view(
    n: int,
    f: Finding,
    items: tuple[EvidenceItem, ...],
    rules: Mapping[str, RuleInfo],
    titles: Mapping[str, str],
    listed: int,
    review: Reviewed | None = None,
    gain: float = 0.0,
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
        gain,
    )


def _items(
    rows: Sequence[SpanRow], n: int, placed: Callable[[str], str | None]
) -> tuple[EvidenceItem, ...]:
    """Finding ``n``'s evidence items: each span's text and line, with the element id that
    reaches its ``e-N-K`` in the highlighted text (``placed`` gives it, else None)."""
    ids = map(placed, evidence_ids(n, len(rows)))
    return tuple(zip(ids, map(_text, rows), map(_line, rows), strict=True))


_text, _line = operator.itemgetter(2), operator.itemgetter(3)


def finding_sections(
    result: PieceResult,
    spans: Sequence[Sequence[SpanRow]],
    placed: Mapping[str, str],
    rules: Mapping[str, RuleInfo],
    titles: Mapping[str, str],
    listed: int,
) -> tuple[FindingSection, ...]:
    """Findings by status; accepted ones carry their decision, dismissed ones come last.

    ``spans`` holds each finding's ``span_rows``; ``placed`` maps each evidence id the text
    reaches to the element id it is reached by;
    each finding's page lists ``listed`` of its spans.
    """
    accepted = {r.finding: r for r in result.reviewed if r.decision.action == "accept"}
    views: list[FindingView] = []
    found = placed.get  # the element to link to if placed, else None: in C
    gains = result.finding_gains
    for n, (f, rows, gain) in enumerate(zip(result.findings, spans, gains, strict=True), 1):
        items = _items(rows, n, found)
        review = accepted.get(f) if accepted else None
        views.append(_finding_view(n, f, items, rules, titles, listed, review, gain))
    if result.dismissed:
        text, lines = result.doc.text, Lines(result.doc.blocks)
        for n, review in enumerate(result.dismissed, len(result.findings) + 1):
            rows = span_rows(review.finding.spans, text, lines)
            items = _items(rows, n, {}.get)  # dismissed: not in the text
            views.append(_finding_view(n, review.finding, items, rules, titles, listed, review))
    return tuple(
        FindingSection.of(key, title, _in_reading_order(key, views), rules)
        for key, title in STATUS_SECTIONS
        if key != "dismissed" or result.dismissed
    )


def _in_reading_order(status: str, views: list[FindingView]) -> tuple[FindingView, ...]:
    """The findings of one status; "to improve" ones by what each would add to the overall
    score, most first (ties in rule order), so an editor starts with what matters most."""
    chosen = [v for v in views if v.status == status]
    if status == "improve":
        chosen.sort(key=lambda v: (-v.gain, v.number))
    return tuple(chosen)


def finding_spans(result: PieceResult) -> list[tuple[SpanRow, ...]]:
    """Each finding's ``span_rows``: the page and the JSON show the same spans."""
    text, lines = result.doc.text, Lines(result.doc.blocks)
    return span_groups([f.spans for f in result.findings], text, lines)
