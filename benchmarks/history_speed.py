"""Time reading the previous build for history: from history.json's piece list, or audit.json.

Takes the output folder of a build (e.g. one made by ``benchmarks/run.py``; history need not
have been on) and, in a scratch folder, lays out the two shapes a previous build can have:
``history.json`` schema 2 (what this version writes, with every piece's id, title and overall
score) and an older build's schema-1 ``history.json`` beside its ``audit.json``. Each is read
with ``load_previous`` in a fresh process, printing CPU seconds, peak RSS and bytes read.
Not a unit test:

    python benchmarks/history_speed.py /tmp/run-bench/site-10000/output
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

from auditor.history import history_json

READ = """
import re, sys, time
from auditor.history import load_previous
start = time.process_time()
previous = load_previous(sys.argv[1])
seconds = time.process_time() - start
status = open("/proc/self/status").read()  # VmHWM: this process's own peak, not its parent's
peak = int(re.search(r"VmHWM:\\s*(\\d+)", status).group(1)) / 1024
print(f"{len(previous.overall)} {seconds:.2f} {peak:.0f}")
"""


def lay_out(output: Path, scratch: Path) -> tuple[Path, Path]:
    """Two previous builds of the same pieces: this version's, and an older auditor's."""
    audit = json.loads((output / "audit.json").read_text(encoding="utf-8"))
    results = [
        SimpleNamespace(
            doc=SimpleNamespace(id=p["id"], title=p["title"]), overall=p["scores"]["overall"]
        )
        for p in audit["pieces"]
    ]
    new, old = scratch / "new", scratch / "old"
    new.mkdir()
    old.mkdir()
    (new / "history.json").write_text(
        history_json(SimpleNamespace(history=(), results=results)), encoding="utf-8"
    )
    shutil.copy(output / "audit.json", old / "audit.json")
    (old / "history.json").write_text('{"schema_version": 1, "builds": []}', encoding="utf-8")
    return new, old


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="output folder of a build (has audit.json)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        new, old = lay_out(args.output, Path(tmp))
        print(f"{'previous build':<34} {'pieces':>7} {'CPU s':>6} {'peak MB':>8} {'read MB':>8}")
        for name, folder in (("history.json (schema 2)", new), ("audit.json (older auditor)", old)):
            out = subprocess.run(
                [sys.executable, "-c", READ, str(folder)],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)},
            ).stdout.split()
            read = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
            print(f"{name:<34} {out[0]:>7} {out[1]:>6} {out[2]:>8} {read:>8.1f}")


if __name__ == "__main__":
    main()
