"""The W3C SPARQL 1.1 Protocol test manifest (vendored unchanged in w3c-protocol/, see
SOURCE there), read with rdflib and run request by request against the real server.

Which cases apply (every manifest entry is either run or listed in NOT_APPLICABLE):
- the endpoint is read-only: the update cases that expect success do not apply; the
  ``bad_update_*`` cases (expecting a 4xx) do, and pass by the refusal;
- the endpoint serves the MC2CM graph only, so cases that need the manifest's data graphs
  loaded (``ut:graphData``) do not apply;
- ``default-graph-uri``/``named-graph-uri`` are refused (403) by design, as the protocol
  allows (§2.1.4: "a service may reject a query ... if the service does not allow protocol
  clients to specify the RDF Dataset"). The other cases name ``data0.rdf``, a graph the
  manifest never defines and whose content no answer depends on: they are run with those
  parameters dropped, and once as written, expecting that refusal."""

from __future__ import annotations

import csv
import http.client
import io
import json
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF

MANIFEST = Path(__file__).parent / "w3c-protocol" / "manifest.ttl"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
SRX = "{http://www.w3.org/2005/sparql-results#}"

NOT_APPLICABLE = {
    "update": "SPARQL Update: the endpoint is read-only (updates are refused with 403)",
    "graphData": "needs the manifest's data graphs loaded; the endpoint serves the MC2CM "
                 "graph only",
}
XFAIL: dict[str, str] = {}  # case name -> why it is expected to fail (none now)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # expected status classes: 2, 3, 4, 5
    boolean: bool | None = None
    result_format: str | None = None


@dataclass
class Case:
    name: str
    requests: list[Request] = field(default_factory=list)
    graph_data: bool = False

    @property
    def updates(self) -> bool:
        """Sends a SPARQL update and expects it to succeed."""
        return any((r.headers.get("content-type", "").startswith("application/sparql-update")
                    or (r.body or b"").startswith(b"update=")) and 2 in r.statuses
                   for r in self.requests)

    @property
    def names_dataset(self) -> bool:
        return any(_query_params(r.path) & set(DATASET_PARAMS) for r in self.requests)


def _query_params(path: str) -> set[str]:
    return set(urllib.parse.parse_qs(urllib.parse.urlsplit(path).query))


def _request(graph: Graph, node) -> Request:
    headers = {}
    for header in Collection(graph, graph.value(node, HT.headers) or RDF.nil):
        headers[str(graph.value(header, HT.fieldName)).lower()] = \
            str(graph.value(header, HT.fieldValue))
    body = None
    content = graph.value(node, HT.body)
    if content is not None:
        encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(content, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    statuses = {int(str(s)[len(HTS)]) for s in graph.objects(response, MF.expectedStatus)}
    boolean = graph.value(response, MF.expectedBoolean)
    result_format = graph.value(response, MF.expectedFormat)
    return Request(str(graph.value(node, HT.methodName)), str(graph.value(node, HT.absolutePath)),
                   headers, body, statuses, None if boolean is None else boolean.toPython(),
                   None if result_format is None else str(result_format))


def manifest_cases() -> list[Case]:
    graph = Graph().parse(MANIFEST, format="turtle", publicID=BASE.rstrip("#"))
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    cases = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        case = Case(str(entry).rsplit("#", 1)[1],
                    graph_data=(entry, UT.graphData, None) in graph)
        action = graph.value(entry, MF.action)
        for node in Collection(graph, graph.value(action, HT.requests)):
            case.requests.append(_request(graph, node))
        cases.append(case)
    return cases


CASES = manifest_cases()


def not_applicable(case: Case) -> str | None:
    if case.updates:
        return NOT_APPLICABLE["update"]
    if case.graph_data:
        return NOT_APPLICABLE["graphData"]
    return None


APPLICABLE = [c for c in CASES if not_applicable(c) is None]


def _on_endpoint(path: str, drop_dataset: bool) -> str:
    """The manifest's ``/sparql/...`` on this server, dataset parameters dropped if asked."""
    parts = urllib.parse.urlsplit(path)
    assert parts.path == "/sparql/", path
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    if drop_dataset:
        pairs = [(k, v) for k, v in pairs if k not in DATASET_PARAMS]
    query = urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)
    return "/sparql" + (f"?{query}" if query else "")


