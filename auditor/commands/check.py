"""``auditor check``: the gate for CI and pre-commit — exit 1 when a piece falls short.

Report-only unless thresholds are set (``--min-score``, ``--min DIM=N`` or ``[check]`` in
auditor.toml). ``--changed-since`` and ``--baseline`` gate only new or changed pieces, so an
archive of old posts never blocks a new one.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from auditor.build import collect
from auditor.changes import baseline_digests, changed_since
from auditor.commands.build import add_site_args, site_config
from auditor.commands.common import EXIT_OK, EXIT_SHORTFALL, add_command
from auditor.commands.score import read_inputs
from auditor.config import Config
from auditor.gate import evaluate, validate_dimensions
from auditor.gate_formats import format_github, format_json, format_summary_markdown, format_text
from auditor.model import PieceResult, Skipped

FORMATS = {"text": format_text, "json": format_json, "github": format_github}


def add_parser(commands: argparse._SubParsersAction) -> None:
    cmd = add_command(
        commands,
        "check",
        help="gate CI or pre-commit on minimum scores (exit 1 when a piece falls short)",
        description="Score the site's pieces (or only FILEs) and compare them with minimum "
        "scores from the command line or the [check] table of auditor.toml.",
    )
    cmd.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="check only these files (as pre-commit passes them)",
    )
    add_site_args(cmd, positional=False)
    cmd.add_argument("--min-score", type=_score, metavar="N", help="minimum overall score")
    cmd.add_argument(
        "--min",
        action="append",
        type=_dimension_minimum,
        default=[],
        metavar="DIMENSION=N",
        help="minimum score of one dimension (repeatable)",
    )
    cmd.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="text",
        help="text (file:line), json, or github (Actions annotations + job summary)",
    )
    which = cmd.add_mutually_exclusive_group()
    which.add_argument(
        "--changed-since",
        metavar="REF",
        help="gate only files changed since this git ref (and untracked files)",
    )
    which.add_argument(
        "--baseline",
        type=Path,
        metavar="AUDIT_JSON",
        help="gate only pieces new or changed since this audit.json",
    )
    cmd.set_defaults(run=run)


def _score(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 100:
        raise argparse.ArgumentTypeError("expected a whole number from 0 to 100")
    return int(text)


def _dimension_minimum(text: str) -> tuple[str, int]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError("expected DIMENSION=N, e.g. community=40")
    return name.strip(), _score(value.strip())


def run(args: argparse.Namespace) -> int:
    config = site_config(args)
    cli_minimums = dict(args.min) | (
        {"overall": args.min_score} if args.min_score is not None else {}
    )
    from auditor.score import load_model, score  # the scorer: imported by the commands that score

    model = load_model(config.scoring)
    validate_dimensions(config.check, cli_minimums, (d.name for d in model.dimensions))
    skipped: list[Skipped] = []
    if args.files:
        results = [
            score(doc, model)
            for f in args.files
            for doc in read_inputs(str(f), jsonl=False, skipped=skipped, roots=config.content)
        ]
    else:
        audit = collect(config, drafts=args.drafts)
        results, skipped = list(audit.results), list(audit.skipped)
    for item in skipped:
        print(item, file=sys.stderr)
    verdicts = evaluate(
        results,
        config.check,
        cli_minimums=cli_minimums,
        path_of=lambda r: _site_path(r, config),
        gated=_gate(args, config),
    )
    sys.stdout.write(FORMATS[args.format](verdicts))
    if args.format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(format_summary_markdown(verdicts))
    return EXIT_SHORTFALL if any(v.failed for v in verdicts) else EXIT_OK


def _source_file(result: PieceResult, config: Config) -> Path | None:
    """The file a piece came from: its path is relative to its content folder's parent."""
    path = result.doc.path
    if not path or path.startswith(("http://", "https://")):
        return None
    candidates = (
        [Path(path)]
        if Path(path).is_absolute()
        else [root.parent / path for root in config.content] + [config.site_dir / path, Path(path)]
    )
    return next((c.resolve() for c in candidates if c.is_file()), None)


def _site_path(result: PieceResult, config: Config) -> str:
    """The piece's path relative to the site folder (what [check.paths] globs match)."""
    found = _source_file(result, config)
    if found is None:
        return result.doc.path or result.doc.id
    try:
        return found.relative_to(config.site_dir).as_posix()
    except ValueError:
        return os.path.relpath(found)


def _gate(args: argparse.Namespace, config: Config) -> Callable[[PieceResult], bool]:
    """Which pieces the thresholds apply to: all, or only the new and changed ones."""
    if args.changed_since:
        changed = changed_since(args.changed_since, config.site_dir)
        return lambda r: _source_file(r, config) in changed
    if args.baseline:
        before = baseline_digests(args.baseline)
        return lambda r: before.get(r.doc.id) != r.doc.digest
    return lambda _: True
