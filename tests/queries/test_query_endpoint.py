"""`--endpoint`: the same saved queries over HTTP on a real Oxigraph server give the same rows."""


import pytest

from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.query.catalogue import load_catalogue
from mc2cm_graph.query.run import run_query
from tests.oxigraph_server import free_port, load_into, oxigraph_binary, running_oxigraph
from tests.queries.test_query_params import SAMPLE

pytestmark = pytest.mark.skipif(oxigraph_binary() is None, reason="oxigraph server not installed")


@pytest.fixture(scope="module")
def endpoint(dist_dir, tmp_path_factory):
    location = tmp_path_factory.mktemp("oxigraph")
    load_into(location, dist_dir / "mc2cm.ttl")
    with running_oxigraph("serve-read-only", "--location", location) as base:
        yield f"{base}/query"


@pytest.mark.parametrize("name", sorted(load_catalogue()))
def test_remote_rows_equal_local_rows(engine, endpoint, name):
    query = load_catalogue()[name]
    values = {p.name: SAMPLE[p.name] for p in query.params}
    local = run_query(name, values, engine=engine)
    remote = run_query(name, values, endpoint=endpoint)
    assert remote.variables == local.variables
    assert normalised(remote.rows) == normalised(local.rows)
    assert remote.rows


# GROUP_CONCAT's order is up to the engine: compare those columns as sorted lists.
CONCATENATED = {"places": ", ", "cities": ", ", "targets": " ", "brochureLabel": " / "}


def normalised(rows):
    return [{k: (sorted(v.value.split(CONCATENATED[k])) if k in CONCATENATED and v else v)
             for k, v in row.items()} for row in rows]


def test_remote_injection_is_refused_before_sending(endpoint):
    with pytest.raises(Mc2cmError, match="parameter target"):
        run_query("programmes-by-target", {"target": '10.7" } ; DROP ALL ; #'}, endpoint=endpoint)


def test_unreachable_endpoint_is_a_clear_error():
    with pytest.raises(Mc2cmError, match="cannot reach"):
        run_query("external-links", endpoint=f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(Mc2cmError, match="not an HTTP"):
        run_query("external-links", endpoint="ftp://example.org/sparql")
