"""The path past one store (docs/server.md, "The path to billions"): QLever builds its
index from our N-Triples and answers the saved queries as the embedded store does. QLever
is not packaged in PyPI, Debian or npm, so this test runs where its native binaries are on
PATH (`qlever-index` and `qlever-server`, or the older `IndexBuilderMain` and
`ServerMain`) and is skipped, saying so, where they are not."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from mc2cm_graph.query.dist import open_store
from mc2cm_graph.query.engine import LocalEngine
from mc2cm_graph.query.run import run_query
from mc2cm_graph.query.saved import load_catalogue
from tests.oxigraph_server import free_port, wait_for_port
from tests.query.test_query_endpoint import comparable
from tests.query.test_query_params import SAMPLE


def _binary(*names: str) -> str | None:
    return next((path for path in map(shutil.which, names) if path), None)


INDEX = _binary("qlever-index", "IndexBuilderMain")
SERVER = _binary("qlever-server", "ServerMain")

pytestmark = pytest.mark.skipif(
    INDEX is None or SERVER is None,
    reason="QLever's binaries (qlever-index/qlever-server) are not installed: QLever is in "
           "no registry this project installs from; docs/server.md says how to run it")


@pytest.fixture(scope="module")
def qlever_endpoint(built_dist, tmp_path_factory):
    folder = tmp_path_factory.mktemp("qlever")
    subprocess.run([INDEX, "-i", str(folder / "mc2cm"), "-f",
                    str(built_dist / "mc2cm.nt"), "-F", "nt"],
                   check=True, capture_output=True, cwd=folder)
    port = free_port()
    process = subprocess.Popen([SERVER, "-i", str(folder / "mc2cm"), "-p", str(port),
                                "-m", "2G"], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, 60, process)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.kill()
        process.wait(10)


@pytest.mark.parametrize("name", sorted(load_catalogue()))
def test_saved_queries_on_qlever(qlever_endpoint, built_dist, name):
    query = load_catalogue()[name]
    values = {p.name: SAMPLE[p.name] for p in query.params if p.name != "lang"}
    local = run_query(name, values, engine=LocalEngine(open_store(built_dist)))
    remote = run_query(name, values, endpoint=qlever_endpoint)
    assert comparable(name, remote) == comparable(name, local)
