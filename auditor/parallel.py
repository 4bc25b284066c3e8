"""Ingest and score content files across a pool of processes, results back in input order.

The pool is created once per build (fork on Linux, so workers inherit the loaded scoring model
instead of rebuilding it); paths go out in chunks and each file comes back as one ``Outcome``
whose results are already pickled, so the parent only stores or unpickles bytes.
"""

from __future__ import annotations

import contextlib
import copyreg
import functools
import gc
import hashlib
import io
import multiprocessing
import operator
import os
import pickle
import struct
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from auditor import model
from auditor.config import EVIDENCE_LISTED
from auditor.errors import InputError
from auditor.ingest import read_path
from auditor.ingest.files import read_bytes
from auditor.model import Document, PieceResult, Skipped
from auditor.timings import MARKDOWN_STAGE, TEXT_STAGE, Timings

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from types import TracebackType

    from auditor.render.piece_view import PieceBody
    from auditor.render.prepared import Prepared
    from auditor.score import ScoringModel

CHUNK_MAX = 32


@dataclass(frozen=True, slots=True)
class Task:
    """One content file to read: its path and the content folder it sits in.

    With ``parts_dir``, the worker also prepares each piece's page body and JSON
    (``render.prepared``) into a parts file there and sends back lightened results only;
    ``evidence_listed`` is how many spans a finding lists on its page.
    """

    path: str
    root: str
    base_url: str | None
    keep_drafts: bool
    parts_dir: str | None = None
    evidence_listed: int = EVIDENCE_LISTED


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one content file gave: its digest, pickled results and skipped notes, and timings.

    ``full_hash`` is the hash of the full results (it names the parts file); a ``parts_size``
    says that ``blob`` holds lightened results whose full form is in that parts file.
    """

    path: str
    digest: str
    blob: bytes
    full_hash: str = ""
    parts_size: int = 0
    ingest_seconds: float = 0.0
    score_seconds: float = 0.0
    prepare_seconds: float = 0.0
    markdown_seconds: float = 0.0
    extract_seconds: float = 0.0


def _constructor_reducer(cls: type) -> Any:
    """``(cls, field values)``: the values gathered by one ``attrgetter`` call, in C."""
    get = operator.attrgetter(*(f.name for f in fields(cls)))
    if len(fields(cls)) == 1:
        return lambda obj: (cls, (get(obj),))
    return lambda obj: (cls, get(obj))


@functools.cache
def _dispatch_table() -> dict[type, Any]:
    """Pickle model and page-body records as constructor calls: half the bytes and time.

    Made on first use: only processes that score need the page code it names.
    """
    from auditor.render import finding_view, piece_view

    table = dict(copyreg.dispatch_table)
    for module in (model, piece_view, finding_view):
        for name in dir(module):
            cls = getattr(module, name)
            if (
                isinstance(cls, type)
                and cls.__module__ == module.__name__
                and hasattr(cls, "__slots__")
                and is_dataclass(cls)
            ):
                table[cls] = _constructor_reducer(cls)
    table[model.Finding] = _reduce_finding
    return table


_FINDING_FIELDS = operator.attrgetter("rule", "dimension", "status", "message", "why", "suggestion")
_BOUNDS = operator.attrgetter("start", "end")


def _reduce_finding(finding: model.Finding) -> Any:
    """A finding with its spans as ``(start, end)`` pairs: a post's ~190 spans pickle as plain
    tuples, made in C, instead of one reducer call each."""
    return _finding, (*_FINDING_FIELDS(finding), tuple(map(_BOUNDS, finding.spans)))


def _finding(*fields: Any) -> model.Finding:
    """A finding pickled by ``_reduce_finding``; its spans built as ``Span.many`` builds them."""
    *head, bounds = fields
    return model.Finding(*head, model.Span.many(bounds))


def dumps(value: object) -> bytes:
    """Pickle results with the fast reducers for the model's records."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch_table()
    pickler.dump(value)
    return buffer.getvalue()


def loads(blob: bytes) -> tuple[tuple[PieceResult, ...], tuple[Skipped, ...]]:
    """The results and skipped notes of one file, from ``Outcome.blob``."""
    return pickle.loads(blob)


def file_digest(data: bytes) -> str:
    """The content hash that keys the cache and fills ``Document.digest``."""
    return hashlib.sha256(data).hexdigest()


