"""When to move to a triple store, measured: the release of N synthetic programmes on the
embedded store (pyoxigraph), on Oxigraph server and on Virtuoso 7, side by side.

    python bench/engines.py --programmes 100000 --work /tmp/engines100k
    python bench/engines.py --programmes 10000 --work /tmp/engines10k --repeat 3

Steps (the data and the release are made once per work folder and reused):
- `mc2cm-graph synth --programmes N --seed 1`, then the release as bench/run.py makes it
  (store load -> reasoning -> ours + SDG slice, written by the store), in child processes;
- embedded: `Store.bulk_load` of the release, as `mc2cm-graph query` loads it; peak RSS is
  this process's (it holds only that store);
- Oxigraph server: `oxigraph load` + `optimize` into a folder, then `serve-read-only`
  (docs/scale.md's way; `--oxigraph publish`: one Graph Store PUT into `oxigraph serve`);
  peak memory is the largest of the three processes';
- Virtuoso (deploy/virtuoso/virtuoso.ini with a 2 GB cache, `MaxQueryMem` 2G, no row or
  time limit; setup.sql), loaded with `publish` (one Graph Store PUT of the whole release)
  or its bulk loader (`--virtuoso bulk`); peak memory is the server process's VmHWM;
- every saved query, bound as bench/run.py binds it, through the package's query path
  (LocalEngine; RemoteEngine: SPARQL JSON over HTTP, as `query --endpoint`), the median of
  --repeat runs (one run only when the first took longer than --patience), with its rows
  on each engine: their count, and whether they are the same rows as the embedded store's
  (compared as the saved-query tests compare them);
- on a server, each query has --timeout seconds, and a watch reads the server's resident
  memory every 0.2 s: past --memory-limit MB it kills the server (the machine is shared).
  Either way the query is recorded as failed with the measured reason, and the server is
  started again on its loaded store for the next query.

Prints a Markdown table and writes WORK/engines.json (with the load average and the memory
available at each stage). Not part of pytest: timings belong here.
"""

from __future__ import annotations

import argparse
import collections
import configparser
import contextlib
import hashlib
import importlib
import json
import multiprocessing
import os
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from queries_at_scale import build_release  # noqa: E402
from run import QUADRATIC_MAX_TRIPLES, QUADRATIC_QUERIES, saved_queries  # noqa: E402

VIRTUOSO_SETTINGS = {
    ("Parameters", "NumberOfBuffers"): "250000",  # 8 KB pages: 2 GB of cache
    ("Parameters", "MaxDirtyBuffers"): "187500",
    # Memory a query may take: without a cap, `programmes` at 100k grew Virtuoso past 20 GB
    # (killed by the kernel on this 24 GB machine).
    ("Parameters", "MaxQueryMem"): "2G",
    ("SPARQL", "ResultSetMaxRows"): "10000000",  # every row, as the other engines give
    ("SPARQL", "MaxQueryExecutionTime"): "0",  # no limit (a limit gives partial answers)
    ("SPARQL", "MaxQueryCostEstimationTime"): "0",
}
TIMEOUT = 3600.0  # publishing a release
QUERY_TIMEOUT = 600.0
MEMORY_LIMIT_MB = 10_000.0
PATIENCE = 30.0
RESTART_SECONDS = 300


