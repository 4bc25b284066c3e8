"""The benchmark scripts still run: docs quote their numbers, so a broken one is a defect.

Each script runs as its users run it, in a subprocess, on a tiny input; the test checks it
exits cleanly and prints the figures it promises. No timing is asserted (speed targets live in
the scripts' own output, not in tests).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run_script(name: str, *args: str) -> str:
    """Run ``benchmarks/<name>`` with ``args``; its stdout, or a failure showing stderr."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / name), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{name} failed:\n{done.stderr[-2000:]}"
    return done.stdout


@pytest.mark.parametrize(
    ("script", "args", "expected"),
    [
        ("render_speed.py", ("--sizes", "3"), "ms/piece"),
        ("ingest_speed.py", ("--posts", "3", "--runs", "1"), "ms"),
        ("score_speed.py", ("--generated", "3", "--alone"), "posts/s"),
        ("score_speed.py", ("--generated", "3", "--alone"), "on issue 6's machine"),
        ("yardstick.py", ("--posts", "2"), "yardstick: Python-Markdown "),
        ("prepare_speed.py", ("--posts", "3", "--runs", "1"), "KB/post"),
    ],
)
def test_speed_scripts_print_their_figures(script: str, args: tuple[str, ...], expected: str):
    assert expected in run_script(script, *args)


def test_export_script_prints_its_figures(tmp_path: Path):
    out = run_script("export_speed.py", "--posts", "3", "--runs", "1", "--root", str(tmp_path))
    assert "heavy_json per post" in out and "bytes a piece" in out


def test_generator_is_deterministic(tmp_path: Path):
    for folder in ("a", "b"):
        run_script("generate.py", str(tmp_path / folder), "--posts", "3", "--words", "150")
    first = sorted((tmp_path / "a").rglob("*.md"))
    second = sorted((tmp_path / "b").rglob("*.md"))
    assert len(first) == 3
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_whole_build_benchmark_prints_every_row(tmp_path: Path):
    out = run_script(
        "run.py",
        "--sizes",
        "6",
        "--jobs",
        "1",
        "--runs",
        "1",
        "--words",
        "150",
        "--no-pelican",
        "--root",
        str(tmp_path),
    )
    for row in ("cold", "unchanged", "one changed", "posts/s", "peak RSS", "render+write"):
        assert row in out
    assert out.startswith("machine: ") and " CPUs, Python 3." in out.splitlines()[0]
    assert "yardstick: Python-Markdown " in out
    gc_out = run_script("gc_cost.py", str(tmp_path / "site-6"), "--touch")
    assert "collections" in gc_out
    history = run_script("history_speed.py", str(tmp_path / "site-6" / "output"))
    assert "history.json (schema 2)" in history and " 6 " in history
