"""Work in processes forked from this one: they see its memory as it was at the fork
(copy-on-write), so a worker needs nothing sent to it, only its result sent back.

``Background`` runs one function while this process goes on (the build's search keys
while it validates); ``in_workers`` maps a function over items a few ahead (the data
files' parses while the build adds the files before them); the exporters' scheduler
(export/workers.py) hands out tasks. All three fork their workers with ``fork_worker``.
Every worker is ended by the kernel with this process, however this one ends, and ends
itself with ``os._exit``. A worker's exception is raised here, whole if it can be
pickled, else as its text.
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
        self.function, self.worker = function, None
        if can_fork(default_workers()):
            self.worker = fork_worker(lambda _message, _connection: function())
            self.worker[0].send(None)  # start now

    def result(self) -> Any:
        if self.worker is None:
            return self.function()
        try:
            return receive(*self.worker, f"computing {self.function}")[1]
        finally:
            self.close()

    def close(self) -> None:
        if self.worker is not None:
            stop_worker(*self.worker)

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
    if not can_fork(workers):
        yield from map(function, items)
        return
    pool = []
    try:
        for _ in range(workers):
            pool.append(fork_worker(lambda index, _connection: function(items[index])))
        for index, (connection, _) in enumerate(pool):
            connection.send(index)
        for index in range(len(items)):
            connection, process = pool[index % workers]  # item i went to worker i % n
            _, value = receive(connection, process, f"computing item {index}")
            if index + workers < len(items):
                connection.send(index + workers)
            yield value
    finally:
        for worker in pool:
            stop_worker(*worker)


def can_fork(workers: int) -> bool:
    """Whether forking ``workers`` workers can pay: more than one, and fork exists."""
    return workers > 1 and hasattr(os, "fork")


def fork_worker(handle: Callable[[Any, Any], Any]) -> tuple[Any, Any]:
    """(connection, process) of a worker forked now: it answers each message sent on the
    connection with ``("done", handle(message, connection))`` (``handle`` may send
    messages of its own before), or ``("error", ...)`` and ends; it ends when the
    connection closes, or with this process."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    # Flushed here, so a worker cannot write this process's pending output again.
    sys.stdout.flush()
    sys.stderr.flush()
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, handle, os.getpid()), daemon=True)
    process.start()
    theirs.close()
    return ours, process


def stop_worker(connection, process) -> None:
    """Close the worker's connection (a worker waiting for a message then ends) and make
    sure it has ended."""
    connection.close()
    if process.is_alive():
        process.terminate()
    process.join()


def _serve(connection, handle: Callable[[Any, Any], Any], parent: int) -> None:
    """A worker's loop (``fork_worker``). Ends with ``os._exit``: the forked copies of this
    process's exit handlers and open streams are the parent's to run and flush."""
    code = 0
    try:
        die_with(parent)
        while True:
            try:
                message = connection.recv()
            except EOFError:
                break
            try:
                connection.send(("done", handle(message, connection)))
            except BaseException as error:  # noqa: BLE001 — sent, and raised by receive()
                connection.send(("error", pickled(error)))
                code = 1
                break
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
