"""Cross-origin access (CORS) to the read-only data routes: a page on another origin (a
YASGUI editor, a notebook's JavaScript view, Comunica in a browser) may query ``/sparql``
and read ``/api/...``, ``/id/...`` and ``/ontology``.

Starlette's CORSMiddleware answers the preflight (``OPTIONS`` with
``Access-Control-Request-Method``) and adds ``Access-Control-Allow-Origin: *`` to every
answer of those routes, errors included, so a browser client can read the message. No
credentials: the server has no cookies or logins, so ``*`` exposes nothing a direct request
could not read. The query page and its static files stay same-origin."""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware

DATA_ROUTES = ("sparql", "api", "id", "ontology")  # first path segment, suffix dropped
METHODS = ("GET", "POST")
EXPOSED = ("Retry-After",)  # a 503 from a full lane says when to try again


def is_data_route(path: str) -> bool:
    """``/sparql``, ``/api/...``, ``/id/...``, ``/ontology`` and ``/ontology.ttl``..."""
    first = path.split("/")[1] if path.startswith("/") else ""
    return first.split(".")[0] in DATA_ROUTES


class CorsOnDataRoutes:
    """CORS on the data routes, the rest of the server untouched."""

    def __init__(self, app):
        self.app = app
        # Accept, Accept-Language, Content-Language and Content-Type (the headers a SPARQL
        # client sets) are always allowed by CORSMiddleware.
        self.cors = CORSMiddleware(app, allow_origins=["*"], allow_methods=METHODS,
                                   expose_headers=EXPOSED)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and is_data_route(scope.get("path", "")):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
