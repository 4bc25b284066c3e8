"""``auditor init``: scaffold a site folder with configuration, a sample post and a workflow."""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

from auditor.commands.common import EXIT_OK, add_command, display

# (file in auditor/scaffold, where it goes in the site folder)
SCAFFOLD = (
    ("auditor.toml", "auditor.toml"),
    ("welcome.md", "content/posts/welcome.md"),
    ("audit.yml", ".github/workflows/audit.yml"),
    ("gitignore", ".gitignore"),
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    cmd = add_command(
        commands,
        "init",
        help="scaffold auditor.toml, a sample post and a GitHub Pages workflow",
        description="Create a commented auditor.toml, a sample post, a .gitignore and "
        ".github/workflows/audit.yml (build and deploy to Pages; check pull requests). "
        "Existing files are left alone unless --force.",
    )
    cmd.add_argument("site_dir", nargs="?", default=Path("."), type=Path, metavar="SITE_DIR")
    cmd.add_argument("--force", action="store_true", help="overwrite files that already exist")
    cmd.add_argument(
        "--install",
        default="auditor",
        metavar="SPEC",
        help="what the workflow passes to pip install (default: auditor)",
    )
    cmd.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    kept = []
    for name, target in SCAFFOLD:
        path = args.site_dir / target
        if path.exists() and not args.force:
            kept.append(path)
            continue
        text = resources.files("auditor.scaffold").joinpath(name).read_text(encoding="utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("__INSTALL__", args.install), encoding="utf-8")
        print(f"auditor: wrote {display(path)}", file=sys.stderr)
    for path in kept:
        print(f"auditor: kept {display(path)} (exists; --force overwrites it)", file=sys.stderr)
    return EXIT_OK
