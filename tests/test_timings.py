"""Stage timings: what the benchmark prints comes from these, so they must name real stages."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path
from typing import Any

import pytest

from auditor import forks
from auditor.build import build
from auditor.config import load_config
from auditor.ingest import read_path
from auditor.timings import MARKDOWN_STAGE, TEXT_STAGE, WRITE_STAGE, Timings

RUN_PY = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"
POST = "---\ntitle: Hello\n---\n# Hello\n\nHave you tried it? Thanks to Ada for the idea.\n"
PAGE = "<html><head><title>Hi</title></head><body><p>Have you tried it? Tell us.</p></body></html>"


def ticking() -> Timings:
    """Timings on a clock that moves one second per reading: each stage counts its entries."""
    ticks = itertools.count()
    return Timings(clock=lambda: float(next(ticks)))


def test_a_stage_adds_its_clock_time_even_when_it_fails() -> None:
    timings = ticking()
    with timings.stage("a"):
        pass
    with pytest.raises(ValueError), timings.stage("a"):
        raise ValueError
    assert timings.seconds == {"a": 2.0}


@pytest.mark.parametrize(
    ("name", "text", "stages"),
    [("post.md", POST, {MARKDOWN_STAGE, TEXT_STAGE}), ("page.html", PAGE, {TEXT_STAGE})],
)
def test_readers_time_markdown_and_text_extraction(
    tmp_path: Path, name: str, text: str, stages: set[str]
) -> None:
    root = tmp_path / "content"
    root.mkdir()
    (root / name).write_text(text, encoding="utf-8")
    timings = ticking()
    docs, notes = read_path(root / name, root, None, timings=timings)
    assert [d.title for d in docs] == ["Hello" if name == "post.md" else "Hi"] and not notes
    assert set(timings.seconds) == stages
    assert all(seconds >= 1 for seconds in timings.seconds.values())


def _bench_run() -> Any:
    spec = importlib.util.spec_from_file_location("bench_run", RUN_PY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pipeline() -> tuple[str, ...]:
    return _bench_run().PIPELINE


def test_the_benchmark_prints_stages_in_build_order(capsys: pytest.CaptureFixture[str]) -> None:
    stages = {"score (worker CPU)": 3.0, "  of which markdown": 1.0, "ingest (worker CPU)": 2.0}
    stages |= {"render+write": 5.0, "something new": 9.0, "scan": 0.5}
    row = {"process": 1.0, "rss_mb": 1, "worker_rss_mb": 1, "stages": stages}
    _bench_run().show(6, 1, {"cold": [row | {"read": 6, "rendered": 6}]})
    printed = [line.strip() for line in capsys.readouterr().out.splitlines()[1:-1]]
    names = [line.rsplit(" ", 2)[0].strip() for line in printed]
    assert names == [
        "scan",
        "ingest (worker CPU)",
        "of which markdown",
        "score (worker CPU)",
        "render+write",
        "something new",
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_stage_a_build_records_is_one_the_benchmark_orders(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forks, "FORK_BATCH_MIN", 1)  # with 2 jobs, pages render in a worker
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    for n in range(3):
        (site / "content" / f"p{n}.md").write_text(POST.replace("Hello", f"Post {n}"), "utf-8")
    cold, rebuild = Timings(), Timings()
    build(load_config(site), jobs=jobs, timings=cold)
    build(load_config(site), jobs=jobs, timings=rebuild)  # from the cache
    assert cold.seconds[WRITE_STAGE] > 0  # every page written, in whichever process
    recorded = set(cold.seconds) | set(rebuild.seconds)
    assert {"ingest (worker CPU)", "  of which markdown", "  of which text extraction"} <= recorded
    assert recorded <= set(_pipeline())
