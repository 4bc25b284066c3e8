"""``auditor serve``: build, serve the site on 127.0.0.1 and rebuild when inputs change."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from auditor.build import build
from auditor.commands.build import add_site_args, site_config
from auditor.commands.common import EXIT_OK, add_command, error
from auditor.config import Config
from auditor.errors import AuditorError
from auditor.reviews import REVIEWS_NAME


def add_parser(commands: argparse._SubParsersAction) -> None:
    cmd = add_command(
        commands,
        "serve",
        help="build, serve the site on 127.0.0.1 and rebuild on changes",
        description="Build the site, serve it on http://127.0.0.1:PORT/ and rebuild when "
        "content, templates, configuration or reviews change. Stop with Ctrl-C.",
    )
    add_site_args(cmd)
    cmd.add_argument("--output", "-o", type=Path, metavar="DIR", help="folder to build into")
    cmd.add_argument("--port", "-p", type=int, default=8000, help="port (default 8000; 0: any)")
    cmd.set_defaults(run=run)


def watched(config: Config) -> list[Path]:
    """Everything a rebuild depends on."""
    files = [config.site_dir / "auditor.toml", config.site_dir / REVIEWS_NAME]
    if config.config_file:
        files.append(config.config_file)
    local_feeds = [Path(f) for f in config.feeds if not f.startswith(("http://", "https://"))]
    templates = [config.templates] if config.templates else []
    return [*config.content, *templates, *local_feeds, *files]


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    config = site_config(args)
    stop = stop or threading.Event()

    def rebuild() -> None:
        try:
            report = build(config, drafts=args.drafts, on_skip=lambda s: print(s, file=sys.stderr))
            print(
                f"auditor: rebuilt {len(report.audit.results)} pieces in {report.seconds:.1f}s",
                file=sys.stderr,
            )
        except AuditorError as exc:
            error(str(exc))

    from auditor.serve import start_server, watch  # http.server: only this command serves

    rebuild()
    server = start_server(config.output, "127.0.0.1", args.port)
    host, port = server.server_address[:2]
    print(f"auditor: serving http://{host}:{port}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        watch(lambda: watched(config), rebuild, stop)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return EXIT_OK
