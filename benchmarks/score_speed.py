"""Scoring speed alone (no ingest, no render): posts per second on one core; prints numbers.

Reads the posts once with auditor.ingest, then scores them all three times with one model (its
syllable memo warms up in the first run, as it does in a real build) and prints the CPU time of
each run and the median. By default the posts are the 18F blog corpus; ``--generated N`` scores
N posts of 1,200 words from benchmarks/generate.py instead (the length issue 3 sets its target
for: 400 posts/s on one core).

    python benchmarks/score_speed.py [--corpus DIR | --generated N] [--words 1200]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from generate import generate  # benchmarks/ is on sys.path when run as a script

from auditor.ingest import read_file
from auditor.model import Document
from auditor.score import load_model, score

RUNS = 3


def documents(args: argparse.Namespace) -> list[Document]:
    """The corpus's posts, or freshly generated ones (written to a temporary folder and read)."""
    if args.generated:
        with tempfile.TemporaryDirectory() as tmp:
            paths = generate(Path(tmp), posts=args.generated, words=args.words, seed=1)
            return [read_file(p) for p in paths]
    return [read_file(p) for p in sorted(args.corpus.glob("*.md"))]


def main() -> None:
    """Print posts/s and ms per post for each run and their median."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpora/18f-blog"))
    parser.add_argument("--generated", type=int, default=0, metavar="N")
    parser.add_argument("--words", type=int, default=1200)
    args = parser.parse_args()
    docs = documents(args)
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
