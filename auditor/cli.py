"""The command line: the one boundary that parses arguments, prints, and chooses exit codes.

Exit codes: 0 success; 1 the build finished but ``--strict`` found skipped inputs; 2 usage or
configuration error (argparse uses 2 for usage errors too); 3 the site could not be written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from auditor import __version__
from auditor.build import build
from auditor.config import Config, load_config
from auditor.errors import AuditorError, BuildError, ConfigError, InputError
from auditor.ingest import document_from_text, read_file
from auditor.model import Skipped
from auditor.render import piece_to_json
from auditor.score import load_model, score

EXIT_OK, EXIT_SHORTFALL, EXIT_USAGE, EXIT_BUILD = 0, 1, 2, 3
EPILOG = """exit codes:
  0  the site was built (or the pieces were scored)
  1  --strict and at least one input was skipped
  2  usage or configuration error
  3  the site could not be written (the previous site is left as it was)
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``auditor`` console script and ``python -m auditor``."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except ConfigError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except BuildError as exc:
        _error(str(exc))
        return EXIT_BUILD
    except AuditorError as exc:
        _error(str(exc))
        return EXIT_BUILD


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="auditor",
        description="Audit a blog for how conversational and community-minded its posts are.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"auditor {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_build(commands)
    _add_score(commands)
    return parser


def _add_build(commands: argparse._SubParsersAction) -> None:
    cmd = commands.add_parser(
        "build",
        help="audit the content and feeds and write the audit site",
        description="Audit a site's posts, pages and feeds and write a static HTML audit site.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmd.add_argument("site_dir", nargs="?", default=".", type=Path, metavar="SITE_DIR",
                     help="folder holding auditor.toml, content/ and templates/ (default: .)")
    cmd.add_argument("--content", action="append", type=Path, metavar="DIR",
                     help="content folder to audit (repeatable; replaces the configured ones)")
    cmd.add_argument("--feed", action="append", metavar="PATH_OR_URL",
                     help="RSS/Atom feed to audit (repeatable; replaces the configured ones)")
    cmd.add_argument("--output", "-o", type=Path, metavar="DIR",
                     help="folder to write the site to (default: output)")
    cmd.add_argument("--config", type=Path, metavar="FILE",
                     help="configuration file (default: SITE_DIR/auditor.toml)")
    cmd.add_argument("--drafts", action="store_true", default=None,
                     help="also audit posts marked draft")
    cmd.add_argument("--strict", action="store_true",
                     help="exit 1 if any input was skipped")
    cmd.add_argument("--stamp", action="store_true",
                     help="print the build time on the site (SOURCE_DATE_EPOCH if set)")
    cmd.add_argument("--quiet", "-q", action="store_true",
                     help="print only problems, not the summary line")
    cmd.set_defaults(run=_run_build)


def _add_score(commands: argparse._SubParsersAction) -> None:
    cmd = commands.add_parser(
        "score",
        help="print the scores and findings of single pieces as JSON",
        description="Score Markdown or HTML files (or - for standard input) and print JSON "
        "in the same shape as the pieces of audit.json.",
    )
    cmd.add_argument("files", nargs="+", metavar="FILE", help="files to score, or - for stdin")
    cmd.add_argument("--jsonl", action="store_true",
                     help="treat each input line as a separate piece; print one JSON object a line")
    cmd.add_argument("--config", type=Path, metavar="FILE",
                     help="configuration file whose [scoring] settings apply")
    cmd.set_defaults(run=_run_score)


def _run_build(args: argparse.Namespace) -> int:
    config = _apply_overrides(load_config(args.site_dir, args.config, warn=_warn), args)
    progress = _Progress(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    report = build(
        config,
        drafts=args.drafts,
        stamp=args.stamp,
        progress=progress,
        on_skip=lambda item: print(item, file=sys.stderr),
    )
    if progress:
        progress.clear()
    if not args.quiet:
        print(
            f"auditor: audited {len(report.audit.results)} pieces, skipped {len(report.skipped)}"
            f" ({len(report.warnings)} warnings) in {report.seconds:.1f}s; "
            f"site written to {_display(report.output)}/index.html",
            file=sys.stderr,
        )
    return EXIT_SHORTFALL if args.strict and report.skipped else EXIT_OK


def _apply_overrides(config: Config, args: argparse.Namespace) -> Config:
    """Command-line sources and output replace the configured ones."""
    changes: dict[str, object] = {}
    if args.content:
        changes["content"] = tuple(p.resolve() for p in args.content)
        if not args.feed:
            changes["feeds"] = ()
    if args.feed:
        changes["feeds"] = tuple(
            f if f.startswith(("http://", "https://")) else str(Path(f).resolve())
            for f in args.feed
        )
        if not args.content:
            changes["content"] = ()
    if args.output:
        changes["output"] = args.output.resolve()
    return replace(config, **changes) if changes else config


def _run_score(args: argparse.Namespace) -> int:
    config = load_config(Path("."), args.config, warn=_warn) if args.config else None
    model = load_model(config.scoring if config else None)
    pieces, skipped = [], []
    for name in args.files:
        for doc in _read_inputs(name, jsonl=args.jsonl, skipped=skipped):
            piece = piece_to_json(score(doc, model))
            if args.jsonl:
                print(json.dumps(piece, ensure_ascii=False))
            else:
                pieces.append(piece)
    for item in skipped:
        print(item, file=sys.stderr)
    if not args.jsonl:
        print(json.dumps({"schema_version": 1, "pieces": pieces}, indent=2, ensure_ascii=False))
    return EXIT_OK if not skipped else EXIT_SHORTFALL


def _read_inputs(name: str, *, jsonl: bool, skipped: list[Skipped]) -> list:
    """Documents from one command-line input: a file, or stdin with ``-``."""
    try:
        if name == "-":
            text = sys.stdin.read()
        elif jsonl:
            text = Path(name).read_text(encoding="utf-8-sig")
        else:
            return [read_file(Path(name))]
    except InputError as exc:
        skipped.append(Skipped(exc.path, exc.reason, exc.line))
        return []
    except OSError as exc:
        skipped.append(Skipped(name, exc.strerror or str(exc)))
        return []
    label = "<stdin>" if name == "-" else name
    if not jsonl:
        return [document_from_text(text, label)]
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    return [document_from_text(line, f"{label}:{n}") for n, line in lines]


class _Progress:
    """A one-line counter on a terminal, redrawn in place; silent when not a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, done: int, total: int) -> None:
        if total >= 50 and (done % 25 == 0 or done == total):
            self.stream.write(f"\rauditor: scored {done}/{total}")
            self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _error(message: str) -> None:
    for line in message.splitlines():
        print(f"auditor: error: {line}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"auditor: warning: {message}", file=sys.stderr)
