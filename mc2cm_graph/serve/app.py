"""``mc2cm-graph serve``: the built graph over HTTP, read-only.

Routes: ``/`` (query page), ``/static/...``, ``/sparql`` (SPARQL 1.1 Protocol and Service
Description), ``/id/...`` and ``/ontology`` (our IRIs, dereferenced), ``/api/NAME`` and
``/api/openapi.json`` (saved queries).

The HTTP layer is Starlette on uvicorn (h11): their request parsing, routing, static files
and connection handling, with limits set here (backlog, keep-alive and header timeouts,
concurrency, body size). SPARQL runs in killable worker processes (query/pool.py, lanes
in serve/service.py). docs/server.md says what was chosen and why.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from mc2cm_graph.serve.cors import CorsOnDataRoutes
from mc2cm_graph.serve.errors import HttpError, plain
from mc2cm_graph.serve.settings import WRITE_SECONDS, Settings

WEB_DIR = Path(__file__).resolve().parent / "web"
BACKLOG = 1024
KEEP_ALIVE_SECONDS = 5
HEADER_SECONDS = 10  # a request's headers must arrive within this (slowloris)
CHUNK_BYTES = 64 * 1024  # answers go out in pieces of this, each once the last is taken
MAX_SENDING_BYTES = 256 * 1024 * 1024  # all answers being sent at once, together
MAX_CONNECTIONS = 256
MAX_CONNECTIONS_PER_ADDRESS = 50  # one client cannot take every connection slot
# The query page's policy: this origin only, plus the one inline style sheet the vendored
# YASR table writes (its column resizer's rules), allowed by its hash (docs/server.md).
QUERY_PAGE_CSP = ("default-src 'self'; style-src 'self' "
                  "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='; object-src 'none'; "
                  "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
NOT_FOUND = ("try / (query page), /sparql, /api/openapi.json or a resource path such as "
             "/id/programme/...")


# ------------------------------------------------------------------------ the ASGI app


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
    nothing for WRITE_SECONDS is cut off and its buffer dropped (the protocol below).
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


# ------------------------------------------------------------------------ uvicorn


_TOO_MANY_BODY = (f"server busy: this address already holds {MAX_CONNECTIONS_PER_ADDRESS} "
                  "connections, the most one client may; reuse them (keep-alive) or close "
                  "some\n").encode()
_TOO_MANY_CONNECTIONS = (b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\n"
                         b"Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
                         b"Content-Length: " + str(len(_TOO_MANY_BODY)).encode()
                         + b"\r\n\r\n" + _TOO_MANY_BODY)


MAX_HEAD_BYTES = 65_536
_LOOSE_BODY = (b"a request line or header that ends in a bare LF, or a header folded onto "
               b"the next line (obsolete in HTTP/1.1, RFC 9112): end each line with CR LF "
               b"and write each header on one line\n")
_LOOSE_FRAMING = (b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                  b"Connection: close\r\nContent-Length: " + str(len(_LOOSE_BODY)).encode()
                  + b"\r\n\r\n" + _LOOSE_BODY)


def _loose_framing(head: bytes) -> bool:
    """A head with a bare LF or an obs-fold line (what h11 tolerates and others read
    differently: the ground of request smuggling)."""
    bare_lf = head.count(b"\n") != head.count(b"\r\n")
    return bare_lf or b"\r\n " in head or b"\r\n\t" in head


def _protocol_class(write_seconds: float = WRITE_SECONDS):
    """uvicorn's h11 protocol, plus a deadline for each request's headers (uvicorn times
    out idle keep-alive connections, not a client that sends its headers a byte a
    minute), one for writing (a client that leaves the write buffer full for
    ``write_seconds`` loses the connection, buffer and all: abort, not close, which waits
    to flush), and at most MAX_CONNECTIONS_PER_ADDRESS connections from one address (past
    it: 503 and close, before any request is read)."""
    from collections import Counter

    from uvicorn.protocols.http.h11_impl import H11Protocol

    per_address: Counter[str] = Counter()

    class DeadlineProtocol(H11Protocol):
        _header_deadline = None
        _write_deadline = None
        _address = None

        def pause_writing(self):
            """The client has not taken what was sent: it has write_seconds to start."""
            super().pause_writing()
            if self._write_deadline is None:
                self._write_deadline = self.loop.call_later(write_seconds,
                                                            self.transport.abort)

        def resume_writing(self):
            super().resume_writing()
            if self._write_deadline is not None:
                self._write_deadline.cancel()
                self._write_deadline = None

        def _arm(self):
            self._disarm()
            self._header_deadline = self.loop.call_later(HEADER_SECONDS, self._expire)

        def _disarm(self):
            if self._header_deadline is not None:
                self._header_deadline.cancel()
                self._header_deadline = None

        def _expire(self):
            if self.cycle is None or self.cycle.response_complete:
                self.transport.close()

        _head = b""  # the request head read so far (None: past it)

        def data_received(self, data):
            if self._head is not None:
                self._head += data
                end = self._head.find(b"\r\n\r\n")
                if _loose_framing(self._head if end < 0 else self._head[:end + 2]):
                    self.transport.write(_LOOSE_FRAMING)
                    self.transport.close()
                    return
                if end >= 0 or len(self._head) > MAX_HEAD_BYTES:
                    self._head = None
            super().data_received(data)

        def connection_made(self, transport):
            super().connection_made(transport)
            address = (transport.get_extra_info("peername") or ("?",))[0]
            if per_address[address] >= MAX_CONNECTIONS_PER_ADDRESS:
                transport.write(_TOO_MANY_CONNECTIONS)
                transport.close()
                return
            self._address = address
            per_address[address] += 1
            self._arm()

        def handle_events(self):
            super().handle_events()
            if self.cycle is not None and not self.cycle.response_complete:
                self._disarm()

        def on_response_complete(self):
            super().on_response_complete()
            self._head = b""  # the next request's head is checked too
            self._arm()

        def connection_lost(self, exc):
            if self._address is not None:
                per_address[self._address] -= 1
                if per_address[self._address] <= 0:
                    del per_address[self._address]
                self._address = None
            self._disarm()
            if self._write_deadline is not None:
                self._write_deadline.cancel()
            super().connection_lost(exc)

    return DeadlineProtocol


def uvicorn_config(app, settings: Settings, quiet: bool):
    import uvicorn

    return uvicorn.Config(
        app, host=settings.host, port=settings.port, http=_protocol_class(settings.write_seconds),
        loop="asyncio",
        lifespan="off", interface="asgi3", backlog=BACKLOG,
        timeout_keep_alive=KEEP_ALIVE_SECONDS, limit_concurrency=MAX_CONNECTIONS,
        timeout_graceful_shutdown=5, proxy_headers=False, server_header=False,
        access_log=not quiet, log_level="warning" if quiet else "info")


def bind_socket(settings: Settings) -> socket.socket:
    """The listening socket, or Mc2cmError saying why not (address unknown here, port in
    use, port needing privileges)."""
    from mc2cm_graph.graph.errors import Mc2cmError

    host = settings.host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, settings.port))
        sock.listen(BACKLOG)
    except (socket.gaierror, UnicodeError) as err:
        sock.close()
        raise Mc2cmError(f"cannot listen on {host}: not an address of this machine ({err})",
                         hint="--host takes an IP address such as 127.0.0.1, ::1 or "
                              "0.0.0.0") from None
    except OSError as err:
        sock.close()
        raise Mc2cmError(f"cannot listen on {_shown(host)}:{settings.port}: "
                         f"{err.strerror or err}", hint=_bind_hint(err, host)) from None
    return sock


def _bind_hint(err: OSError, host: str) -> str:
    import errno

    if err.errno == errno.EADDRINUSE:
        return "pick another --port (0 picks a free one)"
    if err.errno == errno.EACCES:
        return "ports below 1024 need privileges; pick --port 8000 or another above 1023"
    if err.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
        return (f"{host} is not an address of this machine (or its IP version is disabled "
                "here); use 127.0.0.1, ::1 or 0.0.0.0")
    return "check --host and --port"


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(settings: Settings, quiet: bool = False) -> None:
    """Start the workers and serve until interrupted (Ctrl-C or SIGTERM)."""
    import uvicorn

    from mc2cm_graph.serve.service import QueryService

    sock = bind_socket(settings)  # first: a taken port fails before minutes of loading
    service = QueryService(settings).start()
    try:
        _require_network_wall(service, settings)
        app = create_app(service, settings.queries_dir)
        server = uvicorn.Server(uvicorn_config(app, settings, quiet))
        _stop_on_signals(server)  # before announcing: a SIGTERM may follow at once
        _announce(settings, sock, service)
        server.run(sockets=[sock])
        print("stopped", flush=True)
    finally:
        sock.close()
        service.close()
        sys.stdout.flush()


def _require_network_wall(service, settings: Settings) -> None:
    """The second wall is not optional: without it only the guard keeps SERVICE and FROM
    from calling out, and the server starts only if its operator says so."""
    from mc2cm_graph.graph.errors import Mc2cmError

    if service.network_wall is None and not settings.accept_no_network_wall:
        raise Mc2cmError(
            "the query workers cannot be cut off from the network here (seccomp through "
            "libseccomp/pyseccomp is not available): the query guard would be the only "
            "wall between a client's SERVICE or FROM and other servers",
            hint="install libseccomp (Debian: libseccomp2) and pyseccomp, or pass "
                 "--accept-no-network-wall to serve with the guard alone")


def _stop_on_signals(server) -> None:
    """Ctrl-C and ``kill PID`` (SIGTERM, what service managers send) stop the server
    cleanly, exit status 0. uvicorn handles both while it runs and re-raises them after;
    these handlers take them before it starts and when it re-raises."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: setattr(server, "should_exit", True))


def _announce(settings: Settings, sock: socket.socket, service) -> None:
    host, port = sock.getsockname()[:2]
    shown = _shown(host)
    print(f"mc2cm-graph serving {settings.dist_dir / 'mc2cm.ttl'} at http://{shown}:{port}/",
          flush=True)
    if is_loopback(host):
        print("local-only: other machines cannot connect (use --host 0.0.0.0 to share, "
              "read docs/server.md first)", flush=True)
    else:
        print(f"WARNING: listening on {host}: other machines can connect", flush=True)
    if service.network_wall is None:
        print("WARNING: query workers could not be cut off from the network (no seccomp "
              "here); --accept-no-network-wall: only the query guard keeps SERVICE from "
              "calling out", flush=True)
    limits = settings.limits
    print(f"SPARQL endpoint: http://{shown}:{port}/sparql  (time limit "
          f"{limits.timeout:g} s, at most {limits.max_results} rows); Ctrl-C stops", flush=True)
