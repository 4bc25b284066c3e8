"""The README's Quickstart contract: two commands, and .ci/run running the second one."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quickstart_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Quickstart\n.*?```\w*\n(.*?)```", text, re.S | re.M)
    assert match, "README.md needs a Quickstart section with a fenced block"
    return [line for line in match.group(1).splitlines() if line.strip()]


def test_quickstart_has_exactly_two_commands() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2
    assert "auditor build" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_second_quickstart_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert quickstart_commands()[1] in ci
