"""``mc2cm-graph serve``: the built graph over HTTP, read-only.

Routes: ``/`` (query page), ``/sparql`` (SPARQL 1.1 Protocol), ``/id/...`` and ``/ontology``
(our IRIs, dereferenced), ``/api/NAME`` and ``/api/openapi.json`` (saved queries).

The HTTP layer is the standard library's ThreadingHTTPServer: a local, single-machine
server needs no extra dependency, a thread per connection is plenty for one machine's
users, and the expensive part (SPARQL) runs in killable worker processes anyway
(query_pool.py). Users who outgrow it move to a triple store (docs/server.md).
"""

from __future__ import annotations

import json
import sys
import urllib.parse
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from mc2cm_graph.query.pool import QueryFailed, QueryPool
from mc2cm_graph.serve.conneg import choose_media_type
from mc2cm_graph.serve.guard import RefusedQuery, check_query, refuse_update

WEB_DIR = Path(__file__).resolve().parent / "web"
MAX_BODY_BYTES = 1_000_000
INTERNAL_MAX_RESULTS = 1_000_000

RESULT_MEDIA_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/ld+json": "jsonld", "application/json": "jsonld",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8", "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
}
# ?format= names (as Fuseki's output=) for links and browsers that cannot set Accept.
FORMAT_ALIASES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv",
                  "ttl": "turtle", "turtle": "turtle", "jsonld": "jsonld", "json-ld": "jsonld",
                  "nt": "ntriples", "ntriples": "ntriples"}


@dataclass
class Settings:
    dist_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    max_results: int = 10_000
    workers: int = 4
    queries_dir: Path | None = None  # default: the project's queries/


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def text(cls, status: int, message: str) -> Response:
        return cls(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode())

    @classmethod
    def json(cls, value, status: int = 200, content_type="application/json") -> Response:
        body = json.dumps(value, ensure_ascii=False, indent=1).encode()
        return cls(status, content_type, body)


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class App:
    """Routes a Request to its answer. Holds the query pool and the optional parts."""

    def __init__(self, settings: Settings, pool: QueryPool):
        self.settings = settings
        self.pool = pool
        from mc2cm_graph.serve.api import QueryApi
        from mc2cm_graph.serve.linked_data import LinkedData

        self.linked_data = LinkedData(self)
        self.api = QueryApi(self)

    def run_query(self, text: str, result_format: str, *, ours: bool = False) -> bytes:
        """Run in the pool; the result-size limit is for clients' queries, not for ``ours``
        (resource descriptions, parameter lookups), which the data itself bounds."""
        limit = INTERNAL_MAX_RESULTS if ours else self.settings.max_results
        return self.pool.run(text, result_format, limit)

    def select(self, text: str) -> list[dict]:
        """Run a trusted SELECT of ours; rows as {variable: SPARQL-JSON term}."""
        return json.loads(self.run_query(text, "json", ours=True))["results"]["bindings"]

    def handle(self, request: Request) -> Response:
        try:
            return self._route(request)
        except (BadRequest, RefusedQuery, QueryFailed) as err:
            return Response.text(err.status, f"{HTTPStatus(err.status).phrase}: {err}")

    def _route(self, request: Request) -> Response:
        path = request.path
        if path == "/sparql":
            return self.sparql(request)
        if request.method not in ("GET", "HEAD"):
            raise BadRequest(f"{request.method} is not allowed on {path}; use GET", 405)
        if path in ("/", "/index.html"):
            return self.static("index.html")
        if path == "/favicon.ico":
            return self.static("icon.svg")
        if path.startswith("/static/"):
            return self.static(path.removeprefix("/static/"))
        if path == "/api" or path.startswith("/api/"):
            return self.api.handle(request)
        if self.linked_data.owns(path):
            return self.linked_data.handle(request)
        raise BadRequest(f"nothing at {path}; try / (query page), /sparql, /api/openapi.json "
                         "or a resource path such as /id/programme/...", 404)

    def static(self, name: str) -> Response:
        types = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
        target = (WEB_DIR / name).resolve()
        if target.parent != WEB_DIR or target.suffix not in types or not target.is_file():
            raise BadRequest(f"no such file: /static/{name}", 404)
        return Response(200, types[target.suffix], target.read_bytes())

    # -------------------------------------------------------------- SPARQL 1.1 Protocol

    def sparql(self, request: Request) -> Response:
        text = self._query_text(request)
        if text is None:
            return Response(303, "text/plain; charset=utf-8", b"see /\n", {"Location": "/"})
        info = check_query(text)
        if info.returns_graph:
            chosen = negotiate_format(request, GRAPH_MEDIA_TYPES, "turtle", info.form)
        else:
            chosen = negotiate_format(request, RESULT_MEDIA_TYPES, "json", info.form)
        body = self.run_query(text, chosen)
        return Response(200, CONTENT_TYPES[chosen], body, {"Vary": "Accept"})

    def _query_text(self, request: Request) -> str | None:
        content_type = (request.header("content-type") or "").split(";")[0].strip().lower()
        if request.method == "POST":
            if content_type == "application/sparql-update":
                raise refuse_update()
            if content_type == "application/sparql-query":
                if request.params.get("query"):
                    raise BadRequest("a query both in the body and in the URL; send one")
                return _decode(request.body)
            if content_type != "application/x-www-form-urlencoded":
                raise BadRequest(
                    f"unsupported Content-Type {content_type or '(none)'}: send "
                    "application/sparql-query or application/x-www-form-urlencoded", 415)
        elif request.method not in ("GET", "HEAD"):
            raise BadRequest(f"{request.method} is not allowed on /sparql; use GET or POST", 405)
        if request.params.get("update"):
            raise refuse_update()
        for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri",
                     "using-named-graph-uri"):
            if name in request.params:
                raise RefusedQuery(f"{name} is not allowed here: this endpoint only answers "
                                   "from the MC2CM graph it serves", 403)
        queries = request.params.get("query", [])
        if not queries and request.method == "GET" and "text/html" in (
                request.header("accept") or ""):
            return None  # a browser opening /sparql: show it the query page
        if not queries:
            raise BadRequest("missing the query parameter: send ?query=SELECT... (GET), a "
                             "form field query= (POST) or an application/sparql-query body")
        if len(queries) > 1:
            raise BadRequest("more than one query parameter; send exactly one")
        return queries[0]


