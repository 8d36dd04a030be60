"""The main job end to end: build writes a graph that parses and holds the programmes."""

from rdflib import Graph
from rdflib.namespace import RDF

from mc2cm_graph.build import build
from mc2cm_graph.graph.namespaces import MC2CM


def test_build_writes_parseable_graph_with_programmes(tmp_path):
    out = tmp_path / "dist"
    result = build(out_dir=out)
    assert result.report.conforms
    graph = Graph().parse(out / "mc2cm.ttl")
    programmes = set(graph.subjects(RDF.type, MC2CM.Programme))
    assert len(programmes) >= 1
    assert (out / "validation-report.txt").read_text().startswith("Validation: conforms")
