"""`mc2cm-graph serve` /sparql: the SPARQL 1.1 Protocol, read-only, bounded in time and size."""

import csv
import io
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph

from tests.serve.conftest import http, sparql_get

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PROGRAMMES = ("PREFIX mc2cm: <https://w3id.org/mc2cm/ontology#> "
              "SELECT ?p ?pos WHERE { ?p a mc2cm:Programme ; mc2cm:positionInSource ?pos } "
              "ORDER BY ?pos")
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
SFAX = "https://w3id.org/mc2cm/id/programme/sfax-acmals"


def triple_count(server) -> int:
    status, _, body = sparql_get(server.url, COUNT)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_get_select_defaults_to_sparql_json(server):
    status, headers, body = sparql_get(server.url, PROGRAMMES)
    assert status == 200
    assert headers["Content-Type"] == "application/sparql-results+json"
    rows = json.loads(body)["results"]["bindings"]
    assert rows[0]["p"]["value"] == SFAX and rows[0]["pos"]["value"] == "1"


@pytest.mark.parametrize(("accept", "check"), [
    ("application/sparql-results+xml",
     lambda b: ET.fromstring(b).find(".//{http://www.w3.org/2005/sparql-results#}uri").text),
    ("text/csv", lambda b: list(csv.DictReader(io.StringIO(b)))[0]["p"]),
    ("text/tab-separated-values", lambda b: b.splitlines()[1].split("\t")[0].strip("<>")),
])
def test_select_formats_by_accept(server, accept, check):
    status, headers, body = sparql_get(server.url, PROGRAMMES, accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert check(body) == SFAX


def test_post_form_and_post_query_body_agree_with_get(server):
    form = urllib.parse.urlencode({"query": PROGRAMMES}).encode()
    by_form = http(f"{server.url}/sparql", method="POST", data=form,
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    by_body = http(f"{server.url}/sparql", method="POST", data=PROGRAMMES.encode(),
                   headers={"Content-Type": "application/sparql-query"})
    by_get = sparql_get(server.url, PROGRAMMES)
    assert by_form[0] == by_body[0] == 200
    assert json.loads(by_form[2]) == json.loads(by_body[2]) == json.loads(by_get[2])


def test_ask(server):
    status, _, body = sparql_get(server.url, f"ASK {{ <{SFAX}> ?p ?o }}")
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.parametrize(("accept", "rdf_format"), [
    ("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt")])
def test_construct_formats_parse_to_the_same_graph(server, accept, rdf_format):
    query = f"CONSTRUCT {{ <{SFAX}> ?p ?o }} WHERE {{ <{SFAX}> ?p ?o }}"
    status, headers, body = sparql_get(server.url, query, accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    graph = Graph().parse(data=body, format=rdf_format)
    _, _, reference = sparql_get(server.url, query, "application/n-triples")
    assert len(graph) == len(Graph().parse(data=reference, format="nt")) > 20


@pytest.mark.parametrize(("param", "value", "media_type"), [
    ("format", "nt", "application/n-triples"), ("output", "json-ld", "application/ld+json"),
    ("results", "rdf", "application/rdf+xml")])
def test_a_format_parameter_chooses_the_graph_format(server, param, value, media_type):
    """CONSTRUCT with ?format=, ?output= or ?results= (clients that cannot set Accept):
    the parameter wins over the Accept header."""
    query = f"CONSTRUCT {{ <{SFAX}> ?p ?o }} WHERE {{ <{SFAX}> ?p ?o }}"
    status, headers, _ = sparql_get(server.url, query, "text/turtle", **{param: value})
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media_type


def test_of_a_repeated_format_parameter_the_first_counts(server):
    url = f"{server.url}/sparql?" + urllib.parse.urlencode(
        [("query", f"ASK {{ <{SFAX}> ?p ?o }}"), ("format", "xml"), ("format", "csv")])
    status, headers, _ = http(url)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == "application/sparql-results+xml"


def test_unacceptable_format_is_406(server):
    status, _, body = sparql_get(server.url, PROGRAMMES, "image/png")
    assert status == 406 and "offered" in body


@pytest.mark.parametrize(("query", "accept", "offered"), [
    (PROGRAMMES, "text/turtle", "a SELECT query answers with SPARQL results"),
    ("ASK {}", "application/ld+json", "an ASK query answers with SPARQL results"),
    ("CONSTRUCT WHERE { ?s a ?t } LIMIT 1", "text/csv",
     "a CONSTRUCT or DESCRIBE query answers with RDF"),
])
def test_a_format_of_the_other_query_form_is_406(server, query, accept, offered):
    """Accept names only formats of the other kind (RDF for a SELECT, results for a
    CONSTRUCT): known once the query runs, and still 406, saying what the form offers."""
    status, _, body = sparql_get(server.url, query, accept)
    assert status == 406, body
    assert offered in body and "which the request's Accept header excludes" in body


@pytest.mark.parametrize("how", ["GET update=", "POST form update=", "POST sparql-update"])
def test_updates_are_refused_and_change_nothing(server, how):
    before = triple_count(server)
    update = f"INSERT DATA {{ <{SFAX}> <http://e/p> 'x' }}"
    if how == "GET update=":
        result = http(f"{server.url}/sparql?" + urllib.parse.urlencode({"update": update}))
    elif how == "POST form update=":
        result = http(f"{server.url}/sparql", method="POST",
                      data=urllib.parse.urlencode({"update": update}).encode(),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        result = http(f"{server.url}/sparql", method="POST", data=update.encode(),
                      headers={"Content-Type": "application/sparql-update"})
    status, _, body = result
    assert status == 403 and "read-only" in body
    assert triple_count(server) == before


def test_insert_as_a_query_is_refused(server):
    status, _, body = sparql_get(server.url, f"INSERT DATA {{ <{SFAX}> <http://e/p> 1 }}")
    assert status == 403 and "read-only" in body


def test_from_file_is_refused_without_reading(server):
    query = "SELECT ?s ?p ?o FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"
    status, _, body = sparql_get(server.url, query)
    assert status == 403 and "FROM" in body and "root:" not in body
    status, _, body = sparql_get(server.url, "SELECT * WHERE { ?s ?p ?o }",
                                 **{"default-graph-uri": "file:///etc/passwd"})
    assert status == 403 and "root:" not in body


@pytest.mark.parametrize(("template", "expected"), [
    ("SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", 403),
    ("SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}", 403),
    ("SELECT * WHERE {{ SERV\\u0049CE <{url}/sparql> {{ ?s ?p ?o }} }}", 403),
    # \u0022 decoded before parsing is a quote character: the text then does not parse
    ('SELECT * {{ BIND("a\\u0022 AS ?x) BIND(" AS ?y) SERVICE <{url}/s> {{}} BIND("c" AS ?z) }}',
     400),
    ("LOAD <{url}/data.ttl>", 403),
    ("LOAD SILENT <{url}/data.ttl> INTO GRAPH <http://e/g>", 403),
])
def test_service_and_load_refused_without_calling_out(server, listener, template, expected):
    status, _, body = sparql_get(server.url, template.format(url=listener.url))
    time.sleep(0.3)  # a call-out, had one been made, would have connected by now
    assert status == expected, body
    assert listener.connections == []


def test_keywords_inside_strings_are_not_refused(server):
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1/> FROM LOAD" AS ?x) }'
    status, _, body = sparql_get(server.url, query)
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["x"]["value"].startswith("SERVICE")


def test_huge_result_hits_the_size_limit_with_a_clear_message(server):
    status, _, body = sparql_get(server.url, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 422
    assert "more than 300 rows" in body and "LIMIT" in body
    status, _, body = sparql_get(server.url, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
    assert status == 422 and "more than 300 triples" in body


def test_runaway_query_is_stopped_while_others_are_served(server):
    outcome = {}

    def runaway():
        started = time.monotonic()
        outcome["runaway"] = sparql_get(server.url, RUNAWAY, timeout=30)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)  # the runaway query now occupies a worker
    started = time.monotonic()
    status, _, body = sparql_get(server.url, PROGRAMMES, timeout=10)
    served_in = time.monotonic() - started
    still_running = thread.is_alive()
    thread.join(30)
    assert status == 200 and SFAX in body
    assert still_running and served_in < 1.5, "the other client waited for the runaway query"
    status, _, body = outcome["runaway"]
    assert status == 503 and "time limit of 2 s" in body
    assert outcome["seconds"] < 10
    assert triple_count(server) > 300  # the killed worker was replaced; all still answer
    for _ in range(4):
        assert sparql_get(server.url, PROGRAMMES)[0] == 200


@pytest.mark.parametrize(("request_kwargs", "status", "phrase"), [
    ({"path": "/sparql", "method": "POST", "data": b"",
      "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 400,
     "missing the query parameter"),
    ({"path": "/sparql?query=SELECT%20*%20WHERE%20%7B"}, 400, "syntax error"),
    ({"path": "/sparql?query=ASK%7B%7D&query=ASK%7B%7D"}, 400, "more than one query"),
    ({"path": "/sparql?query=%FF%FE"}, 400, "malformed query string"),
    ({"path": "/sparql", "method": "POST", "data": b"ASK {}",
      "headers": {"Content-Type": "text/plain"}}, 415, "unsupported Content-Type"),
    ({"path": "/sparql", "method": "POST", "data": b"ASK { \xff }",
      "headers": {"Content-Type": "application/sparql-query"}}, 400, "not UTF-8"),
    ({"path": "/sparql", "method": "DELETE"}, 405, "not allowed"),
    ({"path": "/nowhere"}, 404, "nothing at /nowhere"),
])
def test_malformed_requests_get_a_4xx_with_a_message(server, request_kwargs, status, phrase):
    kwargs = dict(request_kwargs)
    got_status, headers, body = http(server.url + kwargs.pop("path"), **kwargs)
    assert got_status == status, body
    assert phrase in body and headers["Content-Type"].startswith("text/plain")


def test_garbage_request_line_gets_400(server):
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        answer = connection.recv(200)
    assert answer.startswith(b"HTTP/1.") and b" 400 " in answer.split(b"\r\n")[0]


def test_browser_opening_sparql_without_query_goes_to_the_page(server):
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(f"{server.url}/sparql", headers={"Accept": "text/html"})
    try:
        opener.open(request, timeout=10)
        status, location = 200, None
    except urllib.error.HTTPError as err:
        status, location = err.code, err.headers["Location"]
    assert (status, location) == (303, "/")


def test_pages_may_load_only_this_servers_files(server):
    for path in ("/", "/id/programme/sfax-acmals"):
        _, headers, _ = http(server.url + path, headers={"Accept": "text/html"})
        # The query page's policy says more (tests/serve/test_query_page.py).
        assert headers["Content-Security-Policy"].split("; ")[0] == "default-src 'self'"


def test_saved_query_through_sparqlwrapper_against_this_endpoint(server, built_dist):
    from tests.serve.conftest import run_cli

    args = ["query", "programmes-by-target", "--param", "target=10.7", "--format", "csv"]
    remote = run_cli(*args, "--endpoint", f"{server.url}/sparql")
    local = run_cli(*args, "--dist", str(built_dist))
    assert remote.returncode == local.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout and "sfax-acmals" in remote.stdout


def test_describe_returns_the_resource(server):
    status, headers, body = sparql_get(server.url, f"DESCRIBE <{SFAX}>", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    assert len(set(graph.subjects())) >= 1 and len(graph) > 20


@pytest.mark.parametrize("content_type", ["application/json", "application/sparql-querx",
                                          "text/plain"])
def test_a_body_of_another_type_is_415(server, content_type):
    """Only application/sparql-query and form bodies are read; any other type, whether it
    sorts before or after them, is refused naming the two."""
    status, _, body = http(f"{server.url}/sparql", method="POST", data=b"ASK {}",
                           headers={"Content-Type": content_type})
    assert status == 415 and "application/sparql-query" in body, (status, body[:200])
