"""Inline SVG bar charts computed in Python: geometry as attributes, a text table alongside."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from auditor.model import HistoryPoint

WIDTH, HEIGHT = 600, 200
TOP, BOTTOM, LEFT, RIGHT = 16, 170, 8, 8
MAX_LABELS = 12
LABEL_HALF_CHAR = 3.8
"""Half the width of one axis-label character (12px text): what a centred label reaches out."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: SVG geometry (already formatted), its axis label and value."""

    x: str
    y: str
    width: str
    height: str
    label_x: str
    value_y: str
    label: str
    value: str
    show_label: bool
    band: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A bar chart with a title and description for assistive tech and a data table."""

    id: str
    title: str
    desc: str
    label_heading: str
    value_heading: str
    bars: tuple[Bar, ...]
    show_values: bool
    view_box: str
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = BOTTOM
    label_y: int = BOTTOM + 18


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _view_box(labels: Sequence[tuple[float, str]]) -> str:
    """The SVG viewBox, widened where a centred axis label (``(x, text)``) would be cut off at
    either edge: month labels such as "2014-03" centred on the first and last bars were."""
    left = math.floor(min([0.0, *(x - len(text) * LABEL_HALF_CHAR for x, text in labels)]))
    right = math.ceil(max([WIDTH, *(x + len(text) * LABEL_HALF_CHAR for x, text in labels)]))
    return f"{left} 0 {right - left} {HEIGHT}"


def _bar_box(bars: Sequence[Bar]) -> str:
    """``_view_box`` for the labels a bar chart shows."""
    return _view_box([(float(b.label_x), b.label) for b in bars if b.show_label])


def score_band(score: int | None) -> str:
    """The Lighthouse-style colour band of a 0-100 score: poor, average, good or na."""
    if score is None:
        return "na"
    if score < 50:
        return "poor"
    return "average" if score < 90 else "good"


def _bars(points: Sequence[tuple[str, float, str]], top_value: float) -> tuple[Bar, ...]:
    count = max(len(points), 1)
    slot = (WIDTH - LEFT - RIGHT) / count
    step = -(-count // MAX_LABELS)
    bars = []
    for i, (label, value, band) in enumerate(points):
        height = (BOTTOM - TOP) * (value / top_value if top_value else 0)
        x = LEFT + i * slot + slot * 0.1
        bars.append(
            Bar(
                x=_fmt(x),
                y=_fmt(BOTTOM - height),
                width=_fmt(slot * 0.8),
                height=_fmt(height),
                label_x=_fmt(x + slot * 0.4),
                value_y=_fmt(BOTTOM - height - 4),
                label=label,
                value=f"{value:g}",
                show_label=i % step == 0,
                band=band,
            )
        )
    return tuple(bars)


def distribution_chart(scores: Sequence[int], chart_id: str = "dist") -> Chart:
    """Count of overall scores in ten bands (0-9 ... 90-100)."""
    counts = [0] * 10
    for score in scores:
        counts[min(max(score, 0) // 10, 9)] += 1
    points = [
        (f"{i * 10}–{i * 10 + 9 if i < 9 else 100}", float(n), score_band(i * 10))
        for i, n in enumerate(counts)
    ]
    busiest = max(range(10), key=lambda i: (counts[i], -i))
    desc = (
        f"{len(scores)} pieces in ten score bands; the most, {counts[busiest]}, "
        f"score {points[busiest][0]}."
    )
    bars = _bars(points, max(counts) or 1)
    return Chart(
        id=chart_id,
        title="Distribution of overall scores",
        desc=desc,
        label_heading="Overall score",
        value_heading="Pieces",
        bars=bars,
        show_values=True,
        view_box=_bar_box(bars),
    )


def month_chart(medians: Sequence[tuple[str, int]], chart_id: str = "trend") -> Chart:
    """Median overall score month by month, on a fixed 0-100 scale."""
    points = [(month, float(score), score_band(score)) for month, score in medians]
    if medians:
        first, last = medians[0], medians[-1]
        desc = (
            f"{len(medians)} months from {first[0]} (median {first[1]}) "
            f"to {last[0]} (median {last[1]})."
        )
    else:
        desc = "No dated pieces."
    bars = _bars(points, 100.0)
    return Chart(
        id=chart_id,
        title="Median overall score by month",
        desc=desc,
        label_heading="Month",
        value_heading="Median overall score",
        bars=bars,
        show_values=len(points) <= 24,
        view_box=_bar_box(bars),
    )


@dataclass(frozen=True, slots=True)
class Point:
    """One build on the trend line: SVG position (formatted), axis label and value."""

    x: str
    y: str
    label: str
    value: str
    show_label: bool


@dataclass(frozen=True, slots=True)
class TrendChart:
    """Median overall score across builds as a line, plus every median in a table."""

    id: str
    title: str
    desc: str
    line: str
    points: tuple[Point, ...]
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    gridlines: tuple[tuple[str, str], ...]
    view_box: str
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = BOTTOM
    label_y: int = BOTTOM + 18


def _value(value: int | None) -> str:
    return "n/a" if value is None else str(value)


def build_chart(
    history: Sequence[HistoryPoint], titles: Sequence[tuple[str, str]], chart_id: str = "builds"
) -> TrendChart | None:
    """The trend of median scores over builds; None with fewer than two builds to compare."""
    if len(history) < 2:
        return None
    slot = (WIDTH - LEFT - RIGHT - 40) / (len(history) - 1)
    step = -(-len(history) // MAX_LABELS)
    points = []
    for i, build in enumerate(history):
        overall = dict(build.medians).get("overall")
        y = BOTTOM - (BOTTOM - TOP) * (overall or 0) / 100
        points.append(
            Point(_fmt(LEFT + 20 + i * slot), _fmt(y), build.label, _value(overall), i % step == 0)
        )
    first, last = history[0], history[-1]
    desc = (
        f"{len(history)} builds, from {first.label} (median overall "
        f"{_value(dict(first.medians).get('overall'))}) to {last.label} "
        f"(median overall {_value(dict(last.medians).get('overall'))})."
    )
    rows = tuple(
        (b.label, str(b.pieces), *(_value(dict(b.medians).get(name)) for name, _ in titles))
        for b in history
    )
    return TrendChart(
        id=chart_id,
        title="Median scores build by build",
        desc=desc,
        line=" ".join(f"{p.x},{p.y}" for p in points),
        points=tuple(points),
        headings=("Build", "Pieces", *(title for _, title in titles)),
        rows=rows,
        gridlines=tuple(
            (_fmt(BOTTOM - (BOTTOM - TOP) * v / 100), str(v)) for v in (0, 50, 90, 100)
        ),
        view_box=_view_box([(float(p.x), p.label) for p in points if p.show_label]),
    )
