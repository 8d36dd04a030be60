"""``/sparql``: the SPARQL 1.1 Protocol (query only), and the endpoint's SPARQL 1.1 Service
Description when it is asked for without a query."""

from __future__ import annotations

import asyncio
import urllib.parse

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from mc2cm_graph.graph.errors import QueryError
from mc2cm_graph.serve.conneg import choose_media_type
from mc2cm_graph.serve.errors import HttpError, from_query_error
from mc2cm_graph.serve.formats import CONTENT_TYPES, GRAPH_MEDIA_TYPES, negotiate
from mc2cm_graph.serve.guard import prebound, refuse_update

MAX_BODY_BYTES = 1_000_000
BODY_SECONDS = 10  # a client that sends its body slower than this is cut off
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri", "using-graph-uri",
                  "using-named-graph-uri")
FORM = "application/x-www-form-urlencoded"


class SparqlEndpoint:
    def __init__(self, service):
        self.service = service

    async def handle(self, request) -> Response:
        params, text = await read_query(request)
        if text is None:
            if wants_page(request.headers.get("accept")):
                return RedirectResponse("/", 303, {"Vary": "Accept"})  # a browser: the page
            return self.description(request, params)
        results, graph = negotiate(params, request.headers.get("accept"))
        if results is None and graph is None:
            raise HttpError(406, f"cannot answer as {request.headers.get('accept')}; offered: "
                                 + ", ".join(CONTENT_TYPES.values()))
        try:
            prebound(text)
        except QueryError as err:
            raise from_query_error(err) from None
        client = request.client.host if request.client else "unknown"
        base = str(request.url.replace(query="", fragment=""))  # relative IRIs resolve here
        answer = await run_in_threadpool(self.service.client, text, results, graph, client,
                                         base)
        return Response(answer.body, 200, {"Vary": "Accept"}, CONTENT_TYPES[answer.format])

    def description(self, request, params) -> Response:
        chosen = negotiate(params, request.headers.get("accept"))[1]
        if chosen is None:
            raise HttpError(406, "the service description is offered as "
                                 + ", ".join(GRAPH_MEDIA_TYPES))
        endpoint = str(request.url.replace(query="", fragment=""))
        # made for each request, never cached: its key would be the client's Host header
        return Response(service_description(endpoint, chosen, self.service), 200,
                        {"Vary": "Accept"}, CONTENT_TYPES[chosen])


def wants_page(accept: str | None) -> bool:
    """``/sparql`` without a query: the query page for a client that prefers HTML (a
    browser), the service description for one that prefers RDF, negotiated with q-values
    (``text/turtle;q=0.6,text/html;q=0.2`` is a client that reads RDF, not a browser)."""
    offers = {**dict.fromkeys(GRAPH_MEDIA_TYPES, "description"),
              "text/html": "page", "application/xhtml+xml": "page"}
    return choose_media_type(accept, offers, "description") == "page"


async def read_query(request) -> tuple[dict[str, list[str]], str | None]:
    """The request's parameters and its query text (None when there is none to run);
    HttpError for what the protocol or this read-only endpoint does not allow."""
    params = parse_params(request.scope.get("query_string", b"").decode("latin-1"))
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    text = None
    if request.method == "POST":
        body = await read_body(request)
        if content_type == "application/sparql-update":
            raise from_query_error(refuse_update())
        if content_type == "application/sparql-query":
            if params.get("query"):
                raise HttpError(400, "a query both in the body and in the URL; send one")
            text = decode(body)
        elif content_type == FORM:
            for name, values in parse_params(decode(body)).items():
                params.setdefault(name, []).extend(values)
        else:
            raise HttpError(415, f"unsupported Content-Type {content_type or '(none)'}: send "
                                 f"application/sparql-query or {FORM}")
    if params.get("update"):
        raise from_query_error(refuse_update())
    for name in DATASET_PARAMS:
        if name in params:
            raise HttpError(403, f"{name} is not allowed here: this endpoint only answers "
                                 "from the MC2CM graph it serves")
    if text is not None:
        return params, text
    queries = params.get("query", [])
    if len(queries) > 1:
        raise HttpError(400, "more than one query parameter; send exactly one")
    if not queries and request.method == "POST":
        raise HttpError(400, "missing the query parameter: send a form field query= or an "
                             "application/sparql-query body (GET /sparql without a query "
                             "describes the service)")
    return params, (queries[0] if queries else None)


async def read_body(request) -> bytes:
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise HttpError(413, f"request body over {MAX_BODY_BYTES} bytes")

    async def collect() -> bytes:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise HttpError(413, f"request body over {MAX_BODY_BYTES} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    try:
        return await asyncio.wait_for(collect(), BODY_SECONDS)
    except asyncio.TimeoutError:
        raise HttpError(408, f"the request body did not arrive within {BODY_SECONDS} s") \
            from None


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the request body is not UTF-8") from None


def parse_params(query_string: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(query_string, keep_blank_values=True,
                                     errors="strict", max_num_fields=100)
    except (UnicodeDecodeError, ValueError) as err:
        raise HttpError(400, f"malformed query string: {err}") from None


def service_description(endpoint: str, chosen: str, service) -> bytes:
    """SPARQL 1.1 Service Description of this endpoint, serialised as ``chosen``."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    graph = Graph()
    graph.bind("sd", sd)
    node, dataset, default = URIRef(endpoint), BNode(), BNode()
    graph.add((node, RDF.type, sd.Service))
    graph.add((node, sd.endpoint, node))
    graph.add((node, sd.supportedLanguage, sd.SPARQL11Query))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "JSON-LD", "N-Triples", "RDF_XML"):
        graph.add((node, sd.resultFormat, formats[name]))
    graph.add((node, sd.defaultDataset, dataset))
    graph.add((dataset, RDF.type, sd.Dataset))
    graph.add((dataset, sd.defaultGraph, default))
    graph.add((default, RDF.type, sd.Graph))
    graph.add((node, DCTERMS.description, Literal(
        "Read-only SPARQL 1.1 endpoint over the MC2CM knowledge graph; time limit "
        f"{service.limits.timeout:g} s, at most {service.limits.max_results} results.",
        lang="en")))
    rdflib_format = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt",
                     "rdfxml": "xml"}[chosen]
    return graph.serialize(format=rdflib_format).encode()
