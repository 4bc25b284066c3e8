"""The command line: exit codes, messages on stderr, and the JSON that `score` prints."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import auditor.publish
from auditor.cli import main

GOLDEN_SITE = Path(__file__).parent / "golden" / "site"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(GOLDEN_SITE, target)
    return target


def test_build_reports_skipped_input_and_summary(site: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["build", str(site)]) == 0
    err = capsys.readouterr().err.splitlines()
    skipped = [line for line in err if "broken.md" in line]
    assert len(skipped) == 1 and "content/posts/broken.md" in skipped[0]
    assert err[-1].startswith("auditor: audited 3 pieces, skipped 1")
    assert (site / "output" / "index.html").is_file()
    assert (site / "output" / ".nojekyll").is_file()


def test_strict_exits_1_when_something_was_skipped(site: Path) -> None:
    assert main(["build", str(site), "--strict", "--quiet"]) == 1


def test_quiet_prints_only_problems(site: Path, capsys: pytest.CaptureFixture) -> None:
    main(["build", str(site), "--quiet"])
    err = capsys.readouterr().err
    assert "broken.md" in err and "audited" not in err


def test_bad_config_exits_2_naming_the_key(site: Path, capsys: pytest.CaptureFixture) -> None:
    (site / "auditor.toml").write_text("drafts = 'yes'\n", encoding="utf-8")
    assert main(["build", str(site)]) == 2
    assert "drafts: expected true or false" in capsys.readouterr().err


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["build", "--no-such-flag"])
    assert caught.value.code == 2


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture) -> None:
    assert main([]) == 2
    assert "usage: auditor" in capsys.readouterr().err


def test_output_inside_content_is_refused(site: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(["build", str(site), "--output", str(site / "content" / "out")])
    assert code == 3
    assert "overlaps the content folder" in capsys.readouterr().err
    assert not (site / "content" / "out").exists()


def test_non_empty_foreign_output_is_refused(site: Path) -> None:
    foreign = site / "precious"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["build", str(site), "--output", str(foreign), "--quiet"]) == 3
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_failed_build_leaves_previous_site(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["build", str(site), "--quiet"]) == 0
    before = (site / "output" / "index.html").read_bytes()

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(auditor.publish, "render_site", explode)
    with pytest.raises(RuntimeError):
        main(
            ["build", str(site), "--quiet", "--no-cache"]
        )  # a cached, unchanged site is not rewritten
    assert (site / "output" / "index.html").read_bytes() == before
    leftovers = [p.name for p in site.iterdir() if p.name.startswith(".output.")]
    assert leftovers == []


def test_removed_piece_disappears_on_rebuild(site: Path) -> None:
    assert main(["build", str(site), "--quiet"]) == 0
    pages = sorted(p.name for p in (site / "output" / "pieces").iterdir())
    (site / "content" / "posts" / "2026-03-20-note.md").unlink()
    assert main(["build", str(site), "--quiet"]) == 0
    after = sorted(p.name for p in (site / "output" / "pieces").iterdir())
    assert len(after) == len(pages) - 1


def test_score_prints_piece_json(capsys: pytest.CaptureFixture) -> None:
    post = GOLDEN_SITE / "content" / "posts" / "2026-02-01-seed-swap.md"
    assert main(["score", str(post)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema_version"] == 2
    [piece] = data["pieces"]
    assert piece["title"].startswith("Your seeds")
    assert set(piece["scores"]) >= {"conversational", "community", "overall"}
    assert all(0 <= v <= 100 for v in piece["scores"].values() if v is not None)
    assert piece["findings"]
    assert all(data["rules"][f["rule"]]["suggestion"] for f in piece["findings"])


def test_score_reads_stdin_and_jsonl(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    lines = "Thanks so much, could you tell us more?\nBUY NOW!!! Limited offer!\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["score", "--jsonl", "-"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    first, second = (json.loads(line) for line in out)
    assert first["scores"]["restraint"] > second["scores"]["restraint"]


def test_score_missing_file_exits_1(capsys: pytest.CaptureFixture) -> None:
    assert main(["score", "/no/such/file.md"]) == 1
    assert "/no/such/file.md" in capsys.readouterr().err


def test_python_dash_m_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "auditor", "build", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "--content" in done.stdout and "exit codes" in done.stdout


def test_summary_says_one_piece_in_the_singular(tmp_path: Path, capsys) -> None:
    post = tmp_path / "content" / "posts" / "one.md"
    post.parent.mkdir(parents=True)
    post.write_text("---\ntitle: One\n---\n\nWe wrote one short post for you.\n", "utf-8")
    assert main(["build", str(tmp_path)]) == 0
    assert (
        capsys.readouterr()
        .err.splitlines()[-1]
        .startswith("auditor: audited 1 piece, skipped 0 (0 warnings) in ")
    )
