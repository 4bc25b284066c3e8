"""The hostile fixture (tests/hostile/) built with the CLI: nothing lost, nothing injected.

Every front-matter field and body of its posts carries script payloads, its broken files and
feeds are each one kind of bad input. The build must write only into its output folder, never
change an input, keep every good piece, name every bad input on stderr and on skipped.html,
and produce pages with no script but the site's own, no event handlers and no script URLs.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from auditor.cli import main

HOSTILE = Path(__file__).parent / "hostile"
PWNED = Path("/tmp/auditor-pwned")
BROKEN = sorted(f"content/broken/{p.name}" for p in (HOSTILE / "content" / "broken").iterdir())
REFUSED_FEEDS = ["feeds/empty.xml", "feeds/garbage.xml", "feeds/laughs.xml", "feeds/xxe.xml"]
WARNED = [
    "content/posts/bad-date.md",
    "content/posts/cp1252.md",
    "content/posts/text-date.md",
    "feeds/gaps.xml",
    "feeds/hostile.xml",
    "feeds/malformed.xml",
    "feeds/truncated.xml",
]
FEED_ENTRIES = {
    "feeds/atom.xml": 1,
    "feeds/gaps.xml": 2,
    "feeds/hostile.xml": 2,
    "feeds/malformed.xml": 2,
    "feeds/truncated.xml": 1,
}
URL_ATTRS = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "cite"}
)
FORBIDDEN_TAGS = frozenset({"iframe", "object", "embed", "base", "frame", "frameset", "applet"})
SCRIPT_URL = re.compile(r"^(?:javascript|vbscript|data):")
APP_JS = re.compile(r"^(?:\.\./)*static/app\.js$")


def snapshot(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file under ``root`` by relative path, with its sha256."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not relative.startswith(skip):
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@dataclass(frozen=True)
class Built:
    site: Path
    out: Path
    code: int
    stderr: str
    before: dict[str, str]
    after: dict[str, str]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The fixture copied to a temporary folder and built once with the CLI."""
    assert not PWNED.exists(), f"{PWNED} exists before the build: remove it and rerun"
    root = tmp_path_factory.mktemp("hostile")
    site, out = root / "site", root / "out"
    shutil.copytree(HOSTILE, site)
    before = snapshot(root)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["build", str(site), "--output", str(out)])
    return Built(site, out, code, err.getvalue(), before, snapshot(root))


def test_the_build_succeeds(built: Built) -> None:
    assert built.code == 0, built.stderr


def test_nothing_is_written_outside_the_output_folder(built: Built) -> None:
    new = set(built.after) - set(built.before)
    allowed = ("out/", "site/.auditor-cache/")
    assert [path for path in sorted(new) if not path.startswith(allowed)] == []
    assert not PWNED.exists()
    assert not list(Path("/tmp").glob("pwned*"))


def test_inputs_are_unchanged(built: Built) -> None:
    inputs = {k: v for k, v in built.before.items() if k.startswith("site/")}
    after = {k: built.after[k] for k in inputs}
    assert after == inputs
    assert snapshot(built.site, skip=(".auditor-cache",)) == snapshot(HOSTILE)


def test_every_good_piece_is_present(built: Built) -> None:
    pieces = json.loads((built.out / "audit.json").read_text(encoding="utf-8"))["pieces"]
    ids = {piece["id"] for piece in pieces}
    posts = {f"posts/{p.name}" for p in (HOSTILE / "content" / "posts").iterdir()}
    assert posts <= ids
    for feed, count in FEED_ENTRIES.items():
        assert sum(1 for i in ids if i.startswith(feed + "#")) == count, feed
    slugs = [piece["slug"] for piece in pieces]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) for slug in slugs)


def test_every_bad_input_is_named_on_stderr_and_on_the_skipped_page(built: Built) -> None:
    page = (built.out / "skipped.html").read_text(encoding="utf-8")
    lines = built.stderr.splitlines()
    for path in [*BROKEN, *REFUSED_FEEDS]:
        assert any(re.match(rf"{re.escape(path)}(:\d+)?: skipped: ", line) for line in lines), path
        assert path in page, path
    for path in WARNED:
        assert any(re.match(rf"{re.escape(path)}(:\d+)?: warning: ", line) for line in lines), path
        assert path in page, path


