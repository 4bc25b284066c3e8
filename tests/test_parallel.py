"""Parallel builds: the same site, byte for byte, whatever the number of processes."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from auditor import forks, parallel
from auditor.build import build
from auditor.cli import main
from auditor.config import load_config
from auditor.errors import BuildError
from auditor.publish import Removals
from auditor.render.prepared import Prepared
from auditor.render.site import _Site
from tests.test_golden import GOLDEN

POST = """---
title: {title}
date: 2024-0{month}-1{n}
authors: [Sam Writer]
tags: [notes]
{extra}---
Have you ever wondered why builds are slow? I asked a few of you, and you told me.
Thanks to Ada for the idea; we are still learning, and your replies keep us honest.

## What we changed

- We read each file once.
- We score each piece in its own process.

What would you change? Let me know in the comments. {filler}
"""


def write_site(root: Path, count: int = 6) -> Path:
    """A small site whose posts collide on slugs, so slug assignment order matters."""
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    for n in range(count):
        extra = "slug: same\n" if n % 2 else ""
        text = POST.format(
            title=f"Post {n}", month=n % 9 + 1, n=n % 10, extra=extra, filler="More words. " * n
        )
        (posts / f"post-{n}.md").write_text(text, encoding="utf-8")
    (root / "auditor.toml").write_text('title = "Test"\n', encoding="utf-8")
    return root


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def build_into(site: Path, output: str, jobs: int) -> Path:
    """A full build (no cache) of ``site`` into ``site/output``."""
    config = replace(load_config(site), output=site / output)
    build(config, jobs=jobs, use_cache=False)
    return site / output


def test_parallel_output_is_byte_identical_to_serial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forks, "FORK_BATCH_MIN", 1)  # piece pages rendered by workers too
    site = write_site(tmp_path)
    serial = tree(build_into(site, "serial", jobs=1))
    two = tree(build_into(site, "two", jobs=2))
    assert serial.keys() == two.keys()
    assert serial == two


def test_slugs_are_assigned_across_all_documents(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    out = build_into(site, "out", jobs=2)
    pages = sorted(p.name for p in (out / "pieces").iterdir())
    assert "same.html" in pages and "same-2.html" in pages and "same-3.html" in pages


def test_outcomes_come_back_in_task_order(tmp_path: Path) -> None:
    from auditor.score import load_model

    site = write_site(tmp_path, count=9)
    root = site / "content"
    paths = sorted((root / "posts").glob("*.md"))
    tasks = [parallel.Task(str(p), str(root), None, False) for p in paths]
    outcomes = list(parallel.run(tasks, load_model(), jobs=2))
    assert [o.path for o in outcomes] == [t.path for t in tasks]
    assert all(len(o.digest) == 64 for o in outcomes)


def test_results_survive_the_trip_between_processes(tmp_path: Path) -> None:
    from auditor.score import load_model

    site = write_site(tmp_path, count=1)
    root = site / "content"
    task = parallel.Task(str(next((root / "posts").glob("*.md"))), str(root), None, False)
    outcome = parallel.process(task, load_model())
    results, skipped = parallel.loads(outcome.blob)
    assert skipped == () and len(results) == 1
    assert parallel.loads(parallel.dumps((results, skipped))) == (results, skipped)
    assert results[0].doc.digest == outcome.digest


def test_findings_pickle_with_their_spans_as_pairs_and_come_back_equal() -> None:
    from auditor.model import Finding, Span

    spans = (Span(0, 3), Span(5, 9), Span(5, 9))
    findings = (
        Finding("a.b", "d", "works", "m", "w", "s", spans),
        Finding("c", "d", "na", "", "", ""),
    )
    back = parallel.loads(parallel.dumps((findings, ())))
    assert back == (findings, ()) and type(back[0][0].spans[0]) is Span
    with pytest.raises(ValueError, match="bad span"):  # checked as Span(start, end) checks it
        parallel.loads(parallel.dumps(((Finding("x", "d", "na", "", "", "", (_bad_span(),)),), ())))


def _bad_span():  # type: ignore[no-untyped-def]
    """A span whose end lies before its start, built without Span's check."""
    from auditor.model import Span

    return tuple.__new__(Span, (2, 1))


@pytest.mark.parametrize("count,jobs", [(1, 2), (100, 2), (1000, 2)])
def test_chunks_cover_every_task_in_order(count: int, jobs: int) -> None:
    tasks = [parallel.Task(str(n), "", None, False) for n in range(count)]
    chunks = parallel._chunks(tasks, jobs)
    assert [t for c in chunks for t in c] == tasks
    assert max(len(c) for c in chunks) <= parallel.CHUNK_MAX


