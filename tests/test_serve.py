"""`auditor serve`: serves on loopback and shows an edit after a rebuild (bounded waits)."""

from __future__ import annotations

import argparse
import shutil
import threading
import time
import urllib.request
from pathlib import Path

from auditor.commands import serve

GOLDEN_SITE = Path(__file__).parent / "golden" / "site"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def test_serve_rebuilds_after_an_edit(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    shutil.copytree(GOLDEN_SITE, site)
    args = argparse.Namespace(
        site_dir=site, content=None, feed=None, config=None, drafts=None, output=None, port=0
    )
    stop = threading.Event()
    worker = threading.Thread(target=serve.run, args=(args, stop), daemon=True)
    worker.start()
    try:
        url = _wait_for_url(capsys)
        assert url.startswith("http://127.0.0.1:")
        assert "Golden test site" in fetch(url)
        post = site / "content" / "posts" / "2026-03-20-note.md"
        post.write_text(
            post.read_text().replace("A short note", "An edited note"), encoding="utf-8"
        )
        deadline = time.monotonic() + 20
        while "An edited note" not in fetch(url) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "An edited note" in fetch(url)
    finally:
        stop.set()
        worker.join(timeout=10)
    assert not worker.is_alive()


def _wait_for_url(capsys) -> str:
    deadline = time.monotonic() + 30
    seen = ""
    while time.monotonic() < deadline:
        seen += capsys.readouterr().err
        for word in seen.split():
            if word.startswith("http://127.0.0.1:"):
                return word
        time.sleep(0.1)
    raise AssertionError(f"serve did not start: {seen}")
