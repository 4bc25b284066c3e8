"""`auditor init`: scaffolds a working site and never overwrites without --force."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor.cli import main

FILES = (
    "auditor.toml",
    "content/posts/welcome.md",
    ".github/workflows/audit.yml",
    ".gitignore",
)


def test_init_then_build_gives_a_working_site(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    for name in FILES:
        assert (tmp_path / name).is_file()
    assert main(["build", str(tmp_path), "--quiet", "--strict"]) == 0
    assert (tmp_path / "output" / "index.html").is_file()


def test_init_keeps_existing_files_unless_forced(tmp_path: Path, capsys) -> None:
    (tmp_path / "auditor.toml").write_text('title = "mine"\n', encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 0
    assert (tmp_path / "auditor.toml").read_text(encoding="utf-8") == 'title = "mine"\n'
    assert "kept" in capsys.readouterr().err
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert "mine" not in (tmp_path / "auditor.toml").read_text(encoding="utf-8")


def test_workflow_is_valid_yaml_with_the_pages_steps(tmp_path: Path) -> None:
    main(["init", str(tmp_path), "--install", "auditor==0.1.0"])
    workflow = yaml.safe_load((tmp_path / FILES[2]).read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    uses = [step.get("uses", "") for job in jobs.values() for step in job["steps"]]
    runs = [step.get("run", "") for job in jobs.values() for step in job["steps"]]
    for action in ("configure-pages", "upload-pages-artifact", "deploy-pages"):
        assert any(f"actions/{action}@" in u for u in uses)
    assert "pip install auditor==0.1.0" in runs
    assert any(r.startswith("auditor check --format github") for r in runs)
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_init_config_loads_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    main(["init", str(tmp_path)])
    capsys.readouterr()
    assert main(["check", "--site", str(tmp_path)]) == 0
    assert "warning" not in capsys.readouterr().err


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text())
    [hook] = hooks
    assert hook["entry"] == "auditor check" and hook["types_or"] == ["markdown"]
