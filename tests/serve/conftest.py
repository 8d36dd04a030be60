"""Servers for the server/publish tests: started on 127.0.0.1 (free ports), stopped after,
every wait bounded."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.canned_server import CannedServer
from tests.oxigraph_server import oxigraph_binary, running_oxigraph

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_cli(*args: str, timeout: float = 120, env: dict | None = None,
            input_text: str | None = None):
    """Run ``mc2cm-graph ARGS`` as a user would; returns the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "mc2cm_graph", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**cli_env(), **(env or {})}, input=input_text)


class Served:
    """A `mc2cm-graph serve` child process, its URL and the lines it printed."""

    def __init__(self, *args: str, env: dict | None = None):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mc2cm_graph", "serve", "--port", "0", "--quiet", *args],
            cwd=ROOT, env={**cli_env(), **(env or {})}, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.printed: list[str] = []
        deadline = time.monotonic() + START_SECONDS
        while not any("/sparql" in line for line in self.printed):
            try:
                self.printed.append(self.lines.get(timeout=max(0.1, deadline - time.monotonic())))
            except queue.Empty:
                self.stop()
                raise RuntimeError(f"server did not start: {self.printed}") from None
            if self.process.poll() is not None and self.lines.empty():
                raise RuntimeError(f"server exited: {self.printed}")
        announced = next(line for line in self.printed if " serving " in line)
        self.url = announced[announced.index("http://"):].rstrip("/")

    def _pump(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


@pytest.fixture(scope="session")
def server(built_dist):
    """The server most tests share: 2 s time limit, 300 results at most (the graph has
    over a thousand triples), three workers."""
    served = Served("--dist", str(built_dist), "--timeout", "2", "--max-results", "300",
                    "--workers", "3")
    yield served
    served.stop()


def http(url: str, *, method: str = "GET", data: bytes | None = None,
         headers: dict | None = None, timeout: float = 20):
    """(status, headers, body text) without raising on 4xx/5xx."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


def sparql_get(base: str, query: str, accept: str | None = None, **params):
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": query, **params})
    return http(url, headers={"Accept": accept} if accept else {})


def without_seccomp(folder: Path) -> dict[str, str]:
    """An environment in which `import pyseccomp` fails, as on a host without libseccomp:
    the server and its workers then have no second wall."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyseccomp.py").write_text(
        'raise ImportError("libseccomp is not installed on this host")\n')
    return {"PYTHONPATH": str(folder) + os.pathsep + cli_env()["PYTHONPATH"]}


@pytest.fixture(scope="session")
def unwalled_server(built_dist, tmp_path_factory):
    """A server on a host without the second wall, started as its operator must start it
    there: with --accept-no-network-wall."""
    env = without_seccomp(tmp_path_factory.mktemp("no-seccomp"))
    served = Served("--dist", str(built_dist), "--timeout", "2", "--max-results", "300",
                    "--workers", "2", "--accept-no-network-wall", env=env)
    yield served
    served.stop()


class Listener:
    """A loopback socket that records connections and never answers (a store that hangs,
    or a target that SERVICE/LOAD must not reach)."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            with contextlib.suppress(OSError):
                connection, _ = self.socket.accept()
                self.connections.append(connection)

    def close(self):
        self._stop.set()
        self._thread.join(2)
        for connection in self.connections:
            connection.close()
        self.socket.close()


@pytest.fixture
def listener():
    item = Listener()
    yield item
    item.close()


@pytest.fixture
def oxigraph_store():
    """A real `oxigraph serve` (in memory) on a free port; yields its base URL."""
    if oxigraph_binary() is None:
        pytest.skip("oxigraph server binary not installed (pip install oxigraph)")
    with running_oxigraph("serve") as url:
        yield url


class Bait(CannedServer):
    """A server holding 'private' SPARQL results: any request that reaches it (a SERVICE
    call, a FROM load) is recorded."""

    SECRET = "bait-private-value"

    def __init__(self):
        super().__init__(('{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal",'
                          f'"value":"{Bait.SECRET}"}}}}]}}}}').encode())


@pytest.fixture
def bait():
    item = Bait()
    yield item
    item.close()


@pytest.fixture(scope="module")
def tight_server(built_dist):
    """A server with small memory and answer limits (64 MB a query, 1 MB an answer)."""
    served = Served("--dist", str(built_dist), "--timeout", "20", "--workers", "1",
                    "--query-memory", "64", "--max-bytes", "1")
    yield served
    served.stop()


MARKER = "<https://w3id.org/mc2cm/id/test/marker> <http://www.w3.org/2000/01/rdf-schema#label> " \
         '"only in the second upload" .\n'


@pytest.fixture
def second_dist(built_dist, tmp_path):
    """The built graph plus one marker triple: a recognisably different upload."""
    other = tmp_path / "dist2"
    other.mkdir()
    (other / "mc2cm.ttl").write_text((built_dist / "mc2cm.ttl").read_text() + MARKER)
    return other
