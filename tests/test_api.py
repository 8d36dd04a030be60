"""The public Python API (mc2cm_graph.api, re-exported at the package's top level): a
release read from dist/ or built in memory, saved queries and any SPARQL on it, the same
calls on a real Oxigraph server, and the error tree."""

from __future__ import annotations

import datetime
import doctest
import shutil
from decimal import Decimal

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

import mc2cm_graph as mc
from mc2cm_graph.api import python_value
from tests.oxigraph_server import load_into, oxigraph_binary, running_oxigraph

MC2CM = "https://w3id.org/mc2cm/ontology#"
SFAX = "https://w3id.org/mc2cm/id/programme/sfax-acmals"


@pytest.fixture(scope="module")
def release(built_dist):
    return mc.load(built_dist)


def test_public_names_are_exported_and_documented():
    for name in mc.__all__:
        value = getattr(mc, name)
        assert value.__doc__, f"mc2cm_graph.{name} has no docstring"
    assert "load" in dir(mc)
    with pytest.raises(AttributeError):
        mc.no_such_name  # noqa: B018


def test_release_read_from_dist_is_the_built_file(release, built_dist):
    assert "read from" in release.origin
    on_disk = ox.Store()
    on_disk.bulk_load(path=str(built_dist / "mc2cm.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(release.store) == len(on_disk)
    assert len(release.graph) == len(on_disk)  # rdflib over the same store, no copy


def test_release_built_in_memory_equals_the_built_file(built_dist):
    """No dist/: the project loaded, validated and prepared as the build does."""
    from mc2cm_graph.graph import paths

    in_memory = mc.load(data=paths.DATA_DIR)
    assert in_memory.origin.startswith("built in memory")
    built = rdflib.Graph().parse(built_dist / "mc2cm.ttl")
    dumped = in_memory.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    assert isomorphic(rdflib.Graph().parse(data=dumped, format="nt"), built)


def test_saved_query_rows_are_python_values(release):
    table = release.query("programmes-by-target", target="10.7", lang="en")
    assert len(table) == 6  # the brochure links six programmes to 10.7
    assert SFAX in table.column("programme")
    assert all(isinstance(p, int) for p in table.column("position"))
    arabic = release.query("programmes-by-target", target="١٠.٧", lang="ar")
    assert arabic.column("programme") == table.column("programme")
    assert "صفاقس" in arabic.column("places")


def test_same_rows_as_the_query_layer(release):
    from mc2cm_graph.query.engine import LocalEngine
    from mc2cm_graph.query.run import run_query

    direct = run_query("programmes", engine=LocalEngine(release.store))
    table = release.query("programmes")
    assert table.column("programme") == direct.values("programme")
    assert len(table) == 15


def test_sparql_gives_a_table_a_bool_or_a_graph(release):
    count = release.sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p a <{MC2CM}Programme> }}")
    assert count.rows == [{"n": 15}]
    assert release.sparql(f"ASK {{ <{SFAX}> a <{MC2CM}Programme> }}") is True
    assert release.sparql("ASK { <urn:x:nothing> ?p ?o }") is False
    graph = release.sparql(f"CONSTRUCT {{ <{SFAX}> ?p ?o }} WHERE {{ <{SFAX}> ?p ?o }}")
    assert isinstance(graph, rdflib.Graph)
    expected = rdflib.Graph()
    for p, o in release.graph.predicate_objects(rdflib.URIRef(SFAX)):
        expected.add((rdflib.URIRef(SFAX), p, _rdf11(o)))
    assert len(graph) > 5 and isomorphic(graph, expected)


def _rdf11(term):
    """A literal typed xsd:string as the plain literal it is in RDF 1.1 (oxrdflib writes
    the datatype, rdflib's N-Triples parser does not)."""
    if isinstance(term, rdflib.Literal) and term.datatype == rdflib.XSD.string:
        return rdflib.Literal(str(term))
    return term


