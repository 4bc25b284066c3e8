"""The configuration schema: defaults, validation of every key at once, and prefix rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import ScoringSettings, load_config
from auditor.errors import ConfigError


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.content == (tmp_path.resolve() / "content",)
    assert config.output == tmp_path.resolve() / "output"
    assert config.feeds == ()
    assert config.drafts is False
    assert config.config_file is None


def test_reads_auditor_toml(tmp_path: Path) -> None:
    write(
        tmp_path,
        "auditor.toml",
        """
title = "Garden audit"
base_url = "https://example.org"
content = ["posts", "pages"]
feeds = ["feed.xml", "https://example.org/feed"]
output = "site"
drafts = true
[scoring]
min_words = 150
[scoring.rules]
dialogue = false
"dialogue.invitations" = true
[scoring.weights]
community = 2
[scoring.words]
community = ["allotment"]
""",
    )
    config = load_config(tmp_path)
    root = tmp_path.resolve()
    assert config.title == "Garden audit"
    assert config.content == (root / "posts", root / "pages")
    assert config.feeds == (str(root / "feed.xml"), "https://example.org/feed")
    assert config.output == root / "site"
    assert config.scoring.min_words == 150
    assert config.scoring.weight("community", 1.0) == 2.0
    assert config.scoring.extra_words("community") == ("allotment",)
    assert not config.scoring.enabled("dialogue.closing_question")
    assert config.scoring.enabled("dialogue.invitations")


def test_pyproject_tool_table(tmp_path: Path) -> None:
    write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname="x"\n[tool.auditor]\ntitle = "From pyproject"\n',
    )
    assert load_config(tmp_path).title == "From pyproject"


def test_every_problem_reported_at_once_with_its_key(tmp_path: Path) -> None:
    write(
        tmp_path,
        "auditor.toml",
        """
title = 3
drafts = "yes"
base_url = "ftp://x"
[scoring]
min_words = 0
[scoring.weights]
community = -1
""",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    message = str(caught.value)
    for key in ("title", "drafts", "base_url", "scoring.min_words", "scoring.weights"):
        assert f": {key}:" in message
    assert len(message.splitlines()) == 5


def test_unknown_keys_warn_but_do_not_fail(tmp_path: Path) -> None:
    write(tmp_path, "auditor.toml", 'titel = "typo"\n[scoring]\nweigths = {}\n')
    warnings: list[str] = []
    load_config(tmp_path, warn=warnings.append)
    assert any("'titel'" in w for w in warnings)
    assert any("'scoring.weigths'" in w for w in warnings)


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "auditor.toml", 'title = "ok"\ncontent = [\n')
    with pytest.raises(ConfigError, match=r"auditor\.toml: .*line"):
        load_config(tmp_path)


def test_missing_explicit_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path, tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("rules", "rule_id", "expected"),
    [
        ((), "community.thanks", True),
        ((("community", False),), "community.thanks", False),
        ((("community", False), ("community.thanks", True)), "community.thanks", True),
        ((("community", False), ("community.thanks", True)), "community.credit", False),
        ((("comm", False),), "community.thanks", True),
    ],
)
def test_longest_prefix_wins(rules: tuple, rule_id: str, expected: bool) -> None:
    assert ScoringSettings(rules=rules).enabled(rule_id) is expected


def test_toml_error_mid_file_names_its_line(tmp_path: Path) -> None:
    write(tmp_path, "auditor.toml", 'title = "ok"\ndrafts = yes\noutput = "x"\n')
    with pytest.raises(ConfigError, match=r"line 2"):
        load_config(tmp_path)


def test_evidence_listed_defaults_to_ten_and_takes_a_whole_number(tmp_path: Path) -> None:
    assert load_config(tmp_path).evidence_listed == 10
    write(tmp_path, "auditor.toml", "evidence_listed = 3\n")
    assert load_config(tmp_path).evidence_listed == 3


@pytest.mark.parametrize("value", ["0", "-2", '"5"', "2.5", "true"])
def test_evidence_listed_must_be_a_whole_number_of_at_least_one(tmp_path: Path, value: str) -> None:
    write(tmp_path, "auditor.toml", f"evidence_listed = {value}\n")
    with pytest.raises(ConfigError, match=r": evidence_listed: expected a whole number >= 1"):
        load_config(tmp_path)


DOCS = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def test_every_option_is_documented() -> None:
    """A key the schema accepts but docs/configuration.md does not name is a hidden option."""
    from auditor.config import SCORING_OPTIONS, SITE_OPTIONS

    text = DOCS.read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| `")}
    keys = [o.key for o in SITE_OPTIONS + SCORING_OPTIONS] + ["min_score", "paths"]
    assert [k for k in keys if f"`{k}`" not in rows] == []


def test_documented_examples_are_valid(tmp_path: Path) -> None:
    """Every TOML example in docs/configuration.md loads without a problem or a warning."""
    import re

    blocks = re.findall(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 2
    warnings: list[str] = []
    for block in blocks:
        write(tmp_path, "auditor.toml", block)
        load_config(tmp_path, warn=warnings.append)
    assert warnings == []
