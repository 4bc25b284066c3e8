"""Time whole builds at 1,000 and 10,000 posts: cold, nothing changed, one post changed; Pelican.

Each build runs in a fresh subprocess, so peak RSS is the build's own (``ru_maxrss`` of the
child). Prints wall time, posts/s, seconds per stage and peak RSS; medians of ``--runs`` runs.

    python benchmarks/run.py --sizes 1000 10000 --jobs 2 1 --runs 3
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402
from yardstick import machine, yardstick  # noqa: E402

PELICAN_VENV = Path("/tmp/pelican-venv")
CHILD = """
import json, resource, sys, time
from dataclasses import replace
from pathlib import Path
from auditor.build import Timings, build
from auditor.config import load_config
site, jobs, cache = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
timings = Timings()
started = time.perf_counter()
report = build(load_config(site), jobs=jobs, use_cache=cache, timings=timings)
print(json.dumps({"wall": time.perf_counter() - started, "stages": timings.seconds,
                  "read": report.files_read, "rendered": report.pages_rendered,
                  "pieces": len(report.audit.results),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def child_build(site: Path, jobs: int, cache: bool) -> dict:
    """One build in a subprocess: its own figures (peak RSS of the build process and of its
    largest worker) plus the whole process's wall time."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(site), str(jobs), "1" if cache else "0"],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"build failed ({out.returncode}):\n{out.stderr}")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["process"] = time.perf_counter() - started
    return figures


def make_site(root: Path, posts: int, words: int) -> Path:
    """A site folder with ``posts`` generated posts (kept between runs: same seed, same bytes)."""
    site = root / f"site-{posts}"
    if not (site / "content" / "posts").is_dir():
        generate(site / "content", posts, words)
    (site / "auditor.toml").write_text(
        'title = "Benchmark"\ncontent = ["content"]\noutput = "output"\n', encoding="utf-8"
    )
    return site


def touch_one(site: Path, n: int) -> None:
    """Change one post's body, so exactly one input differs."""
    posts = sorted((site / "content" / "posts").glob("*.md"))
    post = posts[7 % len(posts)]  # the eighth, as every run so far; any post in a tiny site
    post.write_text(post.read_text(encoding="utf-8") + f"\nEdit {n}: what do you think?\n")


def scenario(site: Path, jobs: int, runs: int, cold: bool = True) -> dict[str, list[dict]]:
    """Cold (no cache), nothing changed, one post changed; ``runs`` times each.

    Without ``cold``, the site's existing output and cache are kept (a 10,000-post cold build
    takes ~10 minutes): one settling build saves whatever changed, then the rebuild rows.
    """
    figures: dict[str, list[dict]] = {"cold": [], "unchanged": [], "one changed": []}
    if not cold:
        del figures["cold"]
        child_build(site, jobs, cache=True)
    for n in range(runs):
        if cold:
            shutil.rmtree(site / "output", ignore_errors=True)
            shutil.rmtree(site / ".auditor-cache", ignore_errors=True)
            figures["cold"].append(child_build(site, jobs, cache=False))
        figures["unchanged"].append(child_build(site, jobs, cache=True))
        touch_one(site, n)
        figures["one changed"].append(child_build(site, jobs, cache=True))
    return figures


def median_of(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


PIPELINE = (
    "scan",
    "load results",
    "ingest+score (wall)",
    "ingest (worker CPU)",
    "  of which markdown",
    "  of which text extraction",
    "score (worker CPU)",
    "prepare pages (worker CPU)",
    "feeds",
    "slugs",
    "reviews+assemble",
    "history",
    "page keys",
    "render+write",
    "  of which writing files",
    "link",
    "swap",
    "cache save",
    "old site removed (wait)",
)
"""Stages in the order a build runs them (sub-stages indented under their stage)."""


def _pipeline_order(stage: str) -> tuple[int, str]:
    """Where ``stage`` is printed: in build order, any stage not listed last."""
    return (PIPELINE.index(stage) if stage in PIPELINE else len(PIPELINE), stage)


def show(size: int, jobs: int, figures: dict[str, list[dict]]) -> None:
    """One block of output per size and job count: medians of the runs."""
    for name, rows in figures.items():
        wall = median_of(rows, "process")
        rss, worker = median_of(rows, "rss_mb"), median_of(rows, "worker_rss_mb")
        rate = size / wall if wall else 0
        print(
            f"  {name:<12} jobs={jobs}: {wall:7.2f} s  {rate:7.1f} posts/s  "
            f"peak RSS {rss:.0f} MB (largest worker {worker:.0f} MB)"
        )
        stages = {k for r in rows for k in r["stages"]}
        for stage in sorted(stages, key=_pipeline_order):
            value = statistics.median(r["stages"].get(stage, 0.0) for r in rows)
            if value >= 0.005:
                print(f"      {stage:<28} {value:8.2f} s")
        print(f"      files read {rows[-1]['read']}, piece pages rendered {rows[-1]['rendered']}")


def pelican(site: Path, runs: int) -> float | None:
    """Median seconds of a plain Pelican build of the same posts, in its own venv."""
    python = PELICAN_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PELICAN_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "pelican", "markdown"], check=True
        )
    times = []
    for _ in range(runs):
        out = site / "pelican-output"
        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run(
            [
                str(PELICAN_VENV / "bin" / "pelican"),
                str(site / "content"),
                "-o",
                str(out),
                "-q",
                "-s",
                str(_pelican_conf(site)),
            ],
            check=True,
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _pelican_conf(site: Path) -> Path:
    conf = site / "pelicanconf.py"
    conf.write_text(
        'SITENAME = "Benchmark"\nTIMEZONE = "UTC"\nDEFAULT_LANG = "en"\n'
        "FEED_ALL_ATOM = None\nRELATIVE_URLS = True\n"
    )
    return conf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[2, 1])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--words", type=int, default=1200)
    parser.add_argument("--root", type=Path, default=Path("/tmp/auditor-bench"))
    parser.add_argument("--no-pelican", action="store_true")
    parser.add_argument(
        "--rebuilds-only",
        action="store_true",
        help="keep the site already built under --root and time only the rebuild rows",
    )
    args = parser.parse_args()
    print(machine())
    for size in args.sizes:
        site = make_site(args.root, size, args.words)
        print(f"{size} posts of ~{args.words} words ({args.runs} runs, medians)")
        print("  " + yardstick(sorted(site.glob("content/posts/*.md"))[:50], args.words))
        cold = None
        for jobs in args.jobs:
            figures = scenario(site, jobs, args.runs, cold=not args.rebuilds_only)
            show(size, jobs, figures)
            cold = cold or median_of(figures.get("cold", []), "process")
        if not args.no_pelican and cold:
            seconds = pelican(site, args.runs)
            if seconds:
                print(f"  pelican: {seconds:.2f} s; auditor cold / pelican = {cold / seconds:.2f}")


if __name__ == "__main__":
    main()
