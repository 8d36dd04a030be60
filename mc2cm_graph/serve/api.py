"""The saved queries as a small HTTP API, the way grlc builds one from a folder of ``.rq``
files: ``GET /api/NAME?param=value`` runs the query, ``/api/openapi.json`` describes them
all (OpenAPI 3, generated from the catalogue's decorators and parameters), ``/api/`` lists
them as JSON (what the query page reads: forms, allowed values, prefixes).

Catalogue, parameter validation and binding are the saved-query library's (query/saved.py,
query/params.py, query/bind.py); this module only maps HTTP onto it and runs the bound text
in the server's query pool.
"""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from mc2cm_graph import __version__
from mc2cm_graph.serve.errors import HttpError
from mc2cm_graph.serve.formats import CONTENT_TYPES, negotiate_results

API_PREFIX = "/api/"
# Parameters that name one of a closed list of resources get that list as an enum (its
# kind in the library's KNOWN_QUERIES); others get an example value.
ENUM_KINDS = {"theme": "theme", "type": "activity type", "group": "target group"}
EXAMPLES = {"target": "10.7", "goal": "10", "lang": "en", "place": "Sfax",
            "programme": "sfax-acmals", "organisation": "hudc", "text": "الشباب",
            "kind": "place"}
TYPE_WORDS = {"iri": "an IRI", "integer": "an integer", "string": "a text value"}
RESULT_TYPES = ("application/sparql-results+json", "text/csv")
OPENAPI = f"{API_PREFIX}openapi.json"


class PoolEngine:
    """The library's engine interface (``select(text) -> Result``) over the query pool, so
    its parameter lookups run in the killable workers too."""

    def __init__(self, service):
        self.service = service

    def select(self, text: str, source: str | None = None):
        import json

        from mc2cm_graph.query.engine import result_from_json

        return result_from_json(json.loads(self.service.ours(text, "json")))


