"""One browser and one built audit site per session, served on loopback and opened as files.

The site is the golden fixture plus the bundled sample blog, built twice with history on and
editor decisions in between, so every page type and every optional section exists.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.cli import main
from tests.conftest import CHROMIUM, LAUNCH_ARGS, require
from tests.serving import served

__all__ = ["CHROMIUM", "LAUNCH_ARGS", "require"]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"


def _decide(site: Path, output: Path) -> None:
    """Accept one finding and dismiss another, as an editor would with ``auditor review``."""
    pieces = json.loads((output / "audit.json").read_text(encoding="utf-8"))["pieces"]
    piece = max(pieces, key=lambda p: len(p["findings"]))
    rules = [f["rule"] for f in piece["findings"] if f["spans"]]
    dismiss = ["--dismiss", "-m", "Deliberate: <b>house style</b>."]
    assert main(["review", piece["id"], rules[0], *dismiss, "--site", str(site)]) == 0
    assert main(["review", piece["id"], rules[1], "--accept", "--site", str(site)]) == 0


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden site plus the sample blog, built, changed (and reviewed), built again."""
    site = tmp_path_factory.mktemp("browser") / "site"
    shutil.copytree(REPO / "tests" / "golden" / "site", site)
    shutil.copytree(REPO / "content", site / "content" / "sample")
    config = site / "auditor.toml"
    config.write_text(config.read_text(encoding="utf-8") + "history = true\n", encoding="utf-8")
    assert main(["build", str(site), "--quiet"]) == 0
    (site / "content" / "posts" / "2026-03-20-note.md").unlink()
    _decide(site, site / "output")
    assert main(["build", str(site), "--quiet"]) == 0
    return site / "output"


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    """The built site served by http.server on 127.0.0.1 and a random port."""
    with served(built_site) as url:
        yield url


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh page that records console errors and page errors in ``page.problems``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5_000)
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.problems = problems
    yield pg
    context.close()


PAGE_TYPES = (
    "index",
    "piece",
    "reviewed piece",
    "marked piece",
    "rules",
    "skipped",
    *(
        f"{folder} {kind}"
        for folder in ("authors", "tags", "sources", "months")
        for kind in ("list", "roll-up")
    ),
)


def page_types(out: Path) -> dict[str, str]:
    """One page of every type, relative to the site root."""
    first = {
        folder: sorted(p.name for p in (out / folder).glob("*.html") if p.name != "index.html")[0]
        for folder in ("authors", "tags", "sources", "months")
    }
    pieces = sorted((out / "pieces").glob("*.html"))
    return {
        "index": "index.html",
        "piece": f"pieces/{pieces[0].name}",
        "reviewed piece": f"pieces/{_reviewed_piece(out)}.html",
        "marked piece": f"pieces/{_marked_piece(out)}.html",
        "rules": "rules.html",
        "skipped": "skipped.html",
        **{f"{folder} list": f"{folder}/index.html" for folder in first},
        **{f"{folder} roll-up": f"{folder}/{name}" for folder, name in first.items()},
    }


def _reviewed_piece(out: Path) -> str:
    pieces = json.loads((out / "audit.json").read_text(encoding="utf-8"))["pieces"]
    return next(p["slug"] for p in pieces if p["dismissed"])


def _marked_piece(out: Path) -> str:
    """A piece with evidence both to improve and that works, for the highlight tests."""
    pieces = json.loads((out / "audit.json").read_text(encoding="utf-8"))["pieces"]

    def has(piece: dict, status: str) -> bool:
        return any(f["status"] == status and f["spans"] for f in piece["findings"])

    return next(p["slug"] for p in pieces if has(p, "improve") and has(p, "works"))
