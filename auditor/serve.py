"""Live preview (``auditor serve``): serve the site on loopback and rebuild when inputs change.

Polling file stamps is deliberate: it needs no dependency, works the same on every platform
and every editor's save strategy, and costs little for a blog-sized tree.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

Stamp = tuple[tuple[str, int, int], ...]


def snapshot(roots: Iterable[Path]) -> Stamp:
    """Path, size and mtime of every file under the watched roots (files or folders)."""
    seen = []
    for root in roots:
        paths = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for path in paths:
            try:
                info = path.stat()
            except OSError:
                continue
            if path.is_file():
                seen.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(seen)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder; request logs would drown the rebuild messages."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def start_server(folder: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for ``folder`` in a daemon thread; port 0 picks a free one."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch(
    roots: Callable[[], list[Path]],
    rebuild: Callable[[], None],
    stop: threading.Event,
    interval: float = 0.5,
) -> None:
    """Call ``rebuild`` after each change to the watched files, until ``stop`` is set."""
    last = snapshot(roots())
    while not stop.wait(interval):
        now = snapshot(roots())
        if now != last:
            rebuild()
            last = snapshot(roots())
