"""docs/api/ is pdoc's reference of the public API, generated from the docstrings: it must
be what pdoc writes from the code today (regenerate with the command in docs/api.md), and
the public API must pass the strict type check that .ci/run also runs."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = ["mc2cm_graph.api", "mc2cm_graph.graph.errors"]


def _differences(comparison: filecmp.dircmp) -> list[str]:
    found = [*comparison.left_only, *comparison.right_only, *comparison.diff_files]
    for sub in comparison.subdirs.values():
        found += _differences(sub)
    return found


def test_reference_is_current(tmp_path):
    subprocess.run([sys.executable, "-m", "pdoc", "--no-search", "-o", str(tmp_path),
                    *MODULES], check=True, cwd=ROOT)
    stale = _differences(filecmp.dircmp(tmp_path, ROOT / "docs" / "api"))
    assert not stale, f"docs/api/ is stale ({stale}): run the command in docs/api.md"
    page = (tmp_path / "mc2cm_graph" / "api.html").read_text(encoding="utf-8")
    import mc2cm_graph.api

    for name in mc2cm_graph.api.__all__:
        assert f'id="{name}"' in page, f"{name} missing from the reference"


def test_public_api_passes_strict_type_check():
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout + run.stderr
