"""``auditor review``: record an editor's decision on a finding in ``reviews.toml``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from auditor.commands.build import site_config
from auditor.commands.common import EXIT_OK, add_command, add_config_arg, display
from auditor.errors import ConfigError
from auditor.ingest import ingest
from auditor.model import Document
from auditor.reviews import REVIEWS_NAME, find_finding, review_entry


def add_parser(commands: argparse._SubParsersAction) -> None:
    cmd = add_command(
        commands,
        "review",
        help="accept or dismiss a finding (recorded in reviews.toml)",
        description="Record an editor's decision on one finding of one piece in the site's "
        "reviews.toml. A dismissed finding is shown apart and left out of the scores until "
        "its evidence text changes.",
    )
    cmd.add_argument("piece", metavar="PIECE", help="the piece: its file path or its id")
    cmd.add_argument("rule", metavar="RULE", help="the finding's rule id, e.g. restraint.hype")
    action = cmd.add_mutually_exclusive_group(required=True)
    action.add_argument("--dismiss", dest="action", action="store_const", const="dismiss")
    action.add_argument("--accept", dest="action", action="store_const", const="accept")
    cmd.add_argument("--comment", "-m", default="", help="why (shown on the piece's page)")
    cmd.add_argument("--site", dest="site_dir", type=Path, default=Path("."), metavar="DIR")
    add_config_arg(cmd)
    cmd.set_defaults(run=run, content=None, feed=None, drafts=True)


def run(args: argparse.Namespace) -> int:
    from auditor.score import load_model, score  # the scorer: imported by the commands that score

    config = site_config(args)
    docs, _ = ingest(config, drafts=True)
    doc = _find(docs, args.piece, config.site_dir)
    result = score(doc, load_model(config.scoring))
    finding = find_finding(result, args.rule)
    path = config.site_dir / REVIEWS_NAME
    with path.open("a", encoding="utf-8") as handle:
        handle.write(review_entry(result, finding, args.action, args.comment))
    print(f"auditor: {args.action}ed {args.rule} on {doc.id} in {display(path)}", file=sys.stderr)
    return EXIT_OK


def _find(docs: list[Document], piece: str, site_dir: Path) -> Document:
    """A piece by id, or by the path of its file (relative to here or to the site)."""
    wanted = {Path(piece).resolve(), (site_dir / piece).resolve()}
    for doc in docs:
        if doc.id == piece or (doc.path and (site_dir / doc.path).resolve() in wanted):
            return doc
    raise ConfigError(f"no piece {piece!r} in the site's content")
