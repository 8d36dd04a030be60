"""The researcher's notebook (docs/notebooks/explore-mc2cm.ipynb) runs top to bottom with
a real Jupyter kernel, so it can never rot; it is the one the script beside it writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "docs" / "notebooks"
NOTEBOOK = NOTEBOOKS / "explore-mc2cm.ipynb"


def test_notebook_is_what_its_script_writes(tmp_path):
    sys.path.insert(0, str(NOTEBOOKS))
    try:
        import make_notebook
    finally:
        sys.path.remove(str(NOTEBOOKS))
    shipped = nbformat.read(NOTEBOOK, as_version=4)
    assert [c.source for c in shipped.cells] == [c.source for c in make_notebook.notebook().cells]


def test_notebook_runs(tmp_path, built_dist):
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # The kernel starts in tmp_path: its dist/ is a copy of the session's build, so the
    # notebook reads a current release and writes nothing into the checkout.
    subprocess.run(["cp", "-r", str(built_dist), str(tmp_path / "dist")], check=True)
    os.utime(tmp_path / "dist" / "mc2cm.ttl")  # newer than every source: current
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "Release" in text and "read from dist/mc2cm.ttl" in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # the bar chart and the map
    html = "\n".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "ACMALS" in html  # the programmes
    assert "عمّان" in html and "طنجة الدار" in html  # the Arabic queries
    assert "10.7.2" in html  # the join with the UN's indicators


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
