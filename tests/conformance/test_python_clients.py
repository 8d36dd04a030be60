"""Python clients researchers use, against the real server: SPARQLWrapper over its whole
matrix (query form x return format x GET / POST form / POST direct), rdflib's SPARQLStore,
and sparql-dataframe (pandas). Answers are compared with rdflib's own SPARQL engine run on
the released mc2cm.ttl: another engine, the same data."""

from __future__ import annotations

import csv
import io
import json
import xml.dom.minidom
from collections import Counter

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from tests.conformance.conftest import ASK_FALSE, ASK_TRUE, CONSTRUCT, DESCRIBE, SELECT, SFAX

METHODS = ["GET", "POST form", "POST direct"]
ROW_FORMATS = ["json", "xml", "csv", "tsv"]
GRAPH_FORMATS = ["xml", "rdf+xml", "turtle", "n3", "json-ld", "json"]


def wrapper(endpoint, query: str, fmt: str, method: str):
    from SPARQLWrapper import GET, POST, POSTDIRECTLY, URLENCODED, SPARQLWrapper

    client = SPARQLWrapper(endpoint.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(GET if method == "GET" else POST)
    client.setRequestMethod(POSTDIRECTLY if method == "POST direct" else URLENCODED)
    return client.query().convert()


def rows_of(fmt: str, converted) -> list[tuple[str, str]]:
    """(programme, position) rows from what SPARQLWrapper's convert() gives per format."""
    if fmt == "json":
        return [(b["programme"]["value"], b["position"]["value"])
                for b in converted["results"]["bindings"]]
    if fmt == "xml":
        return [tuple(next(b.getElementsByTagName(tag)[0].firstChild.data
                           for b in result.getElementsByTagName("binding")
                           if b.getAttribute("name") == name)
                      for name, tag in (("programme", "uri"), ("position", "literal")))
                for result in converted.getElementsByTagName("result")]
    text = converted.decode("utf-8")
    if fmt == "csv":
        return [(r["programme"], r["position"]) for r in csv.DictReader(io.StringIO(text))]
    lines = [line.split("\t") for line in text.splitlines()]  # TSV: terms in SPARQL syntax
    assert lines[0] == ["?programme", "?position"]
    return [(_tsv_term(p), _tsv_term(pos)) for p, pos in lines[1:]]


def _tsv_term(text: str) -> str:
    """The value of a TSV results term: ``<iri>``, ``"1"^^<...>`` or a bare ``1``."""
    text = text.strip()
    if text.startswith("<"):
        return text[1:-1]
    return str(Literal.from_n3(text)) if text.startswith('"') else text


def boolean_of(fmt: str, converted) -> bool:
    if fmt == "json":
        return converted["boolean"]
    if fmt == "xml":
        assert isinstance(converted, xml.dom.minidom.Document)
        return converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    return converted.decode("utf-8").splitlines()[-1].strip() == "true"


def graph_of(fmt: str, converted) -> Graph:
    if isinstance(converted, Graph):
        return converted
    if isinstance(converted, (dict, list)):  # json: JSON-LD, handed over as parsed JSON
        return Graph().parse(data=json.dumps(converted), format="json-ld")
    rdflib_format = {"turtle": "turtle", "n3": "turtle"}[fmt]
    return Graph().parse(data=converted, format=rdflib_format)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", ROW_FORMATS)
def test_sparqlwrapper_select(endpoint, expected_rows, fmt, method):
    assert rows_of(fmt, wrapper(endpoint, SELECT, fmt, method)) == expected_rows


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", ROW_FORMATS)
def test_sparqlwrapper_ask(endpoint, reference, fmt, method):
    assert reference.query(ASK_TRUE).askAnswer and not reference.query(ASK_FALSE).askAnswer
    assert boolean_of(fmt, wrapper(endpoint, ASK_TRUE, fmt, method)) is True
    assert boolean_of(fmt, wrapper(endpoint, ASK_FALSE, fmt, method)) is False


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_sparqlwrapper_construct(endpoint, reference, fmt, method):
    expected = reference.query(CONSTRUCT).graph
    assert len(expected) > 20
    assert isomorphic(graph_of(fmt, wrapper(endpoint, CONSTRUCT, fmt, method)), expected)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_sparqlwrapper_describe(endpoint, reference, fmt, method):
    """DESCRIBE's extent is the engine's choice; the resource's own triples are in it."""
    described = graph_of(fmt, wrapper(endpoint, DESCRIBE, fmt, method))
    own = reference.query(CONSTRUCT).graph
    # its target links are blank nodes, named anew by each parse: compared without names
    assert _unnamed(own) <= _unnamed(described)


def _unnamed(triples) -> Counter:
    """The triples as a multiset, every blank node written the same (its name is the
    parser's)."""
    def term(node):
        return "_:b" if isinstance(node, BNode) else node

    return Counter((term(s), p, term(o)) for s, p, o in triples)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_rdflib_sparqlstore(endpoint, reference, expected_rows, method):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(endpoint.url + "/sparql", method=method)
    remote = Graph(store=store)
    try:
        rows = [(str(r.programme), str(r.position)) for r in remote.query(SELECT)]
        assert rows == expected_rows
        assert remote.query(ASK_TRUE).askAnswer is True
        assert isomorphic(remote.query(CONSTRUCT).graph, reference.query(CONSTRUCT).graph)
        # Graph API calls become SPARQL too: triples(), value(), len().
        subject = URIRef(SFAX)
        assert _unnamed(remote.triples((subject, None, None))) == \
            _unnamed(reference.triples((subject, None, None)))
        assert len(remote) == len(reference)
    finally:
        store.close()


@pytest.mark.parametrize("post", [False, True])
def test_sparql_dataframe(endpoint, expected_rows, post):
    import pandas as pd
    import sparql_dataframe

    frame = sparql_dataframe.get(endpoint.url + "/sparql", SELECT, post=post)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["programme", "position"]
    assert [(p, str(n)) for p, n in frame.itertuples(index=False)] == expected_rows
    assert frame["position"].dtype.kind == "i"  # pandas read the numbers as numbers
