"""Readers of an earlier build's audit.json take schema 1 (older sites) and 2, and name a newer one.

``tests/data/audit-schema-1.json`` is the golden site's audit.json as auditor wrote it before
schema 2, so the readers are checked against a real older file, not one shaped by hand.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor import history
from auditor.cli import main
from auditor.history import load_previous
from auditor.schema import SCHEMA_VERSION, checked
from tests.serving import served

HERE = Path(__file__).parent
SCHEMA_1 = HERE / "data" / "audit-schema-1.json"
GOLDEN_SITE = HERE / "golden" / "site"
NEWER = "schema_version 3 is newer than this auditor reads (1, 2): upgrade auditor"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "site"
    shutil.copytree(GOLDEN_SITE, target)
    (target / "content" / "posts" / "broken.md").unlink()
    monkeypatch.chdir(target)
    return target


def old_overall() -> dict[str, int]:
    pieces = json.loads(SCHEMA_1.read_text(encoding="utf-8"))["pieces"]
    return {p["id"]: p["scores"]["overall"] for p in pieces}


def written(folder: Path, version: int) -> Path:
    """A copy of the schema 1 file under ``folder`` claiming ``version``."""
    data = json.loads(SCHEMA_1.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "audit.json"
    path.write_text(json.dumps({**data, "schema_version": version}), encoding="utf-8")
    return path


def audit_of(site: Path) -> dict:
    return json.loads((site / "output" / "audit.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("version", [1, 2])
def test_both_schemas_are_read_and_others_are_named(version: int) -> None:
    assert checked({"schema_version": version, "pieces": []})["pieces"] == []
    with pytest.raises(ValueError, match=re.escape(NEWER)):
        checked({"schema_version": 3})
    for odd in ({"schema_version": True}, {"schema_version": "2"}, {}, []):
        with pytest.raises(ValueError, match=re.escape("not an audit.json")):
            checked(odd)


def test_this_build_writes_the_newest_schema(site: Path) -> None:
    assert main(["build", "--quiet"]) == 0
    data = audit_of(site)
    assert data["schema_version"] == SCHEMA_VERSION == 2
    for piece in data["pieces"]:
        for finding in piece["findings"]:
            assert finding["rule"] in data["rules"]  # every finding's texts are in the table


def test_history_reads_a_schema_1_file(site: Path) -> None:
    previous = load_previous(str(SCHEMA_1))
    assert previous is not None and dict(previous.overall) == old_overall()
    assert main(["build", "--quiet", "--previous", str(SCHEMA_1)]) == 0
    pieces = audit_of(site)["pieces"]
    assert {p["id"]: p["previous_overall"] for p in pieces} == old_overall()


@pytest.fixture
def older_site_online(tmp_path: Path) -> Iterator[str]:
    """A published site an older auditor built (schema 1), served on loopback."""
    folder = tmp_path / "published"
    folder.mkdir()
    shutil.copy(SCHEMA_1, folder / "audit.json")
    with served(folder) as url:
        yield url


def test_history_reads_an_older_site_online(site: Path, older_site_online: str) -> None:
    assert main(["build", "--quiet", "--previous", older_site_online]) == 0
    pieces = audit_of(site)["pieces"]
    assert {p["id"]: p["previous_overall"] for p in pieces} == old_overall()


def test_history_from_a_newer_schema_is_a_one_line_warning(site: Path, capsys) -> None:
    newer = written(site / "newer", 3)
    assert main(["build", "--previous", str(newer)]) == 0
    err = [line for line in capsys.readouterr().err.splitlines() if "previous build" in line]
    assert len(err) == 1 and NEWER in err[0]
    assert all(p["previous_overall"] is None for p in audit_of(site)["pieces"])


@pytest.mark.parametrize("version", [1, 2])
def test_baseline_of_either_schema_gates_only_new_pieces(site: Path, version: int) -> None:
    if version == 1:
        baseline = SCHEMA_1
    else:
        assert main(["build", "--quiet"]) == 0
        baseline = site / "output" / "audit.json"
    assert json.loads(baseline.read_text(encoding="utf-8"))["schema_version"] == version
    assert main(["check", "--min-score", "99", "--baseline", str(baseline)]) == 0
    assert main(["check", "--min-score", "99"]) == 1


def test_baseline_of_a_newer_schema_is_a_usage_error(site: Path, capsys) -> None:
    newer = written(site / "newer", 3)
    assert main(["check", "--baseline", str(newer)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and NEWER in err[0] and str(newer) in err[0]


def test_history_refuses_a_file_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "MAX_BYTES", SCHEMA_1.stat().st_size - 1)
    with pytest.raises(ValueError, match=r"over the \d+ MB limit"):
        load_previous(str(SCHEMA_1))
