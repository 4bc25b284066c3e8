"""Seconds per build stage, collected only when a caller asks (the benchmarks do)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator


class Timings:
    """Seconds spent per stage, collected only when a caller asks (benchmarks do)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)


def stage(timings: Timings | None, name: str) -> contextlib.AbstractContextManager[None]:
    return timings.stage(name) if timings is not None else contextlib.nullcontext()
