"""Piece text as escaped HTML, block by block, with finding evidence wrapped in linked marks."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape as _escape

from markupsafe import Markup

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


def _anchor_html(anchor_id: str) -> str:
    return f'<span class="anchor" id="{escape_text(anchor_id)}"></span>'


def _mark_html(text: str, covering: list[Evidence], placed: set[str]) -> str:
    """One segment covered by evidence: the innermost (then first) evidence wins the link.

    Built with plain string formatting over escaped values: this runs for every mark of every
    piece, and Markup.format costs several times more.
    """
    winner = min(covering, key=lambda ev: (ev.end - ev.start, covering.index(ev)))
    before = ""
    for ev in covering:
        if ev is not winner and ev.id not in placed:
            placed.add(ev.id)
            before += _anchor_html(ev.id)
    id_attr = ""
    if winner.id not in placed:
        placed.add(winner.id)
        id_attr = f' id="{escape_text(winner.id)}"'
    statuses = sorted({ev.status for ev in covering})
    classes = f"hl hl-{winner.status}" + (" hl-multi" if len(statuses) > 1 else "")
    evidence = " ".join(ev.id for ev in covering)
    note = "; ".join(dict.fromkeys(ev.note for ev in covering))
    return (
        f'{before}<mark class="{escape_text(classes)}" data-evidence="{escape_text(evidence)}" '
        f'title="{escape_text(note)}"><a href="#f-{winner.finding}"{id_attr}>'
        f"{escape_text(text)}</a></mark>"
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
    parts: list[str] = []
    for a, b in itertools.pairwise(sorted(cuts)):
        for anchor in here:
            if anchor.offset == a and anchor.id not in placed:
                placed.add(anchor.id)
                parts.append(_anchor_html(anchor.id))
        covering = [ev for ev in inside if ev.start <= a and b <= ev.end]
        segment = text[a:b]
        parts.append(_mark_html(segment, covering, placed) if covering else escape_text(segment))
    return Markup("".join(parts))


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
