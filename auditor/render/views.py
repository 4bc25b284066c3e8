"""View models shared by every page: score gauges, table rows, summaries and page navigation."""

from __future__ import annotations

import functools
import heapq
import json
import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from auditor.model import Audit, PieceResult, RuleInfo
from auditor.render.charts import Chart, distribution_chart, month_chart, score_band

GAUGE_CIRCUMFERENCE = 2 * math.pi * 42
BAND_TEXT = {"poor": "Needs work", "average": "Fair", "good": "Good", "na": "n/a"}
PIECE_ROOT = "../"
"""The site root as seen from a piece page (``pieces/<slug>.html``)."""
LABEL_TEXT = {"information": "Information", "community": "Community", "action": "Action"}
MOST_TO_GAIN = 5


@dataclass(frozen=True, slots=True)
class Column:
    """A score column: the dimension's name and its human title."""

    name: str
    title: str


@dataclass(frozen=True, slots=True)
class ScoreView:
    """One score ready to show: number or n/a, colour band, band text and gauge arc length."""

    name: str
    title: str
    value: int | None
    text: str
    band: str
    band_text: str
    arc: str
    circumference: str


@dataclass(frozen=True, slots=True)
class GroupLink:
    """A link to a roll-up page (author, tag, source, month); ``href`` is relative to the root."""

    name: str
    href: str


@dataclass(frozen=True, slots=True)
class DeltaView:
    """How a score moved since the previous build: short text, words for screen readers."""

    text: str
    words: str
    direction: str
    sort: str


NO_DELTA = DeltaView("", "", "none", "")


@dataclass(frozen=True, slots=True)
class Row:
    """One piece as a table row; every ``href`` is relative to the site root."""

    href: str
    title: str
    source: str
    source_link: GroupLink | None
    authors: tuple[GroupLink, ...]
    date: str
    tags: tuple[GroupLink, ...]
    overall: ScoreView
    scores: tuple[ScoreView, ...]
    delta: DeltaView
    words: int
    label: str
    label_text: str
    authors_json: str
    tags_json: str


@dataclass(frozen=True, slots=True)
class Summary:
    """Headline figures for a set of pieces: count, medians, charts, lowest scorers."""

    count: int
    medians: tuple[ScoreView, ...]
    distribution: Chart
    trend: Chart | None
    most_to_gain: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class PageLink:
    """A link in page navigation; ``href`` is relative to the site root."""

    number: int
    href: str
    current: bool


@functools.lru_cache(maxsize=4096)
def score_view(name: str, title: str, value: int | None) -> ScoreView:
    """A score with its band and the gauge arc length for an r=42 circle (shared: immutable)."""
    band = score_band(value)
    arc = GAUGE_CIRCUMFERENCE * (value or 0) / 100
    return ScoreView(
        name=name,
        title=title,
        value=value,
        text="n/a" if value is None else str(value),
        band=band,
        band_text=BAND_TEXT[band],
        arc=f"{arc:.1f}",
        circumference=f"{GAUGE_CIRCUMFERENCE:.1f}",
    )


def columns(audit: Audit) -> tuple[Column, ...]:
    """The dimension columns, from the audit's dimension list or else the first result's."""
    if audit.dimensions:
        return tuple(Column(d.name, d.title) for d in audit.dimensions)
    seen: dict[str, str] = {}
    for result in audit.results:
        for dim in result.dimensions:
            seen.setdefault(dim.name, dim.title)
    return tuple(Column(name, title) for name, title in seen.items())


def score_of(result: PieceResult, name: str) -> int | None:
    """A piece's score for ``name``, None when the piece lacks that dimension."""
    try:
        return result.score(name)
    except KeyError:
        return None


def piece_href(result: PieceResult) -> str:
    """The piece page's path relative to the site root."""
    return f"pieces/{result.doc.slug}.html"


def delta_view(result: PieceResult, has_previous: bool) -> DeltaView:
    """``▲4`` / ``▼3`` / ``±0`` since the previous build, ``new`` for a new piece."""
    if not has_previous:
        return NO_DELTA
    delta = result.delta
    if delta is None:
        return DeltaView("new", "new since the last build", "new", "")
    if delta > 0:
        return DeltaView(f"▲{delta}", f"up {delta} since the last build", "up", str(delta))
    if delta < 0:
        return DeltaView(f"▼{-delta}", f"down {-delta} since the last build", "down", str(delta))
    return DeltaView("±0", "unchanged since the last build", "same", "0")


def _links(names: Sequence[str], hrefs: Mapping[str, str]) -> tuple[GroupLink, ...]:
    return tuple(GroupLink(n, hrefs[n]) if n in hrefs else GroupLink(n, "") for n in names)


def row(
    result: PieceResult,
    cols: Sequence[Column],
    hrefs: Mapping[str, Mapping[str, str]] | None = None,
    has_previous: bool = False,
) -> Row:
    """The table row of one piece; ``hrefs`` maps group kind -> name -> roll-up page."""
    doc, hrefs = result.doc, hrefs or {}
    source_href = hrefs.get("sources", {}).get(doc.source)
    return Row(
        href=piece_href(result),
        title=doc.title or doc.id,
        source=doc.source,
        source_link=GroupLink(doc.source, source_href) if source_href else None,
        authors=_links(doc.authors, hrefs.get("authors", {})),
        date=doc.date or "",
        tags=_links(doc.tags, hrefs.get("tags", {})),
        overall=score_view("overall", "Overall", result.overall),
        scores=tuple(score_view(c.name, c.title, score_of(result, c.name)) for c in cols),
        delta=delta_view(result, has_previous),
        words=result.word_count,
        label=result.label.name,
        label_text=LABEL_TEXT.get(result.label.name, result.label.name),
        authors_json=json.dumps(list(doc.authors), ensure_ascii=False),
        tags_json=json.dumps(list(doc.tags), ensure_ascii=False),
    )