class _Inspector(HTMLParser):
    """Collects every way a page could run script: tags, handlers, script URLs, CSS."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.raw_text: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script" and not APP_JS.match(values.get("src", "")):
            self.problems.append(f"<script {values}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in values.items():
            self._attribute(tag, name, value)
        if tag in ("script", "style"):
            self.raw_text = tag

    def _attribute(self, tag: str, name: str, value: str) -> None:
        squeezed = re.sub(r"[\x00-\x20]+", "", value).lower()
        if name.startswith("on"):
            self.problems.append(f"<{tag} {name}=...>")
        if name in URL_ATTRS and SCRIPT_URL.match(squeezed):
            self.problems.append(f"<{tag} {name}={value[:40]!r}>")
        if name == "style" and ("javascript" in squeezed or "expression(" in squeezed):
            self.problems.append(f"<{tag} style={value[:40]!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == self.raw_text:
            self.raw_text = None

    def handle_data(self, data: str) -> None:
        if self.raw_text == "script" and data.strip():
            self.problems.append(f"inline script {data[:40]!r}")
        if self.raw_text == "style" and re.search(r"javascript|expression\(", data, re.I):
            self.problems.append(f"style sheet {data[:40]!r}")


def test_no_page_can_run_injected_script(built: Built) -> None:
    pages = sorted(built.out.rglob("*.html"))
    assert len(pages) > 40
    problems = {}
    for page in pages:
        inspector = _Inspector()
        inspector.feed(page.read_text(encoding="utf-8"))
        inspector.close()
        if inspector.problems:
            problems[page.relative_to(built.out).as_posix()] = inspector.problems[:3]
    assert problems == {}


def test_no_csv_cell_starts_a_formula(built: Built) -> None:
    with (built.out / "audit.csv").open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert [c for c in cells if c[:1] in ("=", "+", "@") or re.match(r"-[^\d]", c)] == []


@pytest.mark.browser
def test_no_page_opens_a_dialog_or_logs_an_error_in_a_browser(built: Built, browser) -> None:
    events: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: events.append(f"page error: {e}"))
    page.on("console", lambda m: m.type == "error" and events.append(f"console: {m.text}"))
    for path in sorted(built.out.rglob("*.html")):
        before = len(events)
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(50)
        events[before:] = [f"{path.name}: {e}" for e in events[before:]]
    context.close()
    assert events == []


def _corpus(content: Path, count: int) -> None:
    """Many ordinary posts, so that rendering the site takes long enough to interrupt."""
    content.mkdir(parents=True, exist_ok=True)
    body = "Thank you, neighbours, for coming. What would you like us to plant next?\n"
    for n in range(count):
        text = f"---\ntitle: Post {n}\ndate: 2026-01-{n % 28 + 1:02d}\ntags: [t{n % 30}]\n---\n"
        (content / f"post-{n:05d}.md").write_text(text + body, encoding="utf-8")


def test_a_build_killed_half_way_leaves_the_previous_site_byte_identical(tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    _corpus(site / "content", 600)
    assert main(["build", str(site), "--output", str(out), "--quiet"]) == 0
    previous = snapshot(out)
    _corpus(site / "content" / "more", 10)  # the interrupted build would change the site

    def rendering(_: subprocess.Popen[bytes]) -> bool:
        staging = list(tmp_path.glob(".out.new-*"))
        return bool(staging) and any(staging[0].rglob("*.html"))

    _kill_build_when(rendering, site, "--output", str(out), cwd=tmp_path)
    assert snapshot(out) == previous
    assert _outlived(str(site)) == []


def _kill_build_when(
    ready: Callable[[subprocess.Popen[bytes]], bool], site: Path, *args: str, cwd: Path
) -> None:
    """Run ``auditor build site *args --no-cache --quiet`` and SIGKILL it once ``ready``."""
    command = [sys.executable, "-m", "auditor", "build", str(site), *args, "--no-cache", "--quiet"]
    proc = subprocess.Popen(command, stderr=subprocess.DEVNULL, cwd=cwd)
    deadline = time.monotonic() + 120
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if ready(proc):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the build finished before it could be killed"


def _outlived(marker: str, wait: float = 10.0) -> list[int]:
    """Processes still alive after ``wait`` seconds whose command line names ``marker``: a
    killed build's forked workers carry its command line (zombies have none)."""
    if not Path("/proc/self").exists():
        return []
    deadline = time.monotonic() + wait
    while True:
        alive = []
        for entry in Path("/proc").iterdir():
            with contextlib.suppress(OSError):
                if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                    alive.append(int(entry.name))
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def _children(pid: int) -> list[str]:
    with contextlib.suppress(OSError):
        return (Path(f"/proc/{pid}/task/{pid}/children")).read_text().split()
    return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_a_build_killed_while_scoring_leaves_no_worker_behind(tmp_path: Path) -> None:
    """ProcessPoolExecutor's workers outlived a parent killed outright (cpython#111873)."""
    site = tmp_path / "site"
    _corpus(site / "content", 600)

    def scoring(proc: subprocess.Popen[bytes]) -> bool:
        return len(_children(proc.pid)) >= 2  # both scoring workers are forked

    _kill_build_when(scoring, site, "--output", "out", "--jobs", "2", cwd=tmp_path)
    assert _outlived(str(site)) == []
