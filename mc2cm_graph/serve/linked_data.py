"""Our IRIs dereference: ``https://w3id.org/mc2cm/id/...`` and ``.../ontology`` are served at
``/id/...`` and ``/ontology`` (w3id.org redirects there when the server is public).

Like metadata.un.org, the IRI itself answers (200, no 303 hop) with HTML for browsers and
RDF for clients that ask for it by ``Accept``; ``Content-Location`` and ``Link`` name the
format-specific documents (``.html``, ``.ttl``, ``.jsonld``, ``.nt``). The language of the
page comes from ``?lang=`` or ``Accept-Language``; in RDF, ``?lang=`` keeps the literals in
that language (and the others only where a property has none in it).
"""

from __future__ import annotations

import re

from starlette.responses import Response

from mc2cm_graph.query.describe import BASE, ONTOLOGY
from mc2cm_graph.serve.conneg import choose_language, choose_media_type
from mc2cm_graph.serve.errors import HttpError
from mc2cm_graph.serve.formats import CONTENT_TYPES

LANGUAGES = ["ar", "en", "fr", "es", "ru", "zh-Hans"]
SUFFIXES = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples", ".html": "html"}
OFFERS = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "turtle",
          "application/x-turtle": "turtle", "application/ld+json": "jsonld",
          "application/json": "jsonld", "application/n-triples": "ntriples"}
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#prefLabel>"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MAX_INCOMING = 200
_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")


def local_path(iri: str) -> str | None:
    """Where one of our IRIs is served on this server (None for others' IRIs)."""
    if iri.startswith(BASE + "/id/") or iri.split("#")[0] == ONTOLOGY:
        return iri[len(BASE):]
    return None


def href(iri: str) -> str | None:
    """A link target for an IRI on a page: ours on this server, other http(s) IRIs as they
    are, nothing for other schemes (no javascript: links)."""
    return local_path(iri) or (iri if iri.startswith(("http://", "https://")) else None)


class LinkedData:
    """The resource routes; ``service`` runs our queries (serve/service.py)."""

    def __init__(self, service):
        self.service = service

    @staticmethod
    def owns(path: str) -> bool:
        return path.startswith("/id/") or path.split(".")[0] == "/ontology"

    def handle(self, request) -> Response:
        """A sync route (Starlette runs it in its thread pool)."""
        path, chosen = request.url.path, None
        for suffix, name in SUFFIXES.items():
            if path.endswith(suffix):
                path, chosen = path[: -len(suffix)], name
        if chosen is None:
            chosen = choose_media_type(request.headers.get("accept"), OFFERS, "html")
        if chosen is None:
            raise HttpError(406, "this resource is offered as text/html, text/turtle, "
                                 "application/ld+json or application/n-triples")
        iri = BASE + path
        if not _safe_iri(iri):
            raise HttpError(404, f"not a resource path: {path}")
        if not self._exists(iri):
            raise HttpError(404, f"no resource {iri} in this graph")
        lang = request.query_params.get("lang")
        if lang is not None and not _LANG_TAG.fullmatch(lang):
            raise HttpError(400, f"lang={lang!r} is not a language tag; try ar, en or fr")
        headers = {"Vary": "Accept, Accept-Language",
                   "Content-Location": path + _suffix_of(chosen),
                   "Link": ", ".join(f'<{path}{s}>; rel="alternate"; type="{t}"'
                                     for s, t in ((".ttl", "text/turtle"),
                                                  (".jsonld", "application/ld+json"),
                                                  (".nt", "application/n-triples")))}
        if chosen == "html":
            lang = choose_language(lang, request.headers.get("accept-language"), LANGUAGES,
                                   "en")
            body = self.page(iri, path, lang).encode()
            return Response(body, 200, headers, "text/html; charset=utf-8")
        body = self.service.describe(iri, lang, chosen)
        return Response(body, 200, headers, CONTENT_TYPES[chosen])

    def _exists(self, iri: str) -> bool:
        return bool(self.service.select(f"SELECT ?p WHERE {{ <{iri}> ?p ?o }} LIMIT 1"))

    # ----------------------------------------------------------------------- HTML page

    def page(self, iri: str, path: str, lang: str) -> str:
        outgoing = self.service.select(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
        incoming = self.service.select(f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }} "
                                   f"LIMIT {MAX_INCOMING}")
        iris = {iri} | {r["p"]["value"] for r in outgoing + incoming}
        iris |= {r[k]["value"] for r in outgoing + incoming for k in ("o", "s")
                 if k in r and r[k]["type"] == "uri"}
        labels = self._labels(iris, lang)
        return render_page(iri, path, lang, outgoing, incoming, labels)

    def _labels(self, iris: set[str], lang: str) -> dict[str, str]:
        values = " ".join(f"<{i}>" for i in sorted(iris) if _safe_iri(i))
        rows = self.service.select(
            f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} ?x {LABEL} ?l }}")
        ranked: dict[str, tuple[int, str]] = {}
        order = [lang, "en", "ar", "fr", ""]
        for row in rows:
            tag = row["l"].get("xml:lang", "")
            rank = order.index(tag) if tag in order else len(order)
            x = row["x"]["value"]
            if x not in ranked or rank < ranked[x][0]:
                ranked[x] = (rank, row["l"]["value"])
        return {x: label for x, (_, label) in ranked.items()}


