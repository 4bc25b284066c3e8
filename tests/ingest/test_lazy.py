"""Importing the ingest stage does not import the readers' libraries until a reader runs."""

from __future__ import annotations

import subprocess
import sys


def imported_after(code: str) -> set[str]:
    """The heavy reader modules loaded once ``code`` has run in a fresh interpreter."""
    heavy = ("markdown", "feedparser", "auditor.ingest.markdown", "auditor.ingest.feeds")
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_importing_the_build_loads_no_reader() -> None:
    assert imported_after("import auditor.build") == set()


def test_readers_are_still_importable_from_the_package() -> None:
    loaded = imported_after("from auditor.ingest import read_markdown, read_feed, read_html")
    assert {"markdown", "auditor.ingest.markdown", "feedparser"} <= loaded
