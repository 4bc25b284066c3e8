"""Machine-readable exports: audit.json (schema in docs/audit-json.md), audit.csv, pieces.json."""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import json
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from auditor.model import (
    Audit,
    Block,
    Decision,
    Finding,
    PieceResult,
    Readability,
    RuleInfo,
    Span,
)
from auditor.render.safety import csv_cell
from auditor.render.views import Column, columns, piece_href, score_of
from auditor.schema import SCHEMA_VERSION

MAX_SPANS = 50  # spans per finding, the scorer's own cap (auditor.score.outcome.MAX_SPANS)
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


SpanRow = tuple[int, int, str, int | None]
"""A span as a piece's JSON and page show it: start, end, its text and its source line."""

_str = json.encoder.encode_basestring  # what _ENCODER does to a str (ensure_ascii=False), in C


_block_order = operator.attrgetter("start", "end")
_starts = operator.itemgetter(0)  # a ``Span`` is a (start, end) pair: read in C, with no
_ends = operator.itemgetter(1)  # call of its ``start`` and ``end`` properties


class Lines:
    """The source line of offsets into one document's text: the line of the block that holds
    the offset, among the two that start last at or before it (the earlier one first).

    ``of`` answers for a whole list of offsets in one pass: a post has ~190 spans, and one
    function call per span cost as much as the rest of its row.
    """

    __slots__ = ("ends", "lines", "starts")

    def __init__(self, blocks: Sequence[Block]) -> None:
        ordered = sorted(blocks, key=_block_order)
        self.starts = [b.start for b in ordered]
        # Two blocks that hold nothing first: block k - 2 and k - 1 (k = bisect_right(starts,
        # offset), those the offset is not before) are ends[k], ends[k + 1] here.
        self.ends = [-1, -1, *[b.end for b in ordered]]
        self.lines: list[int | None] = [None, None, *[b.line for b in ordered]]

    def __call__(self, offset: int) -> int | None:
        """The line of one offset (None when no block holds it)."""
        return self.of([offset])[0]

    def of(self, offsets: list[int]) -> list[int | None]:
        """The line of each offset."""
        ends, lines = self.ends, self.lines
        found = map(bisect.bisect_right, itertools.repeat(self.starts), offsets)
        return [
            lines[k] if at <= ends[k] else lines[k + 1] if at <= ends[k + 1] else None
            for at, k in zip(offsets, found, strict=True)
        ]


def span_rows(spans: Sequence[Span], text: str, lines: Lines) -> tuple[SpanRow, ...]:
    """Each span's offsets, text and line: computed once, read by the JSON and the page."""
    return span_groups([spans], text, lines)[0]


def span_groups(
    groups: Sequence[Sequence[Span]], text: str, lines: Lines
) -> list[tuple[SpanRow, ...]]:
    """``span_rows`` of each group of spans (a piece's findings), made for all spans at once
    and cut back into groups: rows made by ``zip`` and ``map``, with no Python step per span
    and none per group (a post has ~30 findings)."""
    spans = list(itertools.chain.from_iterable(groups))
    starts, ends = list(map(_starts, spans)), list(map(_ends, spans))
    quoted = map(text.__getitem__, map(slice, starts, ends))
    rows = tuple(zip(starts, ends, quoted, lines.of(starts), strict=True))
    bounds = list(itertools.accumulate(map(len, groups), initial=0))
    return list(map(rows.__getitem__, map(slice, bounds, bounds[1:])))


def _spans_json(rows: Sequence[SpanRow]) -> str:
    """A list of spans as JSON text, each ``[start,end,text,line]``, formatted directly: a
    post has ~190 spans, and the C encoder given the rows took ~1.5x as long as this f-string."""
    return ",".join(
        [
            f"[{start},{end},{_str(text)},{'null' if line is None else line}]"
            for start, end, text, line in rows
        ]
    )


