"""Piece text as escaped HTML, block by block, with finding evidence wrapped in linked marks.

This runs for every mark of every piece, so it is one sweep over sorted boundaries with plain
string building over escaped values (``fragments.escape``), and one ``Markup`` per block at the end.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from auditor.model import Block, Span
from auditor.render.fragments import escape

_SPECIAL = re.compile("[&<>\"']")


@dataclass(frozen=True, slots=True)
class Evidence:
    """One span of one finding: finding number, evidence number, offsets and status."""

    finding: int
    index: int
    start: int
    end: int
    status: str
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
    """The piece's text as block groups, every evidence and anchor id it reaches (``ids``),
    and the element id each is reached by (``targets``: its own, or that of a mark that
    begins at the same place)."""

    groups: tuple[BlockGroup, ...]
    ids: frozenset[str]
    targets: Mapping[str, str]


def escape_text(text: str) -> str:
    """Escape text and attribute values as plain str, by the templates' rules (``escape``).

    Most ids and statuses hold nothing to escape: one regex search instead of five
    replacements."""
    return escape(text) if _SPECIAL.search(text) else text


Mark = tuple[int, int, int, int, str, str, str, str, str]
"""An evidence span ready to write, as a plain tuple (a post has ~180): its offsets, its
position in the evidence list, its length, its raw element id (as recorded in ``placed``),
then pre-escaped strings: the id, the opening ``<mark ...><a href=...`` of a segment it alone
covers (the same for every span of a finding: the link names the finding, and only a segment
that several spans cover lists them, in ``data-evidence``), the link and the status.

Marks carry no tooltip: the finding they link to says what they are, and the page's script
gives a mark its findings' headings as a title when the pointer first rests on it (~200 titles
were a third of a page's text section)."""
_START, _END, _ORDER, _LENGTH, _KEY, _ID, _HEAD, _HREF, _STATUS = range(9)
_by_order = operator.itemgetter(_ORDER)
_by_start = operator.itemgetter(_START)
_innermost = operator.itemgetter(_LENGTH, _ORDER)
_ids = operator.itemgetter(_ID)
_statuses = operator.itemgetter(_STATUS)
_block_order = operator.attrgetter("start", "end")


def _mark(start: int, end: int, order: int, key: str, finding: int, texts: tuple[str, ...]) -> Mark:
    """The mark of one span; ``texts`` are its escaped id and status."""
    element_id, status = texts
    href = f'<a href="#f-{finding}"'
    head = f'<mark class="hl hl-{status}">{href}'
    return (start, end, order, end - start, key, element_id, head, href, status)


def _anchors_html(ids: list[str], placed: dict[str, str]) -> str:
    """Empty elements named ``ids`` (raw), for positions no mark's own id can stand for."""
    for anchor_id in ids:
        placed[anchor_id] = anchor_id
    return "".join([f'<span class="anchor" id="{escape_text(i)}"></span>' for i in ids])


def _mark_html(
    segment: str, covering: list[Mark], placed: dict[str, str], waiting: list[str]
) -> str:
    """One escaped segment covered by evidence (in evidence order): the innermost, then
    first, links. ``waiting`` are anchor ids not placed yet at the segment's start.

    Spans and anchors that begin here are reached through the id the link gets when it is the
    first segment of its own span (``placed`` maps them to it): one element per position, not
    an empty anchor each. A segment of white space only (between two touching spans) gets no
    link, which would have no discernible text for a screen reader: ids it should carry become
    empty anchors.
    """
    if segment.isspace():
        ids = waiting + [m[_KEY] for m in covering if m[_KEY] not in placed]
        return _anchors_html(ids, placed) + segment
    winner = min(covering, key=_innermost) if len(covering) > 1 else covering[0]
    begun = waiting  # the caller's list, which it drops after this call
    for mark in covering:
        if mark is not winner and mark[_KEY] not in placed:
            begun.append(mark[_KEY])
    before = id_attr = ""
    if winner[_KEY] not in placed:
        key = placed[winner[_KEY]] = winner[_KEY]
        for other in begun:
            placed[other] = key
        id_attr = f' id="{winner[_ID]}"'
    elif begun:
        before = _anchors_html(begun, placed)
    if len(covering) == 1:
        return f"{before}{winner[_HEAD]}{id_attr}>{segment}</a></mark>"
    multi = " hl-multi" if len(set(map(_statuses, covering))) > 1 else ""
    evidence = " ".join(map(_ids, covering))
    return (
        f'{before}<mark class="hl hl-{winner[_STATUS]}{multi}" data-evidence="{evidence}">'
        f"{winner[_HREF]}{id_attr}>{segment}</a></mark>"
    )


