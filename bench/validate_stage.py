"""Time the fast engine's validation alone: load a data folder into the store, then run
``fastvalidate.validate_store`` (shapes + QC) on it.

    python -m mc2cm_graph synth --programmes 10000 --out /tmp/s10k --seed 1 --violations 20
    python bench/validate_stage.py /tmp/s10k --repeat 3
    python bench/validate_stage.py /tmp/s10k --code /tmp/older-checkout   # another version

Prints the load and validation times (wall, and CPU of all threads: steadier on a busy
machine), the number of violations, a digest of the report (equal digests: the same
report, word for word) and the process's peak RSS. ``--code`` imports the package from
another checkout (``git worktree add`` or ``git archive``), to compare two versions on
the same data. Not part of pytest: timings belong here.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cpu_seconds() -> float:
    """CPU time of this process, all threads: less disturbed than wall time by other jobs
    on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="a data folder (as `build --data` reads)")
    parser.add_argument("--repeat", type=int, default=1, help="validation runs (default 1)")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="checkout whose mc2cm_graph to time (default: this one)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    from mc2cm_graph.check.fast import validate_store
    from mc2cm_graph.graph.store import load_store

    start = time.perf_counter()
    store = load_store(args.data)
    print(f"load {time.perf_counter() - start:.2f} s", flush=True)
    for _ in range(args.repeat):
        start, cpu = time.perf_counter(), _cpu_seconds()
        report = validate_store(store)
        elapsed, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
        digest = hashlib.sha256(repr(report.violations).encode()).hexdigest()[:16]
        print(f"validate {elapsed:.2f} s wall, {cpu:.2f} s CPU (all threads), "
              f"{len(report.violations)} violations, report digest {digest}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak RSS {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
