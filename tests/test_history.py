"""History and deltas across builds, from the output folder or a published site."""

from __future__ import annotations

import filecmp
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.cli import main
from tests.serving import served

GOLDEN_SITE = Path(__file__).parent / "golden" / "site"
NOTE = "content/posts/2026-03-20-note.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(GOLDEN_SITE, target)
    (target / "content" / "posts" / "broken.md").unlink()
    (target / "auditor.toml").write_text(
        (target / "auditor.toml").read_text(encoding="utf-8") + "history = true\n", encoding="utf-8"
    )
    return target


def load(site: Path, name: str) -> dict:
    return json.loads((site / "output" / name).read_text(encoding="utf-8"))


def build(site: Path, *extra: str) -> None:
    assert main(["build", str(site), "--quiet", *extra]) == 0


def test_deltas_new_and_removed_pieces_across_two_builds(site: Path) -> None:
    build(site)
    first = load(site, "audit.json")
    assert all(p["previous_overall"] is None for p in first["pieces"])
    assert len(load(site, "history.json")["builds"]) == 1

    (site / NOTE).unlink()
    new = site / "content" / "posts" / "2026-04-02-thanks.md"
    new.write_text(
        "---\ntitle: Thank you\ndate: 2026-04-02\n---\n\nThank you all! What should we do next?\n",
        encoding="utf-8",
    )
    build(site)
    second = load(site, "audit.json")
    by_id = {p["id"]: p for p in second["pieces"]}
    assert by_id["posts/2026-04-02-thanks.md"]["previous_overall"] is None
    kept = by_id["posts/2026-02-01-seed-swap.md"]
    assert kept["previous_overall"] == kept["scores"]["overall"] and kept["delta"] == 0
    builds = load(site, "history.json")["builds"]
    assert [b["build"] for b in builds] == [1, 2]
    index = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert "A short note" in index  # listed as removed since the last build


def test_rebuild_without_changes_is_byte_identical(site: Path) -> None:
    build(site)
    build(site)
    snapshot = site.parent / "snapshot"
    shutil.copytree(site / "output", snapshot)
    build(site)
    files = sorted(p.relative_to(snapshot).as_posix() for p in snapshot.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(snapshot, site / "output", files, shallow=False)
    assert not mismatch and not errors
    assert len(load(site, "history.json")["builds"]) == 1


@pytest.fixture
def published(tmp_path: Path, site: Path) -> Iterator[str]:
    """The first build, served on loopback as if it were the published Pages site."""
    build(site)
    folder = tmp_path / "published"
    shutil.copytree(site / "output", folder)
    with served(folder) as url:
        yield url


def test_previous_from_a_published_url(site: Path, published: str) -> None:
    shutil.rmtree(site / "output")
    build(site, "--previous", published)
    audit = load(site, "audit.json")
    assert all(p["previous_overall"] is not None for p in audit["pieces"])


def test_unreadable_previous_is_a_warning(site: Path, capsys) -> None:
    assert main(["build", str(site), "--previous", "http://127.0.0.1:9/"]) == 0
    assert "previous build not read" in capsys.readouterr().err


def previous_only(site: Path, tmp_path: Path, *names: str) -> Path:
    """A folder holding only some files of the first build, as the 'previous' build."""
    build(site)
    folder = tmp_path / "previous"
    folder.mkdir()
    for name in names:
        shutil.copy(site / "output" / name, folder / name)
    shutil.rmtree(site / "output")
    return folder


def test_history_json_lists_every_piece_for_the_next_build(site: Path, tmp_path: Path) -> None:
    """The next build reads deltas from history.json alone, not the much larger audit.json."""
    previous = previous_only(site, tmp_path, "history.json")
    pieces = json.loads((previous / "history.json").read_text(encoding="utf-8"))["pieces"]
    assert [p["id"] for p in pieces] == sorted(p["id"] for p in pieces) and len(pieces) == 3
    (site / NOTE).unlink()
    build(site, "--previous", str(previous))
    audit = load(site, "audit.json")
    overall = {p["id"]: p["overall"] for p in pieces}
    assert all(p["previous_overall"] == overall[p["id"]] for p in audit["pieces"])
    index = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert "A short note" in index  # its title came from history.json's piece list


def test_history_json_of_an_older_auditor_falls_back_to_audit_json(
    site: Path, tmp_path: Path
) -> None:
    previous = previous_only(site, tmp_path, "history.json", "audit.json")
    older = json.loads((previous / "history.json").read_text(encoding="utf-8"))
    older = {"schema_version": 1, "builds": older["builds"]}
    (previous / "history.json").write_text(json.dumps(older), encoding="utf-8")
    build(site, "--previous", str(previous))
    audit = load(site, "audit.json")
    assert all(p["previous_overall"] == p["scores"]["overall"] for p in audit["pieces"])
    assert [b["build"] for b in load(site, "history.json")["builds"]] == [1]


def test_history_json_of_a_newer_auditor_is_a_warning(site: Path, tmp_path: Path, capsys) -> None:
    previous = previous_only(site, tmp_path, "history.json", "audit.json")
    (previous / "history.json").write_text('{"schema_version": 3, "builds": []}', "utf-8")
    assert main(["build", str(site), "--previous", str(previous)]) == 0
    assert "schema_version 3 is not one this auditor reads" in capsys.readouterr().err
    assert all(p["previous_overall"] is None for p in load(site, "audit.json")["pieces"])