_ENTITY = {c: escape(c) for c in "&<>\"'"}
_GROWTH = {c: len(e) - 1 for c, e in _ENTITY.items()}


class _Escaped:
    """A text escaped once, with where each offset of the text lands in it: escaping maps
    each character on its own, so a slice of the escaped text is the escaped slice, and the
    text is escaped once instead of once per block and segment.

    A post of ~7,000 characters holds a few dozen to escape (apostrophes, mostly): they are
    found with ``str.find`` and the text rebuilt around them, where a regex scan and
    ``html.escape`` went over every character six times.
    """

    __slots__ = ("grown", "text", "where")

    def __init__(self, raw: str) -> None:
        self.where = _specials(raw)
        self.grown: list[int] = []
        self.text = raw
        if self.where:
            pieces, after = [], 0
            for at in self.where:
                pieces += (raw[after:at], _ENTITY[raw[at]])
                after = at + 1
            pieces.append(raw[after:])
            self.text = "".join(pieces)
            growth = (_GROWTH[raw[w]] for w in self.where)
            self.grown = list(itertools.accumulate(growth, initial=0))

    def at(self, cuts: list[int]) -> list[int]:
        """The escaped offsets of ``cuts``, offsets into the raw text."""
        if not self.where:
            return cuts
        found = map(bisect.bisect_left, itertools.repeat(self.where), cuts)  # in C, no frame
        return list(map(operator.add, cuts, map(self.grown.__getitem__, found)))


def _specials(raw: str) -> list[int]:
    """Where ``raw`` holds a character that escaping replaces, in order."""
    where: list[int] = []
    for char in _ENTITY:
        at = raw.find(char)
        while at >= 0:
            where.append(at)
            at = raw.find(char, at + 1)
    where.sort()
    return where


def _block_html(
    text: _Escaped,
    start: int,
    end: int,
    inside: list[Mark],
    anchors: dict[int, list[str]],
    placed: dict[str, str],
) -> str:
    """One block of the text, split where evidence (``inside`` it) or anchors sit."""
    if not inside and not anchors:
        first, last = text.at([start, end])
        return text.text[first:last]
    opening: dict[int, list[Mark]] = {}
    closing: set[int] = set()
    for mark in inside:
        at = mark[_START] if mark[_START] > start else start
        if at in opening:
            opening[at].append(mark)
        else:
            opening[at] = [mark]
        closing.add(mark[_END] if mark[_END] < end else end)
    cuts = sorted({start, end, *opening, *closing, *anchors})
    at = text.at(cuts)
    escaped = text.text
    parts: list[str] = []
    active: list[Mark] = []
    waiting: list[str] = []
    for a, first, last in zip(cuts, at, at[1:], strict=False):  # segment cuts[i]..cuts[i + 1]
        if a in anchors:
            waiting = [i for i in dict.fromkeys(anchors[a]) if i not in placed]
        if active and a in closing:
            if len(active) == 1:  # most marks overlap no other: no list to filter
                active = [] if active[0][_END] <= a else active
            else:
                active = [m for m in active if m[_END] > a]
        new = opening.get(a)
        if new is not None:
            active = sorted(active + new, key=_by_order) if active or len(new) > 1 else new
        segment = escaped[first:last]
        if not active:
            if waiting:
                parts.append(_anchors_html(waiting, placed))
                waiting = []
            parts.append(segment)
        elif waiting or len(active) > 1 or segment.isspace():
            parts.append(_mark_html(segment, active, placed, waiting))
            waiting = []
        elif (mark := active[0])[_KEY] in placed:
            parts.append(f"{mark[_HEAD]}>{segment}</a></mark>")  # a span's later segment
        else:  # most spans: their first segment, which they alone cover
            placed[mark[_KEY]] = mark[_KEY]
            parts.append(f'{mark[_HEAD]} id="{mark[_ID]}">{segment}</a></mark>')
    return "".join(parts)


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
        _mark(
            ev.start,
            ev.end,
            n,
            ev.id,
            ev.finding,
            (esc(ev.id), esc(ev.status)),
        )
        for n, ev in enumerate(evidence)
        if ev.start < ev.end
    ]
    return _highlighted(*_highlight(text, blocks, marks, anchors))


