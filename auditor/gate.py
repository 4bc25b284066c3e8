"""The CI gate behind ``auditor check``: which pieces fall short of which thresholds.

Pure: it takes scored pieces and settings and returns verdicts; the formats that present
them live in ``auditor.gate_formats`` and the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from auditor.config import CheckSettings, Thresholds
from auditor.errors import ConfigError
from auditor.model import Finding, PieceResult


@dataclass(frozen=True)
class Shortfall:
    """One score below its minimum."""

    dimension: str
    score: int
    minimum: int

    def __str__(self) -> str:
        return f"{self.dimension} {self.score} is below the minimum {self.minimum}"


@dataclass(frozen=True)
class Verdict:
    """A piece's standing at the gate; ``gated`` is False for pieces the baseline excuses."""

    result: PieceResult
    path: str
    shortfalls: tuple[Shortfall, ...]
    gated: bool

    @property
    def failed(self) -> bool:
        return self.gated and bool(self.shortfalls)

    @property
    def first_line(self) -> int:
        """The line an annotation for the whole piece points at: its first line of prose."""
        doc = self.result.doc
        lines = [b.line for b in doc.blocks if b.line]
        return min(lines) if lines else doc.meta_lines + 1

    def to_improve(self) -> tuple[tuple[Finding, float], ...]:
        """The piece's findings to improve with their gains (``PieceResult.gains``): those with
        evidence on a line first, then those in the dimensions that fell short, each group most
        to gain first, so the few annotations shown are the most actionable."""
        weak = {s.dimension for s in self.shortfalls}
        everything = "overall" in weak
        result = self.result
        pairs = [
            (f, g)
            for f, g in zip(result.findings, result.finding_gains, strict=True)
            if f.status == "improve"
        ]
        return tuple(
            sorted(
                pairs,
                key=lambda p: (
                    not p[0].spans,
                    not everything and p[0].dimension not in weak,
                    -p[1],
                ),
            )
        )


def merge_thresholds(base: Thresholds, override: Mapping[str, int]) -> Thresholds:
    """Command-line minimums replace the same keys of the configured ones."""
    merged = dict(base.minimums) | dict(override)
    return Thresholds(tuple(sorted(merged.items())))


def validate_dimensions(
    settings: CheckSettings, cli: Mapping[str, int], known: Iterable[str]
) -> None:
    """Every threshold must name a real dimension; list all the wrong ones at once."""
    names = set(known) | {"overall"}
    used = {k for k, _ in settings.default.minimums} | set(cli)
    for _, thresholds in settings.paths:
        used |= {k for k, _ in thresholds.minimums}
    unknown = sorted(used - names)
    if unknown:
        raise ConfigError(
            f"unknown dimension(s) in check thresholds: {', '.join(unknown)} "
            f"(known: min_score, {', '.join(sorted(names - {'overall'}))})"
        )


def evaluate(
    results: Iterable[PieceResult],
    settings: CheckSettings,
    *,
    cli_minimums: Mapping[str, int] | None = None,
    path_of: Callable[[PieceResult], str],
    gated: Callable[[PieceResult], bool] = lambda _: True,
) -> list[Verdict]:
    """Compare every piece with the thresholds for its path."""
    verdicts = []
    for result in results:
        path = path_of(result)
        thresholds = merge_thresholds(settings.for_path(path), cli_minimums or {})
        verdicts.append(Verdict(result, path, shortfalls(result, thresholds), gated(result)))
    return verdicts


def shortfalls(result: PieceResult, thresholds: Thresholds) -> tuple[Shortfall, ...]:
    """The scores below their minimum; a dimension that cannot judge (None) never falls short."""
    found = []
    for name, minimum in thresholds.minimums:
        value = result.score(name)
        if value is not None and value < minimum:
            found.append(Shortfall(name, value, minimum))
    return tuple(found)
