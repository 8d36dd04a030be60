"""An HTTP server on 127.0.0.1 that answers every request with one canned reply: a broken or
hostile store for the command tests, a bait that SERVICE/FROM must never reach for the server
tests."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing (the test's output stays readable)."""

    def log_message(self, *args):
        pass


class LoopbackServer:
    """``handler`` served on 127.0.0.1 at a free port, on a thread of its own, until
    close()."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


class CannedServer(LoopbackServer):
    """Answers every request (GET, HEAD, POST, PUT) with one status, type and body, and
    records the paths asked for."""

    def __init__(self, body: bytes = b"", status: int = 200,
                 content_type: str = "application/sparql-results+json"):
        self.requests: list[tuple[str, str]] = []
        recorder = self

        class Handler(QuietHandler):
            def _answer(self):
                recorder.requests.append((self.command, self.path))
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_HEAD = do_POST = do_PUT = _answer  # noqa: N815

        super().__init__(Handler)