def _read_documents(
    task: Task, data: bytes, timings: Timings
) -> tuple[list[Document], list[Skipped]]:
    """The documents of one file from its bytes (read once), via the ingest stage's readers."""
    root = Path(task.root)
    return read_path(Path(task.path), root, task.base_url, data, timings)  # notes: warnings too


def process(task: Task, scoring: ScoringModel) -> Outcome:
    """Read, hash and score one content file; a bad file becomes a Skipped note."""
    from auditor.score import score

    started = time.process_time()  # CPU: the machine may be shared
    parts = Timings(time.process_time)  # Markdown and text extraction within ingest
    label = str(Path(task.path).relative_to(Path(task.root).parent))
    digest = ""
    try:
        data = read_bytes(Path(task.path), label)
        digest = file_digest(data)
        docs, skipped = _read_documents(task, data, parts)
    except InputError as exc:
        # With no digest (unreadable), the note is not cached and the file is retried next time.
        return Outcome(task.path, digest, dumps(((), (Skipped(label, exc.reason, exc.line),))))
    kept = [d for d in docs if task.keep_drafts or not d.draft]
    # Markdown and HTML readers fill the digest already: only feed entries are copied to get it.
    kept = [d if d.digest else replace(d, digest=digest) for d in kept]
    ingested = time.process_time()
    results = tuple(score(doc, scoring) for doc in kept)
    done = time.process_time()
    blob, full_hash, size = pack(results, skipped, scoring, task.parts_dir, task.evidence_listed)
    timings = (ingested - started, done - ingested, time.process_time() - done)
    within = (parts.seconds.get(MARKDOWN_STAGE, 0.0), parts.seconds.get(TEXT_STAGE, 0.0))
    return Outcome(task.path, digest, blob, full_hash, size, *timings, *within)


def pack(
    results: tuple[PieceResult, ...],
    skipped: Sequence[Skipped],
    scoring: ScoringModel,
    parts_dir: str | None,
    listed: int = EVIDENCE_LISTED,
) -> tuple[bytes, str, int]:
    """What a worker sends back for one file's scored results: the blob, the hash of the full
    results and the parts file's size. With ``parts_dir``, each piece's page body and JSON are
    prepared (``listed``: spans a finding lists) into a parts file named by that hash, and the
    blob holds lightened results only."""
    from auditor.render.prepared import lighten, prepare  # loaded by ``run`` before forking

    blob = dumps((results, tuple(skipped)))
    full_hash = hashlib.sha256(blob).hexdigest()
    size = 0
    if parts_dir and results:
        ready = [prepare(r, scoring.dimensions, scoring.rules_info, listed) for r in results]
        size = save_parts(os.path.join(parts_dir, full_hash + PARTS_SUFFIX), blob, ready)
        blob = dumps((tuple(lighten(r) for r in results), tuple(skipped)))
    return blob, full_hash, size


PARTS_SUFFIX = ".parts"
_SIZE = struct.Struct("<Q")


def save_parts(path: str | Path, blob: bytes, ready: Sequence[Prepared]) -> int:
    """Write a file's parts: its pieces' JSON values, each piece's page body, its full results.

    Each section is pickled apart behind a table of their sizes, so audit.json reads the JSON
    alone, a page unpickles its own body alone, and only a review reads the full results. Not
    compressed: zlib cost more CPU (~1 ms a post) than any other step of the worker's page
    preparation, and the parent's reads paid for it again. The name is the full results' hash,
    so a file is never changed in place: written aside and renamed, it is whole or absent.
    Returns its size, which the cache checks. Paths are plain strings (one file a post:
    pathlib's objects cost more than the writing).
    """
    sections = [dumps([r.json for r in ready]), *(dumps(r.body) for r in ready), blob]
    table = struct.pack(f"<{len(sections) + 1}Q", len(sections), *map(len, sections))
    folder, name = os.path.split(path)
    temp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    with open(temp, "wb") as out:
        out.write(table)
        out.writelines(sections)
    os.replace(temp, path)
    return len(table) + sum(map(len, sections))


def _read_section(path: str | Path, index: int) -> bytes:
    """Section ``index`` of a parts file: 0 the JSON values, then one body per piece, then the
    full results (-1)."""
    with open(path, "rb") as handle:
        (count,) = _SIZE.unpack(handle.read(_SIZE.size))
        sizes = struct.unpack(f"<{count}Q", handle.read(_SIZE.size * count))
        index %= count
        handle.seek(_SIZE.size * (count + 1) + sum(sizes[:index]))
        return handle.read(sizes[index])


