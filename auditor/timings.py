"""Seconds per build stage, collected only when a caller asks (the benchmarks do)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

MARKDOWN_STAGE = "markdown"
"""Python-Markdown's passes over a post, up to its element tree."""
TEXT_STAGE = "text extraction"
"""The prose, blocks and links read off that tree or an HTML page."""
WRITE_STAGE = "  of which writing files"
"""Within the site's render+write: time in the file system, summed over the processes."""


class Timings:
    """Seconds spent per stage, collected only when a caller asks (benchmarks do).

    ``clock`` is wall time by default; a worker passes ``time.process_time`` so that its
    figures are its own CPU, whatever else the machine runs.
    """

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.seconds: dict[str, float] = {}
        self.clock = clock

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = self.clock()
        try:
            yield
        finally:
            self.add(name, self.clock() - started)


def stage(timings: Timings | None, name: str) -> contextlib.AbstractContextManager[None]:
    return timings.stage(name) if timings is not None else contextlib.nullcontext()
