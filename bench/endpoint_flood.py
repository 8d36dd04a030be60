"""Floods for `mc2cm-graph serve` (issue 21), run from here for the long figures and by
tests/serve/test_endpoint_flood.py for short reproductions.

    python bench/endpoint_flood.py light [--seconds 30]    # 2 light-lane bombers
    python bench/endpoint_flood.py memory [--clients 125]  # clients that never read

``light``: two clients (two loopback addresses) send queries that once held a light-lane
worker for seconds (VALUES cross products, negated path steps, parse bombs) again and
again, while a third client asks ASK {}, a resource page and a saved query through the API;
prints each kind's worst and median time. ``memory``: CLIENTS connections each ask for the
largest answer the server gives and never read it; prints the server's RSS (server
process only, and with its workers) before, at the peak and after the clients leave.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import socket
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.local_server import rss_bytes, start_server  # noqa: E402

VALUES_BOMB = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?v{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(9)) + " }"
BOMBS = [
    VALUES_BOMB,
    "SELECT (COUNT(*) AS ?n) WHERE { ?s " + "/".join(["(!<x:x>|^!<x:x>)"] * 4) + " ?o }",
    "ASK { FILTER(1 IN (" + ",".join(["1"] * 16_000) + ")) }",
    "ASK { FILTER(" + "+".join(["1"] * 16_000) + ") }",
    "SELECT ?x { ?x ?p ?o } GROUP BY " + " ".join(["?x"] * 10_000),
    "SELECT * { ?s " + " ; ".join(["?p ?o"] * 3_000) + " }",
    "SELECT * { " + " ".join(["FILTER(1)"] * 3_000) + " }",
]
SFAX = "https://w3id.org/mc2cm/id/programme/sfax-acmals"
CHEAP = {
    "ASK": "/sparql?query=ASK%7B%7D",
    "page": "/id/programme/sfax-acmals",
    "API": "/api/programmes-by-target?target=10.7",
}


def request(base: str, path: str, *, source: str = "127.0.0.1", method: str = "GET",
            body: bytes | None = None, headers: dict | None = None,
            timeout: float = 60) -> tuple[int, bytes]:
    """(status, body) of one request sent from the loopback address ``source``."""
    netloc = urllib.parse.urlsplit(base).netloc
    host, port = netloc.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout,
                                            source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def light_flood(base: str, seconds: float, bombers: int = 2) -> dict[str, list[float]]:
    """Seconds each cheap request took (by kind, plus "statuses" of all of them) while
    ``bombers`` clients send BOMBS for ``seconds``."""
    stop = threading.Event()

    def bomber(index: int):
        source, n = f"127.0.0.{10 + index}", index
        while not stop.is_set():
            with contextlib.suppress(OSError):
                request(base, "/sparql", source=source, method="POST",
                        body=BOMBS[n % len(BOMBS)].encode(),
                        headers={"Content-Type": "application/sparql-query"})
            n += 1

    threads = [threading.Thread(target=bomber, args=(i,), daemon=True) for i in range(bombers)]
    for thread in threads:
        thread.start()
    times: dict[str, list[float]] = {name: [] for name in CHEAP}
    statuses: list[float] = []
    time.sleep(1)  # the bombs are in
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        for name, path in CHEAP.items():
            started = time.monotonic()
            status, _ = request(base, path, source="127.0.0.2")
            times[name].append(time.monotonic() - started)
            statuses.append(status)
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(30)
    return {**times, "statuses": statuses}




def non_readers(base: str, path: str, clients: int, hold: float) -> list[socket.socket]:
    """``clients`` connections (from distinct loopback addresses, 4 each) that ask for
    ``path`` and never read the answer; closed after ``hold`` seconds."""
    host, port = urllib.parse.urlsplit(base).netloc.rsplit(":", 1)
    sockets = []
    for index in range(clients):
        connection = socket.socket()
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        connection.bind((f"127.0.{1 + index // 1000}.{20 + index // 4 % 200}", 0))
        connection.connect((host, int(port)))
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        sockets.append(connection)
    time.sleep(hold)
    return sockets




def big_answer_path(row_bytes: int = 2_000) -> str:
    """A request for a large answer: every triple with a ROW_BYTES constant, as CSV (the
    seed graph's 5,309 triples make 11.4 MB, under the server's 16 MB limit on an answer:
    a larger one is refused with 422 and tests nothing), rated cheap (one triple pattern)."""
    query = f'SELECT ?s ?p ?o ("{"x" * row_bytes}" AS ?x) WHERE {{ ?s ?p ?o }}'
    return "/sparql?" + urllib.parse.urlencode({"query": query, "format": "csv"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("flood", choices=["light", "memory"])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=125)
    parser.add_argument("--serve-args", default="", help="extra `serve` options, quoted")
    args = parser.parse_args()
    process, base = start_server(args.serve_args.split())
    try:
        if args.flood == "light":
            times = light_flood(base, args.seconds)
            statuses = times.pop("statuses")
            for name, each in times.items():
                print(f"{name}: {len(each)} requests, median {statistics.median(each):.3f} s, "
                      f"worst {max(each):.3f} s")
            print(f"statuses: {sorted(set(statuses))}")
        else:
            before = rss_bytes(process.pid)
            peak = [before]
            stop = threading.Event()

            def sample():
                while not stop.is_set():
                    peak[0] = max(peak[0], rss_bytes(process.pid))
                    time.sleep(0.1)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            sockets = non_readers(base, big_answer_path(), args.clients, args.seconds)
            for each in sockets:
                each.close()
            time.sleep(5)
            stop.set()
            print(f"server RSS: before {before / 2**20:.0f} MB, peak {peak[0] / 2**20:.0f} MB, "
                  f"5 s after the clients left {rss_bytes(process.pid) / 2**20:.0f} MB")
    finally:
        process.terminate()
        process.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
