"""The replica recipe (deploy/replicas/haproxy.cfg) as an operator runs it: two
`oxigraph serve-read-only` processes over one loaded store and `mc2cm-graph serve`, behind
Debian's HAProxy started with the recipe's own file, all on 127.0.0.1. Every saved query
answers through the balancer as on the embedded store; a replica killed mid-run costs no
request; brought back, it serves again."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from mc2cm_graph.query.dist import open_store
from mc2cm_graph.query.engine import LocalEngine
from mc2cm_graph.query.run import run_query
from mc2cm_graph.query.saved import load_catalogue
from tests.oxigraph_server import free_port, load_into, oxigraph_binary, wait_for_port
from tests.query.test_query_endpoint import _cases, comparable
from tests.query.test_query_params import SAMPLE
from tests.serve.conftest import Served, http

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "replicas" / "haproxy.cfg"
HAPROXY = shutil.which("haproxy") or ("/usr/sbin/haproxy"
                                      if Path("/usr/sbin/haproxy").is_file() else None)

pytestmark = pytest.mark.skipif(
    (HAPROXY is None or oxigraph_binary() is None) and not os.environ.get("CI"),
    reason="haproxy (Debian) or the oxigraph server (PyPI) not installed; .ci/run installs both")


class Replica:
    """One `oxigraph serve-read-only` process on a fixed port, so it can be killed and
    started again where the balancer expects it."""

    def __init__(self, location: Path):
        self.location, self.port = location, free_port()
        self.process: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [oxigraph_binary(), "serve-read-only", "--location", str(self.location),
             "--bind", self.address], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, process=self.process)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@contextlib.contextmanager
def balancer(replicas: list[Replica], pages: Served) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "MC2CM_LB_BIND": f"127.0.0.1:{port}",
           "MC2CM_REPLICA_1": replicas[0].address, "MC2CM_REPLICA_2": replicas[1].address,
           "MC2CM_PAGES": pages.url.removeprefix("http://")}
    check = subprocess.run([HAPROXY, "-c", "-f", str(CONFIG)], env=env, capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    process = subprocess.Popen([HAPROXY, "-db", "-f", str(CONFIG)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def cluster(built_dist, tmp_path_factory):
    location = tmp_path_factory.mktemp("replicated") / "store"
    load_into(location, built_dist / "mc2cm.ttl")
    replicas = [Replica(location), Replica(location)]  # one store folder, two readers
    pages = Served("--dist", str(built_dist))
    try:
        for replica in replicas:
            replica.start()
        with balancer(replicas, pages) as url:
            wait_until(lambda: replicas_serving(url, 2) == {"replica1", "replica2"})
            yield url, replicas
    finally:
        for replica in replicas:
            replica.kill()
        pages.stop()


def wait_until(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.2)


def ask(url: str) -> tuple[int, str | None]:
    request = urllib.request.Request(f"{url}/query?query=ASK%7B%7D",
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status, response.headers.get("X-Mc2cm-Replica")


def replicas_serving(url: str, requests: int) -> set[str]:
    return {ask(url)[1] for _ in range(requests * 2)}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_saved_query_answers_as_on_the_embedded_store(cluster, built_dist, lang):
    url, _ = cluster
    local_engine = LocalEngine(open_store(built_dist))
    for name, params in _cases():
        query = load_catalogue()[name]
        values = {p.name: SAMPLE[p.name] for p in query.params
                  if p.name != "lang" and (p.required or params == "given")}
        local = run_query(name, values, lang=lang, engine=local_engine)
        remote = run_query(name, values, lang=lang, endpoint=f"{url}/query")
        assert comparable(name, remote) == comparable(name, local), (name, params)


def test_the_page_api_and_resources_come_from_mc2cm_serve(cluster):
    url, _ = cluster
    status, headers, body = http(f"{url}/")
    assert status == 200 and "text/html" in headers["Content-Type"]
    status, _, body = http(f"{url}/api/programmes-by-target?target=10.7",
                           headers={"Accept": "text/csv"})
    assert status == 200 and len(body.strip().splitlines()) == 7  # header + 6 programmes
    status, _, _ = http(f"{url}/id/programme/sfax-acmals", headers={"Accept": "text/turtle"})
    assert status == 200


def test_a_replica_killed_mid_run_costs_no_request(cluster):
    url, replicas = cluster
    names = [name for name, params in _cases() if params == "given"]
    failures: list[str] = []
    served_by: list[str | None] = []
    done = threading.Event()

    def client(offset: int) -> None:
        count = 0
        while not done.is_set():
            name = names[(offset + count) % len(names)]
            query = load_catalogue()[name]
            values = {p.name: SAMPLE[p.name] for p in query.params if p.name != "lang"}
            try:
                result = run_query(name, values, endpoint=f"{url}/query")
                assert result.rows, name
                served_by.append(ask(url)[1])
            except Exception as err:  # every failure is counted, whatever its kind
                failures.append(f"{name}: {err!r}")
            count += 1

    threads = [threading.Thread(target=client, args=(i * 5,)) for i in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(3)
        replicas[0].kill()  # mid-run: requests are in flight on it
        killed_at = len(served_by)
        time.sleep(5)
        after_kill = served_by[killed_at + 20:]  # once the health check has taken it out
        replicas[0].start()
        wait_until(lambda: "replica1" in replicas_serving(url, 4))
        time.sleep(1)
    finally:
        done.set()
        for thread in threads:
            thread.join(60)
    assert not failures, failures[:5]
    assert len(served_by) > 40
    assert after_kill and set(after_kill) == {"replica2"}
