"""What a worker answers (run in-process here): formats, and the row limit to the row."""

import json
import time

import pyoxigraph as ox
import pytest

from mc2cm_graph.graph.errors import QueryError
from mc2cm_graph.query.budget import QueryLimits
from mc2cm_graph.query.pool import Answer, Job, QueryPool, answer
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


def test_a_pool_with_every_worker_occupied_past_the_wait_answers_503(built_dist):
    """One worker held by a runaway query: a second job that waits 0.5 s for it is refused
    as busy, which the server answers 503 with Retry-After (the pool's time limit)."""
    import threading

    from mc2cm_graph.serve.errors import from_query_error
    from tests.serve.test_public_endpoint import RUNAWAY

    limits = QueryLimits(timeout=4, max_results=10)
    pool = QueryPool(built_dist, workers=1, limits=limits).start()
    try:
        runaway = threading.Thread(target=outcome_of, args=(pool, Job(RUNAWAY, "json",
                                                                      limits=limits)))
        runaway.start()
        time.sleep(0.5)  # the runaway has the worker (it runs for its 4 s)
        refused = outcome_of(pool, Job("ASK {}", "json", limits=limits), wait=0.5)
        runaway.join(30)
    finally:
        pool.close()
    assert isinstance(refused, QueryError) and refused.kind == "busy", refused
    answer = from_query_error(refused)
    assert answer.status == 503 and answer.headers == {"Retry-After": "4"}
    assert "all 1 query workers stayed occupied for 0.5 s" in answer.message


def outcome_of(pool, job: Job, wait: float | None = None):
    try:
        return pool.run(job, wait=wait)
    except QueryError as err:
        return err
