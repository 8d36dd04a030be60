"""Work in processes forked from this one: they see its memory as it was at the fork
(copy-on-write), so a worker needs nothing sent to it, only its result sent back.

``Background`` runs one function so while this process goes on (the build's search keys
while it validates, a data file's parse while it loads the one before); the exporters'
scheduler (export/workers.py) runs many. Every worker is ended by the kernel with this
process, however this one ends, and ends itself with ``os._exit``. A worker's exception
is raised here, whole if it can be pickled, else as its text.
"""

from __future__ import annotations

import os
import pickle
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any


class WorkerError(RuntimeError):
    """A worker's exception that could not be sent whole (not picklable): its text."""


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Background:
    """``function()`` run in a worker forked now, while this process goes on; ``result()``
    waits for what it returned (or raises its error). A context manager: leaving it stops
    the worker if its result was not asked for. Without fork or a second core, the
    function runs in ``result()``. The function must only read what this process changes
    meanwhile, or read parts that it does not change (the worker sees them as at the fork)."""

    def __init__(self, function: Callable[[], Any]):
        self.function, self.process, self.connection = function, None, None
        if default_workers() > 1 and hasattr(os, "fork"):
            import multiprocessing

            context = multiprocessing.get_context("fork")
            sys.stdout.flush()
            sys.stderr.flush()
            self.connection, theirs = context.Pipe(duplex=False)
            self.process = context.Process(target=_once, args=(theirs, function, os.getpid()),
                                           daemon=True)
            self.process.start()
            theirs.close()

    def result(self) -> Any:
        if self.process is None:
            return self.function()
        try:
            return receive(self.connection, self.process, f"computing {self.function}")[1]
        finally:
            self.close()

    def close(self) -> None:
        if self.process is not None:
            self.connection.close()
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def in_workers(function: Callable[[Any], Any], items: Sequence[Any],
               workers: int | None = None) -> Iterator[Any]:
    """``function(item)`` for each item, computed in forked workers (None: one a core) a
    few items ahead, and yielded here in the order of ``items``; an item's error is raised
    when its turn comes. Without fork or a second core, computed here as they are asked
    for. Workers are forked once, before the first item: cheap while this process is
    small (the build forks them before it loads the data)."""
    items = list(items)
    workers = min(default_workers() if workers is None else workers, len(items))
    if workers <= 1 or not hasattr(os, "fork"):
        yield from map(function, items)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork")
    sys.stdout.flush()
    sys.stderr.flush()
    pool = []
    try:
        for _ in range(workers):
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve, daemon=True,
                                      args=(theirs, function, items, os.getpid()))
            process.start()
            theirs.close()
            pool.append((ours, process))
        for index, (connection, _) in enumerate(pool):
            connection.send(index)
        for index in range(len(items)):
            connection, process = pool[index % workers]  # item i went to worker i % n
            _, value = receive(connection, process, f"computing item {index}")
            if index + workers < len(items):
                connection.send(index + workers)
            yield value
    finally:
        for connection, process in pool:
            connection.close()
            if process.is_alive():
                process.terminate()
            process.join()


def _serve(connection, function: Callable[[Any], Any], items: list, parent: int) -> None:
    """An ``in_workers`` worker: compute each item whose index arrives, until the pipe
    closes or an item fails."""
    code = 0
    try:
        die_with(parent)
        while True:
            try:
                index = connection.recv()
            except EOFError:
                break
            try:
                connection.send(("done", function(items[index])))
            except BaseException as error:  # noqa: BLE001 — sent, and raised in its turn
                connection.send(("error", pickled(error)))
                code = 1
                break
    finally:
        os._exit(code)


def _once(connection, function: Callable[[], Any], parent: int) -> None:
    """A Background worker: send what ``function`` returns, or its error; then end."""
    code = 0
    try:
        die_with(parent)
        try:
            connection.send(("done", function()))
        except BaseException as error:  # noqa: BLE001 — sent, and raised by result()
            connection.send(("error", pickled(error)))
            code = 1
    finally:
        os._exit(code)


def receive(connection, process, doing: str) -> tuple[str, Any]:
    """The next message from a worker (``doing`` something, for the error); its error
    raised here, and its silent end named."""
    try:
        kind, value = connection.recv()
    except EOFError:
        raise WorkerError(f"the worker {doing} ended without a word "
                          f"(exit code {exit_code(process)})") from None
    if kind == "error":
        raise unpickled(value)
    return kind, value


def exit_code(process) -> int | None:
    """A worker's exit code, once it has ended (its pipe closes a moment before)."""
    process.join(timeout=10)
    return process.exitcode


def die_with(parent: int) -> None:
    """Have the kernel kill this worker when ``parent`` (the build) ends, however it ends:
    a build killed by a signal must not leave workers writing into its staging folder
    after the next run has removed it (Linux's PR_SET_PDEATHSIG; where there is none, a
    worker waiting for work may outlive a killed build: a sibling holds its pipe open)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


def pickled(error: BaseException) -> bytes:
    text = "".join(traceback.format_exception(error))
    try:
        data = pickle.dumps(error)
        pickle.loads(data)
    except Exception:  # noqa: BLE001 — an exception that does not survive pickling
        return pickle.dumps(WorkerError(text))
    return pickle.dumps((data, text))


def unpickled(value: bytes) -> BaseException:
    sent = pickle.loads(value)
    if isinstance(sent, BaseException):
        return sent
    data, text = sent
    error = pickle.loads(data)
    error.__cause__ = WorkerError(f"in the worker:\n{text}")
    return error
