"""The exporters in forked workers (export/workers.py): every task run once, dependencies
waited for, progress shown here, a worker's failure raised here and the others stopped,
and a release built with workers byte for byte the release built in one process."""

import os
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from mc2cm_graph.export.workers import Task, run_tasks
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.forked import WorkerError
from mc2cm_graph.progress import Progress
from tests.test_seed_release import digests

ROOT = Path(__file__).resolve().parents[2]


class Recorded(Progress):
    """Records each stage's total and the items advanced in it."""

    def __init__(self):
        self.totals: dict[str, int | None] = {}
        self.done: dict[str, int] = {}
        self.open: set[str] = set()

    @contextmanager
    def stage(self, name, total=None):
        self.totals[name] = total
        self.done[name] = 0
        self.open.add(name)

        def advance(n=1):
            self.done[name] += n

        yield advance
        self.open.remove(name)


def _writer(path: Path, text: str, steps: int = 0, wait_for: Path | None = None):
    def run(advance):
        if wait_for is not None:  # what the task depends on must be there already
            assert wait_for.read_text() == "first"
        for _ in range(steps):
            advance()
        path.write_text(text)
        return [path]
    return run


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_every_task_runs_once_after_what_it_waits_for(tmp_path, workers):
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    slow, quick = tmp_path / "slow.txt", tmp_path / "quick.txt"
    tasks = [
        Task("second", _writer(second, "second", wait_for=first), after=("first",)),
        Task("slow", _writer(slow, "slow", steps=250), total=250),
        Task("first", _writer(first, "first")),
        Task("quick", _writer(quick, "quick")),
    ]
    progress = Recorded()
    written = run_tasks(tasks, progress, workers=workers)
    assert list(written) == ["second", "slow", "first", "quick"]  # the order of ``tasks``
    assert written == {"second": [second], "slow": [slow], "first": [first],
                       "quick": [quick]}
    assert second.read_text() == "second"
    # Every stage shown and closed: the counted one with every item, the others as one.
    assert progress.totals == {"second": 1, "slow": 250, "first": 1, "quick": 1}
    assert progress.done == {"second": 1, "slow": 250, "first": 1, "quick": 1}
    assert progress.open == set()


def test_tasks_run_in_other_processes_at_once(tmp_path):
    """Two tasks that each wait for the other's file can only finish side by side."""
    def meet(mine: Path, theirs: Path):
        def run(advance):
            mine.write_text(str(os.getpid()))
            deadline = time.monotonic() + 20
            while not theirs.exists():
                assert time.monotonic() < deadline, "the other task never ran alongside"
                time.sleep(0.01)
            return [mine]
        return run

    a, b = tmp_path / "a", tmp_path / "b"
    run_tasks([Task("a", meet(a, b)), Task("b", meet(b, a))], Progress(), workers=2)
    assert {a.read_text(), b.read_text()}.isdisjoint({str(os.getpid())})
    assert a.read_text() != b.read_text()


def test_a_workers_error_is_raised_here_whole(tmp_path):
    def fails(advance):
        raise Mc2cmError("cannot write", file="x.ttl", line=3, hint="free some disk")

    with pytest.raises(Mc2cmError) as caught:
        run_tasks([Task("fine", _writer(tmp_path / "f", "f")), Task("fails", fails)],
                  Progress(), workers=2)
    assert (caught.value.message, caught.value.file, caught.value.line,
            caught.value.hint) == ("cannot write", "x.ttl", 3, "free some disk")
    assert "in fails" in str(caught.value.__cause__)  # the worker's traceback, as the cause


def test_an_error_that_cannot_be_pickled_arrives_as_its_text():
    class Local(Exception):  # a local class: pickle cannot find it again
        pass

    def fails(advance):
        raise Local("the disk is on fire")

    with pytest.raises(WorkerError, match="the disk is on fire"):
        run_tasks([Task("one", fails), Task("two", fails)], Progress(), workers=2)


def test_a_worker_that_dies_is_named(tmp_path):
    def dies(advance):
        os._exit(7)

    with pytest.raises(WorkerError, match=r"writing dies ended without a word \(exit code 7\)"):
        run_tasks([Task("dies", dies), Task("fine", _writer(tmp_path / "f", "f"))],
                  Progress(), workers=2)


