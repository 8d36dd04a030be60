"""The ontology's IRI, served: the same triples as ontology/mc2cm.ttl (with the release's
version facts) in every RDF format, its property chain and union domain whole, also when
the literals are kept to one language."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDFS

from tests.export.test_linked_data_cbd import source_ontology
from tests.serve.conftest import http

MC2CM = "https://w3id.org/mc2cm/ontology#"
FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt",
           "application/ld+json": "json-ld"}


@pytest.mark.parametrize("accept", FORMATS)
def test_served_ontology_is_the_source_ontology(server, accept):
    status, _, body = http(f"{server.url}/ontology", headers={"Accept": accept})
    assert status == 200
    served = Graph().parse(data=body, format=FORMATS[accept])
    assert isomorphic(served, source_ontology())


def test_served_ontology_in_one_language_keeps_its_lists(server):
    body = http(f"{server.url}/ontology.ttl?lang=fr")[2]
    graph = Graph().parse(data=body, format="turtle")
    chain = graph.value(URIRef(MC2CM + "contributesToGoal"), OWL.propertyChainAxiom)
    assert [str(p) for p in Collection(graph, chain)] == [
        MC2CM + "contributesToTarget", "http://www.w3.org/2004/02/skos/core#broader"]
    domain = graph.value(URIRef(MC2CM + "involvesPlace"), RDFS.domain)
    union = Collection(graph, graph.value(domain, OWL.unionOf))
    assert [str(c) for c in union] == [MC2CM + "Programme", MC2CM + "Activity",
                                       MC2CM + "Outcome"]
    assert {label.language for label in graph.objects(URIRef(MC2CM + "Programme"),
                                                       RDFS.label)} == {"fr"}
