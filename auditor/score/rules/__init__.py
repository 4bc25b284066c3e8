"""The built-in rules, registered explicitly and in a fixed order: dimension by dimension."""

from __future__ import annotations

from auditor.score.rule import Registry
from auditor.score.rules import community, conversational, dialogue, readability, restraint


def default_registry() -> Registry:
    """A fresh registry holding every built-in rule (fresh, so tests never share state)."""
    registry = Registry()
    for module in (conversational, dialogue, community, restraint, readability):
        registry.register(*module.RULES)
    return registry
