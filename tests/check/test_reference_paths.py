"""The reference engine's report names the path of a result on an alternative path
(``a|b``): the one property the data states the value with when the result has a value,
and the whole alternative when it has none (a count), even if the focus states only one
of the alternatives."""

from rdflib import Graph

from mc2cm_graph.check.reference import report_from_graph, shacl_results

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix mc2cm: <https://w3id.org/mc2cm/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<urn:test:shape> a sh:NodeShape ;
    sh:targetNode <urn:test:programme> ;
    sh:property [
        sh:path [ sh:alternativePath ( mc2cm:fundedBy mc2cm:implementedBy ) ] ;
        sh:maxCount 1 ; sh:nodeKind sh:IRI ] .
"""
DATA = """
@prefix mc2cm: <https://w3id.org/mc2cm/ontology#> .
<urn:test:programme> mc2cm:fundedBy <urn:test:eu> , "ICMPD" .
"""


def _violations():
    data = Graph().parse(data=DATA, format="turtle")
    shapes = Graph().parse(data=SHAPES, format="turtle")
    report = report_from_graph(shacl_results(data, shapes), data)
    return {v.constraint: v for v in report.violations}


def test_a_count_on_an_alternative_path_names_the_whole_path():
    count = _violations()["sh:MaxCountConstraintComponent"]
    assert count.value == "" and count.path == "mc2cm:fundedBy|mc2cm:implementedBy"


def test_a_value_on_an_alternative_path_names_the_property_that_states_it():
    kind = _violations()["sh:NodeKindConstraintComponent"]
    assert kind.value and kind.path == "mc2cm:fundedBy"
