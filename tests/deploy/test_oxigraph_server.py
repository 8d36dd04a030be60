"""Past one machine: a synthetic release loaded into a real Oxigraph server answers the
same SPARQL as the embedded store. The server is started on 127.0.0.1 and stopped here."""

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from mc2cm_graph.build import build
from mc2cm_graph.graph.synth import synthesise
from tests.oxigraph_server import load_into, oxigraph_binary, running_oxigraph

pytestmark = pytest.mark.skipif(oxigraph_binary() is None, reason="no oxigraph binary")

PROGRAMMES_PER_GOAL = """
PREFIX mc2cm: <https://w3id.org/mc2cm/ontology#>
SELECT ?goal (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p mc2cm:contributesToGoal ?goal }
GROUP BY ?goal ORDER BY ?goal"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("server")
    synthesise(work / "data", 200, seed=4)
    build(work / "data", work / "dist", reason=True)
    release = work / "dist" / "mc2cm.ttl"
    load_into(work / "db", release)
    subprocess.run([oxigraph_binary(), "optimize", "--location", work / "db"], check=True,
                   capture_output=True)
    with running_oxigraph("serve-read-only", "--location", work / "db") as base:
        yield f"{base}/query", release


def _remote_rows(endpoint: str, query: str) -> list[tuple[str, int]]:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    bindings = client.queryAndConvert()["results"]["bindings"]
    return [(b["goal"]["value"], int(b["n"]["value"])) for b in bindings]


def _cli(*args) -> str:
    done = subprocess.run([sys.executable, "-m", "mc2cm_graph", *args], capture_output=True,
                          text=True, check=True, cwd=Path(__file__).resolve().parents[2])
    return done.stdout


@pytest.mark.parametrize("name, params", [("programmes-by-goal", ["--param", "goal=10"]),
                                          ("target-coverage", [])])
def test_same_command_on_the_server_and_the_local_release(server, name, params):
    endpoint, release = server
    local = _cli("query", name, *params, "--format", "csv", "--dist", str(release.parent))
    remote = _cli("query", name, *params, "--format", "csv", "--endpoint", endpoint)
    assert _lists_as_sets(remote) == _lists_as_sets(local)
    assert len(local.splitlines()) > 2  # a header and rows: the comparison is not vacuous


def _lists_as_sets(text: str) -> list[list]:
    """CSV rows, a GROUP_CONCAT column (``targets``: notations joined by spaces, in an order
    SPARQL leaves to the engine) as the set of its values (docs/queries.md)."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    lists = {i for i, name in enumerate(rows[0]) if name == "targets"}
    return [[frozenset(cell.split()) if i in lists else cell for i, cell in enumerate(row)]
            for row in rows]


def test_server_answers_like_the_embedded_store(server):
    endpoint, release = server
    store = ox.Store()
    store.load(path=str(release), format=ox.RdfFormat.TURTLE)
    local = [(row["goal"].value, int(row["n"].value)) for row in store.query(PROGRAMMES_PER_GOAL)]
    remote = _remote_rows(endpoint, PROGRAMMES_PER_GOAL)
    assert remote == local
    assert sum(n for _goal, n in remote) >= 200  # every programme reaches a goal
