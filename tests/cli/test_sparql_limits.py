"""Issue 21 item 10: `mc2cm-graph sparql` on the local graph runs under the server's limits
by default (a time limit, a memory budget), with --no-limits to lift them."""

import io
import time

from mc2cm_graph.cli import main

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HUNGRY = "SELECT * { ?s ?p ?o . ?s2 ?p2 ?o2 . ?s3 ?p3 ?o3 } ORDER BY ?o3 LIMIT 1"


def run(capsys, monkeypatch, query: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(query))
    code = main(["sparql", *args, "-"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_runaway_query_is_stopped_at_the_time_limit(built_dist, capsys, monkeypatch):
    started = time.monotonic()
    code, _, err = run(capsys, monkeypatch, RUNAWAY, "--dist", str(built_dist),
                       "--timeout", "2")
    assert code == 2 and "ran longer than 2 s" in err and "--no-limits" in err
    assert time.monotonic() - started < 20


def test_a_memory_hungry_query_is_a_clear_error(built_dist, capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, HUNGRY, "--dist", str(built_dist),
                       "--query-memory", "32", "--timeout", "30")
    assert code == 2 and "needed more than 32 MB" in err


def test_without_limits_and_within_them_the_answer_is_the_same(built_dist, capsys,
                                                               monkeypatch):
    query = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    limited = run(capsys, monkeypatch, query, "--dist", str(built_dist), "--format", "csv")
    free = run(capsys, monkeypatch, query, "--dist", str(built_dist), "--format", "csv",
               "--no-limits")
    assert limited[0] == free[0] == 0 and limited[1] == free[1]
    assert int(limited[1].split()[-1]) > 1000
