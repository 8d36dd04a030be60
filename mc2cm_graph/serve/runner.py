"""``mc2cm-graph serve``: the query workers started, the ASGI app (serve/app.py) run on
uvicorn (h11), stopped cleanly on Ctrl-C or SIGTERM.

uvicorn does the request parsing and connection handling, with limits set here: listen
backlog, keep-alive, a deadline for each request's headers and for writing, connections
in all and per address, and requests whose framing h11 tolerates and others read
differently are refused. docs/server.md says what was chosen and why.
"""

from __future__ import annotations

import ipaddress
import socket
import sys

from mc2cm_graph.serve.app import create_app
from mc2cm_graph.serve.settings import Settings

BACKLOG = 1024
KEEP_ALIVE_SECONDS = 5
HEADER_SECONDS = 10  # a request's headers must arrive within this (slowloris)
MAX_CONNECTIONS = 256
MAX_CONNECTIONS_PER_ADDRESS = 50  # one client cannot take every connection slot


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


def _protocol_class(write_seconds: float):
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


def is_loopback(address: str) -> bool:
    """``address``: the listening socket's own (getsockname), always numeric: ``--host
    localhost`` is bound as 127.0.0.1 or ::1."""
    return ipaddress.ip_address(address).is_loopback


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