def _finding_json(
    f: Finding, rows: Sequence[SpanRow], gain: float = 0.0, decision: str = ""
) -> str:
    """One finding as JSON text: ``gain`` from ``PieceResult.gains`` (to 0.1 point),
    ``decision`` the encoded decision of a dismissed one.

    The rule's own texts (dimension, why, suggestion) are in the top-level ``rules`` table.
    """
    after = f',"decision":{decision}}}' if decision else "}"
    return (
        f'{{"rule":{_str(f.rule)},"status":{_str(f.status)},"message":{_str(f.message)},'
        f'"gain":{gain:.1f},"spans":[{_spans_json(rows[:MAX_SPANS])}]{after}'
    )


_FIGURES = tuple(f.name for f in fields(Readability) if f.name != "hardest")
_figures = operator.attrgetter(*_FIGURES)


def _readability_json(r: Readability, text: str) -> str:
    figures = dict(zip(_FIGURES, _figures(r), strict=True))
    hardest = [
        {"start": h.span.start, "end": h.span.end, "text": h.span.text(text), "grade": h.grade}
        for h in r.hardest
    ]
    return _ENCODER.encode({**figures, "hardest": hardest})


def _decision(d: Decision) -> dict[str, Any]:
    return {"action": d.action, "comment": d.comment, "evidence": d.evidence}


HEAVY_KEYS = ("label_spans", "readability", "findings")
"""The keys of a piece's JSON that need its text; ``heavy_json`` encodes them ahead of time."""


def heavy_json(
    result: PieceResult, spans: Sequence[Sequence[SpanRow]] | None = None
) -> dict[str, str]:
    """The encoded values of ``HEAVY_KEYS``: the bulk of a piece's JSON, from the piece alone.

    Workers encode them right after scoring and the cache keeps them, so the parent writes
    audit.json without the pieces' text, findings or spans. ``spans`` holds each finding's
    ``span_rows`` when the caller made them already (the page shows the same spans).
    """
    doc = result.doc
    lines = Lines(doc.blocks)
    if spans is None:
        spans = span_groups([f.spans for f in result.findings], doc.text, lines)
    findings = ",".join(map(_finding_json, result.findings, spans, result.finding_gains))
    return {
        "label_spans": f"[{_spans_json(span_rows(result.label.spans, doc.text, lines))}]",
        "readability": _readability_json(result.readability, doc.text),
        "findings": f"[{findings}]",
    }


def _dismissed_json(result: PieceResult) -> str:
    """Findings an editor dismissed, each with its decision (reviewed pieces are full)."""
    if not result.reviewed:
        return ""  # most pieces: no line finder to make
    text, lines = result.doc.text, Lines(result.doc.blocks)
    return ",".join(
        _finding_json(
            r.finding,
            span_rows(r.finding.spans, text, lines),
            decision=_ENCODER.encode(_decision(r.decision)),
        )
        for r in result.dismissed
    )


def piece_json(result: PieceResult, heavy: Mapping[str, str] | None = None) -> str:
    """One piece as compact JSON text, exactly as it appears in audit.json (key order in
    docs/audit-json.md).

    With ``heavy`` (from ``heavy_json``), those values are spliced in as they are, so
    ``result`` may be a lightened one that lacks text and findings. The other keys are
    encoded in three dicts, one encoder call each.
    """
    doc = result.doc
    heavy = heavy if heavy is not None else heavy_json(result)
    scores: dict[str, int | None] = {d.name: d.score for d in result.dimensions}
    scores["overall"] = result.overall
    head = {
        "id": doc.id,
        "slug": doc.slug,
        "title": doc.title,
        "source": doc.source,
        "source_kind": doc.source_kind,
        "path": doc.path,
        "digest": doc.digest,
        "url": doc.url,
        "date": doc.date,
        "authors": doc.authors,
        "tags": doc.tags,
        "word_count": result.word_count,
        "label": result.label.name,
    }
    middle = {"scores": scores, "previous_overall": result.previous_overall, "delta": result.delta}
    accepted = [
        {"rule": r.finding.rule, "decision": _decision(r.decision)}
        for r in result.reviewed
        if r.decision.action == "accept"
    ]
    tail = {"accepted": accepted, "page": piece_href(result)}
    encode = _ENCODER.encode
    return (
        f'{encode(head)[:-1]},"label_spans":{heavy["label_spans"]},{encode(middle)[1:-1]},'
        f'"readability":{heavy["readability"]},"findings":{heavy["findings"]},'
        f'"dismissed":[{_dismissed_json(result)}],{encode(tail)[1:]}'
    )


