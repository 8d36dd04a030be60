"""Probe `mc2cm-graph serve` under the issue-13 load mix (not part of the test suite).

    python bench/endpoint_probe.py [--clients 20] [--runaways 10] [--seconds 20]

Starts a server on a free port (default limits), then for SECONDS: RUNAWAYS threads each
send an expensive query again and again (a COUNT over a 4-way cross product, or the
memory-hungry 3-way ORDER BY) while CLIENTS - RUNAWAYS threads send cheap requests (ASK {},
a resource page as HTML, a saved query through the API, a one-pattern SELECT). The
runaways come from one loopback address (one client), each cheap thread from its own (the
server admits per client address: one address's runaways must not slow the others). Prints
p50/p99 of the cheap requests, how the runaways were answered, and the peak RSS of the
server plus its workers (sampled every 50 ms from /proc) as a Markdown table.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.local_server import rss_bytes, start_server  # noqa: E402

SFAX = "https://w3id.org/mc2cm/id/programme/sfax-acmals"
RUNAWAYS = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "SELECT * { ?s ?p ?o . ?s2 ?p2 ?o2 . ?s3 ?p3 ?o3 } ORDER BY ?o3 LIMIT 1",
]
CHEAP = [
    "/sparql?query=ASK%7B%7D",
    "/id/programme/sfax-acmals",
    "/api/programmes-by-target?target=10.7",
    "/sparql?" + urllib.parse.urlencode({"query": f"SELECT * {{ <{SFAX}> ?p ?o }}"}),
]






def fetch(url: str, timeout: float = 60, source: str = "127.0.0.1") -> int:
    import http.client

    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout,
                                            source_address=(source, 0))
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--runaways", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--serve-args", default="", help="extra `serve` options, quoted")
    args = parser.parse_args()
    process, base = start_server(args.serve_args.split())
    stop = threading.Event()
    cheap_latencies: list[float] = []
    cheap_status: collections.Counter = collections.Counter()
    runaway_status: collections.Counter = collections.Counter()
    peak = [0]

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss_bytes(process.pid, with_children=True))
            time.sleep(0.05)

    def runaway(index: int):
        query = RUNAWAYS[index % len(RUNAWAYS)]
        url = f"{base}/sparql?" + urllib.parse.urlencode({"query": query})
        while not stop.is_set():
            runaway_status[fetch(url, source="127.0.0.2")] += 1

    def cheap(index: int):
        n = index
        while not stop.is_set():
            started = time.monotonic()
            status = fetch(base + CHEAP[n % len(CHEAP)], source=f"127.0.0.{10 + index}")
            cheap_latencies.append(time.monotonic() - started)
            cheap_status[status] += 1
            n += 1

    threads = [threading.Thread(target=sample)]
    threads += [threading.Thread(target=runaway, args=(i,)) for i in range(args.runaways)]
    threads += [threading.Thread(target=cheap, args=(i,))
                for i in range(args.clients - args.runaways)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
        process.terminate()
        process.wait(30)
    ordered = sorted(cheap_latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"| clients | runaways | cheap requests | cheap p50 | cheap p99 | cheap statuses "
          f"| runaway statuses | peak RSS server + workers |\n|---|---|---|---|---|---|---|---|\n"
          f"| {args.clients} | {args.runaways} | {len(ordered)} | "
          f"{statistics.median(ordered) * 1000:.1f} ms | {p99 * 1000:.1f} ms | "
          f"{dict(cheap_status)} | {dict(runaway_status)} | {peak[0] / 1_048_576:.0f} MB |")
    return 0 if set(cheap_status) == {200} else 1


if __name__ == "__main__":
    sys.exit(main())
