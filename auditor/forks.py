"""Forked processes for a build's side work: page batches beside the parent (``Forked``) and
one job at a time (``Child``).

Both fork where that is safe (Linux), so the children inherit the loaded model, templates and
audit instead of receiving them pickled; elsewhere the work runs in the calling process.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, Generic, Self, TypeVar


def can_fork() -> bool:
    """Whether work may run in forked processes: on Linux."""
    return sys.platform.startswith("linux")


def fork_context() -> multiprocessing.context.BaseContext:
    """Fork where it is safe (Linux): workers inherit the loaded model and imports."""
    if can_fork():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


T = TypeVar("T")
R = TypeVar("R")


def exit_with_parent() -> None:
    """In a pool worker: end it when the process that started it dies.

    ``ProcessPoolExecutor``'s workers wait for their next task on a pipe whose writing end
    they hold themselves, so a build killed outright (``kill -9``, the OOM killer, a CI
    runner's timeout) left them asleep forever (python/cpython#111873). multiprocessing gives
    every child a sentinel of its parent; a daemon thread waits on it, without the GIL, and
    ends the worker when it fires. Called by both pools' initializers.
    """
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_after, args=(parent,), daemon=True).start()


def _exit_after(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()
    os._exit(1)


FORK_BATCH_MIN = 32
FORK_BATCH_MAX = 64
"""Fewer items than two batches of this size are worked in the calling process: forking a
build's parent costs more than the few pages of a rebuild (see ``Forked``)."""

_WORK: Callable[[Any], Any] | None = None


def _keep_work(work: Callable[[Any], Any]) -> None:
    """Pool initializer: the work, inherited through fork, never pickled."""
    global _WORK
    _WORK = work
    exit_with_parent()


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
        size = max(FORK_BATCH_MIN, min(FORK_BATCH_MAX, len(items) // (max(jobs, 1) * 8)))
        self.batches = [items[i : i + size] for i in range(0, len(items), size)]
        many = len(items) >= 2 * FORK_BATCH_MIN
        self.workers = jobs - 1 if many and can_fork() else 0
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Future[list[R]]] = []

    def __enter__(self) -> Forked[T, R]:
        if self.workers > 0:
            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=fork_context(),
                initializer=_keep_work,
                initargs=(self.work,),
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