def send(base: str, request: Request, path: str) -> tuple[int, str, bytes]:
    """Exactly the manifest's request: its method, headers and body bytes, nothing added
    (http.client, since urllib would add a form Content-Type to a bare POST)."""
    netloc = urllib.parse.urlsplit(base).netloc
    connection = http.client.HTTPConnection(netloc, timeout=30)
    try:
        connection.putrequest(request.method, path, skip_accept_encoding=True)
        for name, value in request.headers.items():
            connection.putheader(name, value)
        if request.body is not None:
            connection.putheader("Content-Length", str(len(request.body)))
        connection.endheaders(request.body)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def _boolean(content_type: str, body: bytes) -> bool:
    if content_type.startswith("application/sparql-results+json"):
        return json.loads(body)["boolean"]
    assert content_type.startswith("application/sparql-results+xml"), content_type
    return ET.fromstring(body).find(f"{SRX}boolean").text == "true"


def _tabular(content_type: str, body: bytes) -> None:
    media = content_type.split(";")[0]
    if media == "application/sparql-results+json":
        assert "bindings" in json.loads(body)["results"]
    elif media == "application/sparql-results+xml":
        assert ET.fromstring(body).find(f"{SRX}results") is not None
    elif media in ("text/csv", "text/tab-separated-values"):
        delimiter = "," if media == "text/csv" else "\t"
        assert next(csv.reader(io.StringIO(body.decode()), delimiter=delimiter))
    else:
        raise AssertionError(f"not a SPARQL results format: {content_type}")


def _rdf(content_type: str, body: bytes) -> None:
    formats = {"text/turtle": "turtle", "application/rdf+xml": "xml",
               "application/n-triples": "nt", "application/ld+json": "json-ld"}
    media = content_type.split(";")[0]
    assert media in formats, f"not an RDF format: {content_type}"
    Graph().parse(data=body, format=formats[media])


def check(request: Request, status: int, content_type: str, body: bytes) -> None:
    assert status // 100 in request.statuses, (status, body[:300])
    if status // 100 != 2:
        return
    if request.result_format == "boolean" or request.boolean is not None:
        value = _boolean(content_type, body)
        if request.boolean is not None:
            assert value is request.boolean
    elif request.result_format == "tabular":
        _tabular(content_type, body)
    elif request.result_format == "RDF":
        _rdf(content_type, body)


def _param(case: Case):
    marks = []
    if case.name in XFAIL:
        marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[case.name]))
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in APPLICABLE])
def test_manifest_case(endpoint, case: Case):
    for request in case.requests:
        path = _on_endpoint(request.path, drop_dataset=True)
        check(request, *send(endpoint.url, request, path))


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in APPLICABLE
                                  if c.names_dataset and 2 in c.requests[0].statuses])
def test_manifest_case_as_written_is_refused_for_its_dataset(endpoint, case: Case):
    request = case.requests[0]
    status, _, body = send(endpoint.url, request, _on_endpoint(request.path, False))
    assert status == 403 and b"default-graph-uri" in body, (status, body[:300])


def test_every_manifest_entry_is_run_or_says_why_not():
    """The manifest has 34 entries: none dropped silently. Run: the 7 query cases, 7
    bad_query_* and 7 bad_update_* (a 4xx expected)."""
    assert len(CASES) == 34
    assert len({c.name for c in CASES}) == len(CASES)
    skipped = {c.name: not_applicable(c) for c in CASES if not_applicable(c)}
    assert len(APPLICABLE) + len(skipped) == len(CASES)
    assert (len(APPLICABLE), len(skipped)) == (21, 13)  # 7 update cases + 6 below
    assert {name for name in skipped if name.startswith("query_")} == {
        "query_dataset_default_graphs_get", "query_dataset_default_graphs_post",
        "query_dataset_named_graphs_post", "query_dataset_named_graphs_get",
        "query_dataset_full", "query_multiple_dataset"}
    assert all(c.requests for c in CASES)