def negotiate_format(request: Request, offers: dict[str, str], default: str, what: str) -> str:
    """The format name to answer in: ``?format=`` if given (it must be offered), else the
    best match for ``Accept``; 400 / 406 when nothing offered fits."""
    requested = request.param("format")
    if requested:
        chosen = FORMAT_ALIASES.get(requested.lower())
        if chosen not in offers.values():
            raise BadRequest(f"format={requested} is not offered for {what}; use one of "
                             f"{', '.join(sorted(set(offers.values())))}")
        return chosen
    chosen = choose_media_type(request.header("accept"), offers, default)
    if chosen is None:
        raise BadRequest(f"cannot answer {what} as {request.header('accept')}; offered: "
                         f"{', '.join(offers)}", 406)
    return chosen


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the request body is not UTF-8") from None


def _parse_params(query_string: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(query_string, keep_blank_values=True, strict_parsing=False,
                                     errors="strict", max_num_fields=100)
    except (UnicodeDecodeError, ValueError) as err:
        raise BadRequest(f"malformed query string: {err}") from None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection serves many queries
    # Headers and body go out in two writes; with Nagle's algorithm on, the second waits
    # for the client's delayed ACK (~40 ms per response on a keep-alive connection).
    disable_nagle_algorithm = True
    server_version = "mc2cm-graph"
    # Answer even an unparseable request line with a status line and a plain message
    # (http.server's default is an HTTP/0.9 bare HTML body).
    default_request_version = "HTTP/1.0"
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s: %(explain)s\n"
    app: App  # set on the subclass made by make_server

    def do_GET(self):  # noqa: N802 - http.server's naming
        self._dispatch()

    def do_HEAD(self):  # noqa: N802
        self._dispatch(send_body=False)

    def do_POST(self):  # noqa: N802
        self._dispatch()

    def do_PUT(self):  # noqa: N802
        self._dispatch()

    def do_DELETE(self):  # noqa: N802
        self._dispatch()

    def _dispatch(self, send_body: bool = True) -> None:
        try:
            request = self._read_request()
            response = self.app.handle(request)
        except BadRequest as err:
            response = Response.text(err.status, f"{HTTPStatus(err.status).phrase}: {err}")
        except Exception as err:  # noqa: BLE001 - never leave a client without an answer
            response = Response.text(500, f"Internal Server Error: {type(err).__name__}: {err}")
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if response.content_type.startswith("text/html"):
            # Pages load only this server's own files: no CDN, no inline script.
            self.send_header("Content-Security-Policy", "default-src 'self'")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def _read_request(self) -> Request:
        url = urllib.parse.urlsplit(self.path)
        params = _parse_params(url.query)
        headers = {k.lower(): v for k, v in self.headers.items()}
        body = b""
        if self.command in ("POST", "PUT"):
            length = headers.get("content-length")
            if length is None or not length.isdigit():
                self.close_connection = True
                raise BadRequest("a POST needs a Content-Length header", 411)
            if int(length) > MAX_BODY_BYTES:
                self.close_connection = True
                raise BadRequest(f"request body over {MAX_BODY_BYTES} bytes", 413)
            body = self.rfile.read(int(length))
            content_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type == "application/x-www-form-urlencoded":
                for name, values in _parse_params(_decode(body)).items():
                    params.setdefault(name, []).extend(values)
        path = urllib.parse.unquote(url.path, errors="strict")
        return Request(self.command, path, params, headers, body)

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        if not getattr(self.server, "quiet", False):
            super().log_message(format, *args)


def make_server(settings: Settings, pool: QueryPool, quiet: bool = False) -> ThreadingHTTPServer:
    app = App(settings, pool)
    handler = type("BoundHandler", (Handler,), {"app": app})
    server = ThreadingHTTPServer((settings.host, settings.port), handler)
    server.daemon_threads = True
    server.quiet = quiet
    return server


def _stop_on_sigterm(server: ThreadingHTTPServer) -> None:
    """``kill PID`` (SIGTERM, what service managers send) stops the server cleanly, as
    Ctrl-C does: workers stopped, exit status 0."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: threading.Thread(
            target=server.shutdown, daemon=True).start())


def serve(settings: Settings, quiet: bool = False) -> None:
    """Start the workers and serve until interrupted (Ctrl-C)."""
    from mc2cm_graph.query.release import ensure_built

    ensure_built(settings.dist_dir, notify=lambda message: print(message, flush=True))
    pool = QueryPool(settings.dist_dir, workers=settings.workers,
                     timeout=settings.timeout).start()
    try:
        try:
            server = make_server(settings, pool, quiet)
        except OSError as err:
            from mc2cm_graph.graph.errors import Mc2cmError

            raise Mc2cmError(f"cannot listen on {settings.host}:{settings.port}: "
                             f"{err.strerror or err}",
                             hint="pick another --port (0 picks a free one)") from None
        _stop_on_sigterm(server)  # before announcing: a SIGTERM may follow at once
        host, port = server.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        print(f"mc2cm-graph serving {settings.dist_dir / 'mc2cm.ttl'} at http://{shown}:{port}/",
              flush=True)
        if host in ("127.0.0.1", "::1", "localhost"):
            print("local-only: other machines cannot connect (use --host 0.0.0.0 to share, "
                  "read docs/server.md first)", flush=True)
        else:
            print(f"WARNING: listening on {host}: other machines can connect", flush=True)
        print(f"SPARQL endpoint: http://{shown}:{port}/sparql  (time limit "
              f"{settings.timeout:g} s, at most {settings.max_results} rows); Ctrl-C stops",
              flush=True)
        try:
            server.serve_forever()
        finally:
            server.server_close()
        print("stopped", flush=True)
    finally:
        pool.close()
        sys.stdout.flush()
