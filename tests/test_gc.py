"""The build collects cyclic garbage rarely while it runs and restores the collector after."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from auditor.build import GC_FIRST_THRESHOLD, build
from auditor.config import load_config
from tests.test_parallel import write_site


def test_threshold_is_raised_during_a_build_and_restored_after(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    build(load_config(site), jobs=1, progress=lambda done, total: seen.append(gc.get_threshold()))
    assert seen and all(t == (GC_FIRST_THRESHOLD, *before[1:]) for t in seen)
    assert gc.get_threshold() == before


def test_threshold_is_restored_when_a_build_fails(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    before = gc.get_threshold()

    def fail(done: int, total: int) -> None:
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        build(load_config(site), jobs=1, progress=fail)
    assert gc.get_threshold() == before
