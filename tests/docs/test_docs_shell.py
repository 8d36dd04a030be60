"""The shell blocks of the README and docs/*.md run as written, as doctest runs the examples
of a docstring.

Every ```sh block is preceded by a marker saying what the test does with it:

- ``<!-- doc-test: run -->``: run with bash (``set -euo pipefail``) in a scratch folder
  holding a copy of the built release as ``dist/`` (built once per session), with this
  Python's ``mc2cm-graph`` first on the PATH; every command must succeed.
- ``<!-- doc-test: serve -->``: the same, while ``mc2cm-graph serve`` (started by the test on
  a free port of 127.0.0.1) answers where the block says ``127.0.0.1:8000``; ``curl`` fails
  on an HTTP error (``--fail``), so a 4xx or 5xx answer fails the block.
- ``<!-- doc-test: oxigraph -->``: a store recipe, run with Oxigraph's server: the test
  gives it a free port for ``127.0.0.1:7878`` and a scratch folder for ``/srv/``; a
  ``oxigraph serve`` line runs in the background until the block has run; afterwards the
  saved query ``programmes`` must give the store the rows it gives the release.
- ``<!-- doc-test: virtuoso -->``: the Virtuoso recipe's steps, run one after the other
  in one shell as a user would, with free ports for 1111 and 8890 (a copy of the recipe's
  ini with only the ports changed), scratch folders for ``/srv/`` and the checkout for
  ``/path/to/mc2cm-graph``; ``virtuoso-t +foreground`` runs in the background; then the
  same ``programmes`` check.
- ``<!-- doc-test: skip REASON -->``: not run, for the reason given (a store or tool the
  tests do not install, a benchmark, an install step, placeholders to fill in).

A block without a marker fails the test: a new example must say how it is checked.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MODES = ("run", "serve", "oxigraph", "virtuoso", "skip")

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
OXIGRAPH = [b for b in BLOCKS if b.mode == "oxigraph"]
VIRTUOSO = [b for b in BLOCKS if b.mode == "virtuoso"]


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
    from tests.serve.conftest import Served

    server = Served("--dist", str(built_dist))
    yield server
    server.stop()


# Servers a recipe starts in the foreground run in the background here, each waited for
# (its query endpoint answers) and stopped when the script ends.
PRELUDE = r"""set -euo pipefail
curl() { command curl --fail --silent --show-error "$@"; }
wait_http() {
  for _ in $(seq 600); do command curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "no answer from $1" >&2; return 1
}
oxigraph() {
  case "$1" in
    serve|serve-read-only) command oxigraph "$@" >/dev/null 2>&1 &
                           wait_http "$DOC_ENDPOINT?query=ASK%7B%7D" ;;
    *) command oxigraph "$@" ;;
  esac
}
virtuoso-t() {
  command virtuoso-t "$@" >/dev/null 2>&1 & wait_http "$DOC_ENDPOINT?query=ASK%7B%7D"
}
trap 'kill $(jobs -p) 2>/dev/null || true; wait' EXIT
"""


def run_script(script: str, cwd: Path, **env: str):
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env,
                   "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", "-c", PRELUDE + script], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=600)


def run_block(block: Block, cwd: Path, base_url: str | None = None):
    script = block.body
    if base_url:
        script = script.replace("http://127.0.0.1:8000", base_url)
    return run_script(script, cwd)


def programme_rows(cwd: Path, endpoint: str | None = None) -> list[str]:
    where = ["--endpoint", endpoint] if endpoint else ["--dist", str(cwd / "dist")]
    done = subprocess.run([sys.executable, "-m", "mc2cm_graph", "query", "programmes",
                           "--format", "csv", *where], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    return sorted(done.stdout.splitlines()[1:])


def check_recipe(script: str, endpoint: str, cwd: Path, name: str) -> None:
    """Run a store recipe, then the saved query ``programmes`` on the store it set up
    (while its servers still run): the rows the release gives, each once."""
    answer = cwd / "store-rows.csv"  # absolute: a recipe may cd elsewhere
    answer.unlink(missing_ok=True)
    done = run_script(script + f"\nmc2cm-graph query programmes --endpoint {endpoint} "
                      f"--format csv > {answer}\n", cwd, DOC_ENDPOINT=endpoint)
    assert done.returncode == 0, f"{name} failed:\n{done.stdout[-2000:]}\n{done.stderr}"
    rows = sorted(answer.read_text(encoding="utf-8").splitlines()[1:])
    assert rows == programme_rows(cwd), f"{name}: the store answers other rows"


@pytest.mark.parametrize("block", RUN, ids=[b.name for b in RUN])
def test_shell_block_runs_as_written(block, scratch, request):
    base_url = request.getfixturevalue("served").url if block.mode == "serve" else None
    if base_url is None:
        assert "127.0.0.1:8000" not in block.body, "a block that needs the server: mark it serve"
    done = run_block(block, scratch, base_url)
    assert done.returncode == 0, f"{block.name} failed:\n{done.stdout[-2000:]}\n{done.stderr}"
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("block", OXIGRAPH, ids=[b.name for b in OXIGRAPH])
def test_oxigraph_recipe_runs_as_written(block, scratch, tmp_path):
    from tests.oxigraph_server import free_port, oxigraph_binary

    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    port = free_port()
    (tmp_path / "srv").mkdir()
    script = block.body.replace("127.0.0.1:7878", f"127.0.0.1:{port}").replace(
        "/srv/", f"{tmp_path}/srv/")
    check_recipe(script, f"http://127.0.0.1:{port}/query", scratch, block.name)


def test_virtuoso_recipe_runs_as_written(scratch, tmp_path):
    """Steps 2 to 4 of docs/server.md's Virtuoso recipe, in one shell."""
    from tests.oxigraph_server import free_port
    from tests.virtuoso_server import missing_reason, write_ini

    assert len(VIRTUOSO) == 3, [b.name for b in VIRTUOSO]
    if missing_reason():
        if os.environ.get("CI"):
            pytest.fail(missing_reason())
        pytest.skip(missing_reason())
    # The user's checkout: the recipe's files (the ini with free ports) and the release.
    checkout = tmp_path / "mc2cm-graph"
    shutil.copytree(ROOT / "deploy", checkout / "deploy")
    (checkout / "dist").symlink_to(scratch / "dist")
    sql, http = free_port(), free_port()
    write_ini(checkout / "deploy" / "virtuoso", sql, http)
    (tmp_path / "srv").mkdir()
    script = "\n".join(b.body for b in VIRTUOSO)
    for old, new in (("/path/to/mc2cm-graph", str(checkout)), ("/srv/", f"{tmp_path}/srv/"),
                     ("isql-vt 1111 ", f"isql-vt {sql} "),
                     ("localhost:8890", f"127.0.0.1:{http}"),
                     ("'PUBLISHER-PASSWORD'", "'doc-test-publisher'"),
                     ("'NEW-DBA-PASSWORD'", "'doc-test-dba'"),
                     ("MC2CM_STORE_PASSWORD=...", "MC2CM_STORE_PASSWORD=doc-test-publisher")):
        assert old in script, f"the recipe no longer says {old}"
        script = script.replace(old, new)
    # What docs/server.md says of the public endpoint: an INSERT DATA is a 500, not a 403.
    insert = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 1 } }"
    script += (f"\ncd {tmp_path}\n"
               "command curl -s -o insert-answer -w '%{http_code}' --data-urlencode "
               f"'query={insert}' http://127.0.0.1:{http}/sparql > insert-status\n"
               "command curl -s -H 'Accept: application/sparql-results+json' --data-urlencode "
               "'query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:g> { ?s ?p ?o } }' "
               f"http://127.0.0.1:{http}/sparql"
               " > insert-ask\n")
    check_recipe(script, f"http://127.0.0.1:{http}/sparql", scratch, "the Virtuoso recipe")
    assert (tmp_path / "insert-status").read_text() == "500"
    assert "SR186:SECURITY: No permission" in (tmp_path / "insert-answer").read_text()
    counted = json.loads((tmp_path / "insert-ask").read_text())["results"]["bindings"]
    assert [row["n"]["value"] for row in counted] == ["0"]  # nothing was written
