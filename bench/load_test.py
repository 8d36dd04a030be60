"""Bounded load test of `mc2cm-graph serve` on 127.0.0.1 (not part of the test suite).

    python bench/load_test.py [--clients 20] [--requests 2000] [--workers 4] [--url URL]

Starts a server on a free port (unless --url is given), then CLIENTS threads, each on its
own keep-alive connection, share REQUESTS requests: a mix of a SPARQL SELECT, a saved query
through the API and a resource dereferenced as Turtle. Prints throughput, p50/p99 latency
and the error count as a Markdown table; exits non-zero if any request failed.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SELECT = ("PREFIX mc2cm: <https://w3id.org/mc2cm/ontology#> SELECT ?p ?pos WHERE { "
          "?p a mc2cm:Programme ; mc2cm:positionInSource ?pos } ORDER BY ?pos")
MIX = [
    ("SPARQL SELECT", "/sparql?" + urllib.parse.urlencode({"query": SELECT}),
     "application/sparql-results+json"),
    ("saved query (API)", "/api/programmes-by-target?target=10.7&lang=ar", "text/csv"),
    ("resource as Turtle", "/id/programme/sfax-acmals", "text/turtle"),
]


def start_server(workers: int) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "mc2cm_graph", "serve", "--port", "0", "--quiet",
         "--workers", str(workers)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    first = process.stdout.readline()
    while "serving" not in first:  # e.g. a "building it first" note
        if not first:
            raise SystemExit("the server did not start")
        first = process.stdout.readline()
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return process, first[first.index("http://"):].strip().rstrip("/")


def client(base: str, jobs, results: list, lock: threading.Lock) -> None:
    netloc = urllib.parse.urlsplit(base).netloc
    connection = http.client.HTTPConnection(netloc, timeout=30)
    local = []
    for name, path, accept in jobs:
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept": accept})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection(netloc, timeout=30)
        local.append((name, time.perf_counter() - started, ok))
    connection.close()
    with lock:
        results.extend(local)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000, help="total, all clients")
    parser.add_argument("--workers", type=int, default=4, help="server query workers")
    parser.add_argument("--url", help="an already running server (default: start one)")
    args = parser.parse_args()

    process, base = (None, args.url.rstrip("/")) if args.url else start_server(args.workers)
    try:
        mix = itertools.cycle(MIX)
        plan = [next(mix) for _ in range(args.requests)]
        shares = [plan[i::args.clients] for i in range(args.clients)]
        results: list = []
        lock = threading.Lock()
        threads = [threading.Thread(target=client, args=(base, share, results, lock))
                   for share in shares]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        if process is not None:
            process.terminate()
            process.wait(10)

    errors = sum(1 for _, _, ok in results if not ok)
    print(f"{args.clients} clients, {len(results)} requests in {elapsed:.2f} s, "
          f"{args.workers} query workers, {os.cpu_count()} CPUs\n")
    print("| requests | throughput (req/s) | p50 (ms) | p99 (ms) | errors |")
    print("|---|---|---|---|---|")
    rows = [("all", [r for r in results])] + [
        (name, [r for r in results if r[0] == name]) for name, _, _ in MIX]
    for name, subset in rows:
        latencies = [seconds * 1000 for _, seconds, _ in subset]
        rate = len(subset) / elapsed
        print(f"| {name} ({len(subset)}) | {rate:.0f} | {statistics.median(latencies):.1f} "
              f"| {percentile(latencies, 0.99):.1f} | "
              f"{sum(1 for _, _, ok in subset if not ok)} |")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
