"""What a worker answers (run in-process here): formats, and the row limit to the row."""

import json

import pyoxigraph as ox
import pytest

from mc2cm_graph.query.pool import Job, answer

E = "http://e/"


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    for i in range(3):
        s.add(ox.Quad(ox.NamedNode(f"{E}s{i}"), ox.NamedNode(f"{E}p"),
                      ox.Literal(f"line one\nline {i}")))
    return s


@pytest.mark.parametrize(("limit", "ok"), [(3, True), (2, False)])
def test_select_row_limit_is_exact(store, limit, ok):
    reply = answer(store, Job("SELECT * WHERE { ?s ?p ?o }", "json", max_results=limit))
    assert (reply[0] == "ok") is ok
    if ok:  # values with newlines survive the TSV row counting
        rows = json.loads(reply[2])["results"]["bindings"]
        assert sorted(r["o"]["value"] for r in rows)[0] == "line one\nline 0"
    else:
        assert reply[1] == 422 and "more than 2 rows" in reply[2]


@pytest.mark.parametrize(("limit", "ok"), [(3, True), (2, False)])
def test_construct_triple_limit_is_exact(store, limit, ok):
    job = Job("CONSTRUCT WHERE { ?s ?p ?o }", graph_format="ntriples", max_results=limit)
    reply = answer(store, job)
    assert (reply[0] == "ok") is ok
    if not ok:
        assert "more than 2 triples" in reply[2]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_ask_in_every_results_format(store, fmt):
    reply = answer(store, Job("ASK { ?s ?p ?o }", fmt, max_results=10))
    assert reply[:2] == ("ok", fmt) and b"true" in reply[2]


def test_syntax_error_is_400(store):
    reply = answer(store, Job("SELECT WHERE", "json", max_results=10))
    assert reply[:2] == ("error", 400) and "syntax error" in reply[2]
