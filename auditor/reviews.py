"""Editors' decisions (``reviews.toml``): accept or dismiss a finding until its text changes.

A decision names the piece id, the rule id and a short hash of the finding's evidence text.
A dismissed finding is shown apart and left out of the scores (the piece is rescored with that
rule silenced); when the evidence text changes the hash no longer matches, the decision lapses,
and the finding comes back.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.errors import ConfigError
from auditor.model import Decision, Finding, PieceResult, Reviewed

if TYPE_CHECKING:
    from auditor.score import ScoringModel

REVIEWS_NAME = "reviews.toml"
ACTIONS = ("accept", "dismiss")


def evidence_hash(text: str, finding: Finding) -> str:
    """A short, stable hash of what the finding points at (the whole text if it has no spans)."""
    evidence = "\n".join(s.text(text) for s in finding.spans) if finding.spans else text
    return hashlib.sha256(evidence.encode("utf-8")).hexdigest()[:12]


def load_reviews(path: Path) -> tuple[Decision, ...]:
    """Read ``reviews.toml``; a missing file means no decisions. Every problem is listed."""
    if not path.is_file():
        return ()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    entries = data.get("review", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: review: expected [[review]] tables")
    decisions, problems = [], []
    for n, entry in enumerate(entries, 1):
        try:
            decisions.append(_decision(entry))
        except ValueError as exc:
            problems.append(f"{path}: review #{n}: {exc}")
    if problems:
        raise ConfigError("\n".join(problems))
    return tuple(decisions)


def _decision(entry: object) -> Decision:
    if not isinstance(entry, dict):
        raise ValueError("expected a table")
    for key in ("piece", "rule", "evidence", "action"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise ValueError(f"{key}: expected a non-empty string")
    if entry["action"] not in ACTIONS:
        raise ValueError('action: expected "accept" or "dismiss"')
    comment = entry.get("comment", "")
    if not isinstance(comment, str):
        raise ValueError("comment: expected a string")
    return Decision(entry["piece"], entry["rule"], entry["evidence"], entry["action"], comment)


@dataclass(frozen=True)
class ReviewOutcome:
    """The results with decisions applied, and the decisions that no longer match any text."""

    results: tuple[PieceResult, ...]
    lapsed: tuple[Decision, ...]


def apply_reviews(
    results: Sequence[PieceResult], decisions: Iterable[Decision], model: ScoringModel
) -> ReviewOutcome:
    """Attach each matching decision to its finding; rescore pieces with dismissed findings."""
    by_piece: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions:
        by_piece[decision.piece].append(decision)
    applied, used = [], set()
    for result in results:
        mine = by_piece.get(result.doc.id, [])
        matched = _match(result, mine)
        used.update(id(d) for _, d in matched)
        applied.append(_reviewed(result, matched, model) if matched else result)
    lapsed = tuple(d for ds in by_piece.values() for d in ds if id(d) not in used)
    return ReviewOutcome(tuple(applied), lapsed)


def _match(result: PieceResult, decisions: list[Decision]) -> list[tuple[Finding, Decision]]:
    text = result.doc.text
    pairs = []
    for finding in result.findings:
        for decision in decisions:
            if decision.rule == finding.rule and decision.evidence == evidence_hash(text, finding):
                pairs.append((finding, decision))
                break
    return pairs


def _reviewed(
    result: PieceResult, matched: list[tuple[Finding, Decision]], model: ScoringModel
) -> PieceResult:
    """Rescore without the dismissed rules, keeping the decisions beside the findings."""
    dismissed = sorted({f.rule for f, d in matched if d.action == "dismiss"})
    if dismissed:
        from auditor.score import score  # the scorer: every build imports this module

        doc = replace(result.doc, suppress=(*result.doc.suppress, *dismissed))
        rescored = score(doc, model)
        result = replace(rescored, doc=result.doc)
    return replace(result, reviewed=tuple(Reviewed(f, d) for f, d in matched))


def find_finding(result: PieceResult, rule: str) -> Finding:
    """The piece's finding for one rule id, or a ConfigError listing the ones it has."""
    for finding in result.findings:
        if finding.rule == rule:
            return finding
    have = ", ".join(sorted({f.rule for f in result.findings}))
    raise ConfigError(f"{result.doc.id} has no finding for {rule} (it has: {have})")


def review_entry(result: PieceResult, finding: Finding, action: str, comment: str) -> str:
    """One ``[[review]]`` table, ready to append to ``reviews.toml``."""
    fields = {
        "piece": result.doc.id,
        "rule": finding.rule,
        "evidence": evidence_hash(result.doc.text, finding),
        "action": action,
        "comment": comment,
    }
    body = "".join(
        f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in fields.items()
    )
    quoted = "; ".join(s.text(result.doc.text)[:80] for s in finding.spans[:3])
    note = f"# {finding.message}" + (f": {quoted}" if quoted else "")
    return f"\n[[review]]\n{' '.join(note.split())}\n{body}"
