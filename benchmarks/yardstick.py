"""How fast this machine is, by the yardstick issue 6 measured its targets with.

The sessions' machines have differed by 3.5x for the same commit (3de733a: 110.8 cold posts/s
at 10,000 on one, 411.6 on the next), so a posts/s figure means little without the machine's
own speed beside it. Issue 6 gives Python-Markdown at ~3.4 ms for a 1,200-word post on the
machine it set its targets on; the benchmarks time the same call on their own posts and print
both, so a figure can be read against the target's machine.

    python benchmarks/yardstick.py [--posts 50]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from generate import generate  # benchmarks/ is on sys.path when run as a script

REFERENCE_MARKDOWN_MS = 3.4
"""Python-Markdown on a 1,200-word post on the machine issue 6 set its targets on."""
REFERENCE_WORDS = 1200


def machine() -> str:
    """One line naming the machine and how busy it is, printed before the figures."""
    model = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"machine: {model}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load}"
    )


def markdown_ms(paths: list[Path]) -> float:
    """Python-Markdown's CPU ms a post for these posts' bodies, the median of three passes."""
    import markdown  # the project's dependency; imported here so --help stays quick

    texts = [p.read_text(encoding="utf-8").split("---\n", 2)[-1] for p in paths]  # the body
    runs = []
    for _ in range(3):
        started = time.process_time()
        for text in texts:
            markdown.markdown(text)
        runs.append(1000 * (time.process_time() - started) / len(texts))
    return statistics.median(runs)


def yardstick(paths: list[Path], words: int) -> str:
    """One line: Python-Markdown's ms a post here, and against the issue's machine when the
    posts have the length it measured (``words``)."""
    here = markdown_ms(paths)
    line = f"yardstick: Python-Markdown {here:.2f} ms a post here"
    if words == REFERENCE_WORDS:
        ratio = REFERENCE_MARKDOWN_MS / here
        line += f", ~{REFERENCE_MARKDOWN_MS} on issue 6's machine ({ratio:.2f}x as fast)"
    return line


def main() -> None:
    """Time Python-Markdown on generated 1,200-word posts and print the line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), posts=args.posts, words=REFERENCE_WORDS, seed=1)
        print(yardstick(paths, REFERENCE_WORDS))


if __name__ == "__main__":
    main()
