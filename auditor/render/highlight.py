"""Piece text as escaped HTML, block by block, with finding evidence wrapped in linked marks.

This runs for every mark of every piece, so it is one sweep over sorted boundaries with plain
string building over escaped values (``html.escape``), and one ``Markup`` per block at the end.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape as _escape

from markupsafe import Markup

from auditor.model import Block, Span


@dataclass(frozen=True, slots=True)
class Evidence:
    """One span of one finding: finding number, evidence number, offsets, status, tooltip."""

    finding: int
    index: int
    start: int
    end: int
    status: str
    note: str
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:  # the element id of the evidence's first mark, e.g. ``e-3-1``
            object.__setattr__(self, "id", f"e-{self.finding}-{self.index}")


@dataclass(frozen=True, slots=True)
class Anchor:
    """A named position in the text (e.g. a hard sentence) that other parts link to."""

    offset: int
    id: str


@dataclass(frozen=True, slots=True)
class BlockGroup:
    """Consecutive blocks rendered together: a heading, paragraph, quote, cell or list."""

    kind: str
    items: tuple[Markup, ...]


@dataclass(frozen=True, slots=True)
class Highlighted:
    """The piece's text as block groups, and every id that was actually placed in it."""

    groups: tuple[BlockGroup, ...]
    ids: frozenset[str]


def escape_text(text: str) -> str:
    """Escape text and attribute values as plain str (markupsafe's Markup objects cost more)."""
    return _escape(text, quote=True)


class _Mark:
    """An evidence span with its position in the evidence list and its pre-escaped strings.

    ``head`` is the opening ``<mark ...><a href=...`` of a segment this mark alone covers.
    """

    __slots__ = (
        "end",
        "head",
        "href",
        "id",
        "key",
        "length",
        "note",
        "order",
        "raw_note",
        "start",
        "status",
    )

    def __init__(
        self, start: int, end: int, order: int, key: str, finding: int, texts: tuple[str, ...]
    ) -> None:
        self.start, self.end, self.order, self.length = start, end, order, end - start
        self.key = key  # the raw element id, as recorded in ``placed``
        self.id, self.raw_note, self.note, self.status = texts
        self.href = f'<a href="#f-{finding}"'
        self.head = (
            f'<mark class="hl hl-{self.status}" data-evidence="{self.id}" title="{self.note}">'
            f"{self.href}"
        )


def _anchor_html(anchor_id: str) -> str:
    return f'<span class="anchor" id="{escape_text(anchor_id)}"></span>'


def _mark_html(segment: str, covering: list[_Mark], placed: set[str]) -> str:
    """One escaped segment covered by evidence (in evidence order): the innermost, then
    first, links.

    A segment of white space only (between two touching spans) gets no link, which would have
    no discernible text for a screen reader; ids it should carry become empty anchors.
    """
    if segment.isspace() or not segment:
        ids = [m for m in covering if m.key not in placed]
        placed.update(m.key for m in ids)
        return "".join(f'<span class="anchor" id="{m.id}"></span>' for m in ids) + segment
    if len(covering) == 1:
        mark = covering[0]
        if mark.key in placed:
            return f"{mark.head}>{segment}</a></mark>"
        placed.add(mark.key)
        return f'{mark.head} id="{mark.id}">{segment}</a></mark>'
    winner = min(covering, key=lambda m: (m.length, m.order))
    before = []
    for mark in covering:
        if mark is not winner and mark.key not in placed:
            placed.add(mark.key)
            before.append(f'<span class="anchor" id="{mark.id}"></span>')
    id_attr = ""
    if winner.key not in placed:
        placed.add(winner.key)
        id_attr = f' id="{winner.id}"'
    multi = " hl-multi" if len({m.status for m in covering}) > 1 else ""
    evidence = " ".join(m.id for m in covering)
    note = "; ".join({m.raw_note: m.note for m in covering}.values())
    return (
        f'{"".join(before)}<mark class="hl hl-{winner.status}{multi}" data-evidence="{evidence}" '
        f'title="{note}">{winner.href}{id_attr}>{segment}</a></mark>'
    )


_SPECIAL = re.compile("[&<>\"']")
_GROWTH = {c: len(_escape(c)) - 1 for c in "&<>\"'"}


def _escaped_offsets(raw: str, escaped: str, cuts: list[int], start: int) -> list[int]:
    """Where each offset in ``cuts`` (into the text; ``raw`` starts at ``start``) falls in
    ``escaped``: escaping maps each character on its own, so a slice of the escaped block is
    the escaped slice, and a block is escaped once instead of once per segment."""
    if len(raw) == len(escaped):
        return [cut - start for cut in cuts]
    where = [m.start() for m in _SPECIAL.finditer(raw)]
    grown = list(itertools.accumulate((_GROWTH[raw[w]] for w in where), initial=0))
    return [cut - start + grown[bisect.bisect_left(where, cut - start)] for cut in cuts]


