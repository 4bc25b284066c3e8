"""The worker's page preparation alone: CPU ms per post and bytes of what it writes; prints numbers.

Generates posts of ~1,200 words, reads and scores them once, then runs what
``parallel.process`` does after scoring (pickle the results, ``prepare`` each piece's page body
and JSON, write the parts file, pickle the lightened results) ``--runs`` times (5), with the
garbage collector set as a build sets it, and prints the CPU time per post of each run, the
median, the mean parts file and the mean piece page body (highlighted text and findings' HTML).
Run: python benchmarks/prepare_speed.py [--posts 200] [--runs 5] [--listed 10]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from pathlib import Path

from generate import generate  # benchmarks/ is on sys.path when run as a script

from auditor import parallel
from auditor.build import GC_FIRST_THRESHOLD
from auditor.ingest import read_file
from auditor.model import PieceResult
from auditor.render.prepared import prepare
from auditor.score import ScoringModel, load_model, score

RUNS = 5


def prepare_all(
    files: list[tuple[PieceResult, ...]], model: ScoringModel, parts: Path, listed: int
) -> int:
    """Prepare and save every file's pieces as a worker does (``parallel.pack``); the bytes
    written."""
    return sum(parallel.pack(results, (), model, str(parts), listed)[2] for results in files)


def main() -> None:
    """Print ms per post for each run, their median, and the bytes a post leaves."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--listed", type=int, default=10, help="the option evidence_listed")
    args = parser.parse_args()
    gc.set_threshold(GC_FIRST_THRESHOLD, *gc.get_threshold()[1:])
    model = load_model()
    paths = generate(Path("/tmp/prepare-speed-posts"), posts=args.posts, words=1200, seed=3)
    files = [(score(read_file(p), model),) for p in paths]
    parts = Path(tempfile.mkdtemp(prefix="prepare-speed-"))
    written = prepare_all(files, model, parts, args.listed)  # warm up (memos, page cache)
    times = []
    for run in range(1, args.runs + 1):
        start = time.process_time()
        prepare_all(files, model, parts, args.listed)
        times.append((time.process_time() - start) / len(files) * 1000)
        print(f"run {run}: {times[-1]:.2f} ms/post")
    body = statistics.mean(_body_bytes(f[0], model, args.listed) for f in files)
    print(f"median {statistics.median(times):.2f} ms/post, fastest {min(times):.2f}")
    print(f"parts file {written / len(files) / 1000:.1f} KB/post, page body {body / 1000:.1f} KB")


def _body_bytes(result: PieceResult, model: ScoringModel, listed: int) -> int:
    """UTF-8 bytes of a piece's highlighted text and findings' HTML as its page shows them."""
    body = prepare(result, model.dimensions, model.rules_info, listed).body
    text = sum(len(item.encode()) for _, items in body.groups for item in items)
    return text + sum(len(section.page_html.encode()) for section in body.sections)


if __name__ == "__main__":
    main()
