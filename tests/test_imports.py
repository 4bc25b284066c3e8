"""Importing a stage or the command line loads only what it uses: the readers' libraries
load when a reader runs, and the scorer, the HTTP client and the preview server (~0.15 s of
imports together) when something is scored, fetched or served. A rebuild with nothing to
score is over in about a second at 10,000 posts, so start-up counts."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence

READERS = ("markdown", "feedparser", "auditor.ingest.markdown", "auditor.ingest.feeds")
LAZY = ("auditor.score", "textstat", "auditor.fetch", "http.client", "http.server")


def loaded_after(code: str, modules: Sequence[str]) -> set[str]:
    """Which of ``modules`` a fresh interpreter holds once ``code`` has run."""
    wanted = tuple(modules)
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {wanted!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_importing_the_build_loads_no_reader() -> None:
    assert loaded_after("import auditor.build", READERS) == set()


def test_readers_are_still_importable_from_the_package() -> None:
    loaded = loaded_after("from auditor.ingest import read_markdown, read_feed, read_html", READERS)
    assert {"markdown", "auditor.ingest.markdown", "feedparser"} <= loaded


def test_the_command_line_loads_no_scorer_fetcher_or_server() -> None:
    assert loaded_after("import auditor.cli", LAZY) == set()


def test_fetching_an_earlier_build_still_loads_the_client() -> None:
    # A port nothing listens on: the fetch fails with OSError (no earlier build read), not
    # with a NameError from a missing import.
    used = loaded_after(
        "from auditor import history\n"
        "try:\n    history._fetch('http://127.0.0.1:9/audit.json')\nexcept OSError:\n    pass",
        LAZY,
    )
    assert {"auditor.fetch", "http.client"} <= used
