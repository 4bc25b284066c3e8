"""Results for every input: unchanged files from the cache, the rest read and scored in parallel.

Content files are scanned in ingest order; those whose stamp and hash match the cache reuse
their stored results, the others go to the process pool; feeds are read in the parent. Slugs are
assigned at the end from all documents at once, so they never depend on what was cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from auditor import forks, parallel
from auditor.cache import Cache, Entry
from auditor.config import Config
from auditor.ingest import content_files
from auditor.ingest.slugs import assign_slugs
from auditor.model import PieceResult, Skipped
from auditor.timings import Timings
from auditor.timings import stage as _stage

if TYPE_CHECKING:
    from auditor.render.piece_view import PieceBody
    from auditor.score import ScoringModel

Model = Callable[[], "ScoringModel"]
"""The scoring model on demand: a rebuild with nothing to score never builds it."""

Progress = Callable[[int, int], None]


class Parts:
    """Where each lightened result's full form, page body and JSON are (its parts file).

    Called with a result, it gives that piece's page body (read from disk each time, so the
    parent never holds them all); results it does not know are full and rendered as they are.
    """

    def __init__(self) -> None:
        self._where: dict[tuple[str, str | None], tuple[str, int]] = {}

    def add(self, path: str, results: Sequence[PieceResult]) -> None:
        """Lightened ``results`` whose parts are in the file ``path``, in that order."""
        for i, result in enumerate(results):
            self._where[_key(result)] = (path, i)

    def __call__(self, result: PieceResult) -> PieceBody | None:
        where = self._where.get(_key(result))
        if where is None:
            return None
        return parallel.load_parts_body(*where)

    def json(self, result: PieceResult) -> dict[str, str] | None:
        """A piece's encoded JSON values only (the start of its parts file)."""
        where = self._where.get(_key(result))
        if where is None:
            return None
        return parallel.load_parts_json(where[0])[where[1]]

    def full(self, result: PieceResult) -> PieceResult:
        """The full result (same slug) of a lightened one; from now on it is rendered as such."""
        where = self._where.pop(_key(result), None)
        if where is None:
            return result
        found, _problems = parallel.loads(parallel.load_parts_results(where[0]))
        full = found[where[1]]
        return replace(full, doc=replace(full.doc, slug=result.doc.slug))


def _key(result: PieceResult) -> tuple[str, str | None]:
    """A piece's identity across builds: its id and the file it came from."""
    return (result.doc.id, result.doc.path)


