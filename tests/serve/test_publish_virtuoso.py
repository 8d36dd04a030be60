"""`mc2cm-graph publish` into a real Virtuoso set up by docs/server.md's recipe
(deploy/virtuoso/virtuoso.ini and setup.sql): HTTP Digest with the publishing user, one
copy after two publishes, and clear errors when Virtuoso is down or refuses. Each step of
the recipe is checked here too: the accounts, the read-only public endpoint."""

import json
import urllib.parse

import pytest

from mc2cm_graph.publish import DEFAULT_GRAPH
from tests.oxigraph_server import free_port
from tests.serve.conftest import http
from tests.serve.test_publish import file_triples, publish_cli
from tests.virtuoso_server import PUBLISHER, run_isql


def count(sparql: str, graph: str = DEFAULT_GRAPH) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    status, _, body = http(f"{sparql}?" + urllib.parse.urlencode({"query": query}),
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def as_publisher(virtuoso, user=PUBLISHER, password=None) -> dict:
    return {"MC2CM_STORE_USER": user,
            "MC2CM_STORE_PASSWORD": password or virtuoso.publisher_password}


def test_publish_twice_leaves_one_copy(built_dist, virtuoso):
    for _ in range(2):
        done = publish_cli(built_dist, virtuoso.sparql, env=as_publisher(virtuoso))
        assert done.returncode == 0, done.stderr
        assert "/sparql-graph-crud-auth" in done.stdout  # the query URL was mapped
        assert virtuoso.publisher_password not in done.stdout + done.stderr
    assert count(virtuoso.sparql) == file_triples(built_dist)


def test_publish_replaces_what_was_there(built_dist, second_dist, virtuoso):
    assert publish_cli(second_dist, virtuoso.store, env=as_publisher(virtuoso)).returncode == 0
    assert count(virtuoso.sparql) == file_triples(built_dist) + 1
    assert publish_cli(built_dist, virtuoso.store, env=as_publisher(virtuoso)).returncode == 0
    assert count(virtuoso.sparql) == file_triples(built_dist)


def test_wrong_password_is_refused_clearly(built_dist, second_dist, virtuoso):
    assert publish_cli(built_dist, virtuoso.store, env=as_publisher(virtuoso)).returncode == 0
    wrong = "not-the-Password-42"
    done = publish_cli(second_dist, virtuoso.store, env=as_publisher(virtuoso, password=wrong))
    assert done.returncode == 2
    assert "refused the upload: HTTP 401" in done.stderr and "check them" in done.stderr
    assert wrong not in done.stdout + done.stderr and "Traceback" not in done.stderr
    assert count(virtuoso.sparql) == file_triples(built_dist)  # unchanged


def test_user_without_the_grant_is_refused_clearly(built_dist, virtuoso):
    virtuoso.isql("DB.DBA.USER_CREATE ('reader_only', 'reader-pass-1');")
    done = publish_cli(built_dist, virtuoso.store,
                       env=as_publisher(virtuoso, "reader_only", "reader-pass-1"))
    assert done.returncode == 2
    assert "HTTP 403" in done.stderr and "may not write" in done.stderr
    assert "reader-pass-1" not in done.stderr


def test_no_credentials_is_a_clear_error(built_dist, virtuoso):
    done = publish_cli(built_dist, virtuoso.store)
    assert done.returncode == 2 and "needs credentials" in done.stderr


def test_virtuoso_down_is_a_clear_error(built_dist, virtuoso):
    down = f"http://127.0.0.1:{free_port()}/sparql-graph-crud-auth"
    done = publish_cli(built_dist, down, env=as_publisher(virtuoso))
    assert done.returncode == 2
    assert "connection refused" in done.stderr and "is the store running" in done.stderr


def test_recipe_replaced_the_dba_password(virtuoso):
    assert "1 Rows" in run_isql(virtuoso.sql_port, virtuoso.dba_password, "exec=select 1;")
    with pytest.raises(RuntimeError, match="Bad login"):
        run_isql(virtuoso.sql_port, "dba", "exec=select 1;")


def test_public_endpoints_are_read_only(virtuoso):
    update = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 1 } }"
    status, _, body = http(virtuoso.sparql, method="POST", data=urllib.parse.urlencode(
        {"query": update}).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert "permission" in body.lower(), (status, body)
    status, _, _ = http(f"{virtuoso.http}/sparql-graph-crud?graph=urn:x:g", method="PUT",
                        data=b"<urn:x:s> <urn:x:p> 1 .", headers={"Content-Type": "text/turtle"})
    assert status in (401, 403)
    assert count(virtuoso.sparql, "urn:x:g") == 0
