"""Writing files inside the output folder safely, from text, copied chunks or a kept page."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from auditor.errors import BuildError
from auditor.render.export import JsonReuse, PieceText, Reused
from auditor.render.safety import target_in

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW | getattr(os, "O_BINARY", 0)
_BUFFER = 1 << 20
_COPY_RANGE = getattr(os, "copy_file_range", None)  # Linux: the kernel copies
_PREAD = getattr(os, "pread", None)  # Unix: read at an offset in one call


class Writer:
    """Writes text files inside the output folder and remembers what it wrote.

    Each folder is checked (``target_in``) and created once; files are opened without
    following a symlink, so a planted link cannot redirect a write outside the folder.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.written: list[str] = []
        self.seconds = 0.0  # in the file system (open, write, link, copy): the "write" stage
        self._folders: dict[str, str] = {}

    def _target(self, rel: str) -> str:
        folder, _, name = rel.rpartition("/")
        if name in ("", ".", "..") or "\\" in name:
            return str(target_in(self.out_dir, rel))  # raises for anything odd
        if folder not in self._folders:
            root = self.out_dir.resolve()
            path = (root / folder).resolve()
            if not path.is_relative_to(root):
                raise BuildError(f"refusing to write {rel!r} outside the output folder {root}")
            path.mkdir(parents=True, exist_ok=True)
            self._folders[folder] = str(path)
        return os.path.join(self._folders[folder], name)  # no Path: ~10,000 pages a build

    def _open(self, rel: str) -> int:
        try:
            return os.open(self._target(rel), _FLAGS, 0o666)
        except OSError as exc:
            raise BuildError(f"cannot write {rel!r} in the output folder: {exc}") from exc

    def write(self, rel: str, text: str) -> None:
        """Write ``rel`` as UTF-8 with one open and one write: a site has a file per piece."""
        data = text.encode("utf-8")
        started = time.perf_counter()
        fd = self._open(rel)
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
            self.seconds += time.perf_counter() - started
        self.written.append(rel)

    def write_chunks(
        self, rel: str, chunks: Iterable[str | Reused], json: JsonReuse | None = None
    ) -> None:
        """Write ``rel`` as UTF-8 from text chunks, so a large file is never held whole.

        ``Reused`` chunks are copied from ``json.source``, with the text between them when
        the source holds the same bytes there, so an unchanged stretch of pieces is one copy;
        where each piece's text lands is noted in ``json.placed`` (byte ranges), for the next
        build to copy in turn.
        """
        out = _Output(self._open(rel))
        try:
            source = json.source if json is not None else None
            with _Source(source) as old:
                _place(out, old, chunks, json.placed if json is not None else None)
                out.flush(old)
        finally:
            out.close()
            self.seconds += out.seconds
        self.written.append(rel)

    def link(self, rel: str, source: str) -> None:
        """Put the previous site's unchanged ``source`` at ``rel``: a hard link, else a copy."""
        target = self._target(rel)
        started = time.perf_counter()
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError:
            shutil.copyfile(source, target, follow_symlinks=False)
        finally:
            self.seconds += time.perf_counter() - started
        self.written.append(rel)


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class _Source:
    """The previous file, read at chosen places (nothing when there is none).

    Read, not mapped: touching a mapped 250 MB file at every piece would count its pages
    in the build's resident memory.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.file: BinaryIO | None = None

    def __enter__(self) -> _Source:
        if self.path is not None:
            self.file = open(self.path, "rb", buffering=0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()

    @property
    def fd(self) -> int:
        assert self.file is not None, "a reused range without the previous file"
        return self.file.fileno()

    def read(self, at: int, size: int) -> bytes:
        """Up to ``size`` bytes from byte ``at`` (fewer at the end of the file).

        One ``pread`` where there is one: a rebuild checks the "," between every two copied
        pieces of audit.json, and a seek and a read each cost a system call.
        """
        if self.file is None:
            return b""
        if _PREAD is not None:
            return _PREAD(self.file.fileno(), size, at)
        self.file.seek(at)
        return self.file.read(size) or b""

    def holds(self, at: int, data: bytes) -> bool:
        """Whether the previous file holds ``data`` at byte ``at``."""
        return self.read(at, len(data)) == data


class _Output:
    """A file written from buffered bytes and runs of the previous file's bytes.

    A run is copied by the kernel (``os.copy_file_range``) where it can be: an unchanged
    audit.json of 10,000 pieces is ~250 MB that need not pass through Python.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer: list[bytes] = []
        self.buffered = 0
        self.run = (0, 0)  # bytes start:end of the previous file, to copy after the buffer
        self.size = 0  # bytes the file will hold once the buffer and the run are out
        self.seconds = 0.0  # writing and copying (the text's making is the caller's)

    @property
    def running(self) -> bool:
        """Whether a run of the previous file's bytes waits to be copied."""
        return self.run[1] > self.run[0]

    def write(self, data: bytes, old: _Source) -> None:
        """Append ``data`` (after the pending run, which goes out first)."""
        if self.running:
            self.flush(old)
        self.buffer.append(data)
        self.buffered += len(data)
        self.size += len(data)
        if self.buffered >= _BUFFER:
            self._drain()

    def copy(self, start: int, end: int, old: _Source) -> None:
        """Append the previous file's bytes ``start:end`` (joined to the pending run if next)."""
        if self.run[1] != start:
            self.flush(old)
            self.run = (start, start)
        self.run = (self.run[0], end)
        self.size += end - start

    def flush(self, old: _Source) -> None:
        """Write out the buffer, then copy the pending run."""
        self._drain()
        start, end = self.run
        self.run = (end, end)
        started = time.perf_counter()
        while start < end:
            start += _copy_range(old, self.fd, start, end)
        self.seconds += time.perf_counter() - started

    def _drain(self) -> None:
        if self.buffer:
            data = b"".join(self.buffer)
            started = time.perf_counter()
            _write_all(self.fd, data)
            self.seconds += time.perf_counter() - started
            self.buffer, self.buffered = [], 0

    def close(self) -> None:
        started = time.perf_counter()
        os.close(self.fd)
        self.seconds += time.perf_counter() - started


def _copy_range(old: _Source, fd: int, start: int, end: int) -> int:
    """Copy some of the previous file's bytes ``start:end`` to ``fd``; how many were copied."""
    if _COPY_RANGE is not None:
        with contextlib.suppress(OSError):  # not between these files: copy through memory
            copied = _COPY_RANGE(old.fd, fd, end - start, start)
            if copied > 0:
                return copied
    data = old.read(start, min(end - start, _BUFFER))  # a bounded piece at a time
    if not data:
        raise BuildError(f"the previous {old.path} is shorter than the build cache recorded")
    _write_all(fd, data)
    return len(data)


def _place(
    out: _Output,
    old: _Source,
    chunks: Iterable[str | Reused],
    placed: dict[str, tuple[int, int]] | None,
) -> None:
    """Write ``chunks`` to ``out``, noting in ``placed`` where each piece's text lands."""
    for chunk in chunks:
        start = out.size
        if isinstance(chunk, Reused):
            out.copy(chunk.start, chunk.end, old)
        else:
            data = chunk.encode("utf-8")
            at = out.run[1]
            if out.running and old.holds(at, data):
                out.copy(at, at + len(data), old)  # the same bytes follow in the old file
            else:
                out.write(data, old)
        if placed is not None and isinstance(chunk, PieceText | Reused):
            placed[chunk.slug] = (start, out.size)
