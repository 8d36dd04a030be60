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
- Virtuoso (deploy/virtuoso/virtuoso.ini with a 2 GB cache, no row or time limit;
  setup.sql), loaded with `publish` (one Graph Store PUT of the whole release); peak
  memory is the server process's VmHWM;
- every saved query, bound as bench/run.py binds it, through the package's query path
  (LocalEngine; RemoteEngine: SPARQL JSON over HTTP, as `query --endpoint`), best of
  --repeat, with its row count on each engine.

Prints a Markdown table and writes WORK/engines.json. Not part of pytest: timings belong here.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from queries_at_scale import best_of, build_release  # noqa: E402
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
TIMEOUT = 3600.0


def peak_memory_mb(pid: int) -> float | None:
    """Peak resident memory (VmHWM) of a running process, in MB (None: it has exited)."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


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


def time_queries(engine, texts: dict[str, str], repeat: int) -> dict[str, list]:
    """name -> [best seconds, rows], or [None, error text]."""
    from mc2cm_graph.graph.errors import Mc2cmError

    times = {}
    for name, text in texts.items():
        try:
            seconds, rows = best_of(repeat, lambda text=text: len(engine.select(text).rows))
            times[name] = [seconds, rows]
        except Mc2cmError as err:
            times[name] = [None, err.message[:120]]
        print(f"  {name:40} {times[name]}", flush=True)
    return times


def embedded(release: Path, repeat: int) -> tuple[dict, dict[str, str]]:
    import pyoxigraph as ox

    from mc2cm_graph.query.engine import LocalEngine

    store = ox.Store()
    start = time.perf_counter()
    store.bulk_load(path=str(release), format=ox.RdfFormat.TURTLE)
    loaded = time.perf_counter() - start
    triples = len(store)
    engine = LocalEngine(store)
    texts = {name: text for name, text in saved_queries(engine).items()
             if not (name in QUADRATIC_QUERIES and triples > QUADRATIC_MAX_TRIPLES)}
    print(f"embedded: {triples} triples loaded in {loaded:.1f} s", flush=True)
    queries = time_queries(engine, texts, repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"triples": triples, "load": loaded, "peak_mb": peak, "queries": queries}, texts


def published(label: str, release: Path, store_url: str, query_url: str, pid: int,
              texts: dict[str, str], repeat: int, user=None, password=None) -> dict:
    from mc2cm_graph.publish import make_target, publish
    from mc2cm_graph.query.engine import RemoteEngine

    start = time.perf_counter()
    publish(release, make_target(store_url, user=user, password=password), timeout=TIMEOUT)
    loaded = time.perf_counter() - start
    print(f"{label}: published in {loaded:.1f} s", flush=True)
    queries = time_queries(RemoteEngine(query_url, timeout=TIMEOUT), texts, repeat)
    return {"load": loaded, "peak_mb": peak_memory_mb(pid), "queries": queries}


def timed_child(command: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of a command run to its end."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"{command[:2]} failed ({status})")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def oxigraph(release: Path, work: Path, texts: dict[str, str], repeat: int,
             how: str = "bulk") -> dict:
    """``bulk``: `oxigraph load` + `optimize`, then `serve-read-only` (docs/scale.md's way);
    ``publish``: `oxigraph serve` and one Graph Store PUT."""
    from tests.oxigraph_server import oxigraph_binary, oxigraph_process

    location = work / "oxigraph-db"
    subprocess.run(["rm", "-rf", str(location)], check=True)
    if how == "publish":
        with oxigraph_process("serve", "--location", location, "--union-default-graph") as (
                url, process):
            return published("oxigraph serve", release, f"{url}/store", f"{url}/query",
                             process.pid, texts, repeat)
    binary = oxigraph_binary()
    load, load_peak = timed_child([binary, "load", "--location", str(location),
                                   "--file", str(release)])
    optimize, optimize_peak = timed_child([binary, "optimize", "--location", str(location)])
    print(f"oxigraph load {load:.1f} s ({load_peak:.0f} MB), optimize {optimize:.1f} s",
          flush=True)
    from mc2cm_graph.query.engine import RemoteEngine

    with oxigraph_process("serve-read-only", "--location", location) as (url, process):
        queries = time_queries(RemoteEngine(f"{url}/query", timeout=TIMEOUT), texts, repeat)
        serving = peak_memory_mb(process.pid)
    peaks = [load_peak, optimize_peak] + ([serving] if serving else [])
    return {"load": load + optimize, "peak_mb": max(peaks),
            "load_detail": {"load": load, "optimize": optimize, "load_peak_mb": load_peak,
                            "serve_peak_mb": serving}, "queries": queries}


def virtuoso(release: Path, work: Path, texts: dict[str, str], repeat: int,
             how: str = "publish") -> dict:
    """``publish``: one Graph Store PUT with Digest; ``bulk``: Virtuoso's bulk loader
    (ld_dir + rdf_loader_run over a hard link of the release in its folder)."""
    from mc2cm_graph.publish import DEFAULT_GRAPH
    from mc2cm_graph.query.engine import RemoteEngine
    from tests.virtuoso_server import PUBLISHER, running_virtuoso

    folder = work / "virtuoso-db"
    subprocess.run(["rm", "-rf", str(folder)], check=True)
    with running_virtuoso(folder, VIRTUOSO_SETTINGS) as server:
        if how == "publish":
            return published("virtuoso", release, server.store, server.sparql, server.pid,
                             texts, repeat, user=PUBLISHER,
                             password=server.publisher_password)
        os.link(release, folder / release.name)
        start = time.perf_counter()
        server.isql(f"ld_dir ('.', '{release.name}', '{DEFAULT_GRAPH}');",
                    "rdf_loader_run ();", "checkpoint;")
        loaded = time.perf_counter() - start
        print(f"virtuoso bulk load {loaded:.1f} s", flush=True)
        queries = time_queries(RemoteEngine(server.sparql, timeout=TIMEOUT), texts, repeat)
        return {"load": loaded, "peak_mb": peak_memory_mb(server.pid), "queries": queries}


def cell(result: list) -> str:
    seconds, rows = result
    if seconds is None:
        return f"fails: {rows}"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(results: dict) -> str:
    engines = [e for e in ("embedded", "oxigraph", "virtuoso") if e in results]
    names = {"embedded": "embedded (pyoxigraph)", "oxigraph": "Oxigraph server",
             "virtuoso": "Virtuoso 7"}
    lines = [f"| | rows | {' | '.join(names[e] for e in engines)} |",
             f"|---|---|{'---|' * len(engines)}",
             f"| load | {results['embedded']['triples']:,} triples | "
             + " | ".join(f"{results[e]['load']:.1f} s" for e in engines) + " |",
             "| peak memory | | "
             + " | ".join("server gone" if results[e]["peak_mb"] is None
                          else f"{results[e]['peak_mb']:.0f} MB" for e in engines) + " |"]
    for name, (_, rows) in results["embedded"]["queries"].items():
        counts = {results[e]["queries"][name][1] for e in engines}
        mark = "" if len(counts) == 1 else " (rows differ: " + ", ".join(
            f"{e} {results[e]['queries'][name][1]}" for e in engines) + ")"
        lines.append(f"| {name}{mark} | {rows} | "
                     + " | ".join(cell(results[e]["queries"][name]) for e in engines) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=100_000)
    parser.add_argument("--work", type=Path, required=True, help="folder for data and stores")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--engines", default="oxigraph,virtuoso",
                        help="servers to run beside the embedded store")
    parser.add_argument("--oxigraph", choices=("bulk", "publish"), default="bulk",
                        help="load Oxigraph with `oxigraph load` + `optimize` (default), or "
                             "publish into `oxigraph serve` (one PUT: at 100k, not done "
                             "after 24 min and 12 GB)")
    parser.add_argument("--virtuoso", choices=("publish", "bulk"), default="publish",
                        help="load Virtuoso with `publish` (default) or its bulk loader")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"load average at start: {os.getloadavg()}", flush=True)
    release = prepare(args.programmes, args.work)
    results, texts = {}, {}
    results["embedded"], texts = embedded(release, args.repeat)
    if "oxigraph" in args.engines:
        results["oxigraph"] = oxigraph(release, args.work, texts, args.repeat, args.oxigraph)
    if "virtuoso" in args.engines:
        results["virtuoso"] = virtuoso(release, args.work, texts, args.repeat, args.virtuoso)
    results["load_average_end"] = os.getloadavg()
    print(f"load average at end: {results['load_average_end']}", flush=True)
    (args.work / "engines.json").write_text(json.dumps(results, indent=1))
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