def piece_to_json(result: PieceResult) -> dict[str, Any]:
    """One piece as a JSON-ready dict, in the documented key order: ``piece_json`` parsed, so
    the dict and audit.json cannot differ."""
    data: dict[str, Any] = json.loads(piece_json(result))
    return data


def _head(audit: Audit) -> dict[str, Any]:
    """The top-level keys before ``pieces``, in the documented order."""
    return {
        "schema_version": SCHEMA_VERSION,
        "title": audit.title,
        "base_url": audit.base_url,
        "generated": audit.generated,
        "dimensions": [
            {"name": d.name, "title": d.title, "description": d.description, "weight": d.weight}
            for d in audit.dimensions
        ],
        "rules": rules_to_json(audit.rules),
        "has_previous": audit.has_previous,
        "history": [
            {"build": h.build, "label": h.label, "pieces": h.pieces, "medians": dict(h.medians)}
            for h in audit.history
        ],
        "removed": list(audit.removed),
    }


RULE_KEYS = (
    *("dimension", "title", "polarity", "weight", "why", "suggestion", "research"),
    *("kind", "target", "floor", "allow", "log_scale"),  # how evidence becomes a mark
)
"""What audit.json's ``rules`` table says of each rule: the same for every piece, so findings
name their rule and carry none of it. (Its example sentences stay on the rules page.)"""


def rules_to_json(rules: Sequence[RuleInfo]) -> dict[str, dict[str, Any]]:
    """Rule id -> ``RULE_KEYS`` of the rule, in the model's order."""
    return {r.id: {key: getattr(r, key) for key in RULE_KEYS} for r in rules}


def _skipped(audit: Audit) -> list[dict[str, Any]]:
    return [
        {"path": s.path, "line": s.line, "reason": s.reason, "warning": s.warning}
        for s in audit.skipped
    ]


def audit_to_json(audit: Audit) -> dict[str, Any]:
    """The whole audit as a JSON-ready dict (``SCHEMA_VERSION``)."""
    return {
        **_head(audit),
        "pieces": [piece_to_json(r) for r in audit.results],
        "skipped": _skipped(audit),
    }


def dumps(data: Any) -> str:
    """Compact, deterministic JSON text with a trailing newline."""
    return _ENCODER.encode(data) + "\n"


class PieceText(str):
    """A piece's JSON text in ``audit_json_chunks``, tagged with its slug (a writer notes
    where it lands, so the next build can copy it)."""

    slug: str


@dataclass(frozen=True, slots=True)
class Reused:
    """A piece whose JSON is unchanged: bytes ``start:end`` of the previous audit.json."""

    slug: str
    start: int
    end: int


@dataclass
class JsonReuse:
    """audit.json pieces to copy from the previous file, and where every piece lands now.

    ``ranges`` maps slug -> byte range in ``source`` of JSON known to be current (the build
    cache checks page keys and the file's size and mtime); ``placed`` receives slug -> byte
    range in the new file, for the next build.
    """

    source: Path | None = None
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)
    placed: dict[str, tuple[int, int]] = field(default_factory=dict)