def test_capped_evidence_lists_are_the_same_with_one_or_two_jobs(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    (site / "auditor.toml").write_text('title = "Test"\nevidence_listed = 1\n', encoding="utf-8")
    serial = tree(build_into(site, "serial", jobs=1))
    assert any(b'<li class="more">' in page for page in serial.values())
    assert serial == tree(build_into(site, "two", jobs=2))


def _whose(item: int) -> tuple[int, int]:
    return item, os.getpid()


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_forked_work_comes_back_in_item_order(jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forks, "FORK_BATCH_MIN", 1)
    with forks.Forked(_whose, range(10), jobs) as work:
        if jobs > 1:
            work.futures[0].result()  # a worker has taken the first batch (and done it)
        done = work.results()
    assert [item for item, _ in done] == list(range(10))
    assert (done[0][1] == os.getpid()) == (jobs == 1)


def test_few_items_are_worked_here(monkeypatch: pytest.MonkeyPatch) -> None:
    items = range(2 * forks.FORK_BATCH_MIN - 1)  # fewer than two batches: no fork pays
    with forks.Forked(_whose, items, 2) as work:
        assert {pid for _, pid in work.results()} == {os.getpid()}


def _fail_on_three(item: int) -> int:
    if item == 3:
        raise BuildError("no space left for item 3")
    return item


def test_a_workers_error_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forks, "FORK_BATCH_MIN", 1)
    with (
        pytest.raises(BuildError, match="item 3"),
        forks.Forked(_fail_on_three, range(8), 2) as work,
    ):
        work.results()


def test_piece_pages_rendered_by_workers_give_the_golden_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forks, "FORK_BATCH_MIN", 1)
    site = tmp_path / "site"
    shutil.copytree(GOLDEN / "site", site)
    assert main(["build", str(site), "--quiet", "--jobs", "2"]) == 0
    built, expected = tree(site / "output"), tree(GOLDEN / "expected")
    assert built.keys() == expected.keys()
    assert [name for name in expected if built[name] != expected[name]] == []


def test_a_piece_page_failing_in_a_worker_leaves_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path, count=8)
    assert main(["build", str(site), "--quiet"]) == 0
    before = tree(site / "output")
    monkeypatch.setattr(forks, "FORK_BATCH_MIN", 1)
    render = _Site.piece_page

    def fail_in_a_worker(self: _Site, i: int) -> str:
        if i == 5:
            raise BuildError("disk full at piece 5")
        return render(self, i)

    monkeypatch.setattr(_Site, "piece_page", fail_in_a_worker)
    assert main(["build", str(site), "--quiet", "--no-cache", "--jobs", "2"]) == 3
    assert "disk full at piece 5" in capsys.readouterr().err
    assert tree(site / "output") == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".output.")] == []


@pytest.mark.parametrize("fork", [True, False])
def test_a_child_returns_what_its_work_returned(fork: bool) -> None:
    """Forked or not, the work gets what was sent and ``result`` gives what it returned."""

    def echo(suffix: str) -> tuple[str, int]:
        return f"{child.receive()}{suffix}", os.getpid()

    with forks.Child(echo, "!", fork=fork) as child:
        child.start().send("hello")
        said, pid = child.result()
    assert said == "hello!"
    assert (pid != os.getpid()) == (fork and forks.can_fork())
    assert multiprocessing.active_children() == []


def _fail() -> None:
    raise BuildError("no space left")


def _die() -> None:
    os._exit(3)


@pytest.mark.skipif(not forks.can_fork(), reason="children are forked on Linux only")
@pytest.mark.parametrize(("work", "told"), [(_fail, "no space left"), (_die, "died")])
def test_a_child_that_fails_or_dies_raises_child_failed(
    work: Callable[[], None], told: str
) -> None:
    with pytest.raises(forks.ChildFailed, match=told), forks.Child(work) as child:
        child.start().result()
    assert multiprocessing.active_children() == []


def test_work_done_here_raises_its_own_error() -> None:
    with pytest.raises(BuildError, match="no space left"):
        forks.Child(_fail, fork=False).start().result()


@pytest.mark.skipif(not forks.can_fork(), reason="children are forked on Linux only")
def test_leaving_the_block_ends_a_child_still_running() -> None:
    with forks.Child(time.sleep, 60) as child:
        child.start()
        assert multiprocessing.active_children() != []
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("waits", [True, False])
def test_removals_remove_a_folder_aside_or_at_once(tmp_path: Path, waits: bool) -> None:
    """With ``with``, a swapped-out site goes in a child process, gone after ``wait``."""
    old = tmp_path / "old"
    (old / "pieces").mkdir(parents=True)
    (old / "pieces" / "a.html").write_text("a", encoding="utf-8")
    removals = Removals()
    if waits:
        with removals:
            removals.remove(old)
    else:
        removals.remove(old)
    assert not old.exists() and multiprocessing.active_children() == []


def test_a_parts_file_is_written_whole_through_short_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``save_parts`` writes with ``os.write``, which may take less than it is given: the
    rest follows, and the file reads back section by section."""
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:1000])))
    path = tmp_path / "a.parts"
    body = {"groups": "x" * 5000}
    ready = [Prepared(body, {"findings": "[]"})]  # type: ignore[arg-type]
    size = parallel.save_parts(path, b"r" * 3000, ready)
    assert size == path.stat().st_size and not list(tmp_path.glob(".*.tmp"))
    assert parallel.load_parts_json(path) == [{"findings": "[]"}]
    assert parallel.load_parts_body(path, 0) == body
    assert parallel.load_parts_results(path) == b"r" * 3000
