"""What a worker answers (run in-process here): formats, and the row limit to the row."""

import json

import pyoxigraph as ox
import pytest

from mc2cm_graph.graph.errors import QueryError
from mc2cm_graph.query.budget import QueryLimits
from mc2cm_graph.query.pool import Answer, Job, answer
from mc2cm_graph.serve.errors import QUERY_ERROR_STATUS

E = "http://e/"


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    for i in range(3):
        s.add(ox.Quad(ox.NamedNode(f"{E}s{i}"), ox.NamedNode(f"{E}p"),
                      ox.Literal(f"line one\nline {i}")))
    return s


def outcome(store, job: Job) -> Answer | QueryError:
    try:
        return answer(store, job)
    except QueryError as err:
        return err


@pytest.mark.parametrize(("limit", "ok"), [(3, True), (2, False)])
def test_select_row_limit_is_exact(store, limit, ok):
    reply = outcome(store, Job("SELECT * WHERE { ?s ?p ?o }", "json",
                               limits=QueryLimits(max_results=limit)))
    assert isinstance(reply, Answer) is ok
    if ok:  # values with newlines survive the TSV row counting
        rows = json.loads(reply.body)["results"]["bindings"]
        assert sorted(r["o"]["value"] for r in rows)[0] == "line one\nline 0"
    else:
        assert QUERY_ERROR_STATUS[reply.kind] == 422 and "more than 2 rows" in reply.message


@pytest.mark.parametrize(("limit", "ok"), [(3, True), (2, False)])
def test_construct_triple_limit_is_exact(store, limit, ok):
    job = Job("CONSTRUCT WHERE { ?s ?p ?o }", graph_format="ntriples",
              limits=QueryLimits(max_results=limit))
    reply = outcome(store, job)
    assert isinstance(reply, Answer) is ok
    if not ok:
        assert reply.kind == "too-large" and "more than 2 triples" in reply.message


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_ask_in_every_results_format(store, fmt):
    reply = answer(store, Job("ASK { ?s ?p ?o }", fmt, limits=QueryLimits(max_results=10)))
    assert reply.format == fmt and b"true" in reply.body


def test_syntax_error_is_400(store):
    reply = outcome(store, Job("SELECT WHERE", "json", limits=QueryLimits(max_results=10)))
    assert isinstance(reply, QueryError) and QUERY_ERROR_STATUS[reply.kind] == 400
    assert "syntax error" in reply.message