def _block_html(
    text: str,
    start: int,
    end: int,
    inside: list[_Mark],
    anchors: dict[int, list[str]],
    placed: set[str],
) -> Markup:
    """Escape one block's text, splitting it where evidence (``inside`` it) or anchors sit."""
    raw = text[start:end]
    escaped = _escape(raw)
    if not inside and not anchors:
        return Markup(escaped)
    opening: dict[int, list[_Mark]] = {}
    closing: set[int] = set()
    for mark in inside:
        opening.setdefault(max(mark.start, start), []).append(mark)
        closing.add(min(mark.end, end))
    cuts = sorted({start, end, *opening, *closing, *anchors})
    at = _escaped_offsets(raw, escaped, cuts, start)
    parts: list[str] = []
    active: list[_Mark] = []
    for i in range(len(cuts) - 1):
        a = cuts[i]
        if a in anchors:
            for anchor_id in anchors[a]:
                if anchor_id not in placed:
                    placed.add(anchor_id)
                    parts.append(_anchor_html(anchor_id))
        if a in closing:
            active = [m for m in active if m.end > a]
        if a in opening:
            new = opening[a]
            active = sorted(active + new, key=_order) if active or len(new) > 1 else new
        segment = escaped[at[i] : at[i + 1]]
        parts.append(_mark_html(segment, active, placed) if active else segment)
    return Markup("".join(parts))


def _order(mark: _Mark) -> int:
    return mark.order


def _start(mark: _Mark) -> int:
    return mark.start


def _group_kind(block: Block) -> str:
    if block.kind == "item":
        return "list"
    if block.quoted or block.kind == "quote":
        return "quote"
    return block.kind


def highlight(
    text: str,
    blocks: Sequence[Block],
    evidence: Sequence[Evidence] = (),
    anchors: Sequence[Anchor] = (),
) -> Highlighted:
    """Render ``text`` block by block with evidence marks and anchors; report the ids placed."""
    cache: dict[str, str] = {}

    def esc(raw: str) -> str:
        if raw not in cache:
            cache[raw] = escape_text(raw)
        return cache[raw]

    marks = [
        _Mark(
            ev.start,
            ev.end,
            n,
            ev.id,
            ev.finding,
            (esc(ev.id), ev.note, esc(ev.note), esc(ev.status)),
        )
        for n, ev in enumerate(evidence)
        if ev.start < ev.end
    ]
    return _highlight(text, blocks, marks, anchors)


def highlight_findings(
    text: str,
    blocks: Sequence[Block],
    findings: Sequence[tuple[str, str, Sequence[Span]]],
    anchors: Sequence[Anchor] = (),
) -> Highlighted:
    """``highlight`` of findings given as (status, note, spans): evidence ``e-N-K``, no objects.

    The same output as ``highlight`` with one ``Evidence(N, K, ...)`` per span, without
    building them: a real post has ~180 spans.
    """
    marks: list[_Mark] = []
    order = 0
    for n, (status, note, spans) in enumerate(findings, 1):
        texts = (escape_text(note), escape_text(status))
        for k, span in enumerate(spans, 1):
            order += 1
            if span.start < span.end:
                key = f"e-{n}-{k}"  # digits and dashes: nothing to escape
                marks.append(_Mark(span.start, span.end, order, key, n, (key, note, *texts)))
    return _highlight(text, blocks, marks, anchors)


def _highlight(
    text: str, blocks: Sequence[Block], marks: list[_Mark], anchors: Sequence[Anchor]
) -> Highlighted:
    """The sweep: blocks in order, each with the marks and anchors that fall inside it."""
    if not blocks and text:
        blocks = (Block(0, len(text), "paragraph"),)
    marks.sort(key=_start)
    by_anchor = sorted(anchors, key=lambda a: a.offset)
    offsets = [a.offset for a in by_anchor]
    placed: set[str] = set()
    groups: list[tuple[str, list[Markup]]] = []
    pool: list[_Mark] = []
    following = 0
    for block in sorted(blocks, key=lambda b: (b.start, b.end)):
        start, end = block.start, min(block.end, len(text))
        while following < len(marks) and marks[following].start < end:
            pool.append(marks[following])
            following += 1
        pool = [m for m in pool if m.end > start]
        inside = [m for m in pool if m.start < end] if start < end else []
        lo, hi = bisect.bisect_left(offsets, start), bisect.bisect_left(offsets, end)
        here: dict[int, list[str]] = {}
        for anchor in by_anchor[lo:hi]:  # a stable sort: given order at the same offset
            here.setdefault(anchor.offset, []).append(anchor.id)
        html = _block_html(text, start, end, inside, here, placed)
        kind = _group_kind(block)
        if kind == "list" and groups and groups[-1][0] == "list":
            groups[-1][1].append(html)
        else:
            groups.append((kind, [html]))
    return Highlighted(
        groups=tuple(BlockGroup(kind, tuple(items)) for kind, items in groups),
        ids=frozenset(placed),
    )
