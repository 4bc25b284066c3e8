"""Piece text as escaped HTML, block by block, with finding evidence wrapped in linked marks."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from auditor.model import Block


@dataclass(frozen=True, slots=True)
class Evidence:
    """One span of one finding: finding number, evidence number, offsets, status, tooltip."""

    finding: int
    index: int
    start: int
    end: int
    status: str
    note: str

    @property
    def id(self) -> str:
        """The element id of the evidence's first mark, e.g. ``e-3-1``."""
        return f"e-{self.finding}-{self.index}"


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


def _anchor_html(anchor_id: str) -> Markup:
    return Markup('<span class="anchor" id="{}"></span>').format(anchor_id)


def _mark_html(text: str, covering: list[Evidence], placed: set[str]) -> Markup:
    """One segment covered by evidence: the innermost (then first) evidence wins the link."""
    winner = min(covering, key=lambda ev: (ev.end - ev.start, covering.index(ev)))
    before = Markup("")
    for ev in covering:
        if ev is not winner and ev.id not in placed:
            placed.add(ev.id)
            before += _anchor_html(ev.id)
    if winner.id in placed:
        link = Markup('<a href="#f-{}">{}</a>').format(winner.finding, text)
    else:
        placed.add(winner.id)
        link = Markup('<a href="#f-{}" id="{}">{}</a>').format(winner.finding, winner.id, text)
    statuses = sorted({ev.status for ev in covering})
    classes = f"hl hl-{winner.status}" + (" hl-multi" if len(statuses) > 1 else "")
    return before + Markup('<mark class="{}" data-evidence="{}" title="{}">{}</mark>').format(
        classes,
        " ".join(ev.id for ev in covering),
        "; ".join(dict.fromkeys(ev.note for ev in covering)),
        link,
    )


def _block_html(
    text: str,
    block: Block,
    evidence: Sequence[Evidence],
    anchors: Sequence[Anchor],
    placed: set[str],
) -> Markup:
    """Escape one block's text, splitting it where evidence or anchors start and end."""
    start, end = block.start, min(block.end, len(text))
    inside = [ev for ev in evidence if max(ev.start, start) < min(ev.end, end)]
    here = [a for a in anchors if start <= a.offset < end]
    cuts = {start, end}
    for ev in inside:
        cuts.update((max(ev.start, start), min(ev.end, end)))
    cuts.update(a.offset for a in here)
    points = sorted(cuts)
    html = Markup("")
    for a, b in itertools.pairwise(points):
        for anchor in here:
            if anchor.offset == a and anchor.id not in placed:
                placed.add(anchor.id)
                html += _anchor_html(anchor.id)
        covering = [ev for ev in inside if ev.start <= a and b <= ev.end]
        segment = text[a:b]
        html += _mark_html(segment, covering, placed) if covering else escape(segment)
    return html


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
    if not blocks and text:
        blocks = (Block(0, len(text), "paragraph"),)
    placed: set[str] = set()
    groups: list[tuple[str, list[Markup]]] = []
    for block in sorted(blocks, key=lambda b: (b.start, b.end)):
        html = _block_html(text, block, evidence, anchors, placed)
        kind = _group_kind(block)
        if kind == "list" and groups and groups[-1][0] == "list":
            groups[-1][1].append(html)
        else:
            groups.append((kind, [html]))
    return Highlighted(
        groups=tuple(BlockGroup(kind, tuple(items)) for kind, items in groups),
        ids=frozenset(placed),
    )
