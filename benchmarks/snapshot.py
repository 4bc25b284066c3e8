"""Save named results, or compare them with a saved snapshot: what the identity scripts share.

A speed change must leave every result as it was. Each identity script lists its results as
(name, result) pairs; ``main`` either pickles their ``repr`` (``--save``) or compares them with
the saved ones, printing the first few names that differ, and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path

SHOWN = 5


def main(
    description: str, default: Path, results: Callable[[], Iterable[tuple[str, object]]]
) -> int:
    """Parse ``--save`` and ``--snapshot``, then save or compare; the exit status."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--save", action="store_true")
    parser.add_argument("--snapshot", type=Path, default=default)
    args = parser.parse_args()
    found = [(name, repr(result)) for name, result in results()]
    if args.save:
        args.snapshot.write_bytes(pickle.dumps(found))
        print(f"saved {len(found)} results to {args.snapshot}")
        return 0
    expected = pickle.loads(args.snapshot.read_bytes())
    if len(found) != len(expected):
        print(f"{len(found)} results where the snapshot has {len(expected)}")
        return 1
    differ = [a[0] for a, b in zip(found, expected, strict=True) if a != b]
    for name in differ[:SHOWN]:
        print(f"differs: {name}")
    print(f"{len(found) - len(differ)} of {len(found)} results identical")
    return 1 if differ else 0