def test_table_shapes(release, tmp_path):
    table = release.query("programmes-by-target", target="10.7", lang="ar")
    frame = table.to_pandas()
    assert list(frame.columns) == table.variables and len(frame) == len(table)
    text = table.to_csv(tmp_path / "t.csv", bom=True)
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw[3:].decode("utf-8") == text
    assert text.splitlines()[0].split(",") == table.variables
    html = table._repr_html_()
    assert html.count("<tr>") == len(table) + 1 and 'dir="auto"' in html
    assert list(table)[0] == table[0] and repr(table).startswith("<Table 6 rows")


@pytest.mark.parametrize(("term", "value"), [
    (ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), 7),
    (ox.Literal("1.50", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
     Decimal("1.50")),
    (ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
     True),
    (ox.Literal("2021-09-15", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
     datetime.date(2021, 9, 15)),
    (ox.Literal("x7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), "x7"),
    (ox.Literal("عمّان", language="ar"), "عمّان"),
    (ox.NamedNode(SFAX), SFAX),
    (None, None),
])
def test_python_values(term, value):
    converted = python_value(term)
    assert converted == value and type(converted) is type(value)


def test_errors_form_one_tree(release, tmp_path):
    with pytest.raises(mc.ParameterError, match="unknown parameter"):
        release.query("programmes-by-target", nonsense="1")
    with pytest.raises(mc.ParameterError):
        release.query("programmes-by-target", target="99.99")
    with pytest.raises(mc.QueryError) as caught:
        release.sparql("SELECT * WHERE {\n  ?s ?p }")
    assert "2:10" in str(caught.value)  # line and column of the error
    with pytest.raises(mc.Mc2cmError, match="unknown query"):
        release.query("no-such-query")
    with pytest.raises(mc.QueryError, match="no variable"):
        release.query("programmes").column("nope")
    assert issubclass(mc.ValidationError, mc.DataError)
    assert issubclass(mc.EndpointError, mc.QueryError)
    assert issubclass(mc.OutputError, mc.Mc2cmError)


def test_bad_data_raises_validation_error(tmp_path):
    from mc2cm_graph.graph import paths

    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    programme = sorted((data / "programmes").glob("01-*.ttl"))[0]
    text = programme.read_text(encoding="utf-8")
    programme.write_text(text.replace("mc2cm:hasActivity", "mc2cm:hasActivityX", 1),
                         encoding="utf-8")
    with pytest.raises(mc.ValidationError, match="validation failed"):
        mc.load(data=data)


def test_external_facts_in_named_graphs(built_dist):
    release = mc.load(built_dist, external=True)
    graphs = release.sparql("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert graphs.rows[0]["n"] >= 1
    assert len(mc.load(built_dist).store) < len(release.store)


def test_load_without_external_facts_says_so(built_dist, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    shutil.copy(built_dist / "mc2cm.ttl", dist)
    with pytest.raises(mc.Mc2cmError, match="outside facts"):
        mc.load(dist, external=True)


@pytest.mark.skipif(oxigraph_binary() is None, reason="oxigraph server not installed")
def test_same_calls_on_a_real_oxigraph_server(release, built_dist, tmp_path):
    location = tmp_path / "store"
    load_into(location, built_dist / "mc2cm.ttl")
    with running_oxigraph("serve-read-only", "--location", location) as url:
        remote = mc.connect(f"{url}/query")
        for name, params in [("programmes", {}), ("programmes-by-target", {"target": "10.7"}),
                             ("programmes-by-place", {"place": "عمّان", "lang": "ar"})]:
            assert remote.query(name, **params).rows == release.query(name, **params).rows
        query = f"CONSTRUCT {{ <{SFAX}> ?p ?o }} WHERE {{ <{SFAX}> ?p ?o }}"
        assert isomorphic(remote.sparql(query), release.sparql(query))
        assert remote.sparql("ASK { ?s ?p ?o }") is True
    with pytest.raises(mc.EndpointError, match="cannot reach"):
        mc.connect(f"{url}/query", timeout=2).query("programmes")


def test_module_examples_run():
    import mc2cm_graph.api

    failures, tried = doctest.testmod(mc2cm_graph.api, raise_on_error=False)[:2]
    assert tried >= 3 and failures == 0
