"""graph/forked.in_workers: items computed in forked workers, yielded in order, an item's
error raised in its turn, the workers ended however the loop ends."""

import os
import time

import pytest

from mc2cm_graph.graph.errors import DataError
from mc2cm_graph.graph.forked import in_workers


def _square_with_pid(n):
    time.sleep(0.01 * (n % 3))  # finishing out of order
    return n * n, os.getpid()


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_results_come_in_the_order_of_the_items(workers):
    results = list(in_workers(_square_with_pid, range(10), workers=workers))
    assert [value for value, _ in results] == [n * n for n in range(10)]
    pids = {pid for _, pid in results}
    if workers == 1:
        assert pids == {os.getpid()}  # computed here
    else:
        assert os.getpid() not in pids and len(pids) == workers


def test_an_items_error_is_raised_in_its_turn_after_the_items_before():
    def check(n):
        if n == 4:
            raise DataError("bad file", file=f"f{n}.ttl", line=3)
        return n

    seen = []
    with pytest.raises(DataError) as caught:
        for value in in_workers(check, range(8), workers=2):
            seen.append(value)
    assert seen == [0, 1, 2, 3]
    assert (caught.value.file, caught.value.line) == ("f4.ttl", 3)


def test_the_workers_end_when_the_loop_is_left(tmp_path):
    def pid_of(n):
        (tmp_path / f"{n}.tmp").write_text(str(os.getpid()))
        os.replace(tmp_path / f"{n}.tmp", tmp_path / f"{n}.pid")  # whole, or not there
        return n

    results = in_workers(pid_of, range(6), workers=2)
    assert next(results) == 0
    results.close()  # left early, as a caller raising on the first item would
    for pid in {int(p.read_text()) for p in tmp_path.glob("*.pid")}:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