def _suffix_of(name: str) -> str:
    return {v: k for k, v in SUFFIXES.items()}[name]


def _safe_iri(iri: str) -> bool:
    """An IRI we may put between <...> in a query (no characters that end or escape it)."""
    return not any(c in iri for c in '<>"{}|^`\\ \n\r\t')


def _pick_language(values: list[dict], lang: str) -> list[dict]:
    """Of a property's values, keep the literals in ``lang`` when there are any."""
    in_lang = [v for v in values if v.get("xml:lang", "").lower() == lang.lower()]
    if not in_lang:
        return values
    return [v for v in values if v["type"] != "literal" or "xml:lang" not in v or v in in_lang]


def render_page(iri, path, lang, outgoing, incoming, labels) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    grouped: dict[str, list[dict]] = {}
    for row in outgoing:
        grouped.setdefault(row["p"]["value"], []).append(row["o"])
    properties = sorted(((p, _pick_language(vs, lang)) for p, vs in grouped.items()
                         if p != RDF_TYPE), key=lambda item: _property_rank(item[0], labels))
    types = [t["value"] for t in grouped.get(RDF_TYPE, [])]
    env = Environment(loader=PackageLoader("mc2cm_graph.serve", "web"),
                      autoescape=select_autoescape(["html", "j2"]))
    env.globals.update(href=href, label=lambda i: labels.get(i) or short(i))
    return env.get_template("resource.html.j2").render(
        iri=iri, path=path, lang=lang, languages=LANGUAGES[:3],
        direction="rtl" if lang == "ar" else "ltr", title=labels.get(iri) or short(iri),
        types=types, properties=properties, incoming=incoming)


_FIRST = ("http://www.w3.org/2000/01/rdf-schema#label",
          "http://www.w3.org/2004/02/skos/core#prefLabel", ONTOLOGY + "#subtitle",
          ONTOLOGY + "#objective")


def _property_rank(iri: str, labels: dict[str, str]) -> tuple:
    """Labels and the text first, then our properties, then the others, each by name."""
    if iri in _FIRST:
        return (0, _FIRST.index(iri), "")
    ours = iri.startswith(ONTOLOGY + "#")
    return (1 if ours else 2, 0, (labels.get(iri) or short(iri)).lower())


def short(iri: str) -> str:
    """A prefixed name for display (``mc2cm:Programme``), or the IRI."""
    from mc2cm_graph.graph.namespaces import compact_iri

    return compact_iri(iri) or iri
