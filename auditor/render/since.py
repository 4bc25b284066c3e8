"""What changed since the previous build: new, removed, up and down pieces, and the trend."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from auditor.model import Audit, PieceResult
from auditor.render.charts import TrendChart, build_chart
from auditor.render.views import Column, Row

MAX_LISTED = 10


@dataclass(frozen=True, slots=True)
class Changes:
    """The "Since the last build" summary; lists are capped, counts are not."""

    new: tuple[Row, ...]
    new_count: int
    removed: tuple[str, ...]
    removed_count: int
    up: tuple[Row, ...]
    up_count: int
    down: tuple[Row, ...]
    down_count: int
    unchanged: int


def _moved(results: Sequence[PieceResult], sign: int) -> list[PieceResult]:
    """Pieces that moved in one direction, biggest move first, then audit order."""
    moved = [(i, r) for i, r in enumerate(results) if r.delta is not None and r.delta * sign > 0]
    moved.sort(key=lambda pair: (-abs(pair[1].delta or 0), pair[0]))
    return [r for _, r in moved]


def changes(audit: Audit, row: Callable[[PieceResult], Row]) -> Changes | None:
    """The summary of changes since the previous build, or None when there is no previous one."""
    if not audit.has_previous:
        return None
    results = audit.results
    new = [r for r in results if r.previous_overall is None]
    up, down = _moved(results, 1), _moved(results, -1)
    return Changes(
        new=tuple(row(r) for r in new[:MAX_LISTED]),
        new_count=len(new),
        removed=audit.removed[:MAX_LISTED],
        removed_count=len(audit.removed),
        up=tuple(row(r) for r in up[:MAX_LISTED]),
        up_count=len(up),
        down=tuple(row(r) for r in down[:MAX_LISTED]),
        down_count=len(down),
        unchanged=sum(1 for r in results if r.delta == 0),
    )


def trend(audit: Audit, cols: Sequence[Column]) -> TrendChart | None:
    """The build-by-build chart of median scores, when there are two builds or more."""
    return build_chart(audit.history, [("overall", "Overall"), *((c.name, c.title) for c in cols)])
