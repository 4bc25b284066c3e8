"""Starting a build imports only what a build needs: a rebuild with nothing to score is over in
about a second at 10,000 posts, and the scorer, the HTTP client and the preview server cost
~0.15 s of imports together. Each is imported by the code that uses it."""

from __future__ import annotations

import subprocess
import sys

LAZY = ("auditor.score", "textstat", "auditor.fetch", "http.client", "http.server")


def loaded_after(code: str) -> set[str]:
    """Which of the ``LAZY`` modules a fresh interpreter holds once ``code`` has run."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {LAZY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_command_line_loads_no_scorer_fetcher_or_server() -> None:
    assert loaded_after("import auditor.cli") == set()


def test_fetching_an_earlier_build_still_loads_the_client() -> None:
    # A port nothing listens on: the fetch fails with OSError (no earlier build read), not
    # with a NameError from a missing import.
    used = loaded_after(
        "from auditor import history\n"
        "try:\n    history._fetch('http://127.0.0.1:9/audit.json')\nexcept OSError:\n    pass"
    )
    assert {"auditor.fetch", "http.client"} <= used