def median(values: Sequence[int | None]) -> int | None:
    """The median of the known values, rounded half up; None when there are none."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    return math.floor(statistics.median(known) + 0.5)


def month_medians(results: Sequence[PieceResult]) -> tuple[tuple[str, int], ...]:
    """Median overall score of each month that has dated pieces, in month order."""
    by_month: dict[str, list[int]] = {}
    for result in results:
        if result.doc.month:
            by_month.setdefault(result.doc.month, []).append(result.overall)
    return tuple((m, median(v) or 0) for m, v in sorted(by_month.items()))


def dimension_scores(result: PieceResult, cols: Sequence[Column]) -> tuple[int | None, ...]:
    """A piece's score in each column (None where it lacks the dimension), in one pass: the
    tables read every piece's scores several times, so callers keep these tuples."""
    by_name = {d.name: d.score for d in result.dimensions}
    return tuple(by_name.get(c.name) for c in cols)


ScoresOf = Callable[[PieceResult], tuple[int | None, ...]]
"""Gives a piece's ``dimension_scores`` (kept by the caller, computed once per piece)."""


def columns_of(table: Sequence[tuple[int | None, ...]], width: int) -> list[tuple[int | None, ...]]:
    """The columns of a table of score tuples (``width`` of them even when it has no rows)."""
    return list(zip(*table, strict=True)) if table else [() for _ in range(width)]


def summary(
    results: Sequence[PieceResult],
    cols: Sequence[Column],
    *,
    trend: bool = True,
    scores: ScoresOf | None = None,
) -> Summary:
    """Count, medians per dimension, score distribution, monthly trend and most to gain."""
    table = [scores(r) if scores else dimension_scores(r, cols) for r in results]
    medians = [score_view("overall", "Overall", median([r.overall for r in results]))]
    medians += [
        score_view(c.name, c.title, median(values))
        for c, values in zip(cols, columns_of(table, len(cols)), strict=True)
    ]
    lowest = heapq.nsmallest(
        MOST_TO_GAIN, enumerate(results), key=lambda pair: (pair[1].overall, pair[0])
    )
    months = month_medians(results)
    return Summary(
        count=len(results),
        medians=tuple(medians),
        distribution=distribution_chart([r.overall for r in results]),
        trend=month_chart(months) if trend and months else None,
        most_to_gain=tuple(row(r, cols) for _, r in lowest),
    )


def page_name(stem: str, number: int, sep: str = "-") -> str:
    """Path of page ``number`` of a paginated table: index.html, index-2.html, ...

    Group pages use ``sep="--"``, which no group slug contains, so pages cannot clash.
    """
    return f"{stem}.html" if number == 1 else f"{stem}{sep}{number}.html"


def page_links(stem: str, count: int, current: int, sep: str = "-") -> tuple[PageLink, ...]:
    """Links to every page of a paginated table, relative to the site root."""
    if count <= 1:
        return ()
    return tuple(PageLink(n, page_name(stem, n, sep), n == current) for n in range(1, count + 1))


NAV = (
    ("overview", "Overview", "index.html"),
    ("authors", "Authors", "authors/index.html"),
    ("tags", "Tags", "tags/index.html"),
    ("sources", "Sources", "sources/index.html"),
    ("months", "Months", "months/index.html"),
    ("rules", "How scores work", "rules.html"),
    ("skipped", "Skipped", "skipped.html"),
)
BANDS = (("poor", "Needs work (0–49)"), ("average", "Fair (50–89)"), ("good", "Good (90–100)"))


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What the base layout needs: titles, the root prefix, the current nav section."""

    site_title: str
    title: str
    root: str
    section: str
    generated: str | None
    nav: tuple[tuple[str, str, str], ...] = NAV


@dataclass(frozen=True, slots=True)
class Filters:
    """The choices offered by the table filter form (enhanced by static/app.js)."""

    authors: tuple[str, ...]
    tags: tuple[str, ...]
    sources: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]
    bands: tuple[tuple[str, str], ...] = BANDS


@dataclass(frozen=True, slots=True)
class Pagination:
    """Where a table page sits among its pages."""

    number: int
    count: int
    first: int
    last: int
    total: int
    links: tuple[PageLink, ...]


@dataclass(frozen=True, slots=True)
class RuleView:
    """A rule on the rules page, with its anchor and dimension title."""

    anchor: str
    dimension_title: str
    info: RuleInfo


def chunks(items: Sequence[PieceResult], size: int) -> list[Sequence[PieceResult]]:
    """``items`` in table pages of ``size`` (one empty page when there are none)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def filters(audit: Audit) -> Filters:
    """Every author, tag, source and label in the audit, once each, sorted regardless of case."""

    def distinct(values: Sequence[str]) -> tuple[str, ...]:
        return tuple(sorted(set(values), key=lambda v: (v.casefold(), v)))

    docs = [r.doc for r in audit.results]
    return Filters(
        authors=distinct([a for d in docs for a in d.authors]),
        tags=distinct([t for d in docs for t in d.tags]),
        sources=distinct([d.source for d in docs if d.source]),
        labels=tuple(
            (name, LABEL_TEXT.get(name, name))
            for name in distinct([r.label.name for r in audit.results])
        ),
    )
