"""Scoring speed on one core, alone and as a build's worker pays it; prints numbers.

Reads the posts once, then three runs each score every post twice with one model: alone (a
tight loop of ``score``) and the way a build's worker does it (``parallel.process`` per file:
read, score, prepare the page parts, pickle; only its score CPU is counted, as the build's
"score (worker CPU)" row counts it), the two taking turns batch by batch. A build pays more
per post than the tight loop: the reading and page preparation between two posts evict the
scorer's memos and code from the CPU caches. Both run with the build's garbage-collector
threshold (auditor.build). Run 1 starts with the model's memos empty, as each worker of a cold
build does. Prints the CPU time of every run and the medians.

By default the posts are the 18F blog corpus; ``--generated N`` scores N posts of 1,200 words
from benchmarks/generate.py instead (the length issue 3 sets its target for: 400 posts/s on
one core). ``--alone`` skips the build-like runs.

    python benchmarks/score_speed.py [--corpus DIR | --generated N] [--words 1200] [--alone]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path

from generate import generate  # benchmarks/ is on sys.path when run as a script
from yardstick import yardstick

from auditor import parallel
from auditor.build import GC_FIRST_THRESHOLD
from auditor.ingest import read_file
from auditor.model import Document
from auditor.score import ScoringModel, load_model, score

RUNS = 3
BATCH = 25
BUILD = "in a build"


def score_alone(docs: list[Document], model: ScoringModel) -> float:
    """CPU seconds to score every post in a tight loop."""
    start = time.process_time()
    for doc in docs:
        score(doc, model)
    return time.process_time() - start


def score_in_build(tasks: list[parallel.Task], model: ScoringModel) -> float:
    """CPU seconds of scoring when each post is read, scored and prepared as a worker does."""
    return sum(parallel.process(task, model).score_seconds for task in tasks)


def tasks_for(paths: list[Path], root: Path, parts: Path) -> list[parallel.Task]:
    """One worker task per post, writing page parts as a build does."""
    return [parallel.Task(str(p), str(root), None, False, str(parts)) for p in paths]


def measure(paths: list[Path], root: Path, alone_only: bool, length: int = 0) -> None:
    """Print ms per post for each run of each way of scoring, then their medians.

    The two ways take turns batch by batch (BATCH posts, the first way alternating), so a
    shared machine's load falls on both alike.
    """
    docs = [read_file(p) for p in paths]
    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(docs)} posts, {words / len(docs):.0f} words per post on average")
    print(yardstick(paths[:50], length))
    model = load_model()
    with tempfile.TemporaryDirectory() as parts:
        tasks = tasks_for(paths, root, Path(parts))
        times: dict[str, list[float]] = {"alone": []} if alone_only else {"alone": [], BUILD: []}
        for run in range(1, RUNS + 1):
            spent = dict.fromkeys(times, 0.0)
            for n, at in enumerate(range(0, len(docs), BATCH)):
                ways = {"alone": partial(score_alone, docs[at : at + BATCH], model)}
                ways[BUILD] = partial(score_in_build, tasks[at : at + BATCH], model)
                for name in sorted(spent, reverse=bool(n % 2)):
                    spent[name] += ways[name]()
            for name, seconds in spent.items():
                times[name].append(1000 * seconds / len(docs))
            shown = ", ".join(f"{name} {ms[-1]:.2f}" for name, ms in times.items())
            print(f"run {run}: ms per post: {shown}")
    for name, ms in times.items():
        median = statistics.median(ms)
        print(f"median of {RUNS}, {name}: {1000 / median:.0f} posts/s, {median:.2f} ms per post")


def main() -> None:
    """Score the chosen posts with the build's collector threshold and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpora/18f-blog"))
    parser.add_argument("--generated", type=int, default=0, metavar="N")
    parser.add_argument("--words", type=int, default=1200)
    parser.add_argument("--alone", action="store_true", help="skip the build-like runs")
    args = parser.parse_args()
    gc.set_threshold(GC_FIRST_THRESHOLD, *gc.get_threshold()[1:])
    if args.generated:
        with tempfile.TemporaryDirectory() as tmp:
            paths = generate(Path(tmp), posts=args.generated, words=args.words, seed=1)
            measure(paths, Path(tmp), args.alone, args.words)
    else:
        measure(sorted(args.corpus.glob("*.md")), args.corpus, args.alone)


if __name__ == "__main__":
    main()