class QueryApi:
    """The /api routes; ``service`` runs the bound queries (serve/service.py)."""

    def __init__(self, service, queries_dir=None):
        from mc2cm_graph.query.run import known_lookup, load_catalogue

        self.service = service
        self.catalogue = load_catalogue(queries_dir)
        self.known = known_lookup(PoolEngine(service))
        self._openapi = None
        self._listing = None

    def handle(self, request) -> Response:
        """A sync route (Starlette runs it in its thread pool)."""
        path = request.url.path
        name = "" if path == API_PREFIX.rstrip("/") else path.removeprefix(API_PREFIX).strip("/")
        if not name:
            return JSONResponse(self.listing(), headers={
                "Link": f'<{OPENAPI}>; rel="service-desc"; '
                        'type="application/vnd.oai.openapi+json;version=3.0"'})
        if name == "openapi.json":
            return JSONResponse(self.openapi())
        if name not in self.catalogue:
            raise HttpError(404, f"no saved query {name!r} at {request.url.path}; the queries "
                                 "are: " + ", ".join(self.catalogue)
                                 + " (see /api/ or /api/openapi.json)")
        return self.run(self.catalogue[name], request)

    def run(self, query, request) -> Response:
        from mc2cm_graph.graph.errors import Mc2cmError
        from mc2cm_graph.query.run import bind

        params: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            params.setdefault(key, []).append(value)
        values = {}
        for key, given in params.items():
            if key == "format":
                continue
            if len(given) > 1:
                raise HttpError(400, f"parameter {key} given {len(given)} times; give it once")
            values[key] = given[0]
        as_text = params.get("format") == ["sparql"]  # the bound query, not its results
        chosen = "json" if as_text else negotiate_results(params, request.headers.get("accept"))
        if chosen is None:
            raise HttpError(406, f"query {query.name} answers as "
                                 "application/sparql-results+json or text/csv (or XML, TSV)")
        try:
            text = bind(query, values, self.known)
        except Mc2cmError as err:
            raise HttpError(400, str(err)) from None
        if as_text:
            return Response(text, 200, media_type="application/sparql-query")
        body = self.service.saved(text, chosen)
        return Response(body, 200, {"Vary": "Accept"}, CONTENT_TYPES[chosen])

    # ------------------------------------------------------------------------ /api/

    def listing(self) -> dict:
        """The catalogue as JSON: each query's texts, parameters (what a form needs: kind,
        allowed values, default, example; no SPARQL variable names) and default view; and
        for the query page's completion our prefixes and the classes and properties the
        graph uses."""
        from mc2cm_graph.graph.namespaces import PREFIXES

        if self._listing is None:
            self._listing = {
                "title": "MC2CM knowledge graph: saved queries",
                "version": __version__,
                "openapi": OPENAPI,
                "sparql": "/sparql",
                "queries": [self._listed(query) for query in self.catalogue.values()],
                "prefixes": {prefix: str(ns) for prefix, ns in PREFIXES.items()},
                "classes": self._used("SELECT DISTINCT ?x WHERE { ?s a ?x }"),
                "properties": self._used("SELECT DISTINCT ?x WHERE { ?s ?x ?o }"),
            }
        return self._listing

    def _used(self, query: str) -> list[str]:
        rows = self.service.select(query)
        return sorted(r["x"]["value"] for r in rows if r["x"]["type"] == "uri")

    def _listed(self, query) -> dict:
        operation = self.openapi()["paths"][f"{API_PREFIX}{query.name}"]["get"]
        parameters = []
        for param, described in zip(query.params, operation["parameters"], strict=True):
            entry = {"name": param.name, "kind": param.type if param.type in TYPE_WORDS
                     else "string", "required": param.required}
            for key in ("default", "enum"):
                if key in described["schema"]:
                    entry[key] = described["schema"][key]
            if "example" in described:
                entry["example"] = described["example"]
            parameters.append(entry)
        return {"name": query.name, "url": f"{API_PREFIX}{query.name}",
                "summary": query.summary, "description": query.description,
                "tags": operation["tags"], "view": query.view, "parameters": parameters,
                "sparql": query.text}

    # ------------------------------------------------------------------------ OpenAPI

    def openapi(self) -> dict:
        if self._openapi is None:
            self._openapi = {
                "openapi": "3.0.3",
                "info": {
                    "title": "MC2CM knowledge graph: saved queries",
                    "version": __version__,
                    "description": "The saved SPARQL queries of mc2cm-graph (queries/*.rq), "
                                   "one operation each, as grlc would publish them. Free "
                                   "SPARQL: /sparql (SPARQL 1.1 Protocol).",
                },
                "paths": {f"{API_PREFIX}{name}": {"get": self._operation(query)}
                          for name, query in self.catalogue.items()},
            }
        return self._openapi

    def _operation(self, query) -> dict:
        tags = query.decorators.get("tags") or []
        results = {media: {"schema": {"type": "string" if "csv" in media else "object"}}
                   for media in RESULT_TYPES}
        results["application/sparql-query"] = {"schema": {"type": "string"}}
        return {
            "operationId": query.name.replace("-", "_"),
            "summary": query.summary,
            "description": query.description,
            "tags": [str(t) for t in tags] if isinstance(tags, list) else [str(tags)],
            "parameters": [self._parameter(query, p) for p in query.params],
            "responses": {
                "200": {"description": "the query's results (SPARQL JSON by default, CSV "
                                       "with Accept: text/csv or ?format=csv); with "
                                       "?format=sparql the query itself, its parameters "
                                       "bound, as it would run",
                        "content": results},
                "400": {"description": "a parameter is missing or invalid (the message says "
                                       "which and what a good value looks like)"},
                "503": {"description": "the query overran the server's time limit"},
            },
            "x-sparql": query.text,
            "x-view": query.view,
        }

    def _parameter(self, query, param) -> dict:
        schema: dict = {"type": "string"}
        default = query.defaults().get(param.name)
        if default is not None:
            schema["default"] = default
        enum = self._enum(query, param.name)
        if enum:
            schema["enum"] = enum
        description = TYPE_WORDS.get(param.type, "a text value")
        if param.name in EXAMPLES and not enum:
            description += f", e.g. {EXAMPLES[param.name]}"
        entry = {"name": param.name, "in": "query", "required": param.required,
                 "description": description, "schema": schema}
        if not enum and param.name in EXAMPLES:
            entry["example"] = EXAMPLES[param.name]
        return entry

    def _enum(self, query, name: str) -> list[str] | None:
        """Values from the ``enumerate`` decorator ({name: [values]}), or, for a closed
        list of the graph's resources, the aliases the library accepts for them."""
        for item in query.decorators.get("enumerate") or []:
            if isinstance(item, dict) and isinstance(item.get(name), list):
                return [str(v) for v in item[name]]
        kind = ENUM_KINDS.get(name)
        if kind is None:
            return None
        try:
            from mc2cm_graph.query.params import short_names

            return short_names(self.known(kind))
        except Exception:  # noqa: BLE001 - an enum is a convenience; the query still runs
            return None