def highlight_findings(
    text: str,
    blocks: Sequence[Block],
    findings: Sequence[tuple[str, Sequence[Span]]],
    anchors: Sequence[Anchor] = (),
) -> Highlighted:
    """``highlight`` of findings given as (status, spans): evidence ``e-N-K``, no objects.

    The same output as ``highlight`` with one ``Evidence(N, K, ...)`` per span, without
    building them: a real post has ~180 spans.
    """
    return _highlighted(*highlight_groups(text, blocks, findings, anchors))


def highlight_groups(
    text: str,
    blocks: Sequence[Block],
    findings: Sequence[tuple[str, Sequence[Span]]],
    anchors: Sequence[Anchor] = (),
) -> tuple[list[tuple[str, list[str]]], dict[str, str]]:
    """``highlight_findings`` as plain strings, (group kind, HTML of each block), with each id
    reached and the element id it is reached by (``Highlighted.targets``): what a page body
    keeps, with no ``Markup`` per block on the way."""
    marks: list[Mark] = []
    order = 0
    for n, (status, spans) in enumerate(findings, 1):
        status = escape_text(status)
        href = f'<a href="#f-{n}"'
        head = f'<mark class="hl hl-{status}">{href}'
        for key, (start, end) in zip(evidence_ids(n, len(spans)), spans, strict=True):
            order += 1  # a span unpacks as the pair it is, in C: no property call per end
            if start < end:
                marks.append((start, end, order, end - start, key, key, head, href, status))
    return _highlight(text, blocks, marks, anchors)


@functools.lru_cache(maxsize=4096)
def evidence_ids(finding: int, count: int) -> tuple[str, ...]:
    """The element ids of finding ``finding``'s first ``count`` spans, ``e-N-K``: digits and
    dashes, nothing to escape. Made once per worker, not twice per span of every piece (the
    text's marks and the findings' links name the same ids)."""
    return tuple([f"e-{finding}-{k}" for k in range(1, count + 1)])


def _highlighted(groups: list[tuple[str, list[str]]], placed: dict[str, str]) -> Highlighted:
    return Highlighted(
        groups=tuple(BlockGroup(kind, tuple(map(Markup, items))) for kind, items in groups),
        ids=frozenset(placed),
        targets=placed,
    )


def _highlight(
    text: str, blocks: Sequence[Block], marks: list[Mark], anchors: Sequence[Anchor]
) -> tuple[list[tuple[str, list[str]]], dict[str, str]]:
    """The sweep: blocks in order, each with the marks and anchors that fall inside it."""
    if not blocks and text:
        blocks = (Block(0, len(text), "paragraph"),)
    marks.sort(key=_by_start)
    starts = list(map(_by_start, marks))
    by_anchor = sorted(anchors, key=lambda a: a.offset)
    offsets = [a.offset for a in by_anchor]
    escaped = _Escaped(text)
    placed: dict[str, str] = {}
    groups: list[tuple[str, list[str]]] = []
    pool: list[Mark] = []  # marks begun before this block's end and not ended before its start
    following = reach = 0  # the first mark not in the pool yet; the furthest block end so far
    for block in sorted(blocks, key=_block_order):
        start, end = block.start, min(block.end, len(text))
        upto = bisect.bisect_left(starts, end, following)
        if pool or upto > following:
            pool = [m for m in pool + marks[following:upto] if m[_END] > start]
            following = upto
        if start >= end:
            inside = []
        elif end >= reach:  # every mark in the pool begins before ``end``
            inside = pool
        else:  # a block ending before an earlier one did (nested): not all of the pool is in it
            inside = [m for m in pool if m[_START] < end]
        reach = max(reach, end)
        here: dict[int, list[str]] = {}
        if offsets:
            lo, hi = bisect.bisect_left(offsets, start), bisect.bisect_left(offsets, end)
            for anchor in by_anchor[lo:hi]:  # a stable sort: given order at the same offset
                here.setdefault(anchor.offset, []).append(anchor.id)
        html = _block_html(escaped, start, end, inside, here, placed)
        kind = _group_kind(block)
        if kind == "list" and groups and groups[-1][0] == "list":
            groups[-1][1].append(html)
        else:
            groups.append((kind, [html]))
    return groups, placed
