"""Scoring speed alone (no ingest, no render): posts per second on one core; prints numbers.

Reads the 18F blog posts once with auditor.ingest, then scores them all three times with one
model (its syllable memo warms up in the first run, as it does in a real build) and prints the
CPU time of each run and the median. Run: python benchmarks/score_speed.py [--corpus DIR]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from auditor.ingest import read_file
from auditor.score import load_model, score

RUNS = 3


def main() -> None:
    """Print posts/s and ms per post for each run and their median."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpora/18f-blog"))
    args = parser.parse_args()
    docs = [read_file(p) for p in sorted(args.corpus.glob("*.md"))]
    words = sum(len(d.text.split()) for d in docs)
    model = load_model()
    print(f"{len(docs)} posts, {words / len(docs):.0f} words per post on average")
    rates = []
    for run in range(1, RUNS + 1):
        start = time.process_time()
        for doc in docs:
            score(doc, model)
        elapsed = time.process_time() - start
        rates.append(len(docs) / elapsed)
        print(f"run {run}: {rates[-1]:.0f} posts/s, {1000 * elapsed / len(docs):.2f} ms per post")
    median = statistics.median(rates)
    print(f"median of {RUNS}: {median:.0f} posts/s, {1000 / median:.2f} ms per post (CPU time)")


if __name__ == "__main__":
    main()
