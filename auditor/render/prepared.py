"""What a worker renders for a piece right after scoring, so the parent only assembles pages.

A piece page's highlighted text and findings, and the bulk of its audit.json entry, depend on
the piece and the scoring model alone. Workers compute them (``prepare``) and the build keeps
them in its cache beside a ``lighten``-ed result (metadata and scores only), which is all the
site-level pages need: the parent never holds every piece's text and findings at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from auditor.config import EVIDENCE_LISTED
from auditor.model import DimensionInfo, Label, PieceResult, RuleInfo
from auditor.render.export import heavy_json
from auditor.render.finding_view import finding_spans
from auditor.render.piece_view import PieceBody, piece_body


@dataclass(frozen=True, slots=True)
class Prepared:
    """A piece's page body and the encoded heavy values of its audit.json entry."""

    body: PieceBody
    json: dict[str, str]


class PreparedFor(Protocol):
    """Gives a piece's page body when one was made earlier (None: render from the result),
    and its JSON values, which audit.json needs for every piece: each read on its own."""

    def __call__(self, result: PieceResult) -> PieceBody | None: ...

    def json(self, result: PieceResult) -> dict[str, str] | None: ...


def prepare(
    result: PieceResult,
    dimensions: Sequence[DimensionInfo],
    rules: Sequence[RuleInfo],
    listed: int = EVIDENCE_LISTED,
) -> Prepared:
    """The page body and JSON of one piece, exactly as the renderer would make them
    (``listed``: spans a finding lists, the option ``evidence_listed``)."""
    titles = {d.name: d.title for d in dimensions}
    spans = finding_spans(result)  # the page quotes the same spans as the JSON: made once
    body = piece_body(result, titles, {r.id: r for r in rules}, spans, listed)
    return Prepared(body, heavy_json(result, spans))


def lighten(result: PieceResult) -> PieceResult:
    """The result without text, blocks, links, findings and evidence spans.

    It keeps what tables, roll-ups, history, CSV and page keys read; anything that needs the
    text (a page, reviews) uses the full result or its ``Prepared`` instead.
    """
    doc = replace(result.doc, text="", blocks=(), links=(), summary="")
    return replace(
        result,
        doc=doc,
        findings=(),
        gains=(),
        label=Label(result.label.name),
        readability=replace(result.readability, hardest=()),
    )