def memory_mb(pid: int, key: str = "VmRSS") -> float | None:
    """A running process's resident memory (or ``key``, e.g. VmHWM: its peak), in MB (None:
    it has exited)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    return None  # a zombie has no memory lines


def peak_memory_mb(pid: int) -> float | None:
    """Peak resident memory (VmHWM) of a running process, in MB (None: it has exited)."""
    return memory_mb(pid, "VmHWM")


def machine(stage: str) -> dict:
    """The load average and the memory the kernel reports available, beside a stage."""
    available = next(int(line.split()[1]) / 1024 for line in
                     Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemAvailable:"))
    state = {"stage": stage, "load_average": os.getloadavg(), "available_mb": available}
    print(f"machine at {stage}: load {state['load_average']}, {available:.0f} MB available",
          flush=True)
    return state


class MemoryWatch(threading.Thread):
    """Reads a server's resident memory every 0.2 s while a query runs; past ``limit_mb``
    it kills the server, so one query cannot starve a shared machine."""

    def __init__(self, pid: int, limit_mb: float):
        super().__init__(daemon=True)
        self.pid, self.limit_mb = pid, limit_mb
        self.peak, self.killed_at = 0.0, None
        self._done = threading.Event()
        self.start()

    def run(self) -> None:
        while True:
            resident = memory_mb(self.pid)
            if resident is None:
                return
            self.peak = max(self.peak, resident)
            if resident > self.limit_mb:
                self.killed_at = resident
                os.kill(self.pid, signal.SIGKILL)
                return
            if self._done.wait(0.2):
                return

    def stop(self) -> None:
        self._done.set()
        self.join()


@dataclass
class Server:
    """A server under test: its process, the per-query limits, and how to start it again
    on its loaded store after a query had to be stopped (None: it cannot be)."""

    pid: int
    timeout: float
    limit_mb: float
    restart: Callable[[], int] | None = None

    def failed(self, watch: MemoryWatch, message: str) -> str:
        """The measured reason a query failed; the server is started again if it had to be
        stopped."""
        if watch.killed_at is not None:
            reason = (f"stopped at {watch.killed_at:,.0f} MB resident (the bench's limit, "
                      f"{self.limit_mb:,.0f} MB)")
        elif "timed out" in message:
            reason = (f"no answer within {self.timeout:.0f} s ({watch.peak:,.0f} MB resident "
                      "by then)")
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)  # it would go on working on the query
        else:  # the server's own refusal (e.g. its MaxQueryMem), in its words
            return " ".join(message.split("Response:")[-1].split())[:300]
        if self.restart is not None:
            self.pid = self.restart()
        return reason


def prepare(programmes: int, work: Path) -> Path:
    data, release = work / "data", work / "release.ttl"
    if not data.exists():
        subprocess.run([sys.executable, "-m", "mc2cm_graph", "synth", "--programmes",
                        str(programmes), "--seed", "1", "--out", str(data)], check=True)
    if not release.exists():
        child = multiprocessing.get_context("spawn").Process(target=build_release,
                                                             args=(data, release))
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"building the release failed ({child.exitcode})")
    return release


def median_run(engine, text: str, repeat: int, patience: float):
    """(median seconds, runs, last result): one run only when it took over ``patience``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = engine.select(text)
        times.append(time.perf_counter() - start)
        if times[-1] > patience:
            break
    return statistics.median(times), len(times), result


def _comparable():
    """The saved-query tests' comparison of two answers (terms as N-Triples text, list
    columns as sets, geometries as coordinates, the order key in row order)."""
    for module in ("tests.query.test_query_endpoint", "tests.query.test_query_endpoint"):
        with contextlib.suppress(ModuleNotFoundError):
            found = importlib.import_module(module)
            return found.comparable, found.ORDER_KEYS
    raise SystemExit("the saved-query tests' comparison (test_query_endpoint) is not found")


def _plain(value):
    if isinstance(value, (frozenset, set)):
        return tuple(sorted(value))
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


