"""Ingest and score content files across a pool of processes, results back in input order.

The pool is created once per build (fork on Linux, so workers inherit the loaded scoring model
instead of rebuilding it); paths go out in chunks and each file comes back as one ``Outcome``
whose results are already pickled, so the parent only stores or unpickles bytes.
"""

from __future__ import annotations

import copyreg
import functools
import hashlib
import io
import operator
import os
import pickle
import struct
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor import model
from auditor.config import EVIDENCE_LISTED
from auditor.errors import InputError
from auditor.forks import exit_with_parent, fork_context
from auditor.ingest import read_path
from auditor.ingest.files import read_bytes
from auditor.model import Document, PieceResult, Skipped
from auditor.timings import MARKDOWN_STAGE, TEXT_STAGE, Timings

if TYPE_CHECKING:
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
    data = b"".join([table, *sections])
    _write_file(temp, data)
    os.replace(temp, path)
    return len(data)


def _write_file(path: str, data: bytes) -> None:
    """Write ``data`` to a new file at ``path`` with plain system calls.

    A worker writes one file a post: ``open``'s buffered file object (a ``fstat``, a buffer,
    a copy of each section into it) cost ~20 us of the ~100 us the file took; joining the
    sections once and handing them to ``os.write`` costs ~5. The loop takes a short write.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


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
    exit_with_parent()


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
        workers, mp_context=fork_context(), initializer=_init_worker, initargs=(scoring,)
    ) as pool:
        for outcomes in pool.map(_run_chunk, _chunks(tasks, workers)):
            yield from outcomes
