"""Golden site: build a small fixed content folder and compare every output file.

On a mismatch the actual site is kept in ``tests/artifacts/golden-actual`` for inspection;
``pytest --update-golden`` rewrites ``tests/golden/expected`` after a deliberate change.
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

from auditor.cli import main

GOLDEN = Path(__file__).parent / "golden"
ARTIFACTS = Path(__file__).parent / "artifacts"


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def build_golden(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(GOLDEN / "site", site)
    assert main(["build", str(site), "--quiet"]) == 0
    return site / "output"


def test_golden_site(tmp_path: Path, update_golden: bool) -> None:
    actual = build_golden(tmp_path)
    expected = GOLDEN / "expected"
    if update_golden:
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(actual, expected)
        return
    keep = ARTIFACTS / "golden-actual"
    shutil.rmtree(keep, ignore_errors=True)
    shutil.copytree(actual, keep)
    assert tree(actual) == tree(expected), f"file lists differ; actual kept in {keep}"
    _, mismatch, errors = filecmp.cmpfiles(actual, expected, tree(expected), shallow=False)
    assert not mismatch and not errors, f"files differ: {mismatch + errors}; actual kept in {keep}"
    shutil.rmtree(keep)


def test_same_input_gives_byte_identical_output(tmp_path: Path) -> None:
    first = build_golden(tmp_path / "a")
    second = build_golden(tmp_path / "b")
    assert tree(first) == tree(second)
    _, mismatch, errors = filecmp.cmpfiles(first, second, tree(first), shallow=False)
    assert not mismatch and not errors