def rows_digest(name: str, result) -> str:
    """A digest of an answer that is equal on two engines when their rows are the same."""
    comparable, order_keys = _comparable()
    if name in order_keys:
        keys, rows = comparable(name, result)
    else:  # the two ad-hoc queries: plain terms, compared as a multiset of rows
        keys = []
        rows = collections.Counter(
            tuple((c, None if row.get(c) is None else str(row[c])) for c in result.variables)
            for row in result.rows)
    text = repr(_plain(tuple(keys))) + "\n".join(
        sorted(repr((_plain(row), count)) for row, count in rows.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def answer_rows(accept: str, body: bytes) -> int | None:
    """The rows in an answer in SPARQL CSV/TSV (records less the header), SPARQL XML (its
    result elements) or SPARQL JSON (its bindings); None for another media type."""
    if accept == "application/sparql-results+json":
        return len(json.loads(body)["results"]["bindings"])
    if accept in ("text/csv", "text/tab-separated-values"):
        import csv
        import io

        dialect = "excel" if accept == "text/csv" else "excel-tab"
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")), dialect)) - 1
    if accept == "application/sparql-results+xml":
        from xml.etree import ElementTree

        results = "{http://www.w3.org/2005/sparql-results#}result"
        return sum(1 for _ in ElementTree.fromstring(body).iter(results))
    return None


def raw_answer(url: str, text: str, accept: str, timeout: float) -> list:
    """[seconds to the last byte, bytes, rows] of one answer in the media type ``accept`` (a
    plain HTTP POST, as the SPARQL protocol allows), or [None, why not]."""
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode({"query": text}).encode(),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = answer.read()
    except OSError as err:
        return [None, str(err)[:200]]
    return [time.perf_counter() - start, len(body), answer_rows(accept, body)]


def raw_only(name: str, url: str, text: str, formats: tuple[str, ...], server: Server,
             watch: MemoryWatch) -> list:
    """A query asked in ``formats`` only (no SPARQL JSON), the first format timed as the
    query's time: [seconds, rows, 1, None, server's peak MB, {media type: [seconds, bytes,
    rows]}], or [None, the measured reason] (the server stopped and started again if it
    had to be)."""
    answers = {}
    for media in formats:
        answers[media] = raw_answer(url, text, media, server.timeout)
        if answers[media][0] is None:
            watch.stop()
            return [None, f"as {media}: " + server.failed(watch, answers[media][1]),
                    answers]
    first = answers[formats[0]]
    return [first[0], first[2], 1, None, watch.peak, answers]


def time_queries(engine, texts: dict[str, str], repeat: int, patience: float = PATIENCE,
                 server: Server | None = None, formats: tuple[str, ...] = (),
                 json_answers: bool = True) -> dict[str, list]:
    """name -> [median seconds, rows, runs, rows digest, server's peak MB during it,
    {media type: [seconds, bytes, rows] of one answer in it}], or [None, the measured reason
    it failed]. Without ``json_answers`` (on a server), each query is asked in ``formats``
    only (raw_only)."""
    from mc2cm_graph.graph.errors import Mc2cmError

    times = {}
    for name, text in texts.items():
        watch = MemoryWatch(server.pid, server.limit_mb) if server else None
        if server and not json_answers:
            times[name] = raw_only(name, engine.endpoint, text, formats, server, watch)
            watch.stop()
            print(f"  {name:40} {times[name]}", flush=True)
            continue
        try:
            seconds, runs, result = median_run(engine, text, repeat, patience)
            times[name] = [seconds, len(result.rows), runs, rows_digest(name, result),
                           watch.peak if watch else None,
                           {media: raw_answer(engine.endpoint, text, media, server.timeout)
                            for media in formats}]
        except Mc2cmError as err:
            if watch:
                watch.stop()
            times[name] = [None, server.failed(watch, err.message) if server
                           else err.message[:200]]
        finally:
            if watch:
                watch.stop()
        print(f"  {name:40} {times[name]}", flush=True)
    return times


def bound_queries(engine, only: str = "") -> dict[str, str]:
    """The saved queries bound on ``engine`` (without the embedded store: on a server), less
    the quadratic ones past their size; with ``only`` (comma-separated names), those."""
    triples = int(engine.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
                  .rows[0]["n"].value)
    wanted = set(filter(None, only.split(",")))
    return {name: text for name, text in saved_queries(engine).items()
            if not (name in QUADRATIC_QUERIES and triples > QUADRATIC_MAX_TRIPLES)
            and (not wanted or name in wanted)}


def embedded(release: Path, opts) -> tuple[dict, dict[str, str]]:
    import pyoxigraph as ox

    from mc2cm_graph.query.engine import LocalEngine

    store = ox.Store()
    start = time.perf_counter()
    store.bulk_load(path=str(release), format=ox.RdfFormat.TURTLE)
    loaded = time.perf_counter() - start
    triples = len(store)
    engine = LocalEngine(store)
    texts = bound_queries(engine, opts.only)
    print(f"embedded: {triples} triples loaded in {loaded:.1f} s", flush=True)
    queries = time_queries(engine, texts, opts.repeat, opts.patience)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"triples": triples, "load": loaded, "peak_mb": peak, "queries": queries}, texts


def served_queries(query_url: str, pid: int, texts: dict[str, str], opts,
                   restart: Callable[[], int] | None = None) -> tuple[dict, Server]:
    from mc2cm_graph.query.engine import RemoteEngine

    server = Server(pid, opts.timeout, opts.memory_limit, restart)
    engine = RemoteEngine(query_url, timeout=opts.timeout)
    texts = texts or bound_queries(engine, opts.only)
    formats = tuple(media for media in opts.formats.split(",") if media)
    return time_queries(engine, texts, opts.repeat, opts.patience, server,
                        formats, not opts.no_json), server


def published(label: str, release: Path, store_url: str, query_url: str, pid: int,
              texts: dict[str, str], opts, user=None, password=None) -> dict:
    from mc2cm_graph.publish import make_target, publish

    start = time.perf_counter()
    publish(release, make_target(store_url, user=user, password=password), timeout=TIMEOUT)
    loaded = time.perf_counter() - start
    print(f"{label}: published in {loaded:.1f} s", flush=True)
    queries, server = served_queries(query_url, pid, texts, opts)
    return {"load": loaded, "peak_mb": peak_memory_mb(server.pid), "queries": queries}


def timed_child(command: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of a command run to its end."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"{command[:2]} failed ({status})")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def oxigraph(release: Path, work: Path, texts: dict[str, str], opts) -> dict:
    """``bulk``: `oxigraph load` + `optimize`, then `serve-read-only` (docs/scale.md's way);
    ``publish``: `oxigraph serve` and one Graph Store PUT."""
    from tests.oxigraph_server import oxigraph_binary, oxigraph_process

    location = work / "oxigraph-db"
    subprocess.run(["rm", "-rf", str(location)], check=True)
    if opts.oxigraph == "publish":
        with oxigraph_process("serve", "--location", location, "--union-default-graph") as (
                url, process):
            return published("oxigraph serve", release, f"{url}/store", f"{url}/query",
                             process.pid, texts, opts)
    binary = oxigraph_binary()
    load, load_peak = timed_child([binary, "load", "--location", str(location),
                                   "--file", str(release)])
    optimize, optimize_peak = timed_child([binary, "optimize", "--location", str(location)])
    print(f"oxigraph load {load:.1f} s ({load_peak:.0f} MB), optimize {optimize:.1f} s",
          flush=True)
    with oxigraph_process("serve-read-only", "--location", location) as (url, process):
        queries, server = served_queries(f"{url}/query", process.pid, texts, opts)
        serving = peak_memory_mb(server.pid)
    peaks = [load_peak, optimize_peak] + ([serving] if serving else [])
    return {"load": load + optimize, "peak_mb": max(peaks),
            "load_detail": {"load": load, "optimize": optimize, "load_peak_mb": load_peak,
                            "serve_peak_mb": serving}, "queries": queries}


def virtuoso_restarter(folder: Path, started: list[subprocess.Popen]) -> Callable[[], int]:
    """Starts Virtuoso again on its database in ``folder`` (loaded and checkpointed), with
    the ini running_virtuoso wrote; the processes go into ``started`` to be stopped."""
    from tests.oxigraph_server import wait_for_port
    from tests.virtuoso_server import virtuoso_binary, wait_for_sparql

    def restart() -> int:
        ini = folder / "virtuoso.ini"
        (folder / "virtuoso.lck").unlink(missing_ok=True)  # left by the killed server
        process = subprocess.Popen([virtuoso_binary(), "+foreground", "+configfile", str(ini)],
                                   cwd=folder, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        started.append(process)
        config = configparser.ConfigParser(interpolation=None)
        config.read(ini, encoding="utf-8")
        sql_port = int(config["Parameters"]["ServerPort"].rsplit(":", 1)[1])
        wait_for_port(sql_port, RESTART_SECONDS, process)
        wait_for_sparql(f"http://{config['HTTPServer']['ServerPort']}/sparql", process,
                        RESTART_SECONDS)
        print(f"  (Virtuoso started again: pid {process.pid})", flush=True)
        return process.pid

    return restart


def virtuoso(release: Path, work: Path, texts: dict[str, str], opts) -> dict:
    """``publish``: one Graph Store PUT with Digest; ``bulk``: Virtuoso's bulk loader
    (ld_dir + rdf_loader_run over a hard link of the release in its folder); ``reuse``: the
    store an earlier run loaded in ``work``, started again."""
    from mc2cm_graph.publish import DEFAULT_GRAPH
    from tests.virtuoso_server import PUBLISHER, running_virtuoso

    folder = work / "virtuoso-db"
    started: list[subprocess.Popen] = []
    restart = virtuoso_restarter(folder, started)
    if opts.virtuoso == "reuse":
        try:
            config = configparser.ConfigParser(interpolation=None)
            config.read(folder / "virtuoso.ini", encoding="utf-8")
            pid = restart()
            queries, served = served_queries(
                f"http://{config['HTTPServer']['ServerPort']}/sparql", pid, texts, opts,
                restart)
            return {"load": 0.0, "peak_mb": peak_memory_mb(served.pid),
                    "restarts": len(started) - 1, "queries": queries}
        finally:
            stop(started)
    subprocess.run(["rm", "-rf", str(folder)], check=True)
    try:
        with running_virtuoso(folder, VIRTUOSO_SETTINGS) as server:
            if opts.virtuoso == "publish":
                return published("virtuoso", release, server.store, server.sparql,
                                 server.pid, texts, opts, user=PUBLISHER,
                                 password=server.publisher_password)
            os.link(release, folder / release.name)
            start = time.perf_counter()
            server.isql(f"ld_dir ('.', '{release.name}', '{DEFAULT_GRAPH}');",
                        "rdf_loader_run ();", "checkpoint;", timeout=TIMEOUT)
            loaded = time.perf_counter() - start
            print(f"virtuoso bulk load {loaded:.1f} s "
                  f"({peak_memory_mb(server.pid):,.0f} MB peak)", flush=True)
            queries, served = served_queries(server.sparql, server.pid, texts, opts,
                                              restart)
            return {"load": loaded, "peak_mb": peak_memory_mb(served.pid),
                    "restarts": len(started), "queries": queries}
    finally:
        stop(started)


def stop(processes: list[subprocess.Popen]) -> None:
    from tests.oxigraph_server import stop_process

    for process in processes:
        stop_process(process, grace=60)


def cell(result: list, repeat: int) -> str:
    seconds, rows = result[:2]
    if seconds is None:
        return f"fails: {rows}"
    runs = "" if len(result) < 3 or result[2] >= repeat else f" ({result[2]} run)"
    return (f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s") + runs


def rows_mark(name: str, results: dict, engines: list[str]) -> str:
    """Empty when every engine that answered gave the first engine's rows (the embedded
    store's)."""
    answered = {e: results[e]["queries"][name] for e in engines
                if results[e]["queries"][name][0] is not None}
    if engines[0] not in answered:
        return ""
    own = answered.pop(engines[0])
    differ = [f"{e} {q[1]}" for e, q in answered.items() if q[1] != own[1] or q[3] != own[3]]
    return f" (rows differ: {', '.join(differ)})" if differ else ""


def table(results: dict) -> str:
    engines = [e for e in ("embedded", "oxigraph", "virtuoso") if e in results]
    names = {"embedded": "embedded (pyoxigraph)", "oxigraph": "Oxigraph server",
             "virtuoso": "Virtuoso 7"}
    lines = [f"| | rows | {' | '.join(names[e] for e in engines)} |",
             f"|---|---|{'---|' * len(engines)}",
             f"| load | {results.get('embedded', {}).get('triples', 0):,} triples | "
             + " | ".join(f"{results[e]['load']:.1f} s" for e in engines) + " |",
             "| peak memory | | "
             + " | ".join("server gone" if results[e]["peak_mb"] is None
                          else f"{results[e]['peak_mb']:,.0f} MB" for e in engines) + " |"]
    for name in results[engines[0]]["queries"]:
        counts = [results[e]["queries"][name][1] for e in engines
                  if results[e]["queries"][name][0] is not None
                  and results[e]["queries"][name][1] is not None]
        rows = f"{counts[0]:,}" if counts else ""
        lines.append(f"| {name}{rows_mark(name, results, engines)} | {rows} | "
                     + " | ".join(cell(results[e]["queries"][name], results["repeat"])
                                for e in engines) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=100_000)
    parser.add_argument("--work", type=Path, required=True, help="folder for data and stores")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query (the median)")
    parser.add_argument("--patience", type=float, default=PATIENCE,
                        help="seconds past which a query is run once only")
    parser.add_argument("--timeout", type=float, default=QUERY_TIMEOUT,
                        help="seconds a server has for one query")
    parser.add_argument("--memory-limit", type=float, default=MEMORY_LIMIT_MB,
                        help="MB of resident memory past which a server is stopped")
    parser.add_argument("--engines", default="embedded,oxigraph,virtuoso",
                        help="the engines to run (without the embedded store, the queries "
                             "are bound on the server)")
    parser.add_argument("--only", default="", help="these saved queries (comma-separated)")
    parser.add_argument("--texts", type=Path,
                        help="the queries as an earlier run bound them (its WORK/texts.json), "
                             "instead of binding them on a server: binding `programme` there "
                             "fetches every programme's names (at 100k, 10 min and more on "
                             "Virtuoso)")
    parser.add_argument("--formats", default="",
                        help="media types (comma-separated) of one more answer per query "
                             "on the servers, timed beside SPARQL JSON, e.g. "
                             "text/csv,application/sparql-results+xml")
    parser.add_argument("--no-json", action="store_true",
                        help="on the servers, ask each query in --formats only (the first "
                             "timed as the query's time; rows counted, not compared): "
                             "Virtuoso's SPARQL JSON writer is the slow part of its largest "
                             "answers")
    parser.add_argument("--oxigraph", choices=("bulk", "publish"), default="bulk",
                        help="load Oxigraph with `oxigraph load` + `optimize` (default), or "
                             "publish into `oxigraph serve` (one PUT: at 100k, not done "
                             "after 24 min and 12 GB)")
    parser.add_argument("--virtuoso", choices=("bulk", "publish", "reuse"), default="bulk",
                        help="load Virtuoso with its bulk loader (default) or `publish` (one "
                             "PUT: Virtuoso 7.2.5 aborts it past about 0.5 M triples), or "
                             "reuse the store an earlier run loaded in WORK")
    opts = parser.parse_args(argv)
    opts.work.mkdir(parents=True, exist_ok=True)
    results, texts, stages = {}, {}, [machine("start")]
    release = prepare(opts.programmes, opts.work)
    stages.append(machine("release made"))
    if opts.texts:
        wanted = set(filter(None, opts.only.split(",")))
        texts = {name: text for name, text in
                 json.loads(opts.texts.read_text(encoding="utf-8")).items()
                 if not wanted or name in wanted}
    if "embedded" in opts.engines:
        results["embedded"], texts = embedded(release, opts)
        (opts.work / "texts.json").write_text(json.dumps(texts, indent=1), encoding="utf-8")
        stages.append(machine("embedded done"))
    if "oxigraph" in opts.engines:
        results["oxigraph"] = oxigraph(release, opts.work, texts, opts)
        stages.append(machine("Oxigraph server done"))
    if "virtuoso" in opts.engines:
        results["virtuoso"] = virtuoso(release, opts.work, texts, opts)
        stages.append(machine("Virtuoso done"))
    results["machine"], results["repeat"] = stages, opts.repeat
    (opts.work / "engines.json").write_text(json.dumps(results, indent=1))
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