@dataclass
class Collected:
    """Results and skipped notes of every input, with what the cache needs to remember.

    Results of content files are lightened (``render.prepared.lighten``) when the cache has a
    folder; ``parts`` finds their full form, page body and JSON.
    """

    results: list[PieceResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    entries: dict[str, Entry] = field(default_factory=dict)
    hashes: dict[tuple[str, str | None], str] = field(default_factory=dict)
    parts: Parts = field(default_factory=Parts)
    files_read: int = 0


def gather(
    config: Config,
    model: Model,
    keep_drafts: bool,
    cache: Cache,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    timings: Timings | None = None,
) -> Collected:
    """Every content file (cached when unchanged, else read and scored in parallel) and feed."""
    got = Collected()
    jobs = jobs or parallel.default_jobs()
    with _early_aside(model, cache, jobs) as early:  # builds the model while we scan
        with _stage(timings, "scan"):
            order, tasks, stats = _scan(config, keep_drafts, cache, got, early)
        aside = _score_aside(early, tasks)
        with _stage(timings, "load results"):  # while the few changed files are scored aside
            loaded = {path: parallel.loads(entry.blob) for path, entry in got.entries.items()}
        fresh = _process(tasks, model, jobs, got, progress, timings, aside, loaded)
    with _stage(timings, "load results"):
        for path in order:
            entry = fresh.get(path) or got.entries[path]
            if path in fresh and entry.digest:
                got.entries[path] = entry.restat(stats[path])
            found, problems = loaded[path]
            got.results.extend(found)
            got.skipped.extend(problems)
            if entry.prepared:
                got.parts.add(cache.parts_file(entry.full_hash), found)
            got.hashes.update(((r.doc.id, r.doc.path), entry.full_hash) for r in found)
    with _stage(timings, "feeds"):
        _feeds(config, model, keep_drafts, got)
    with _stage(timings, "slugs"):
        got.results = _assign(got.results)
    return got


def _scan(
    config: Config, keep_drafts: bool, cache: Cache, got: Collected, early: Aside | None = None
) -> tuple[list[str], list[parallel.Task], dict[str, os.stat_result]]:
    """Content files in ingest order; unchanged ones come from the cache, the rest are tasks.

    The first task starts the ``early`` child, which builds the model during the rest.
    """
    order: list[str] = []
    tasks: list[parallel.Task] = []
    stats: dict[str, os.stat_result] = {}
    parts_dir = cache.prepare_parts()
    for root in config.content:
        if not root.is_dir():
            got.skipped.append(Skipped(str(root), "content folder not found"))
            continue
        parent = str(root.parent)
        cut = 0 if parent == "." else len(parent.rstrip(os.sep)) + 1
        for name in content_files(root, config.exclude):
            label = name[cut:]  # relative to the content folder's parent, without a Path
            order.append(name)
            stats[name] = stat = os.stat(name)
            entry = cache.lookup(name, stat, label)
            if entry is not None:
                got.entries[name] = entry
            else:
                if early is not None and not tasks:
                    early.start()
                tasks.append(
                    parallel.Task(
                        name,
                        str(root),
                        config.base_url,
                        keep_drafts,
                        parts_dir,
                        config.evidence_listed,
                    )
                )
    return order, tasks, stats


ASIDE_MAX = 8
"""Up to this many files to read (a typical rebuild) are scored by one child process while
this one loads the cached results: building the model alone takes ~0.5 s of CPU."""


@contextlib.contextmanager
def _early_aside(model: Model, cache: Cache, jobs: int) -> Iterator[Aside | None]:
    """An ``Aside`` (not started) for a rebuild (a cache to rebuild from, a second job, fork
    to pass the model unbuilt), else None; whatever happens, no child is left running
    afterwards."""
    if not (cache.entries and jobs >= 2 and forks.can_fork()):
        yield None
        return
    with Aside(model) as early:
        yield early


class Aside(forks.Child[list[parallel.Outcome]]):
    """A forked child that builds the scoring model while this process scans the content
    files, then reads and scores the few files that changed (``score``) or is stopped.

    The model is the longest step of a one-changed rebuild (~0.5 s of CPU, more than loading
    10,000 cached results): started after the scan, the parent waited for it. It is started
    (``start``) by the first changed file the scan finds, so a rebuild with nothing to score
    forks nothing: on a busy machine the child's CPU slowed that scan threefold. The child
    only saves time: if it fails or dies, this process scores the files itself (and so raises
    whatever a bad file or model raises, as a build without it would).
    """

    def __init__(self, model: Model) -> None:
        super().__init__(_aside_main, model, self.receive)
        self.model = model
        self._tasks: list[parallel.Task] = []

    def score(self, tasks: list[parallel.Task]) -> None:
        """Give the child ``tasks`` to read and score (``outcomes`` gives their outcomes)."""
        self._tasks = tasks
        self.send(tasks)

    def outcomes(self) -> list[parallel.Outcome]:
        """The outcomes of the tasks, in task order; the child is gone afterwards."""
        try:
            return self.result()
        except forks.ChildFailed:  # do it here, raising what a bad file raises
            return list(parallel.run(self._tasks, self.model(), 1))


def _aside_main(model: Model, receive: Callable[[], list[parallel.Task]]) -> list[parallel.Outcome]:
    """The child of ``Aside``: build the model, then read and score the tasks sent."""
    scoring = model()
    return list(parallel.run(receive(), scoring, 1))


def _score_aside(early: Aside | None, tasks: list[parallel.Task]) -> Aside | None:
    """The ``early`` child scoring ``tasks``; None (the child stopped) when they are better
    run by ``parallel.run`` here: none, or more than ``ASIDE_MAX``."""
    if early is None or not early.started:
        return None
    if not 0 < len(tasks) <= ASIDE_MAX:
        early.stop()
        return None
    early.score(tasks)
    return early


def _process(
    tasks: list[parallel.Task],
    model: Model,
    jobs: int,
    got: Collected,
    progress: Progress | None,
    timings: Timings | None,
    aside: Aside | None,
    loaded: dict[str, tuple[tuple[PieceResult, ...], tuple[Skipped, ...]]],
) -> dict[str, Entry]:
    """Read and score the tasks across ``jobs`` processes (or take the ``aside`` child's
    outcomes); entries by path. Each outcome's results are unpickled into ``loaded`` as it
    comes in, while the workers go on: after the last one, the build has no loading left."""
    fresh: dict[str, Entry] = {}
    total, done = len(tasks) + len(got.entries), len(got.entries)
    with _stage(timings, "ingest+score (wall)"):
        outcomes = (
            aside.outcomes() if aside else parallel.run(tasks, model() if tasks else None, jobs)
        )
        for outcome in outcomes:
            fresh[outcome.path] = Entry(
                0, 0, outcome.digest, outcome.blob, outcome.full_hash, outcome.parts_size
            )
            loaded[outcome.path] = parallel.loads(outcome.blob)
            if timings is not None:
                timings.add("ingest (worker CPU)", outcome.ingest_seconds)
                timings.add("  of which markdown", outcome.markdown_seconds)
                timings.add("  of which text extraction", outcome.extract_seconds)
                timings.add("score (worker CPU)", outcome.score_seconds)
                timings.add("prepare pages (worker CPU)", outcome.prepare_seconds)
            done += 1
            if progress:
                progress(done, total)
    got.files_read = len(tasks)
    return fresh


def _feeds(config: Config, model: Model, keep_drafts: bool, got: Collected) -> None:
    """Configured feeds are few and may change remotely: fetched and scored every build."""
    if not config.feeds:
        return
    from auditor.ingest import read_feeds  # feed parsing and scoring: only for sites with feeds
    from auditor.score import score

    found, problems = read_feeds(config)  # remote feeds fetched concurrently, with a cache
    for doc in found:
        if keep_drafts or not doc.draft:
            digest = doc.digest or hashlib.sha256(repr(doc).encode()).hexdigest()
            got.results.append(score(replace(doc, digest=digest), model()))
    got.skipped.extend(problems)


def _assign(results: list[PieceResult]) -> list[PieceResult]:
    """Unique slugs from all documents at once, exactly as a serial ingest assigns them."""
    ordered = sorted(results, key=lambda r: r.doc.id)
    docs = assign_slugs([r.doc for r in ordered])
    return [r if d is r.doc else replace(r, doc=d) for r, d in zip(ordered, docs, strict=True)]
