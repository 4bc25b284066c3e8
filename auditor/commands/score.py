"""``auditor score``: the scores and findings of single pieces, as JSON on stdout."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from auditor.commands.common import EXIT_OK, EXIT_SHORTFALL, add_command, add_config_arg, load_site
from auditor.errors import InputError
from auditor.ingest import document_from_text, read_file
from auditor.model import Document, Skipped


def add_parser(commands: argparse._SubParsersAction) -> None:
    cmd = add_command(
        commands,
        "score",
        help="print the scores and findings of single pieces as JSON",
        description="Score Markdown or HTML files (or - for standard input) and print JSON "
        "shaped like audit.json: its rules table and the pieces (--jsonl: one piece a line).",
    )
    cmd.add_argument("files", nargs="+", metavar="FILE", help="files to score, or - for stdin")
    cmd.add_argument(
        "--jsonl",
        action="store_true",
        help="treat each input line as a separate piece; print one JSON object a line",
    )
    add_config_arg(cmd)
    cmd.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from auditor.render.export import SCHEMA_VERSION, piece_to_json, rules_to_json  # the scorer
    from auditor.score import load_model, score

    config = load_site(Path("."), args.config) if args.config else None
    model = load_model(config.scoring if config else None)
    pieces, skipped = [], []
    for name in args.files:
        for doc in read_inputs(name, jsonl=args.jsonl, skipped=skipped):
            piece = piece_to_json(score(doc, model))
            if args.jsonl:
                print(json.dumps(piece, ensure_ascii=False))
            else:
                pieces.append(piece)
    for item in skipped:
        print(item, file=sys.stderr)
    if not args.jsonl:
        rules = rules_to_json(model.rules_info)
        data = {"schema_version": SCHEMA_VERSION, "rules": rules, "pieces": pieces}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    return EXIT_SHORTFALL if skipped else EXIT_OK


def read_inputs(
    name: str, *, jsonl: bool, skipped: list[Skipped], roots: Sequence[Path] = ()
) -> list[Document]:
    """Documents from one command-line input: a file, or stdin with ``-``.

    A file inside one of the content folders ``roots`` gets the id it has in a build.
    """
    try:
        if name == "-":
            text = sys.stdin.read()
        elif jsonl:
            text = Path(name).read_text(encoding="utf-8-sig")
        else:
            return [read_file(Path(name), roots=roots)]
    except InputError as exc:
        skipped.append(Skipped(exc.path, exc.reason, exc.line))
        return []
    except (OSError, UnicodeDecodeError) as exc:
        skipped.append(Skipped(name, getattr(exc, "strerror", None) or str(exc)))
        return []
    label = "<stdin>" if name == "-" else name
    if not jsonl:
        return [document_from_text(text, label)]
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    return [document_from_text(line, f"{label}:{n}") for n, line in lines]
