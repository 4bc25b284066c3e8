"""Editors' decisions: a dismissed finding leaves the score, and lapses when its text changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.errors import ConfigError
from auditor.reviews import load_reviews

GOLDEN_SITE = Path(__file__).parent / "golden" / "site"
HYPE = "content/posts/2026-03-10-award.md"
HYPE_ID = "posts/2026-03-10-award.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(GOLDEN_SITE, target)
    (target / "content" / "posts" / "broken.md").unlink()
    return target


def piece(site: Path, piece_id: str) -> dict:
    data = json.loads((site / "output" / "audit.json").read_text(encoding="utf-8"))
    [found] = [p for p in data["pieces"] if p["id"] == piece_id]
    return found


def build(site: Path) -> None:
    assert main(["build", str(site), "--quiet"]) == 0


def test_dismissed_finding_leaves_the_score_until_its_text_changes(site: Path, capsys) -> None:
    build(site)
    before = piece(site, HYPE_ID)
    assert any(f["rule"] == "restraint.hard_sell" for f in before["findings"])

    args = ["review", HYPE, "restraint.hard_sell", "--dismiss", "-m", "It is a parody", "--site"]
    assert main([*args, str(site)]) == 0
    [decision] = load_reviews(site / "reviews.toml")
    assert (decision.piece, decision.rule, decision.action) == (
        HYPE_ID,
        "restraint.hard_sell",
        "dismiss",
    )
    assert decision.comment == "It is a parody"

    build(site)
    dismissed = piece(site, HYPE_ID)
    assert not any(f["rule"] == "restraint.hard_sell" for f in dismissed["findings"])
    assert dismissed["scores"]["restraint"] > before["scores"]["restraint"]
    page = (site / "output" / dismissed["page"]).read_text(encoding="utf-8")
    assert "It is a parody" in page

    post = site / HYPE
    post.write_text(
        post.read_text(encoding="utf-8").replace("act now", "ACT NOW TODAY"), encoding="utf-8"
    )
    capsys.readouterr()
    build(site)
    assert "no longer matches its text" in capsys.readouterr().err
    lapsed = piece(site, HYPE_ID)
    assert any(f["rule"] == "restraint.hard_sell" for f in lapsed["findings"])


def test_accepted_finding_keeps_counting(site: Path) -> None:
    build(site)
    before = piece(site, HYPE_ID)
    assert main(["review", HYPE_ID, "restraint.hype", "--accept", "--site", str(site)]) == 0
    build(site)
    after = piece(site, HYPE_ID)
    assert after["scores"] == before["scores"]


def test_unknown_rule_is_a_usage_error(site: Path, capsys) -> None:
    assert main(["review", HYPE, "no.such_rule", "--dismiss", "--site", str(site)]) == 2
    assert "no finding for no.such_rule" in capsys.readouterr().err
    assert not (site / "reviews.toml").exists()


def test_bad_reviews_file_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "reviews.toml"
    path.write_text(
        '[[review]]\npiece = "a"\nrule = "r"\nevidence = "x"\naction = "maybe"\n'
        '[[review]]\npiece = "b"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_reviews(path)
    assert "review #1: action" in str(caught.value) and "review #2: rule" in str(caught.value)
