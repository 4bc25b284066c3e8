"""What the commands share: exit codes, messages on stderr, and the site arguments."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from auditor.config import Config, load_config

EXIT_OK, EXIT_SHORTFALL, EXIT_USAGE, EXIT_BUILD = 0, 1, 2, 3
EXIT_CODES = """exit codes:
  0  success
  1  build --strict: an input was skipped; check: a piece fell short; score: an input was unreadable
  2  usage or configuration error
  3  the site could not be written (the previous site is left as it was)
"""


def add_command(
    commands: argparse._SubParsersAction, name: str, help: str, description: str
) -> argparse.ArgumentParser:
    """A subcommand parser with the shared epilog listing exit codes."""
    return commands.add_parser(
        name,
        help=help,
        description=description,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_config_arg(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="configuration file (default: SITE_DIR/auditor.toml or its pyproject.toml)",
    )


def load_site(site_dir: Path, config_file: Path | None) -> Config:
    """The site's validated configuration; unknown keys become warnings on stderr."""
    return load_config(site_dir, config_file, warn=warn)


def display(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def error(message: str) -> None:
    for line in message.splitlines():
        print(f"auditor: error: {line}", file=sys.stderr)


def warn(message: str) -> None:
    print(f"auditor: warning: {message}", file=sys.stderr)
