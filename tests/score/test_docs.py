"""The committed docs/rules.md equals what the model generates."""

from __future__ import annotations

from pathlib import Path

from auditor.score.docs import rules_markdown

RULES_MD = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_rules_page_is_up_to_date(model) -> None:
    assert RULES_MD.read_text(encoding="utf-8") == rules_markdown(model), (
        "docs/rules.md is stale: run python -m auditor.score.docs > docs/rules.md"
    )


def test_rules_page_lists_every_rule(model) -> None:
    text = rules_markdown(model)
    assert all(f"`{r.id}`" in text for r in model.rules_info)
