"""Time spent in Python's cyclic garbage collector during one build; prints seconds.

Builds an existing site (its cache kept, so after a first build this is a rebuild) once with
a callback timing every collection, and prints the build's wall time, the time in collections
and how many there were. Pass ``--default`` to time CPython's default thresholds instead of
the build's own (auditor.build.GC_FIRST_THRESHOLD), e.g. on a 10,000-post benchmark site:

    python benchmarks/gc_cost.py /tmp/q10k/site-10000 --touch
    python benchmarks/gc_cost.py /tmp/q10k/site-10000 --touch --default
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

from run import touch_one  # benchmarks/ is on sys.path when run as a script

import auditor.build
from auditor.build import build
from auditor.config import load_config


def main() -> None:
    """Build once with a timing callback on the collector; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--touch", action="store_true", help="change one post first")
    parser.add_argument("--default", action="store_true", help="CPython's default thresholds")
    args = parser.parse_args()
    if args.default:
        auditor.build.GC_FIRST_THRESHOLD = gc.get_threshold()[0]
    if args.touch:
        touch_one(args.site, 0)
    spent, count, started = [0.0], [0], [0.0]

    def timer(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]
            count[0] += 1

    gc.callbacks.append(timer)
    begin = time.perf_counter()
    build(load_config(args.site), use_cache=True)
    wall = time.perf_counter() - begin
    print(f"build {wall:.2f} s; garbage collection {spent[0]:.3f} s in {count[0]} collections")


if __name__ == "__main__":
    main()
