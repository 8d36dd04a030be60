"""The release's per-resource files hold what the server answers for the same IRI: for
every IRI of ours and each RDF format, the file and the server's answer are isomorphic."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from mc2cm_graph.export.static_ld import our_resources
from mc2cm_graph.query.dist import open_store
from tests.serve.conftest import http

FORMATS = {"ttl": ("text/turtle", "turtle"), "jsonld": ("application/ld+json", "json-ld"),
           "nt": ("application/n-triples", "nt")}


@pytest.fixture(scope="module")
def resources(built_dist):
    return our_resources(open_store(built_dist))


@pytest.mark.parametrize("suffix", FORMATS)
def test_files_equal_the_servers_answers(server, built_dist, resources, suffix):
    media_type, rdflib_format = FORMATS[suffix]
    kinds = set()
    for resource in resources:
        status, headers, body = http(f"{server.url}/{resource.path}",
                                     headers={"Accept": media_type})
        assert status == 200, resource.iri
        served = Graph().parse(data=body, format=rdflib_format, publicID=resource.iri)
        static = Graph().parse(built_dist / f"{resource.path}.{suffix}", format=rdflib_format)
        assert len(static) > 0 and isomorphic(served, static), resource.iri
        kinds.add(resource.kind)
    assert {"ontology", "programme", "activity", "outcome", "city", "country", "theme",
            "activity-type", "organisation", "project", "source", "scheme"} <= kinds