def load_parts_json(path: str | Path) -> list[dict[str, str]]:
    """Each piece's encoded JSON values (``export.heavy_json``), from ``save_parts``."""
    return pickle.loads(_read_section(path, 0))


def load_parts_body(path: str | Path, index: int) -> PieceBody:
    """The page body of the file's piece number ``index``, from ``save_parts``."""
    return pickle.loads(_read_section(path, 1 + index))


def load_parts_results(path: str | Path) -> bytes:
    """The file's full results blob (as ``Outcome.blob`` would hold it), from ``save_parts``."""
    return _read_section(path, -1)


_MODEL: ScoringModel | None = None


def _init_worker(scoring: ScoringModel) -> None:
    """Pool initializer: keep the scoring model for every task this worker runs."""
    global _MODEL
    _MODEL = scoring


def _run_chunk(tasks: Sequence[Task]) -> list[Outcome]:
    assert _MODEL is not None, "worker started without its scoring model"
    return [process(task, _MODEL) for task in tasks]


def default_jobs() -> int:
    """All the cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _chunks(tasks: Sequence[Task], jobs: int) -> list[Sequence[Task]]:
    """Chunks small enough to balance the workers, big enough to keep messages few.

    They shrink towards the end (to a quarter of each worker's share of what is left), so
    the workers finish together: with equal chunks of 32 posts (~0.5 s of CPU), one worker
    idled through the other's last chunk while the whole build waited for it.
    """
    size = max(1, min(CHUNK_MAX, len(tasks) // (jobs * 8) or 1))
    chunks: list[Sequence[Task]] = []
    start = 0
    while start < len(tasks):
        step = max(1, min(size, (len(tasks) - start) // (jobs * 4)))
        chunks.append(tasks[start : start + step])
        start += step
    return chunks


def _context() -> multiprocessing.context.BaseContext:
    """Fork where it is safe (Linux): workers inherit the loaded model and imports."""
    if can_fork():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def run(tasks: Sequence[Task], scoring: ScoringModel | None, jobs: int) -> Iterator[Outcome]:
    """Process every task, in ``jobs`` processes when that helps; outcomes in task order.

    ``scoring`` may be None only when there are no tasks (nothing to score, no model built).
    """
    if not tasks:
        return
    assert scoring is not None, "tasks to score without a scoring model"
    _dispatch_table()  # imports the page code once, here, so forked workers inherit it
    import auditor.ingest.markdown  # its Markdown instance, ~0.1 s of CPU made once, not per worker
    import auditor.render.prepared  # noqa: F401

    if jobs <= 1 or len(tasks) < 2:
        yield from (process(task, scoring) for task in tasks)
        return
    workers = min(jobs, len(tasks))
    with ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=_init_worker, initargs=(scoring,)
    ) as pool:
        for outcomes in pool.map(_run_chunk, _chunks(tasks, workers)):
            yield from outcomes


T = TypeVar("T")
R = TypeVar("R")

FORK_BATCH_MIN = 32
"""Fewer items than two batches of this size are worked in the calling process: forking a
build's parent costs more than the few pages of a rebuild (see ``Forked``)."""

_WORK: Callable[[Any], Any] | None = None


def _keep_work(work: Callable[[Any], Any]) -> None:
    """Pool initializer: the work, inherited through fork, never pickled."""
    global _WORK
    _WORK = work


def _run_work(batch: Sequence[Any]) -> list[Any]:
    assert _WORK is not None, "worker started without its work"
    return [_WORK(item) for item in batch]


class Forked(Generic[T, R]):
    """``work`` over each of ``items`` in ``jobs - 1`` forked processes while this one does
    something else, then helps; ``results()`` gives the results in item order.

    The workers are forked as the block starts, so they inherit everything ``work`` reads
    (the audit, the templates already loaded): only items and results cross processes. They
    take batches from the front; ``results()`` does the batches no worker has begun, from the
    back, so ``jobs`` processes share the work whenever this one's own part ends. With one job,
    few items (under two batches) or no fork (not Linux), everything is done here. Leaving the
    block, even by an exception, cancels the batches not begun and waits for the others, so no
    worker is still writing once the caller cleans up.
    """

    def __init__(self, work: Callable[[T], R], items: Sequence[T], jobs: int) -> None:
        self.work, self.items = work, items
        size = max(FORK_BATCH_MIN, min(CHUNK_MAX * 2, len(items) // (max(jobs, 1) * 8)))
        self.batches = [items[i : i + size] for i in range(0, len(items), size)]
        many = len(items) >= 2 * FORK_BATCH_MIN
        self.workers = jobs - 1 if many and can_fork() else 0
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Future[list[R]]] = []

    def __enter__(self) -> Forked[T, R]:
        if self.workers > 0:
            self.pool = ProcessPoolExecutor(
                self.workers, mp_context=_context(), initializer=_keep_work, initargs=(self.work,)
            )
            gc.freeze()  # workers' collections skip what they inherit, so never copy its pages
            try:  # the workers are forked at the first submit
                self.futures = [self.pool.submit(_run_work, batch) for batch in self.batches]
            finally:
                gc.unfreeze()
        return self

    def results(self) -> list[R]:
        """Every item's result, in order; batches no worker has begun are done here."""
        if self.pool is None:
            return [self.work(item) for item in self.items]
        here: dict[int, list[R]] = {}
        for k in reversed(range(len(self.batches))):  # the workers go from the front
            if self.futures[k].cancel():
                here[k] = [self.work(item) for item in self.batches[k]]
        batches = (here[k] if k in here else f.result() for k, f in enumerate(self.futures))
        return [result for batch in batches for result in batch]

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def can_fork() -> bool:
    """Whether side work may run in a forked child: on Linux, as ``_context`` decides."""
    return sys.platform.startswith("linux")


class ChildFailed(Exception):
    """A ``Child`` raised, or died before it returned: its caller does the work itself or
    reports it."""


class Child(Generic[R]):
    """``work(*args)`` in one forked child while this process goes on: a build's side jobs
    (linking unchanged pages, removing a swapped-out site, scoring the few changed files).

    ``start`` forks (the child inherits everything, so nothing is pickled on the way in);
    ``send`` passes the child an object that ``work`` takes with ``receive``; ``result``
    waits and gives what ``work`` returned, or raises ``ChildFailed`` when it raised or died.
    Without ``fork`` (or fork itself: not Linux), nothing is forked and ``result`` does the
    work here, raising what it raises. Leaving the ``with`` block, or ``stop``, ends a child
    still running and waits for it, so none outlives the block that made it.
    """

    def __init__(self, work: Callable[..., R], *args: object, fork: bool = True) -> None:
        self.work, self.args = work, args
        self.forks = fork and can_fork()
        self._sent: list[object] = []  # what ``receive`` gives when nothing is forked
        self._process: multiprocessing.process.BaseProcess | None = None
        self._ends: tuple[Connection, Connection] | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def started(self) -> bool:
        """Whether the child was forked (and not yet waited for)."""
        return self._process is not None

    def start(self) -> Self:
        """Fork the child, which starts ``work`` at once (without fork: nothing yet)."""
        if self.forks and self._process is None:
            context = multiprocessing.get_context("fork")
            self._ends = context.Pipe()
            self._process = context.Process(target=self._main, daemon=True)
            self._process.start()
            self._ends[1].close()  # the child's end: the child holds its own copy
        return self

    def send(self, value: object) -> None:
        """Give the child ``value`` for ``receive``; a child already gone misses it (and
        ``result`` says so)."""
        if self._ends is None:
            self._sent.append(value)
            return
        with contextlib.suppress(OSError):
            self._ends[0].send(value)

    def receive(self) -> Any:
        """In ``work``: the next value the parent sent (waiting for it)."""
        if self._ends is None:
            return self._sent.pop(0)
        return self._ends[1].recv()

    def result(self) -> R:
        """What ``work`` returned, once it is done; the child is gone afterwards."""
        if self._ends is None:
            return self.work(*self.args)
        try:
            failed, value = self._ends[0].recv()
        except (EOFError, OSError):
            failed, value = True, "it died"
        self.stop()
        if failed:
            raise ChildFailed(f"{getattr(self.work, '__name__', 'work')} in a child: {value}")
        return value  # type: ignore[no-any-return]

    def stop(self) -> None:
        """End the child if it still runs and wait for it; again: nothing."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._process = None
        if self._ends is not None:
            self._ends[0].close()

    def _main(self) -> None:
        """The child: run the work and send back what it returned, or what went wrong (the
        parent decides whether to report it: a child prints nothing)."""
        assert self._ends is not None
        self._ends[0].close()  # so a parent that dies leaves ``receive`` an end of file
        try:
            reply: tuple[bool, object] = (False, self.work(*self.args))
        except BaseException as exc:  # reported to the parent, which decides
            reply = (True, f"{type(exc).__name__}: {exc}")
        with contextlib.suppress(OSError):
            self._ends[1].send(reply)
