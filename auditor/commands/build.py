"""``auditor build``: audit the content and feeds and write the audit site."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from auditor.build import build
from auditor.bundled import sample_content_dir
from auditor.commands.common import (
    EXIT_OK,
    EXIT_SHORTFALL,
    add_command,
    add_config_arg,
    display,
    load_site,
)
from auditor.config import Config
from auditor.render.env import plural


def add_parser(commands: argparse._SubParsersAction) -> None:
    cmd = add_command(
        commands,
        "build",
        help="audit the content and feeds and write the audit site",
        description="Audit a site's posts, pages and feeds and write a static HTML audit site.",
    )
    add_site_args(cmd)
    cmd.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="DIR",
        help="folder to write the site to (default: output)",
    )
    cmd.add_argument(
        "--previous",
        metavar="PATH_OR_URL",
        help="compare with this earlier build (a folder, an audit.json, or the published site's "
        "URL) and keep its history.json; history = true in auditor.toml uses the output folder",
    )
    cmd.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        metavar="N",
        help="processes to read, score and render pages with (default: all cores)",
    )
    cmd.add_argument(
        "--no-cache",
        dest="use_cache",
        action="store_false",
        help="ignore .auditor-cache/ and rebuild everything (a fresh cache is still written)",
    )
    cmd.add_argument(
        "--offline",
        action="store_true",
        help="read remote feeds from .auditor-cache/feeds/ only; a feed not cached is skipped",
    )
    cmd.add_argument("--strict", action="store_true", help="exit 1 if any input was skipped")
    cmd.add_argument(
        "--stamp", action="store_true", help="show the build time (SOURCE_DATE_EPOCH if set)"
    )
    cmd.add_argument(
        "--quiet", "-q", action="store_true", help="print only problems, not the summary line"
    )
    cmd.set_defaults(run=run)


def add_site_args(cmd: argparse.ArgumentParser, *, positional: bool = True) -> None:
    """SITE_DIR and the source overrides, shared by the commands that read content."""
    site_help = "folder holding auditor.toml, content/ and templates/ (default: .)"
    if positional:
        cmd.add_argument(
            "site_dir", nargs="?", default=Path("."), type=Path, metavar="SITE_DIR", help=site_help
        )
    else:
        cmd.add_argument(
            "--site", dest="site_dir", default=Path("."), type=Path, metavar="DIR", help=site_help
        )
    cmd.add_argument(
        "--content",
        action="append",
        type=Path,
        metavar="DIR",
        help="content folder to audit (repeatable; replaces the configured ones)",
    )
    cmd.add_argument(
        "--feed",
        action="append",
        metavar="PATH_OR_URL",
        help="RSS/Atom feed to audit (repeatable; replaces the configured ones)",
    )
    add_config_arg(cmd)
    cmd.add_argument(
        "--drafts", action="store_true", default=None, help="also audit posts marked draft"
    )
    cmd.add_argument(
        "--sample",
        action="store_true",
        help="audit the sample blog that ships with auditor instead of the site's content",
    )


def site_config(args: argparse.Namespace) -> Config:
    """The configuration with the command line's sources and output applied."""
    config = load_site(args.site_dir, args.config)
    changes: dict[str, object] = {}
    if getattr(args, "sample", False):
        changes["content"] = (sample_content_dir(),)
        changes["feeds"] = ()
    if args.content:
        changes["content"] = tuple(p.resolve() for p in args.content)
        changes["feeds"] = ()
    if args.feed:
        changes["feeds"] = tuple(
            f if f.startswith(("http://", "https://")) else str(Path(f).resolve())
            for f in args.feed
        )
        changes.setdefault("content", ())
    if getattr(args, "output", None):
        changes["output"] = args.output.resolve()
    if getattr(args, "offline", False):
        changes["offline"] = True
    if getattr(args, "previous", None):
        changes["previous"] = args.previous
        changes["history"] = True
    return replace(config, **changes) if changes else config


def run(args: argparse.Namespace) -> int:
    config = site_config(args)
    progress = _Progress(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    report = build(
        config,
        drafts=args.drafts,
        stamp=args.stamp,
        progress=progress,
        on_skip=lambda item: print(item, file=sys.stderr),
        jobs=args.jobs,
        use_cache=args.use_cache,
    )
    if progress:
        progress.clear()
    if not args.quiet:
        print(
            f"auditor: audited {plural(len(report.audit.results), 'piece')},"
            f" skipped {len(report.skipped):,} ({plural(len(report.warnings), 'warning')})"
            f" in {report.seconds:.1f}s; "
            f"site written to {display(report.output)}/index.html",
            file=sys.stderr,
        )
    return EXIT_SHORTFALL if args.strict and report.skipped else EXIT_OK


def _jobs(text: str) -> int:
    """A positive number of processes for --jobs."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("expected a whole number of processes, 1 or more")
    return int(text)


class _Progress:
    """A one-line counter on a terminal, redrawn in place, for builds long enough to wait on."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if total >= 100 and (done % 50 == 0 or done == total):
            self.stream.write(f"\rauditor: scored {done}/{total}")
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
