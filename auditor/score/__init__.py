"""The scoring stage: pure functions from a Document to a PieceResult, driven by a data model.

Build the model once with ``load_model`` (rules, weights, word lists, user settings) and call
``score`` for each piece; scoring does no I/O and is deterministic.
"""

from __future__ import annotations

from auditor.score.scoring import ScoringModel, load_model, score

__all__ = ["ScoringModel", "load_model", "score"]
