"""Time audit.json alone on generated posts: the worker's ``heavy_json`` and the parent's file.

Scores ``--posts`` generated posts once (not timed), then prints CPU medians of ``--runs``:
``heavy_json`` per post (the spans already made, as the worker has them from the page), and
the parent writing audit.json from lightened results and those encoded values, cold (every
piece encoded) and after one post changed (the others copied from the previous file), plus
the file's bytes per piece. Not a unit test; compare two checkouts in the same minute:

    PYTHONPATH=/tmp/base python benchmarks/export_speed.py --posts 300   # run from /tmp
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

from auditor.build import collect  # noqa: E402
from auditor.config import load_config  # noqa: E402
from auditor.model import Audit, PieceResult  # noqa: E402
from auditor.render.export import JsonReuse, audit_json_chunks, heavy_json  # noqa: E402
from auditor.render.finding_view import finding_spans  # noqa: E402
from auditor.render.prepared import lighten  # noqa: E402
from auditor.render.writer import Writer  # noqa: E402


def scored(root: Path, posts: int) -> Audit:
    """The audit of ``posts`` generated posts (generated once under ``root``)."""
    site = root / f"site-{posts}"
    if not (site / "content").is_dir():
        generate(site / "content", posts, 1200)
    (site / "auditor.toml").write_text('title = "Bench"\ncontent = ["content"]\n', "utf-8")
    return collect(load_config(site))


def cpu(work: Callable[[], object], runs: int) -> float:
    """Median CPU seconds of ``work``."""
    times = []
    for _ in range(runs):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return statistics.median(times)


def per_post(results: tuple[PieceResult, ...], runs: int) -> float:
    """Median CPU milliseconds of ``heavy_json`` per post."""
    spans = [finding_spans(r) for r in results]
    total = cpu(lambda: [heavy_json(r, s) for r, s in zip(results, spans, strict=True)], runs)
    return total / len(results) * 1000


def parent(audit: Audit, out: Path, runs: int) -> tuple[float, float, int]:
    """CPU seconds of writing audit.json cold and with one piece changed; its size."""
    heavy = {r.doc.slug: heavy_json(r) for r in audit.results}
    light = replace(audit, results=tuple(lighten(r) for r in audit.results))

    def write(folder: Path, reuse: JsonReuse) -> JsonReuse:
        shutil.rmtree(folder, ignore_errors=True)
        ranges = reuse.ranges if reuse.source else None
        chunks = audit_json_chunks(light, lambda r: heavy[r.doc.slug], ranges)
        Writer(folder).write_chunks("audit.json", chunks, reuse)
        return reuse

    placed = write(out / "cold", JsonReuse()).placed
    cold = cpu(lambda: write(out / "cold", JsonReuse()), runs)
    changed = dict(placed)
    changed.pop(light.results[len(light.results) // 2].doc.slug)
    source = out / "cold" / "audit.json"
    one = cpu(lambda: write(out / "one", JsonReuse(source, changed)), runs)
    return cold, one, source.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--root", type=Path, default=Path("/tmp/auditor-export-bench"))
    args = parser.parse_args()
    audit = scored(args.root, args.posts)
    n = len(audit.results)
    print(f"{n} posts, medians of {args.runs} runs (CPU)")
    print(f"  heavy_json per post         {per_post(audit.results, args.runs):7.3f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        cold, one, size = parent(audit, Path(tmp), args.runs)
    print(f"  parent audit.json, cold     {cold * 1000:7.1f} ms ({cold / n * 1e6:.0f} us a post)")
    print(f"  parent audit.json, 1 changed{one * 1000:7.1f} ms")
    print(f"  audit.json                  {size / n:7.0f} bytes a piece")


if __name__ == "__main__":
    main()
