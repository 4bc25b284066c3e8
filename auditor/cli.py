"""The command line: the one boundary that parses arguments, prints, and chooses exit codes.

Each command lives in ``auditor.commands``; this module builds the parser from them and turns
the library's exceptions into one-line messages and exit codes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from auditor import __version__
from auditor.commands import build, check, init, review, score, serve
from auditor.commands.common import EXIT_BUILD, EXIT_CODES, EXIT_USAGE, error
from auditor.errors import AuditorError, ConfigError

COMMANDS = (build, score, check, review, serve, init)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``auditor`` console script and ``python -m auditor``."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except ConfigError as exc:
        error(str(exc))
        return EXIT_USAGE
    except AuditorError as exc:
        error(str(exc))
        return EXIT_BUILD


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="auditor",
        description="Audit a blog for how conversational and community-minded its posts are.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"auditor {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(commands)
    return parser
