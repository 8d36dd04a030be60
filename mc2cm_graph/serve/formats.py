"""Which serialisation to answer a SPARQL request in: ``format=`` (or SPARQLWrapper's
``output=`` / ``results=``) when it names one this query form offers, otherwise the
``Accept`` header (negotiated by serve/conneg.py)."""

from __future__ import annotations

from mc2cm_graph.serve.conneg import choose_media_type

# Most preferred first: the first matching entry wins a wildcard (``*/*``, ``text/*``).
RESULT_MEDIA_TYPES = {
    "application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv", "application/json": "json",
    "application/xml": "xml", "text/xml": "xml",
}
GRAPH_MEDIA_TYPES = {
    "text/turtle": "turtle", "application/ld+json": "jsonld",
    "application/n-triples": "ntriples", "application/rdf+xml": "rdfxml",
    "application/turtle": "turtle", "application/x-turtle": "turtle",
    "text/n3": "turtle", "text/rdf+n3": "turtle", "application/n3": "turtle",
    "application/x-json+ld": "jsonld", "application/json": "jsonld", "text/plain": "ntriples",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8", "jsonld": "application/ld+json",
    "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml",
}
RESULT_ALIASES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv",
                  "srj": "json", "srx": "xml"}
GRAPH_ALIASES = {"ttl": "turtle", "turtle": "turtle", "n3": "turtle", "jsonld": "jsonld",
                 "json-ld": "jsonld", "json": "jsonld", "nt": "ntriples",
                 "ntriples": "ntriples", "xml": "rdfxml", "rdfxml": "rdfxml",
                 "rdf+xml": "rdfxml", "rdf": "rdfxml"}
FORMAT_PARAMS = ("format", "output", "results")


def requested_format(params: dict[str, list[str]]) -> str | None:
    for name in FORMAT_PARAMS:
        if params.get(name):
            return params[name][0].strip().lower()
    return None


def negotiate(params: dict[str, list[str]], accept: str | None) -> tuple[str | None, str | None]:
    """(format for SELECT/ASK, format for CONSTRUCT/DESCRIBE); None where nothing fits."""
    requested = requested_format(params)
    results = RESULT_ALIASES.get(requested or "")
    graph = GRAPH_ALIASES.get(requested or "")
    results = results or choose_media_type(accept, RESULT_MEDIA_TYPES, "json")
    graph = graph or choose_media_type(accept, GRAPH_MEDIA_TYPES, "turtle")
    return results, graph


def negotiate_results(params: dict[str, list[str]], accept: str | None) -> str | None:
    return negotiate(params, accept)[0]