def audit_json_chunks(
    audit: Audit,
    heavy: Callable[[PieceResult], Mapping[str, str] | None] | None = None,
    reuse: Mapping[str, tuple[int, int]] | None = None,
) -> Iterator[str | Reused]:
    """``dumps(audit_to_json(audit))`` piece by piece, so the whole file is never in memory.

    ``heavy`` gives a piece's ``heavy_json`` when it was encoded earlier (None: encode here);
    ``reuse`` maps slugs to byte ranges of the previous file that hold exactly this piece's
    JSON (the build cache knows which are current), yielded as ``Reused`` to be copied.
    """
    reuse = reuse or {}
    yield _ENCODER.encode(_head(audit))[:-1] + ',"pieces":['
    for n, result in enumerate(audit.results):
        if n:
            yield ","
        slug = result.doc.slug
        if slug in reuse:
            yield Reused(slug, *reuse[slug])
            continue
        text = PieceText(piece_json(result, heavy(result) if heavy else None))
        text.slug = slug
        yield text
    yield '],"skipped":' + _ENCODER.encode(_skipped(audit)) + "}\n"


def audit_csv(audit: Audit, lines: dict[str, str] | None = None) -> str:
    """One CSV row per piece; text cells that could be read as formulas are neutralised.

    ``lines`` maps slug -> the piece's line known to be current (from the build cache); the
    lines made here are added to it, for the next build.
    """
    cols = columns(audit)
    lines = {} if lines is None else lines
    head = ["id", "title", "source", "authors", "date", "tags", "word_count", "label", "overall"]
    out = [_csv_line([*head, *(c.name for c in cols), "page"])]
    for r in audit.results:
        slug = r.doc.slug
        if slug not in lines:
            lines[slug] = _csv_line([csv_cell(c) for c in _csv_cells(r, cols)])
        out.append(lines[slug])
    return "".join(out)


def _csv_line(cells: list[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def _csv_cells(r: PieceResult, cols: tuple[Column, ...]) -> list[object]:
    doc = r.doc
    cells: list[object] = [
        doc.id,
        doc.title,
        doc.source,
        "; ".join(doc.authors),
        doc.date or "",
        "; ".join(doc.tags),
        r.word_count,
        r.label.name,
        r.overall,
    ]
    cells += ["" if (v := score_of(r, c.name)) is None else v for c in cols]
    cells.append(piece_href(r))
    return cells


def table_json(
    audit: Audit,
    cols: tuple[Column, ...] | None = None,
    hrefs: Mapping[str, Mapping[str, str]] | None = None,
    rows: dict[str, str] | None = None,
) -> str:
    """pieces.json: a compact copy of the index table rows for cross-page filtering in JS.

    ``rows`` maps slug -> the piece's encoded row known to be current (from the build cache);
    the rows encoded here are added to it. The file is ``json.dumps`` of the whole payload,
    with each row encoded on its own.
    """
    cols = cols if cols is not None else columns(audit)
    rows = {} if rows is None else rows
    for r in audit.results:
        if r.doc.slug not in rows:
            rows[r.doc.slug] = _ENCODER.encode(_table_row(r, cols))
    head = {
        "columns": ["overall"] + [c.name for c in cols],
        "has_previous": audit.has_previous,
        "links": {kind: dict(names) for kind, names in (hrefs or {}).items()},
    }
    encoded = ",".join([rows[r.doc.slug] for r in audit.results])
    return _ENCODER.encode(head)[:-1] + ',"rows":[' + encoded + "]}\n"


def _table_row(r: PieceResult, cols: tuple[Column, ...]) -> dict[str, Any]:
    return {
        "href": piece_href(r),
        "title": r.doc.title or r.doc.id,
        "source": r.doc.source,
        "authors": list(r.doc.authors),
        "date": r.doc.date or "",
        "tags": list(r.doc.tags),
        "scores": [r.overall] + [score_of(r, c.name) for c in cols],
        "words": r.word_count,
        "label": r.label.name,
        "delta": r.delta,
    }
