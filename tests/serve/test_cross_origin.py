"""CORS on the read-only data routes (with the preflight), and ``/sparql`` without a
query negotiated with q-values (page for a browser, service description for RDF clients).
The browser itself runs in tests/conformance/test_browser_cross_origin.py."""

import urllib.error
import urllib.request

import pytest
from rdflib import Graph, Namespace

from tests.serve.conftest import http

ORIGIN = "http://page.example"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DATA_PATHS = ["/sparql?query=ASK%7B%7D", "/sparql/?query=ASK%7B%7D",
              "/api/openapi.json", "/api/programmes", "/id/programme/sfax-acmals",
              "/ontology", "/ontology.ttl"]


@pytest.mark.parametrize("path", DATA_PATHS)
def test_data_routes_answer_other_origins(server, path):
    status, headers, _ = http(server.url + path, headers={"Origin": ORIGIN,
                                                          "Accept": "text/turtle, */*;q=0.1"})
    assert status in (200, 303), path
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Access-Control-Allow-Credentials"] is None


def test_errors_carry_cors_so_a_page_can_read_the_message(server):
    status, headers, body = http(server.url + "/sparql?query=SELEC", headers={"Origin": ORIGIN})
    assert status == 400 and "syntax" in body.lower()
    assert headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(("path", "method"), [("/sparql", "POST"), ("/sparql", "GET"),
                                              ("/api/programmes", "GET"),
                                              ("/id/programme/sfax-acmals", "GET")])
def test_preflight_is_answered(server, path, method):
    status, headers, _ = http(server.url + path, method="OPTIONS", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type, accept"})
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert method in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


def test_preflight_for_a_method_not_offered_is_refused(server):
    status, headers, _ = http(server.url + "/sparql", method="OPTIONS", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "DELETE"})
    assert status == 400 and "DELETE" not in (headers["Access-Control-Allow-Methods"] or "")


def test_the_query_page_stays_same_origin(server):
    _, headers, _ = http(server.url + "/", headers={"Origin": ORIGIN})
    assert headers["Access-Control-Allow-Origin"] is None


def _status_and_location(url: str, accept: str):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Location"], b""


@pytest.mark.parametrize("accept", ["text/turtle;q=0.6,text/html;q=0.2",
                                    "text/turtle, text/html;q=0",
                                    "application/ld+json, text/html;q=0.9"])
def test_rdf_clients_get_the_service_description_not_the_page(server, accept):
    status, content_type, body = _status_and_location(server.url + "/sparql", accept)
    assert status == 200, (accept, content_type)
    rdf_format = "json-ld" if "ld+json" in content_type else "turtle"
    graph = Graph().parse(data=body, format=rdf_format)
    assert (None, SD.endpoint, None) in graph


@pytest.mark.parametrize("accept", [
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "text/turtle;q=0.5, text/html"])
def test_browsers_get_the_query_page(server, accept):
    assert _status_and_location(server.url + "/sparql", accept)[:2] == (303, "/")
