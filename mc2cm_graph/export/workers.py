"""The exporters on every core: forked worker processes, each reading the built store.

The exporters only read the store (graph/store.py, in memory), so a worker forked after
the store is built, validated and reasoned shares it with the build copy-on-write and
needs nothing sent to it. This process stays the scheduler: it hands each free worker the
next task whose dependencies have finished (the static linked data names blank nodes by
the digest of the Turtle file, so it waits for the Turtle), shows every worker's progress
and collects the files each task wrote. Processes, not threads: the exporters are Python
(Jinja2 rendering, JSON-LD compaction, serialising), which threads would run one at a time.

Fork is what makes this cheap (a spawned worker would have to load and check the data
again), so where there is no fork, or one core, the tasks run here, one after another.
A worker's exception is raised here, with its traceback as the cause; if a task fails,
the other workers are stopped before the error leaves, so nothing writes on after it.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from mc2cm_graph.graph.forked import (
    can_fork,
    default_workers,
    fork_worker,
    receive,
    stop_worker,
)
from mc2cm_graph.progress import Progress


@dataclass(frozen=True)
class Task:
    """One exporter's work: ``run(advance)``, which returns the files it wrote (or another
    result, picklable: the catalogue's counts); ``total``: the items ``run``
    reports through ``advance`` (None: it reports none, and the task counts as one item,
    done when it ends); ``after``: names of the tasks that must have finished first."""

    name: str
    run: Callable[[Callable[..., None]], Any]
    total: int | None = None
    after: tuple[str, ...] = ()


def run_tasks(tasks: Sequence[Task], progress: Progress, workers: int | None = None
              ) -> dict[str, Any]:
    """Run every task, ``workers`` at a time (None: one per core); what each returned (the
    files it wrote), by task name, in the order of ``tasks``. Tasks are started in the order given
    (dependencies allowing): put the long ones first."""
    workers = min(default_workers() if workers is None else workers, len(tasks))
    if not can_fork(workers):
        written = _run_here(_in_dependency_order(tasks), progress)
        return {task.name: written[task.name] for task in tasks}
    return _Scheduler(tasks, progress).run(workers)


def _in_dependency_order(tasks: Sequence[Task]) -> list[Task]:
    done: set[str] = set()
    ordered: list[Task] = []
    pending = list(tasks)
    while pending:
        ready = next(t for t in pending if set(t.after) <= done)
        pending.remove(ready)
        ordered.append(ready)
        done.add(ready.name)
    return ordered


def _run_here(tasks: Sequence[Task], progress: Progress) -> dict[str, Any]:
    written: dict[str, Any] = {}
    for task in tasks:
        with progress.stage(task.name, task.total or 1) as advance:
            files = task.run(advance)
            if task.total is None:
                advance()
        written[task.name] = files
    return written


class _Scheduler:
    """Hands tasks to forked workers and shows their progress, in this process."""

    def __init__(self, tasks: Sequence[Task], progress: Progress):
        self.tasks = {task.name: task for task in tasks}
        self.waiting = list(tasks)
        self.progress = progress
        self.written: dict[str, Any] = {}
        self.stages: dict[str, ExitStack] = {}  # the progress stage of each running task
        self.advances: dict[str, Callable[..., None]] = {}

    def run(self, workers: int) -> dict[str, Any]:
        from multiprocessing.connection import wait

        gc.collect()
        gc.freeze()  # the collector would otherwise touch (so copy) every shared object
        pool: dict[object, tuple[object, str | None]] = {}  # connection → (process, task)
        try:
            for _ in range(workers):
                connection, process = fork_worker(self._work)
                pool[connection] = (process, None)
            for connection in pool:
                self._hand_out(pool, connection)
            while any(task for _, task in pool.values()):
                for connection in wait([c for c, (_, t) in pool.items() if t]):
                    self._receive(pool, connection)
        finally:
            gc.unfreeze()
            for stage in self.stages.values():
                stage.close()
            for connection, (process, _) in pool.items():
                stop_worker(connection, process)
        return {name: self.written[name] for name in self.tasks}

    def _work(self, name: str, connection) -> Any:
        """In a worker: run the task, its progress sent on ``connection`` as it goes."""
        advance = _Advances(connection)
        result = self.tasks[name].run(advance)
        advance.flush()
        return result

    def _ready(self) -> Task | None:
        return next((t for t in self.waiting if set(t.after) <= self.written.keys()), None)

    def _hand_out(self, pool, connection) -> None:
        process = pool[connection][0]
        task = self._ready()
        if task is None:
            pool[connection] = (process, None)
            return
        self.waiting.remove(task)
        self.stages[task.name] = ExitStack()
        self.advances[task.name] = self.stages[task.name].enter_context(
            self.progress.stage(task.name, task.total or 1))
        connection.send(task.name)
        pool[connection] = (process, task.name)

    def _receive(self, pool, connection) -> None:
        process, name = pool[connection]
        kind, value = receive(connection, process, f"writing {name}")
        if kind == "advance":
            self.advances[name](value)
        else:
            if self.tasks[name].total is None:
                self.advances[name]()
            self.stages.pop(name).close()
            self.written[name] = value
            for idle in [c for c, (_, t) in pool.items() if t is None or c is connection]:
                self._hand_out(pool, idle)


class _Advances:
    """A worker's ``advance``: items done, sent at most every 50 ms (a message per file
    written would cost the worker more than the display is worth)."""

    def __init__(self, connection):
        self.connection, self.pending, self.sent = connection, 0, time.monotonic()

    def __call__(self, n: int = 1) -> None:
        self.pending += n
        if time.monotonic() - self.sent > 0.05:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.connection.send(("advance", self.pending))
        self.pending, self.sent = 0, time.monotonic()
