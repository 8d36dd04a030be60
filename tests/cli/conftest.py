"""Fakes for the command tests: servers that answer what a broken or hostile server would,
started on 127.0.0.1 and stopped after each test; and running a command in-process."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest

from mc2cm_graph.cli import main
from tests.canned_server import CannedServer


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``mc2cm-graph ARGV`` run in this process; a usage
    error (argparse's SystemExit) counts as its exit code."""
    try:
        code = main(list(argv))
    except SystemExit as done:
        code = done.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


class RawServer:
    """Reads one request whole, then answers ``reply`` bytes that are not HTTP and closes."""

    def __init__(self, reply: bytes):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(4)
        self.socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.reply = reply
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            with contextlib.suppress(OSError), connection:
                connection.settimeout(5)
                self._read_request(connection)
                connection.sendall(self.reply)

    @staticmethod
    def _read_request(connection):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        while len(body) < length:
            chunk = connection.recv(65536)
            if not chunk:
                return
            body += chunk

    def close(self):
        self._stop.set()
        self.thread.join(5)
        self.socket.close()


@pytest.fixture
def canned():
    servers = []

    def start(*args, **kwargs) -> CannedServer:
        servers.append(CannedServer(*args, **kwargs))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def raw():
    servers = []

    def start(reply: bytes) -> RawServer:
        servers.append(RawServer(reply))
        return servers[-1]

    yield start
    for server in servers:
        server.close()
