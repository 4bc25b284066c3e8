"""Ingest speed alone (no scoring, no render): CPU ms per Markdown post; prints numbers.

Generates posts of ~1,200 words (or reads ``--corpus``), reads each once to warm up, then reads
them all ``--runs`` times (3) with ``auditor.ingest.read_file`` and prints the CPU time per post
of each run, the median and the fastest.
Run: python benchmarks/ingest_speed.py [--posts 200] [--corpus DIR] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from generate import generate  # benchmarks/ is on sys.path when run as a script

from auditor.ingest import read_file

RUNS = 3


def main() -> None:
    """Print ms per post for each run and their median."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--corpus", type=Path, help="read *.md here instead of generated posts")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    if args.corpus:
        paths = sorted(args.corpus.glob("*.md"))
    else:
        paths = generate(Path("/tmp/ingest-speed-posts"), posts=args.posts, words=1200, seed=3)
    for path in paths:
        read_file(path)
    times = []
    for run in range(1, args.runs + 1):
        start = time.process_time()
        for path in paths:
            read_file(path)
        times.append(1000 * (time.process_time() - start) / len(paths))
        print(f"run {run}: {times[-1]:.2f} ms per post")
    median, best = statistics.median(times), min(times)
    print(
        f"median of {args.runs}: {median:.2f} ms per post (fastest {best:.2f}), {len(paths)} posts"
    )


if __name__ == "__main__":
    main()
