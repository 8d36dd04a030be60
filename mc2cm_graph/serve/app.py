"""The server's ASGI app: the built graph over HTTP, read-only (serve/runner.py runs it).

Routes: ``/`` (query page), ``/static/...``, ``/sparql`` (SPARQL 1.1 Protocol and Service
Description), ``/id/...`` and ``/ontology`` (our IRIs, dereferenced), ``/api/NAME`` and
``/api/openapi.json`` (saved queries).

The HTTP layer is Starlette: its routing and static files, wrapped here in bounded
sending (answers go out in pieces; all answers being sent share a byte budget), security
headers and a refusal of control characters in paths; the connection limits are the
runner's. SPARQL runs in killable worker
processes (query/pool.py, lanes in serve/service.py). docs/server.md says what was chosen
and why.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from mc2cm_graph.serve.cors import CorsOnDataRoutes
from mc2cm_graph.serve.errors import HttpError, plain

WEB_DIR = Path(__file__).resolve().parent / "web"
CHUNK_BYTES = 64 * 1024  # answers go out in pieces of this, each once the last is taken
# All answers being sent at once, together. An answer in flight costs the process about
# three times its size (docs/server.md, measured), so this keeps it near 300 MB.
MAX_SENDING_BYTES = 96 * 1024 * 1024
# The query page's policy: this origin only, plus the one inline style sheet the vendored
# YASR table writes (its column resizer's rules), allowed by its hash (docs/server.md).
QUERY_PAGE_CSP = ("default-src 'self'; style-src 'self' "
                  "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='; object-src 'none'; "
                  "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
NOT_FOUND = ("try / (query page), /sparql, /api/openapi.json or a resource path such as "
             "/id/programme/...")


def create_app(service, queries_dir: Path | None = None) -> Starlette:
    """Routes composed here; each concern lives in its module and shares only errors.py."""
    from mc2cm_graph.serve.api import QueryApi
    from mc2cm_graph.serve.linked_data import LinkedData
    from mc2cm_graph.serve.sparql import SparqlEndpoint

    sparql = SparqlEndpoint(service)
    api = QueryApi(service, queries_dir)
    linked_data = LinkedData(service)

    def resource(request):
        if linked_data.owns(request.url.path):
            return linked_data.handle(request)
        raise HttpError(404, f"nothing at {request.url.path}; {NOT_FOUND}")

    def query_page(_):
        return FileResponse(WEB_DIR / "index.html",
                            headers={"Content-Security-Policy": QUERY_PAGE_CSP})

    routes = [
        Route("/", query_page),
        Route("/index.html", query_page),
        Route("/favicon.ico", lambda _: FileResponse(WEB_DIR / "icon.svg")),
        Route("/sparql", sparql.handle, methods=["GET", "POST"]),
        Route("/sparql/", sparql.handle, methods=["GET", "POST"]),
        Route("/api", api.handle),
        Route("/api/{name:path}", api.handle),
        Mount("/static", _WebFiles(directory=WEB_DIR, follow_symlink=False)),
        Route("/{path:path}", resource),
    ]
    app = Starlette(routes=routes, exception_handlers={
        HttpError: _http_error, HTTPException: _starlette_error, Exception: _crash})
    return _RefuseControlCharacters(_SecurityHeaders(_WriteDeadline(CorsOnDataRoutes(app))))


class _WebFiles(StaticFiles):
    """The query page's files; not its templates or notes (``resource.html.j2``)."""

    SERVED = frozenset({".css", ".js", ".svg", ".png", ".ico", ".woff2", ".html", ".json"})

    def lookup_path(self, path: str):
        if Path(path).suffix.lower() not in self.SERVED:
            return "", None
        return super().lookup_path(path)


async def _http_error(request, err: HttpError):
    return plain(err.status, err.message, err.headers)


async def _starlette_error(request, err: HTTPException):
    if err.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}; use GET or POST"
    elif err.status_code == 404:
        message = f"nothing at {request.url.path}; {NOT_FOUND}"
    else:
        message = str(err.detail)
    return plain(err.status_code, message, getattr(err, "headers", None))


async def _crash(request, err: Exception):
    if isinstance(err, (ValueError, UnicodeError)):  # e.g. a NUL byte in a static path
        return plain(400, f"cannot read the request path: {err}")
    return plain(500, f"{type(err).__name__}: {err}")


class _RefuseControlCharacters:
    """A path with control characters (``%0A``, ``%00``) is no resource and no file: 400
    before any route sees it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and _framed_twice(scope):
            send = _closing(send)
        path = scope.get("path", "")
        if scope["type"] == "http" and any(ord(c) < 0x20 or ord(c) == 0x7F for c in path):
            response = plain(400, "control characters in the path; a resource path reads "
                                  "like /id/programme/sfax-acmals")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _framed_twice(scope) -> bool:
    """Content-Length and Transfer-Encoding both: RFC 9112 §6.1 says close after."""
    names = {name.lower() for name, _ in scope.get("headers", [])}
    return b"content-length" in names and b"transfer-encoding" in names


def _closing(send):
    async def send_and_close(message):
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []),
                                              (b"connection", b"close")]}
        await send(message)

    return send_and_close


class _SecurityHeaders:
    """``nosniff`` on every answer; pages may load only this server's own files."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                content_type = dict(headers).get(b"content-type", b"")
                has_policy = any(k.lower() == b"content-security-policy" for k, _ in headers)
                if content_type.startswith(b"text/html") and not has_policy:
                    headers.append((b"content-security-policy", b"default-src 'self'"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _WriteDeadline:
    """Bounded sending, so clients that do not read cannot pile answers up in memory.

    An answer goes out in CHUNK_BYTES pieces, each handed over only once the socket has
    taken the last (uvicorn waits for the write buffer to drain); a client that takes
    nothing for ``--write-timeout`` seconds is cut off and its buffer dropped (the
    runner's protocol, serve/runner.py).
    The answers being sent share MAX_SENDING_BYTES: one that would pass it gets 503 at
    once instead."""

    def __init__(self, app):
        self.app = app
        self.sending = 0

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held, refused = 0, False

        async def send_bounded(message):
            nonlocal held, refused
            if refused:
                return
            if message["type"] == "http.response.start":
                length = int(dict(message.get("headers", [])).get(b"content-length") or 0)
                if length > CHUNK_BYTES and self.sending + length > MAX_SENDING_BYTES:
                    refused = True
                    await _too_much_sending()(scope, receive, send)
                    return
                held = length
                self.sending += held
                await send(message)
                return
            body, more = message.get("body", b""), message.get("more_body", False)
            for start in range(0, max(len(body), 1), CHUNK_BYTES):
                last = start + CHUNK_BYTES >= len(body)
                await send({"type": "http.response.body",
                            "body": body[start:start + CHUNK_BYTES],
                            "more_body": more or not last})

        try:
            await self.app(scope, receive, send_bounded)
        finally:
            self.sending -= held


def _too_much_sending():
    from mc2cm_graph.serve.errors import busy_headers

    return plain(503, f"server busy: it is sending {MAX_SENDING_BYTES // 1_048_576} MB of "
                      "answers to other clients; try again shortly, or ask for less (LIMIT)",
                 busy_headers(5))