def test_a_failure_stops_the_other_workers(tmp_path):
    """Nothing writes on after the error has left (the build then removes its folder)."""
    pid_file, late = tmp_path / "pid", tmp_path / "late"

    def slow(advance):
        pid_file.write_text(str(os.getpid()))
        time.sleep(30)
        late.write_text("written after the failure")
        return [late]

    def fails(advance):
        deadline = time.monotonic() + 20
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        raise Mc2cmError("no")

    started = time.monotonic()
    with pytest.raises(Mc2cmError):
        run_tasks([Task("slow", slow), Task("fails", fails)], Progress(), workers=2)
    assert time.monotonic() - started < 20
    with pytest.raises(ProcessLookupError):  # ended and reaped, not left running
        os.kill(int(pid_file.read_text()), 0)
    assert not late.exists()


def test_a_release_built_with_workers_is_the_one_built_in_one_process(built_dist, tmp_path):
    from mc2cm_graph.build import build
    from mc2cm_graph.export.options import ExportOptions

    build(out_dir=tmp_path / "one", options=ExportOptions(workers=1))
    build(out_dir=tmp_path / "three", options=ExportOptions(workers=3))
    one = digests(tmp_path / "one")
    assert one == digests(tmp_path / "three")
    assert one == digests(built_dist)  # the default: one worker a core


def test_background_work_runs_in_another_process_meanwhile(tmp_path):
    from mc2cm_graph.graph.forked import Background

    started = tmp_path / "started"

    def work():
        started.write_text(str(os.getpid()))
        return {"pid": os.getpid(), "bytes": b"x" * 1_000_000}

    with Background(work) as job:
        deadline = time.monotonic() + 20
        while not started.exists():  # runs before its result is asked for
            assert time.monotonic() < deadline
            time.sleep(0.01)
        result = job.result()
    assert result["pid"] != os.getpid() and len(result["bytes"]) == 1_000_000


def test_background_errors_are_raised_by_result():
    from mc2cm_graph.graph.forked import Background

    def fails():
        raise Mc2cmError("no keys", file="data/x.ttl", line=9)

    with Background(fails) as job, pytest.raises(Mc2cmError) as caught:
        job.result()
    assert (caught.value.file, caught.value.line) == ("data/x.ttl", 9)


def test_background_work_not_asked_for_is_stopped(tmp_path):
    from mc2cm_graph.graph.forked import Background

    pid_file = tmp_path / "pid"

    def forever():
        pid_file.write_text(str(os.getpid()))
        time.sleep(60)

    with Background(forever):
        deadline = time.monotonic() + 20
        while not pid_file.exists():
            assert time.monotonic() < deadline
            time.sleep(0.01)
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


@pytest.mark.parametrize("how", ["run_tasks", "Background"])
def test_workers_end_with_a_killed_build(tmp_path, how):
    """A build killed by SIGKILL runs no exit handler: its workers must still end, or they
    would write on into a staging folder the next run removes (tests/export/test_atomic.py
    kills builds so)."""
    import signal
    import subprocess
    import sys

    pid_file = tmp_path / "worker.pid"
    script = f"""
import os, time
from pathlib import Path
from mc2cm_graph.export.workers import Task, run_tasks
from mc2cm_graph.graph.forked import Background
from mc2cm_graph.progress import Progress

def slow(advance=None):
    Path({str(pid_file)!r}).write_text(str(os.getpid()))
    time.sleep(60)
    return []

if {how!r} == "run_tasks":
    run_tasks([Task("slow", slow), Task("other", slow)], Progress(), workers=2)
else:
    with Background(slow) as job:
        job.result()
"""
    build = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline and build.poll() is None
            time.sleep(0.02)
        worker = int(pid_file.read_text())
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    deadline = time.monotonic() + 10
    while _alive(worker):
        assert time.monotonic() < deadline, "the worker outlived the killed build"
        time.sleep(0.02)


def _alive(pid: int) -> bool:
    try:  # a killed orphan is reaped by init; until then it is a zombie, not running
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
