"""The CLI's last resort: an exception nobody named (a bug) ends as one line, "internal
error ... please report it", and exit code 70 (EX_SOFTWARE), never a traceback; the
traceback is shown only when MC2CM_TRACEBACK asks for it.

The fault is planted in a library function a verb calls, in a real `mc2cm-graph` process
(the package's `__main__`), so the whole path from the verb to the exit code is exercised."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PLANT = """
import runpy, sys
import mc2cm_graph.query.saved as saved

def load_catalogue(*args, **kwargs):
    raise ZeroDivisionError("planted fault")

saved.load_catalogue = load_catalogue
sys.argv = ["mc2cm-graph", "queries"]
runpy.run_module("mc2cm_graph", run_name="__main__")
"""


def run_with_planted_fault(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "MC2CM_TRACEBACK"}
    environment.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-c", PLANT], capture_output=True, text=True,
                          env=environment, cwd=ROOT, timeout=120)


def test_an_unexpected_exception_is_an_internal_error_with_exit_70():
    done = run_with_planted_fault()
    assert done.returncode == 70, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines()[0] == "error: internal error: ZeroDivisionError: planted fault"
    assert "this is a bug in mc2cm-graph; please report it" in done.stderr
    assert "MC2CM_TRACEBACK=1 shows the details" in done.stderr
    assert done.stdout == ""


def test_the_traceback_is_shown_only_when_asked():
    done = run_with_planted_fault(MC2CM_TRACEBACK="1")
    assert done.returncode == 70, done.stderr
    assert done.stderr.startswith("Traceback (most recent call last):"), done.stderr
    assert "in load_catalogue" in done.stderr
    assert "\nZeroDivisionError: planted fault\n" in done.stderr
    assert "error: internal error: ZeroDivisionError: planted fault" in done.stderr
