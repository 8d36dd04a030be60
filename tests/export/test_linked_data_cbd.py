"""Every per-IRI document of the release is its resource's Concise Bounded Description
(blank nodes followed to the end), checked against rdflib's own ``Graph.cbd``; the
ontology's documents are the source ontology, triple for triple, with the release's
version facts."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from mc2cm_graph.export.release import ontology_version_triples
from mc2cm_graph.export.static_ld import our_resources
from mc2cm_graph.query.describe import ONTOLOGY, describe_triples, graph_bytes
from mc2cm_graph.query.dist import open_store

ROOT = Path(__file__).resolve().parents[2]
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}
NESTED = """
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/mc2cm/id/programme/x>
    ex:chain ( ex:a [ ex:in ( 1 [ ex:deep "d"@en , "p"@fr ] ) ] ) ;
    ex:note [ rdfs:label "en"@en , "fr"@fr ; ex:loop _:loop ] ;
    ex:other <https://w3id.org/mc2cm/id/programme/y> .
_:loop ex:back _:loop ; rdfs:label "ar"@ar .
<https://w3id.org/mc2cm/id/programme/y> ex:own [ ex:not "in x's description" ] .
"""


def source_ontology() -> Graph:
    graph = Graph().parse(ROOT / "ontology" / "mc2cm.ttl")
    for triple in ontology_version_triples():
        graph.add(triple)
    return graph


@pytest.mark.parametrize("suffix", RDFLIB_FORMATS)
def test_ontology_documents_are_the_source_ontology(dist, suffix):
    released = Graph().parse(dist / f"ontology.{suffix}", format=RDFLIB_FORMATS[suffix])
    expected = source_ontology()
    assert len(released) == len(expected)
    assert isomorphic(released, expected)


def test_every_resource_document_is_its_cbd(dist):
    release = Graph().parse(dist / "mc2cm.nt", format="nt")
    resources = [r for r in our_resources(open_store(dist))
                 if r.iri != ONTOLOGY]
    assert len(resources) > 200
    for resource in resources:
        document = Graph().parse(dist / f"{resource.path}.nt", format="nt")
        assert isomorphic(document, release.cbd(URIRef(resource.iri))), resource.iri


def _store(text: str):
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.TURTLE)
    return store


def test_describe_follows_nested_blank_nodes_and_lists():
    """Lists inside blank nodes inside lists, and a blank node that points to itself."""
    store = _store(NESTED)
    iri = "https://w3id.org/mc2cm/id/programme/x"
    described = Graph().parse(data=graph_bytes(describe_triples(store, iri), "ntriples"),
                              format="nt")
    expected = Graph().parse(data=NESTED, format="turtle").cbd(URIRef(iri))
    assert len(described) == len(expected) == 19
    assert isomorphic(described, expected)


def test_the_one_pass_index_describes_as_the_store_does():
    """static_ld describes every resource from one pass over the store (SubjectIndex):
    the same triples, in the same order, as a pattern query per node."""
    from mc2cm_graph.query.describe import SubjectIndex

    store = _store(NESTED)
    iri = "https://w3id.org/mc2cm/id/programme/x"
    by_query = describe_triples(store, iri)
    assert len(by_query) == 19
    assert describe_triples(store, iri, triples_of=SubjectIndex(store)) == by_query


def test_describe_in_one_language_keeps_the_blank_nodes():
    store = _store(NESTED)
    iri = "https://w3id.org/mc2cm/id/programme/x"
    described = Graph().parse(data=graph_bytes(describe_triples(store, iri, "fr"), "ntriples"),
                              format="nt")
    expected = Graph().parse(data=NESTED, format="turtle").cbd(URIRef(iri))
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    deep = URIRef("https://example.org/deep")
    for literal in (Literal("en", lang="en"), Literal("d", lang="en")):
        expected.remove((None, None, literal))
    assert isomorphic(described, expected)
    assert {o for _, p, o in described if p in (label, deep)} == {
        Literal("fr", lang="fr"), Literal("p", lang="fr"), Literal("ar", lang="ar")}


def test_cbd_over_an_index_built_in_one_pass():
    """The contract exporters that index a whole graph once rely on: any ``triples_of``."""
    from rdflib import BNode

    from mc2cm_graph.query.describe import concise_bounded_description

    graph = Graph().parse(data=NESTED, format="turtle")
    index: dict = {}
    for triple in graph:
        index.setdefault(triple[0], []).append(triple)
    for iri in ("https://w3id.org/mc2cm/id/programme/x", "https://w3id.org/mc2cm/id/programme/y"):
        root = URIRef(iri)
        taken = concise_bounded_description([root, root], lambda n: index.get(n, []),
                                            lambda t: isinstance(t, BNode))
        assert len(taken) == len(set(taken))
        described = Graph()
        for triple in taken:
            described.add(triple)
        assert isomorphic(described, graph.cbd(root)), iri
