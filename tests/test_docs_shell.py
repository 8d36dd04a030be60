"""The shell blocks of the README and docs/*.md run as written, as doctest runs the examples
of a docstring.

Every ```sh block is preceded by a marker saying what the test does with it:

- ``<!-- doc-test: run -->``: run with bash (``set -euo pipefail``) in a scratch folder
  holding a copy of the built release as ``dist/`` (built once per session), with this
  Python's ``mc2cm-graph`` first on the PATH; every command must succeed.
- ``<!-- doc-test: serve -->``: the same, while ``mc2cm-graph serve`` (started by the test on
  a free port of 127.0.0.1) answers where the block says ``127.0.0.1:8000``; ``curl`` fails
  on an HTTP error (``--fail``), so a 4xx or 5xx answer fails the block.
- ``<!-- doc-test: skip REASON -->``: not run, for the reason given (a store or tool the
  tests do not install, a benchmark, an install step, placeholders to fill in).

A block without a marker fails the test: a new example must say how it is checked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MODES = ("run", "serve", "skip")

_BLOCK = re.compile(
    r"^(?:[ \t]*<!-- doc-test: (?P<mode>\S+)(?: (?P<why>[^\n]*?))? -->\n)?"
    r"(?P<indent>[ \t]*)```sh\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.S | re.M)


@dataclass(frozen=True)
class Block:
    file: Path
    line: int
    mode: str | None
    why: str | None
    body: str

    @property
    def name(self) -> str:
        return f"{self.file.relative_to(ROOT)}:{self.line}"


def blocks() -> list[Block]:
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for match in _BLOCK.finditer(text):
            line = text.count("\n", 0, match.start("indent")) + 2  # the block's first line
            body = "\n".join(row[len(match["indent"]):] for row in match["body"].splitlines())
            found.append(Block(doc, line, match["mode"], match["why"], body + "\n"))
    return found


BLOCKS = blocks()
RUN = [b for b in BLOCKS if b.mode in ("run", "serve")]


def test_every_shell_block_says_how_it_is_checked():
    unmarked = [b.name for b in BLOCKS if b.mode not in MODES]
    assert unmarked == [], f"shell blocks without a doc-test marker ({MODES}): {unmarked}"
    assert all(b.why for b in BLOCKS if b.mode == "skip"), "a skipped block needs a reason"
    # every ```sh fence is seen (an unclosed or odd fence would hide blocks)
    fences = sum(doc.read_text(encoding="utf-8").count("```sh\n") for doc in DOCS)
    assert len(BLOCKS) == fences
    assert len(RUN) >= 5


@pytest.fixture(scope="module")
def scratch(built_dist, tmp_path_factory) -> Path:
    """A folder like a user's after `mc2cm-graph build`: the release in dist/."""
    folder = tmp_path_factory.mktemp("docs")
    shutil.copytree(built_dist, folder / "dist")
    return folder


@pytest.fixture(scope="module")
def served(built_dist):
    from tests.server.conftest import Served

    server = Served("--dist", str(built_dist))
    yield server
    server.stop()


def run_block(block: Block, cwd: Path, base_url: str | None = None):
    script = block.body
    if base_url:
        script = script.replace("http://127.0.0.1:8000", base_url)
    prelude = "set -euo pipefail\ncurl() { command curl --fail --silent --show-error \"$@\"; }\n"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(ROOT)}
    return subprocess.run(["bash", "-c", prelude + script], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("block", RUN, ids=[b.name for b in RUN])
def test_shell_block_runs_as_written(block, scratch, request):
    base_url = request.getfixturevalue("served").url if block.mode == "serve" else None
    if base_url is None:
        assert "127.0.0.1:8000" not in block.body, "a block that needs the server: mark it serve"
    done = run_block(block, scratch, base_url)
    assert done.returncode == 0, f"{block.name} failed:\n{done.stdout[-2000:]}\n{done.stderr}"
    assert "Traceback" not in done.stderr
