"""`mc2cm-graph publish` into a real store (oxigraph serve), read back with
`mc2cm-graph query --endpoint`; and the faults: store down, store hanging, upload cut off
half-way, credentials kept out of every message."""

import base64
import json
import socket
import threading
import time
import urllib.parse

import pytest

from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.publish import DEFAULT_GRAPH, graph_store_endpoint, make_target
from tests.canned_server import LoopbackServer, QuietHandler
from tests.oxigraph_server import free_port
from tests.serve.conftest import http, run_cli


def store_count(store: str, graph: str | None = None) -> int:
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"
    status, _, body = http(f"{store}/query?" + urllib.parse.urlencode({"query": query}),
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def file_triples(dist) -> int:
    import pyoxigraph as ox

    return sum(1 for _ in ox.parse(path=str(dist / "mc2cm.ttl"), format=ox.RdfFormat.TURTLE))


def publish_cli(dist, store, *extra, env=None):
    return run_cli("publish", "--store", store, "--dist", str(dist), *extra, env=env)


def test_publish_and_query_back_like_local(built_dist, oxigraph_store):
    done = publish_cli(built_dist, f"{oxigraph_store}/store", "--graph", "default")
    assert done.returncode == 0, done.stderr
    assert f"published {file_triples(built_dist)} triples into the default graph" in done.stdout
    args = ["query", "programmes-by-target", "--param", "target=10.7", "--format", "csv"]
    remote = run_cli(*args, "--endpoint", f"{oxigraph_store}/query")
    local = run_cli(*args, "--dist", str(built_dist))
    assert remote.returncode == local.returncode == 0, remote.stderr + local.stderr
    assert remote.stdout == local.stdout and "sfax-acmals" in local.stdout


def test_publish_twice_leaves_one_copy(built_dist, oxigraph_store):
    expected = file_triples(built_dist)
    for _ in range(2):
        assert publish_cli(built_dist, oxigraph_store).returncode == 0
    assert store_count(oxigraph_store, DEFAULT_GRAPH) == expected
    assert store_count(oxigraph_store, None) == 0  # nothing leaked into the default graph


def test_publish_replaces_what_was_there(built_dist, second_dist, oxigraph_store):
    assert publish_cli(second_dist, f"{oxigraph_store}/query").returncode == 0  # mapped
    assert store_count(oxigraph_store, DEFAULT_GRAPH) == file_triples(built_dist) + 1
    assert publish_cli(built_dist, f"{oxigraph_store}/store").returncode == 0
    assert store_count(oxigraph_store, DEFAULT_GRAPH) == file_triples(built_dist)


def test_store_down_is_a_clear_error(built_dist):
    done = publish_cli(built_dist, f"http://127.0.0.1:{free_port()}/store")
    assert done.returncode != 0
    assert "connection refused" in done.stderr and "is the store running" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_build_is_a_clear_error(tmp_path):
    done = publish_cli(tmp_path, "http://127.0.0.1:1/store")
    assert done.returncode != 0 and "built graph not found" in done.stderr


def test_store_that_never_answers_times_out(built_dist, listener):
    started = time.monotonic()
    done = publish_cli(built_dist, f"{listener.url}/store", "--timeout", "1")
    assert time.monotonic() - started < 30
    assert done.returncode != 0
    assert "did not answer within 1 s" in done.stderr
    assert len(listener.connections) == 1  # it did reach the (silent) store


class CuttingProxy:
    """Forwards a request to ``upstream`` but closes both sides half-way through its body."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(1)
        self.socket.settimeout(20)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.forwarded_body = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        client, _ = self.socket.accept()
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
        data = b""
        while b"\r\n\r\n" not in data:
            data += client.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        while len(body) < length // 2:
            body += client.recv(65536)
        body = body[: length // 2]
        upstream.sendall(head + b"\r\n\r\n" + body)
        self.forwarded_body = len(body)
        time.sleep(0.3)  # let the store start on the half it got
        upstream.close()
        client.close()
        self.socket.close()


def test_publish_cut_half_way_leaves_the_old_graph(built_dist, second_dist, oxigraph_store):
    assert publish_cli(built_dist, oxigraph_store).returncode == 0
    before = store_count(oxigraph_store, DEFAULT_GRAPH)
    proxy = CuttingProxy(int(oxigraph_store.rsplit(":", 1)[1]))
    done = publish_cli(second_dist, f"{proxy.url}/store", "--timeout", "10")
    proxy.thread.join(20)
    assert proxy.forwarded_body > 1000  # the store did get half an upload
    assert done.returncode != 0
    assert "cut off" in done.stderr and "keeps its previous graph" in done.stderr
    assert store_count(oxigraph_store, DEFAULT_GRAPH) == before
    ask = "ASK { GRAPH ?g { <https://w3id.org/mc2cm/id/test/marker> ?p ?o } }"
    _, _, body = http(f"{oxigraph_store}/query?" + urllib.parse.urlencode({"query": ask}),
                      headers={"Accept": "application/sparql-results+json"})
    assert json.loads(body)["boolean"] is False


class RecordingStore(LoopbackServer):
    """A fake Graph Store endpoint that answers ``status`` and echoes what it was sent."""

    def __init__(self, status: int):
        self.headers: list[dict] = []
        self.paths: list[str] = []
        recorder = self

        class Handler(QuietHandler):
            def do_PUT(self):  # noqa: N802
                recorder.headers.append(dict(self.headers))
                recorder.paths.append(self.path)
                self.rfile.read(int(self.headers["Content-Length"]))
                echo = f"denied for {self.headers.get('Authorization')} {self.path}".encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(echo)))
                self.end_headers()
                self.wfile.write(echo)

        super().__init__(Handler)


@pytest.mark.parametrize("status", [401, 204])
def test_credentials_never_appear_in_output(built_dist, status):
    store = RecordingStore(status)
    secret, url_secret = "s3cret-P4ss-word", "hunter2-url-pass"
    try:
        by_env = publish_cli(built_dist, f"{store.url}/store", "--user", "alice",
                             env={"MC2CM_STORE_PASSWORD": secret})
        by_url = publish_cli(built_dist, f"http://bob:{url_secret}@{store.url[7:]}/store")
        by_option = publish_cli(built_dist, f"{store.url}/store", "--user", "carol",
                                "--password", secret)
    finally:
        store.close()
    sent = [h.get("Authorization") for h in store.headers]
    tokens = [base64.b64encode(f"{u}:{p}".encode()).decode()
              for u, p in (("alice", secret), ("bob", url_secret), ("carol", secret))]
    assert sent == [f"Basic {t}" for t in tokens]  # the credentials did go to the store
    for done in (by_env, by_url, by_option):
        assert (done.returncode == 0) == (status == 204)
        shown = done.stdout + done.stderr
        for leaked in (secret, url_secret, *tokens):
            assert leaked not in shown
    if status == 401:
        assert "HTTP 401" in by_env.stderr and "denied for Basic ***" in by_env.stderr


@pytest.mark.parametrize(("store_path", "graph", "put_to"), [
    ("/ds/sparql", [], "/ds/data?graph=https%3A%2F%2Fw3id.org%2Fmc2cm%2Fid%2Fgraph%2Fmc2cm"),
    ("/ds/data", ["--graph", "default"], "/ds/data?default"),
    ("/query", ["--graph", "https://example.org/g?x=1"],
     "/store?graph=https%3A%2F%2Fexample.org%2Fg%3Fx%3D1"),
])
def test_fuseki_and_oxigraph_url_shapes(built_dist, store_path, graph, put_to):
    store = RecordingStore(204)
    try:
        done = publish_cli(built_dist, store.url + store_path, *graph)
    finally:
        store.close()
    assert done.returncode == 0, done.stderr
    assert store.paths == [put_to]
    assert store.headers[0]["Content-Type"].startswith("text/turtle")


@pytest.mark.parametrize(("given", "endpoint"), [
    ("http://localhost:7878", "http://localhost:7878/store"),
    ("http://localhost:7878/query", "http://localhost:7878/store"),
    ("http://localhost:7878/store", "http://localhost:7878/store"),
    ("http://localhost:3030/ds/sparql", "http://localhost:3030/ds/data"),
    ("http://localhost:3030/ds/data", "http://localhost:3030/ds/data"),
    ("https://u:p@example.org/rdf4j/repositories/mc2cm/statements",
     "https://example.org/rdf4j/repositories/mc2cm/statements"),
])
def test_store_url_to_graph_store_endpoint(given, endpoint):
    assert graph_store_endpoint(given)[0] == endpoint


def test_bad_store_url_and_graph():
    with pytest.raises(Mc2cmError, match="not an http"):
        make_target("ftp://x/store")
    with pytest.raises(Mc2cmError, match="absolute IRI"):
        make_target("http://localhost:7878", graph="not an iri")


class RedirectingStore(LoopbackServer):
    """Answers PUT with an HTML 200 and every read-back with a redirect to ``elsewhere``
    (issue 21: publish followed it, with the credentials, and reported success)."""

    def __init__(self, elsewhere: str):
        class Handler(QuietHandler):
            def do_PUT(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = b"<html><body>stored</body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_HEAD(self):  # noqa: N802
                self.send_response(302)
                self.send_header("Location", f"{elsewhere}/graph")
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_HEAD  # noqa: N815

        super().__init__(Handler)


@pytest.mark.parametrize("with_user", [True, False], ids=["credentials", "anonymous"])
def test_a_redirect_is_an_error_and_credentials_stay_home(built_dist, with_user):
    from tests.canned_server import CannedServer

    other = CannedServer(b"<https://e/s> <https://e/p> <https://e/o> .\n",
                         content_type="text/turtle")
    store = RedirectingStore(other.url.replace("127.0.0.1", "localhost"))
    try:
        extra = ("--user", "admin") if with_user else ()
        done = publish_cli(built_dist, f"{store.url}/store", *extra,
                           env={"MC2CM_STORE_PASSWORD": "se/cret"})
    finally:
        store.close()
        other.close()
    assert done.returncode != 0
    assert other.requests == []  # nothing, credentials or not, reached the other host
    assert "redirect (HTTP 302)" in done.stderr
    assert f"{store.url}/store" in done.stderr and "localhost" in done.stderr
    assert "se/cret" not in done.stdout + done.stderr


def test_a_password_with_a_raw_slash_is_sent_and_never_shown(built_dist):
    """Issue 21: `--store http://admin:se/cret@…` printed the password."""
    store = RecordingStore(401)
    try:
        done = publish_cli(built_dist, f"http://admin:se/cret@{store.url[7:]}/store")
    finally:
        store.close()
    token = base64.b64encode(b"admin:se/cret").decode()
    assert [h.get("Authorization") for h in store.headers] == [f"Basic {token}"]
    assert done.returncode != 0 and "HTTP 401" in done.stderr
    assert "se/cret" not in done.stdout + done.stderr and token not in done.stderr


def test_masking_a_short_password_leaves_other_words_whole():
    from mc2cm_graph.graph.credentials import masker

    mask = masker("x", "dXNlcjp4")
    assert mask("text/turtle: x rejected (dXNlcjp4)") == "text/turtle: *** rejected (***)"


def test_sparql_endpoint_credentials_are_sent_apart_and_never_shown():
    from tests.canned_server import CannedServer

    endpoint = CannedServer(b"no", status=500, content_type="text/plain")
    try:
        done = run_cli("sparql", "--endpoint",
                       f"http://user:secretpw@{endpoint.url[7:]}/sparql", "-",
                       env={"PYTHONIOENCODING": "utf-8"}, timeout=60, input_text="ASK {}")
    finally:
        endpoint.close()
    assert done.returncode != 0 and endpoint.requests  # it did ask the endpoint
    assert "secretpw" not in done.stdout + done.stderr
    assert f"{endpoint.url}/sparql" in done.stderr


@pytest.mark.parametrize("user", ["admin\r\nX: y", "admin\n"])
def test_a_user_name_with_a_line_break_is_a_clear_error(built_dist, user):
    done = publish_cli(built_dist, "http://127.0.0.1:9/store", "--user", user,
                       env={"MC2CM_STORE_PASSWORD": "pw"})
    assert done.returncode == 2 and "control character" in done.stderr
    assert "internal error" not in done.stderr
