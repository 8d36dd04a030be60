"""The store as the one working graph: loaded once with every check, the release written
from it, rdflib reading it through oxrdflib, literals in canonical form."""

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.literals import non_canonical_literals
from mc2cm_graph.graph.namespaces import MC2CM, PROGRAMME
from mc2cm_graph.graph.store import (
    DATA_GRAPH,
    RELEASE_GRAPHS,
    SDG_SLICE_GRAPH,
    load_store,
)

HEAD = b"@prefix ex: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"


def _quads(turtle: bytes):
    return list(ox.parse(HEAD + turtle, format=ox.RdfFormat.TURTLE))


@pytest.mark.parametrize("written, canonical", [
    (b'"34.00"^^xsd:decimal', "34"), (b"31.80", "31.8"), (b'"+5"^^xsd:integer', "5"),
    (b'"007"^^xsd:integer', "7"), (b'"1"^^xsd:boolean', "true"), (b"1.5e3", "1500"),
])
def test_non_canonical_literals_are_found(written, canonical):
    found = non_canonical_literals(_quads(b"ex:a ex:p " + written + b" ."), paths.DATA_DIR)
    assert [f.canonical for f in found] == [canonical]


@pytest.mark.parametrize("written", [
    b'"34"^^xsd:decimal', b"31.8", b"5", b"-7", b"0", b"true", b'"2020-01-01"^^xsd:date',
    b'"x"', b'"x"@en', b'"01.01"^^<http://metadata.un.org/sdg/ontology#SDGCode>',
])
def test_canonical_literals_pass(written):
    assert non_canonical_literals(_quads(b"ex:a ex:p " + written + b" ."), paths.DATA_DIR) == []


def test_the_projects_typed_literals_are_canonical():
    assert load_store().non_canonical == []


def _with_places(tmp_path, places: bytes):
    data = tmp_path / "data"
    data.mkdir()
    for path in paths.data_files(paths.DATA_DIR):
        target = data / path.relative_to(paths.DATA_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        content = path.read_bytes()
        target.write_bytes(places(content) if path.name == "places.ttl" else content)
    return data


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_a_non_canonical_decimal_is_a_qc_violation(tmp_path, engine):
    from mc2cm_graph.check.run import validate_project

    data = _with_places(tmp_path, lambda c: c.replace(b'"34"^^xsd:decimal',
                                                      b'"34.00"^^xsd:decimal', 1))
    report = validate_project(data, engine=engine)
    rows = [v for v in report.violations if v.constraint == "qc:typed-literal-canonical"]
    assert [(v.focus, v.path, v.value) for v in rows] == [("country:tunisia", "geo:lat", "34.00")]
    assert "write '34'" in rows[0].message
    assert re.search(r"/data/\w+\.ttl:\d+", report.text())  # where the resource is described


def test_a_resource_in_two_files_is_refused(tmp_path):
    data = _with_places(tmp_path, lambda c: c)
    copy = data / "programmes" / "zz-copy.ttl"
    copy.write_bytes(next((data / "programmes").glob("01-*.ttl")).read_bytes())
    with pytest.raises(Mc2cmError) as err:
        load_store(data)
    assert "defined" in str(err.value) and "zz-copy.ttl" in str(err.value)


def test_a_syntax_error_names_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(Mc2cmError) as err:
        load_store(data_files=[bad])
    assert err.value.line == 2 and "bad.ttl" in str(err.value)


def test_blank_nodes_get_the_same_names_every_load():
    def blank_triples(store):
        return sorted(str(q) for q in store.store if isinstance(q.subject, ox.BlankNode))

    first, second = blank_triples(load_store()), blank_triples(load_store())
    assert first and first == second


def test_sdg_slice_holds_the_used_targets_their_goals_and_indicators_only():
    project = load_store()
    project.add_sdg_slice()
    concepts = {q.subject.value for q in project.quads(SDG_SLICE_GRAPH)}
    used = {q.object.value for q in project.store.quads_for_pattern(
        None, ox.NamedNode(str(MC2CM.contributesToTarget)), None, DATA_GRAPH)}
    indicator = ox.NamedNode("http://metadata.un.org/sdg/ontology#Indicator")
    indicators = {q.subject.value for q in project.store.quads_for_pattern(
        None, ox.NamedNode(str(RDF.type)), indicator, SDG_SLICE_GRAPH)}
    goals = {c for c in concepts if c not in used | indicators}
    assert used <= concepts and goals and indicators
    assert all(c.rsplit("/", 1)[1].isdigit() for c in goals)  # sdg:10, not sdg:10.7
    # every indicator is one of a used target (skos:broader), and every used target's
    # indicators in the vocabulary are there
    broader = ox.NamedNode(str(SKOS.broader))
    for c in indicators:
        targets = {q.object.value for q in project.store.quads_for_pattern(
            ox.NamedNode(c), broader, None, SDG_SLICE_GRAPH)}
        assert targets & used, c
    expected = {q.subject.value for t in used for q in project.store.quads_for_pattern(
        None, broader, ox.NamedNode(t), None)
        if (q.subject.value.rsplit("/", 1)[1].startswith("C"))}
    assert indicators == expected
    assert "http://metadata.un.org/sdg/C100702" in indicators  # 10.7.2


def test_rdflib_graph_reads_the_store_without_a_copy(built_dist):
    """What a notebook gets: an rdflib Graph over the store (oxrdflib), holding the
    release that dist/mc2cm.ttl holds."""
    from mc2cm_graph.export.pipeline import prepare_release

    project = prepare_release(load_store())
    graph = project.rdflib_graph(*RELEASE_GRAPHS)
    released = Graph().parse(built_dist / "mc2cm.ttl")
    assert len(set(graph)) == len(released)
    assert isomorphic(Graph().__iadd__((s, p, _plain(o)) for s, p, o in graph), released)
    targets = set(graph.objects(PROGRAMME["sfax-acmals"], MC2CM.contributesToTarget))
    assert len(targets) == 4
    before = len(project.store)
    project.rdflib_graph().add((PROGRAMME["x"], MC2CM.objective, Literal("x", lang="en")))
    assert len(project.store) == before + 1  # writes reach the same store


def _plain(term):
    # oxrdflib gives "x"^^xsd:string where rdflib's parser gives "x": one RDF 1.1 term.
    from rdflib.namespace import XSD

    return Literal(str(term)) if isinstance(term, Literal) and term.datatype == XSD.string \
        else term
