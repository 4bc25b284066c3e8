"""`auditor check`: thresholds, exit codes, the three output formats, and gating new pieces."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from auditor.cli import main
from auditor.gate import Shortfall, Verdict
from auditor.gate_formats import summary_line
from auditor.score import load_model, score
from tests.score.conftest import make_doc

GOLDEN = Path(__file__).parent / "golden"
HYPE = "2026-03-10-award.md"
NEW_POST = """---
title: "SALE SALE SALE"
date: 2026-04-01
---

We are proud to announce our award-winning, world-class, revolutionary product!!! BUY NOW!!!
Our platform went viral with 90,000 followers and millions of likes. Don't miss out! Act now!
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "site"
    shutil.copytree(GOLDEN / "site", target)
    (target / "content" / "posts" / "broken.md").unlink()
    monkeypatch.chdir(target)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return target


def test_report_only_without_thresholds(site: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["check"]) == 0
    assert "all 3 checked pieces pass" in capsys.readouterr().out


def test_text_format_names_file_and_line(site: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["check", "--min-score", "60"]) == 1
    out = capsys.readouterr().out.splitlines()
    head = [line for line in out if "is below the minimum 60" in line]
    assert head and all(line.startswith("content/posts/") for line in head)
    assert any(line.startswith(f"content/posts/{HYPE}:") for line in head)
    assert not any("seed-swap" in line for line in head)
    assert out[-1].startswith("auditor check: ")


def test_github_format_matches_golden(site: Path, capsys, update_golden: bool) -> None:
    assert main(["check", "--min-score", "60", "--format", "github"]) == 1
    out = capsys.readouterr().out
    expected = GOLDEN / "check-github.txt"
    if update_golden:
        expected.write_text(out, encoding="utf-8")
    assert out == expected.read_text(encoding="utf-8")
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert any(line.startswith(f"::error file=content/posts/{HYPE},line=") for line in errors)
    warnings = [line for line in out.splitlines() if line.startswith("::warning ")]
    assert any("restraint.hype" in line and HYPE in line for line in warnings)


def test_github_summary_written_when_asked(site: Path, monkeypatch, capsys) -> None:
    summary = site / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    main(["check", "--min-score", "60", "--format", "github"])
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## auditor check") and HYPE in text


def test_json_format(site: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["check", "--min", "restraint=90", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    failing = [p for p in data["pieces"] if not p["passed"]]
    assert data["passed"] is False and failing
    assert all(s["dimension"] == "restraint" for p in failing for s in p["shortfalls"])


def test_per_path_thresholds_longest_glob_wins(site: Path) -> None:
    (site / "auditor.toml").write_text(
        '[check]\nmin_score = 99\n[check.paths."content/posts/**"]\n', encoding="utf-8"
    )
    assert main(["check"]) == 0


def test_unknown_dimension_is_a_usage_error(site: Path, capsys) -> None:
    assert main(["check", "--min", "vibes=10"]) == 2
    assert "vibes" in capsys.readouterr().err


def test_baseline_gates_only_new_pieces(site: Path, capsys) -> None:
    assert main(["build", "--quiet"]) == 0
    baseline = site / "baseline.json"
    shutil.copy(site / "output" / "audit.json", baseline)
    assert main(["check", "--min-score", "60", "--baseline", str(baseline)]) == 0
    (site / "content" / "posts" / "2026-04-01-sale.md").write_text(NEW_POST, encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--min-score", "60", "--baseline", str(baseline)]) == 1
    failing = [line for line in capsys.readouterr().out.splitlines() if "below" in line]
    assert failing and all("2026-04-01-sale.md" in line for line in failing)


def git(site: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=site, check=True, capture_output=True)


def test_changed_since_gates_only_changed_files(site: Path, capsys) -> None:
    git(site, "init", "-q", "-b", "main")
    git(site, "add", ".")
    git(site, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "old")
    assert main(["check", "--min-score", "60", "--changed-since", "HEAD"]) == 0
    (site / "content" / "posts" / "2026-04-01-sale.md").write_text(NEW_POST, encoding="utf-8")
    capsys.readouterr()
    assert (
        main(["check", "--min-score", "60", "--changed-since", "HEAD", "--format", "github"]) == 1
    )
    errors = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::error")]
    assert len(errors) == 1 and "2026-04-01-sale.md" in errors[0]


def test_files_mode_checks_only_given_files(site: Path, capsys) -> None:
    seed = "content/posts/2026-02-01-seed-swap.md"
    assert main(["check", "--min-score", "60", seed]) == 0
    assert main(["check", "--min-score", "60", seed, f"content/posts/{HYPE}"]) == 1


def test_files_mode_uses_build_ids_so_baseline_applies(site: Path) -> None:
    assert main(["build", "--quiet"]) == 0
    baseline = site / "baseline.json"
    shutil.copy(site / "output" / "audit.json", baseline)
    hype = f"content/posts/{HYPE}"
    assert main(["check", "--min-score", "99", hype]) == 1
    assert main(["check", "--min-score", "99", "--baseline", str(baseline), hype]) == 0


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([False], "the 1 checked piece passes (1 audited)"),
        ([False, False], "all 2 checked pieces pass (2 audited)"),
        ([True], "1 of 1 checked piece falls short (1 audited)"),
        ([True, False, False], "1 of 3 checked pieces falls short (3 audited)"),
        ([True, True, False], "2 of 3 checked pieces fall short (3 audited)"),
    ],
)
def test_summary_line_agrees_in_number(outcomes: list[bool], expected: str) -> None:
    verdicts = [SimpleNamespace(failed=failed, gated=True) for failed in outcomes]
    assert summary_line(verdicts) == f"auditor check: {expected}"  # type: ignore[arg-type]


def test_findings_to_improve_come_most_to_gain_first_within_their_group() -> None:
    result = score(make_doc(NEW_POST.split("---")[-1].strip()), load_model())
    verdict = Verdict(result, "new.md", (Shortfall("overall", result.overall, 90),), True)
    pairs = verdict.to_improve()
    assert {f for f, _ in pairs} == {f for f in result.findings if f.status == "improve"}
    quoted = [g for f, g in pairs if f.spans]
    whole = [g for f, g in pairs if not f.spans]
    assert (
        quoted
        and whole
        and [bool(f.spans) for f, _ in pairs] == [True] * len(quoted) + [False] * len(whole)
    )  # findings quoting a line first: annotations land on it
    assert quoted == sorted(quoted, reverse=True) and whole == sorted(whole, reverse=True)


def test_json_format_says_what_each_finding_is_worth(site: Path, capsys) -> None:
    assert main(["check", "--min-score", "60", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    entries = [e for p in data["pieces"] if not p["passed"] for e in p["to_improve"]]
    assert entries and all(type(e["gain"]) is float and e["gain"] >= 0 for e in entries)
