"""How ``auditor check`` presents its verdicts: human text, JSON, GitHub Actions annotations.

Each function returns text; the CLI decides where it goes. GitHub's workflow commands are
documented at docs.github.com ("Workflow commands for GitHub Actions"): property values escape
``%``, CR, LF, ``:`` and ``,``; messages escape ``%``, CR and LF.
"""

from __future__ import annotations

import json

from auditor.gate import Verdict
from auditor.model import Finding
from auditor.render.env import plural

MAX_FINDINGS_PER_PIECE = 10


def _line(verdict: Verdict, finding: Finding) -> int:
    """The source line of a finding's first evidence, else the piece's first line."""
    if finding.spans:
        line = verdict.result.doc.line_at(finding.spans[0].start)
        if line:
            return line
    return verdict.first_line


def _headline(verdict: Verdict) -> str:
    return "; ".join(str(s) for s in verdict.shortfalls)


def format_text(verdicts: list[Verdict]) -> str:
    """file:line lines an editor or a terminal reads, then one summary line."""
    out = []
    for verdict in (v for v in verdicts if v.failed):
        out.append(f"{verdict.path}:{verdict.first_line}: {_headline(verdict)}")
        for finding, _ in verdict.to_improve()[:MAX_FINDINGS_PER_PIECE]:
            out.append(
                f"{verdict.path}:{_line(verdict, finding)}: {finding.rule}: {finding.message}"
            )
    out.append(summary_line(verdicts))
    return "\n".join(out) + "\n"


def summary_line(verdicts: list[Verdict]) -> str:
    failed = sum(v.failed for v in verdicts)
    gated = sum(v.gated for v in verdicts)
    audited = f"({len(verdicts):,} audited)"
    if not failed:
        if gated == 1:
            return f"auditor check: the 1 checked piece passes {audited}"
        return f"auditor check: all {plural(gated, 'checked piece')} pass {audited}"
    verb = "falls" if failed == 1 else "fall"
    return f"auditor check: {failed:,} of {plural(gated, 'checked piece')} {verb} short {audited}"


def format_json(verdicts: list[Verdict]) -> str:
    """The verdicts as one JSON document, for scripts."""
    pieces = []
    for verdict in verdicts:
        result = verdict.result
        pieces.append(
            {
                "id": result.doc.id,
                "path": verdict.path,
                "checked": verdict.gated,
                "passed": not verdict.failed,
                "scores": {d.name: d.score for d in result.dimensions}
                | {"overall": result.overall},
                "shortfalls": [
                    {"dimension": s.dimension, "score": s.score, "minimum": s.minimum}
                    for s in verdict.shortfalls
                ],
                "to_improve": [
                    {
                        "rule": f.rule,
                        "line": _line(verdict, f),
                        "message": f.message,
                        "suggestion": f.suggestion,
                        "gain": round(gain, 1),
                    }
                    for f, gain in verdict.to_improve()
                ],
            }
        )
    body = {"schema_version": 1, "passed": not any(v.failed for v in verdicts), "pieces": pieces}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, path: str, line: int, title: str, message: str) -> str:
    props = f"file={_escape_property(path)},line={line},title={_escape_property(title)}"
    return f"::{kind} {props}::{_escape_data(message)}"


def format_github(verdicts: list[Verdict]) -> str:
    """An error annotation per failing piece and a warning on each line to improve."""
    out = []
    for verdict in (v for v in verdicts if v.failed):
        out.append(
            _command(
                "error",
                verdict.path,
                verdict.first_line,
                "auditor: below the minimum",
                _headline(verdict),
            )
        )
        for finding, _ in verdict.to_improve()[:MAX_FINDINGS_PER_PIECE]:
            message = f"{finding.message}. {finding.suggestion}"
            out.append(
                _command(
                    "warning",
                    verdict.path,
                    _line(verdict, finding),
                    f"auditor: {finding.rule}",
                    message,
                )
            )
    out.append(summary_line(verdicts))
    return "\n".join(out) + "\n"


def format_summary_markdown(verdicts: list[Verdict]) -> str:
    """The job summary GitHub shows on the run page ($GITHUB_STEP_SUMMARY)."""
    failed = [v for v in verdicts if v.failed]
    lines = ["## auditor check", "", summary_line(verdicts), ""]
    if failed:
        lines += ["| piece | falls short | first thing to improve |", "|---|---|---|"]
        for verdict in failed:
            improve = verdict.to_improve()
            tip = improve[0][0].suggestion if improve else ""
            lines.append(
                f"| `{_cell(verdict.path)}` | {_cell(_headline(verdict))} | {_cell(tip)} |"
            )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Keep untrusted text from breaking out of a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ").replace("`", "'")
