"""Benchmark: our build (fast engine) against the naive rdflib stack, side by side, one run.

    python bench/run.py                       # seed, 1k, 10k, 100k
    python bench/run.py --sizes seed,1000     # quicker
    python bench/run.py --naive-max 10000     # also the naive stack at 10k

Not part of pytest: timings belong here, not in tests. For each size it measures, each in
a fresh child process (peak RSS from os.wait4 on that child):

- cold ``mc2cm-graph build --reason`` with all exporters (wall time of the whole command,
  Python start-up included) and cold ``mc2cm-graph validate``, against the naive pipeline
  end to end (rdflib parse -> owlrl full OWL-RL closure -> pyshacl validate -> rdflib
  Turtle and JSON-LD serialisation);
- per stage, for both: load, validation, reasoning, export, and each saved query
  (queries/*.rq, plus two representative queries), on data with injected violations so
  validation has something to report; and whether both found the same violations
  (focus, path, constraint component, value) and the same entailments about our instances.

It writes BENCHMARKS.md (machine, command, results). The machine is shared: expect +-25 %
noise and compare ratios measured within one run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
INJECTED = 20  # violations injected into the data of the stage runs
NAIVE_ALL_QUERIES_MAX_TRIPLES = 30_000  # the seed data, not 1k programmes
# Saved queries whose cost grows with the square of the programmes; not run past 1k.
QUADRATIC_QUERIES = {"similar-programmes"}
QUADRATIC_MAX_TRIPLES = 200_000

# Representative queries, run besides queries/*.rq (the saved queries).
BUILTIN_QUERIES = {
    "programmes-per-target (GROUP BY)": """
        PREFIX mc2cm: <https://w3id.org/mc2cm/ontology#>
        SELECT ?target (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p mc2cm:contributesToTarget ?target }
        GROUP BY ?target ORDER BY DESC(?n) ?target""",
    "label FILTER (CONTAINS)": """
        PREFIX mc2cm: <https://w3id.org/mc2cm/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?p ?label WHERE { ?p a mc2cm:Programme ; rdfs:label ?label .
          FILTER(lang(?label) = "en" && CONTAINS(LCASE(?label), "tangier")) }
        ORDER BY ?p LIMIT 100""",
}


# Example values for the saved queries' required parameters (they exist in the seed and in
# synthetic data alike).
SAMPLE_PARAMS = {"programme": "1", "target": "10.7", "goal": "10", "place": "sfax",
                 "city": "sfax", "country": "tunisia", "theme": "access-to-health",
                 "type": "workshop", "lang": "en"}


def saved_queries(engine) -> dict[str, str]:
    """Every saved query (queries/*.rq) bound the way `mc2cm-graph query` binds it, plus
    two representative ad-hoc queries."""
    from mc2cm_graph.graph.errors import Mc2cmError
    from mc2cm_graph.query.run import bind, known_lookup, load_catalogue

    known = known_lookup(engine)
    texts = {}
    for name, query in sorted(load_catalogue().items()):
        values = {p.name: SAMPLE_PARAMS[p.name] for p in query.params
                  if p.required and p.name in SAMPLE_PARAMS}
        try:
            texts[name] = bind(query, values, known)
        except Mc2cmError:
            continue
    return {**texts, **BUILTIN_QUERIES}


def time_queries(run, texts: dict[str, str]) -> dict:
    """{name: [seconds, rows]}; [None, error] where the engine fails (rdflib does on some)."""
    out = {}
    for name, text in texts.items():
        start = time.perf_counter()
        try:
            rows = len(list(run(text)))
        except Exception as err:  # noqa: BLE001 - reported in the table, not fatal
            out[name] = [None, f"fails: {type(err).__name__}"]
            continue
        out[name] = [time.perf_counter() - start, rows]
    return out


# --- children -----------------------------------------------------------------------------

def _timed(results: dict, name: str, function, *args):
    """``function(*args)``; its wall seconds into results[name], its CPU seconds (of
    this process, all threads) into results["cpu"][name]."""
    start, cpu = time.perf_counter(), time.process_time()
    value = function(*args)
    results[name] = time.perf_counter() - start
    results.setdefault("cpu", {})[name] = time.process_time() - cpu
    return value


def _digest(lines) -> str:
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:16]


def _violation_keys(report) -> list[str]:
    """SHACL results only: the naive stack runs pyshacl, not our QC rules (qc/)."""
    return [f"{v.focus} {v.path} {v.constraint} {v.value}" for v in report.violations
            if v.constraint.startswith("sh:")]


def stages_ours(data_dir: Path, out: Path, compare: bool = True) -> dict:
    """Our core pipeline: store load, SHACL+QC validation, reasoning, Turtle of the release
    written by the store (out/mc2cm.ttl). ``compare`` also digests the entailments (only
    where the naive stack runs too: costly at 100k)."""
    sys.path.insert(0, str(ROOT))
    from mc2cm_graph.check.fast import validate_store
    from mc2cm_graph.export.pipeline import prepare_release
    from mc2cm_graph.export.rdf import export_turtle
    from mc2cm_graph.graph.load import to_rdflib_term
    from mc2cm_graph.graph.store import DATA_GRAPH, INFERRED_GRAPH, load_store
    from mc2cm_graph.reason.rules import materialise_store

    t: dict = {}
    store = _timed(t, "load", load_store, data_dir)
    report = _timed(t, "validate", validate_store, store)
    _timed(t, "reason", materialise_store, store)
    added = []
    if compare:
        asserted = {tuple(q)[:3] for q in store.quads(DATA_GRAPH)}
        added = [" ".join(to_rdflib_term(x).n3() for x in tuple(q)[:3])
                 for q in store.quads(INFERRED_GRAPH) if tuple(q)[:3] not in asserted]
    out.mkdir(parents=True, exist_ok=True)

    def export():
        prepare_release(store)
        export_turtle(store, out)

    _timed(t, "export", export)
    return {"stages": t, "triples": len(store.store),
            "violations": len(_violation_keys(report)),
            "violations_digest": _digest(_violation_keys(report)),
            "entailments": len(added), "entailments_digest": _digest(added)}


def exporters_ours(data_dir: Path, out: Path) -> list[dict]:
    """Each exporter of the build (export/pipeline.py EXPORTERS, then the catalogue) timed
    on its own (wall and CPU), with the files and bytes it wrote, against the physical
    limit: a plain loop writing the same bytes to the same number of files, at the same
    relative paths, in a fresh folder on the same disk."""
    sys.path.insert(0, str(ROOT))
    from mc2cm_graph.export.catalog import export_catalog
    from mc2cm_graph.export.pipeline import EXPORTERS, prepare_release
    from mc2cm_graph.export.w3id import export_w3id
    from mc2cm_graph.graph.store import load_store
    from mc2cm_graph.reason.rules import materialise_store

    shutil.rmtree(out, ignore_errors=True)
    release, plain = out / "release", out / "plain"
    release.mkdir(parents=True)
    project = load_store(data_dir)  # not validated: the exporters' cost alone
    materialise_store(project)
    prepare_release(project)
    steps = [(e.name, lambda e=e: e.write(project, release, advance=lambda n=1: None))
             for e in EXPORTERS]
    written: list[Path] = []
    steps.append(("catalogue", lambda: export_catalog(project, release, written)
                  + export_w3id(release, None)))
    results = []
    from mc2cm_graph.graph.errors import Mc2cmError

    for name, write in steps:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            files = write()
        except Mc2cmError as err:  # data the exporter refuses: reported, the others run
            results.append({"exporter": name, "error": str(err).splitlines()[0][:160]})
            continue
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        written += files
        contents = [(f.relative_to(release), f.read_bytes()) for f in files]
        target = plain / name.split()[0].lower()
        start = time.perf_counter()
        for relative, content in contents:
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        limit = time.perf_counter() - start
        results.append({"exporter": name, "files": len(files), "wall": wall, "cpu": cpu,
                        "bytes": sum(len(c) for _, c in contents), "limit": limit})
    return results


def queries_ours(release_file: Path) -> dict:
    """The saved queries on a release, loaded the way the query commands load it (its own
    process, so the core pipeline's peak memory is measured without it)."""
    sys.path.insert(0, str(ROOT))
    import pyoxigraph as ox

    from mc2cm_graph.query.engine import LocalEngine

    release = ox.Store()
    release.bulk_load(path=str(release_file), format=ox.RdfFormat.TURTLE)
    texts = saved_queries(LocalEngine(release))
    timed = {name: text for name, text in texts.items()
             if not (name in QUADRATIC_QUERIES and len(release) > QUADRATIC_MAX_TRIPLES)}
    queries = time_queries(release.query, timed)
    queries.update({name: [None, "skipped: compares every pair of programmes"]
                    for name in texts if name not in timed})
    return {"queries": queries, "query_texts": texts}


def stages_naive(data_dir: Path, out: Path) -> dict:
    """The naive pipeline, in plain rdflib/owlrl/pyshacl (no code of ours on the hot path)."""
    sys.path.insert(0, str(ROOT))
    import owlrl
    import pyshacl
    from rdflib import Graph

    from mc2cm_graph.check.reference import load_shapes, report_from_graph
    from mc2cm_graph.graph import paths
    from mc2cm_graph.reason.reference import about_ours

    t: dict = {}
    files = [paths.ONTOLOGY_FILE, *paths.data_files(data_dir), *paths.vocabulary_files()]

    def parse():
        graph = Graph()
        for path in files:
            graph.parse(path, format="turtle")
        return graph

    graph = _timed(t, "load", parse)
    shapes = load_shapes()
    results = _timed(t, "validate", lambda: pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)[1])
    report = report_from_graph(results)
    before = set(graph)
    _timed(t, "reason", lambda: owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph))
    # What the reference engine keeps of owlrl's closure (reason.about_ours): statements
    # with one of our resources as subject or object (a UN target's link back to a
    # programme included), without the trivial ones.
    added = [f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in set(graph) - before
             if about_ours((s, p, o))]
    out.mkdir(parents=True, exist_ok=True)
    _timed(t, "export", lambda: graph.serialize(out / "naive.ttl", format="turtle"))
    _timed(t, "export JSON-LD", lambda: graph.serialize(out / "naive.jsonld", format="json-ld"))
    # rdflib's engine takes seconds to minutes per saved query past the seed data (nested
    # loops over the joins), so beyond it only the two representative queries run.
    texts_file = out / "query-texts.json"
    texts = json.loads(texts_file.read_text()) if texts_file.exists() else BUILTIN_QUERIES
    if len(graph) > NAIVE_ALL_QUERIES_MAX_TRIPLES:
        texts = {name: text for name, text in texts.items() if name in BUILTIN_QUERIES}
    queries = time_queries(graph.query, texts)
    return {"stages": t, "queries": queries, "triples": len(graph),
            "violations": len(_violation_keys(report)),
            "violations_digest": _digest(_violation_keys(report)),
            "entailments": len(added), "entailments_digest": _digest(added)}


# --- parent -------------------------------------------------------------------------------

def run_child(args: list[str], timeout: float | None = None) -> str:
    """The stdout of one child process (raising with its stderr if it fails)."""
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=ROOT, text=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{stderr[-3000:]}")
    return stdout


def measured(args: list[str], timeout: float | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of ``args``, run under a small wrapper that
    reads the child's own rusage with os.wait4 (RUSAGE_CHILDREN would be a max over all)."""
    info = measured_info(args, timeout)
    return info["wall"], info["rss_mb"], info["stdout"]


def measured_info(args: list[str], timeout: float | None = None) -> dict:
    """wall, cpu (user + system seconds), rss_mb and stdout of ``args`` (see measured)."""
    wrapper = [PYTHON, str(Path(__file__).resolve()), "--wrap", "--", *map(str, args)]
    return json.loads(run_child(wrapper, timeout).strip().splitlines()[-1])


def wrap(args: list[str]) -> int:
    start, load_before = time.perf_counter(), os.getloadavg()[0]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, cwd=ROOT)
    stdout = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.stderr.write(stdout.decode(errors="replace")[-2000:])
        return 1
    print(json.dumps({"wall": wall, "rss_mb": usage.ru_maxrss / 1024,
                      "cpu": usage.ru_utime + usage.ru_stime,
                      "load": [load_before, os.getloadavg()[0]],
                      "stdout": stdout.decode(errors="replace")}))
    return 0


def prepare(size: str, work: Path) -> tuple[Path, Path]:
    """(valid data folder, data folder with injected violations) for a size."""
    if size == "seed":
        broken = work / "seed-broken"
        if not broken.exists():
            shutil.copytree(ROOT / "data", broken)
        return ROOT / "data", broken
    sys.path.insert(0, str(ROOT))
    from mc2cm_graph.graph.synth import synthesise

    n = int(size)
    valid, broken = work / f"synth-{n}", work / f"synth-{n}-broken"
    if not valid.exists():
        synthesise(valid, n, seed=1)
    if not broken.exists():
        synthesise(broken, n, seed=1, violations=min(INJECTED, n))
    return valid, broken


def help_startup() -> dict:
    wall, rss, _ = measured([PYTHON, "-m", "mc2cm_graph", "--help"])
    importtime = subprocess.run([PYTHON, "-X", "importtime", "-m", "mc2cm_graph", "--help"],
                                cwd=ROOT, capture_output=True, text=True).stderr
    heavy = sorted({line.rsplit("|", 1)[-1].strip().split(".")[0]
                    for line in importtime.splitlines()
                    if line.rsplit("|", 1)[-1].strip().split(".")[0]
                    in ("rdflib", "pyoxigraph", "pyshacl", "owlrl", "pyld", "jinja2")})
    return {"wall": wall, "rss_mb": rss, "heavy_imports": heavy}


def bench_size(size: str, work: Path, naive_max: int, build_max: int, repeat: int,
               validate_max: int = 10000, exporters_max: int = 10000,
               queries_max: int = 100000) -> dict:
    valid, broken = prepare(size, work)
    n = 15 if size == "seed" else int(size)
    row: dict = {"size": size, "programmes": n}
    builds: list[dict] = []
    if n <= build_max:
        try:
            builds = [measured_info([PYTHON, "-m", "mc2cm_graph", "build", "--reason",
                                     "--data", valid, "--out", work / f"dist-{size}-{i}"])
                      for i in range(repeat)]
        except RuntimeError as err:  # the build refused the data: say so in the report
            row["build_error"] = next((line.strip() for line in str(err).splitlines()
                                       if "validation" in line), str(err)[:200])
    if builds:
        row["build_wall"] = statistics.median(b["wall"] for b in builds)
        row["build_cpu"] = statistics.median(b["cpu"] for b in builds)
        row["build_rss_mb"] = max(b["rss_mb"] for b in builds)
        row["load_average"] = os.getloadavg()[0]
        row["build_load"] = _load_range(builds)
    if n <= min(build_max, exporters_max):
        me = Path(__file__).resolve()
        info = measured_info([PYTHON, me, "--exporters", valid, work / f"exporters-{size}"])
        row["exporters"] = json.loads(info["stdout"].strip().splitlines()[-1])
        row["exporters_rss_mb"] = info["rss_mb"]
        row["exporters_load"] = _load_range([info])
    if n <= validate_max:
        checks = [measured_info([PYTHON, "-m", "mc2cm_graph", "validate", "--data", valid])
                  for i in range(repeat)]
        row["validate_wall"] = statistics.median(c["wall"] for c in checks)
        row["validate_cpu"] = statistics.median(c["cpu"] for c in checks)
        row["validate_rss_mb"] = max(c["rss_mb"] for c in checks)
        row["validate_load"] = _load_range(checks)
    me = Path(__file__).resolve()
    compare = "compare" if n <= naive_max else "no-compare"
    wall, rss, out = measured([PYTHON, me, "--stages", "ours", broken, work / f"ours-{size}",
                               compare])
    row["ours"] = json.loads(out.strip().splitlines()[-1])
    row["ours"]["rss_mb"], row["ours"]["wall"] = rss, wall
    if n <= queries_max:
        _wall, rss, out = measured([PYTHON, me, "--queries",
                                    work / f"ours-{size}" / "mc2cm.ttl"])
        row["ours"].update(json.loads(out.strip().splitlines()[-1]))
        row["ours"]["queries_rss_mb"] = rss
    else:
        row["ours"]["queries"] = {}
    if n <= naive_max:
        naive_out = work / f"naive-stages-{size}"
        naive_out.mkdir(parents=True, exist_ok=True)
        (naive_out / "query-texts.json").write_text(json.dumps(row["ours"]["query_texts"]))
        info = measured_info([PYTHON, me, "--stages", "naive", broken, naive_out])
        row["naive"] = json.loads(info["stdout"].strip().splitlines()[-1])
        row["naive"]["rss_mb"], row["naive"]["wall"] = info["rss_mb"], info["wall"]
        row["naive"]["load"] = _load_range([info])
    row["ours"].pop("query_texts", None)
    return row


def _load_range(runs: list[dict]) -> list[float]:
    """The lowest and highest 1-minute load average seen at the start or end of runs."""
    loads = [x for r in runs for x in r.get("load", [])]
    return [min(loads), max(loads)] if loads else []


# --- report -------------------------------------------------------------------------------

def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in
                   Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    from importlib.metadata import version

    libs = ", ".join(f"{p} {version(p)}" for p in
                     ("rdflib", "pyshacl", "owlrl", "pyoxigraph"))
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores "
            f"(shared with other jobs while measuring), {memory} GB RAM; "
            f"Python {platform.python_version()}; {libs}")


def _s(seconds) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ratio(naive, ours) -> str:
    return f"{naive / ours:.0f}x" if naive and ours else "—"


STAGES = ("load", "validate", "reason", "export")


def _naive_total(result: dict) -> float:
    return _core(result) + result["stages"].get("export JSON-LD", 0)


def _naive_cpu(result: dict) -> float | None:
    """The naive stack's CPU seconds end to end (as _naive_total), if measured."""
    cpu = result["stages"].get("cpu")
    return sum(cpu.get(stage, 0) for stage in (*STAGES, "export JSON-LD")) if cpu else None


def _core(result: dict) -> float:
    return sum(result["stages"][stage] for stage in STAGES)


# The speed goals of the build (wall seconds, speed-up over the naive stack, peak RSS MB);
# "validate": of `mc2cm-graph validate` (wall seconds).
GOALS = {"seed": {"wall": 0.8, "ratio": 10}, "1000": {"ratio": 20, "validate": 2},
         "10000": {"wall": 20, "rss": 1024}, "100000": {"wall": 180, "rss": 3072}}


def _loads(load: list[float] | None) -> str:
    return f"{load[0]:.1f}–{load[1]:.1f}" if load else "—"


def goals(rows: list[dict]) -> list[str]:
    """Each goal of the build against what this run measured, with CPU time and the load
    average while measuring (the machine is shared: 2 cores)."""
    lines = ["", "### Goals", "",
             "Wall and CPU time (user + system of the process and its threads) of cold "
             "`mc2cm-graph build --reason` (median of `--repeat` runs) and the naive stack end "
             "to end in the same run; load: the machine's 1-minute load average at the start "
             "and end of the runs (2 cores: above 2, the process waited for a core).", "",
             "| data | goal | ours: wall | CPU | peak RSS | load | naive, end to end: wall "
             "| CPU | naive load | speed-up (wall) | speed-up (CPU) | met |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        goal = GOALS.get(r["size"])
        if goal is not None and "build_error" in r:
            lines.append(f"| {r['size']} | — | build refused the data: {r['build_error']} "
                         + "| — " * 9 + "| no |")
        if goal is None or "build_wall" not in r:
            continue
        naive = _naive_total(r["naive"]) if r.get("naive") else None
        speedup = naive / r["build_wall"] if naive else None
        met = (r["build_wall"] <= goal.get("wall", float("inf"))
               and r["build_rss_mb"] < goal.get("rss", float("inf"))
               and (speedup or 0) >= goal.get("ratio", 0))
        wanted = ", ".join(part for part in (
            f"≤ {goal['wall']} s" if "wall" in goal else "",
            f"≥ {goal['ratio']}x" if "ratio" in goal else "",
            f"< {goal['rss'] // 1024} GB" if "rss" in goal else "") if part)
        naive_load = _loads(r["naive"].get("load")) if r.get("naive") else "—"
        naive_cpu = _naive_cpu(r["naive"]) if r.get("naive") else None
        lines.append(f"| {r['size']} `build --reason` | {wanted} | {_s(r['build_wall'])} | "
                     f"{_s(r.get('build_cpu'))} | {r['build_rss_mb']:.0f} MB | "
                     f"{_loads(r.get('build_load'))} | {_s(naive)} | {_s(naive_cpu)} | "
                     f"{naive_load} | {_ratio(naive, r['build_wall'])} | "
                     f"{_ratio(naive_cpu, r.get('build_cpu'))} | {'yes' if met else 'no'} |")
        if "validate" in goal and "validate_wall" in r:
            met = r["validate_wall"] < goal["validate"]
            lines.append(f"| {r['size']} `validate` | < {goal['validate']} s | "
                         f"{_s(r['validate_wall'])} | {_s(r.get('validate_cpu'))} | "
                         f"{r['validate_rss_mb']:.0f} MB | {_loads(r.get('validate_load'))} | "
                         f"— | — | — | — | — | {'yes' if met else 'no'} |")
    return lines


def exporter_lines(rows: list[dict]) -> list[str]:
    """Each exporter against the physical limit (bench --exporters)."""
    lines = ["", "### Each exporter against the physical limit", "",
             "Each exporter run on its own in one process (`--exporters`; peak RSS and load "
             "average of that process: " + ", ".join(
                 f"{r['size']}: {r['exporters_rss_mb']:.0f} MB, load "
                 f"{_loads(r.get('exporters_load'))}" for r in rows if "exporters" in r)
             + "), against a plain Python loop writing the same bytes to the same number of "
             "files at the same paths on the same disk (the limit: the exporter can be no "
             "faster).", "",
             "| data | exporter | files | MB | wall | CPU | files/s | MB/s | plain loop | "
             "x the limit |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        for e in r.get("exporters", []):
            if "error" in e:
                lines.append(f"| {r['size']} | {e['exporter']} | fails: {e['error']} |"
                             + " — |" * 7)
                continue
            lines.append(
                f"| {r['size']} | {e['exporter']} | {e['files']:,} | "
                f"{e['bytes'] / 1e6:.1f} | {_s(e['wall'])} | {_s(e['cpu'])} | "
                f"{e['files'] / e['wall']:,.0f} | {e['bytes'] / 1e6 / e['wall']:.1f} | "
                f"{_s(e['limit'])} | {e['wall'] / e['limit']:.1f} |")
    return lines


def report(rows: list[dict], command: str, startup: dict, args) -> str:
    lines = ["# Benchmarks", "",
             "Our pipeline (fast engine: pyoxigraph store, SHACL and QC compiled to SPARQL, "
             "reasoning as SPARQL rules, Turtle written by the store) against the naive stack "
             "(rdflib parse → pyshacl → owlrl full OWL-RL closure → rdflib Turtle), measured "
             "in one run by `bench/run.py`. Each column is one fresh child process; peak RSS "
             "is that child's `ru_maxrss` (os.wait4). The machine is shared with other jobs: "
             "expect ±25 % noise, and compare ratios within this run rather than absolute "
             "times across runs.", "",
             f"- Machine: {machine()}",
             f"- Reproduce: `{command}`",
             f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             f"- Data: `mc2cm-graph synth --seed 1` ({INJECTED} violations injected for the "
             "stage runs, so validation reports something); \"seed\" is the project's data/.",
             "", "## Core pipeline: load, validate, reason, write Turtle", "",
             "| data | programmes | triples (after reasoning) | ours | naive | speed-up | ours: "
             "peak RSS | naive: peak RSS |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        o, n = r["ours"], r.get("naive")
        lines.append(
            f"| {r['size']} | {r['programmes']:,} | {o['triples']:,} | {_s(_core(o))} | "
            f"{_s(_core(n)) if n else '—'} | {_ratio(_core(n), _core(o)) if n else '—'} | "
            f"{o['rss_mb']:.0f} MB | " + (f"{n['rss_mb']:.0f} MB |" if n else "— |"))
    skipped = [r["size"] for r in rows if "naive" not in r]
    if skipped:
        lines += ["", f"The naive stack was not run at {', '.join(skipped)} programmes "
                  f"(`--naive-max {args.naive_max}`): owlrl needs about 1 ms per input triple "
                  "and pyshacl about 2 ms per programme, so 10k programmes take several "
                  "minutes and 75k (2.6 M triples) over an hour, with more memory than this "
                  "shared machine can spare. `--naive-max 10000` includes 10k."]
    lines += ["", "## Stages (data with injected violations)", "",
              "| data | stage | ours | naive | speed-up |", "|---|---|---|---|---|"]
    for r in rows:
        for stage in STAGES:
            ours = r["ours"]["stages"][stage]
            naive = r.get("naive", {}).get("stages", {}).get(stage)
            lines.append(f"| {r['size']} | {stage} | {_s(ours)} | {_s(naive)} | "
                         f"{_ratio(naive, ours)} |")
    lines += ["", "## `mc2cm-graph build --reason`, cold, all exporters", "",
              "Against the naive stack end to end (parse, pyshacl, owlrl, Turtle and JSON-LD "
              "by rdflib: the sum of its stages above, JSON-LD included). Load: the machine's "
              "1-minute load average when the build ended (2 cores).", "",
              "| data | wall | peak RSS | naive, end to end | speed-up | load |",
              "|---|---|---|---|---|---|"]
    for r in rows:
        if "build_wall" in r:
            naive = _naive_total(r["naive"]) if r.get("naive") else None
            lines.append(f"| {r['size']} | {_s(r['build_wall'])} | {r['build_rss_mb']:.0f} MB"
                         f" | {_s(naive)} | {_ratio(naive, r['build_wall'])} | "
                         f"{r.get('load_average', 0):.1f} |")
    lines += goals(rows) + exporter_lines(rows)
    lines += ["", "## `mc2cm-graph validate`, cold", "",
              "| data | wall (median) | CPU | peak RSS | load |", "|---|---|---|---|---|"]
    for r in rows:
        if "validate_wall" in r:
            lines.append(f"| {r['size']} | {_s(r['validate_wall'])} | "
                         f"{_s(r.get('validate_cpu'))} | {r['validate_rss_mb']:.0f} MB | "
                         f"{_loads(r.get('validate_load'))} |")
    lines += ["", f"Run up to {args.build_max:,} programmes (`--build-max`); see "
              "[docs/scale.md](docs/scale.md#what-bounds-the-build) for what bounds it."]
    lines += ["", "## Queries", "",
              "Saved queries (queries/*.rq, bound as `mc2cm-graph query` binds them, required "
              "parameters from example values) and two ad-hoc ones, on the release loaded the "
              "way the query commands load it (ours, in a process of its own: peak RSS "
              + ", ".join(f"{r['size']}: {r['ours']['queries_rss_mb']:.0f} MB" for r in rows
                          if "queries_rss_mb" in r["ours"])
              + "), and on the naive stack's closed rdflib graph.", "",
              "| data | query | rows | ours | naive |", "|---|---|---|---|---|"]
    for r in rows:
        for name, (seconds, count) in r["ours"]["queries"].items():
            naive = r.get("naive", {}).get("queries", {}).get(name, [None, "not run"])
            naive_cell = _s(naive[0]) if naive[0] is not None else naive[1]
            ours_cell = _s(seconds) if seconds is not None else count
            count_cell = count if seconds is not None else "—"
            lines.append(f"| {r['size']} | {name} | {count_cell} | {ours_cell} | "
                         f"{naive_cell} |")
    lines += ["", "## Same results", "",
              "| data | violations (ours / naive) | same violations | entailments about our "
              "instances (ours / naive) | same entailments |", "|---|---|---|---|---|"]
    for r in rows:
        o, n = r["ours"], r.get("naive")
        if n is None:
            lines.append(f"| {r['size']} | {o['violations']} / — | — | — | — |")
            continue
        lines.append(
            f"| {r['size']} | {o['violations']} / {n['violations']} | "
            f"{'yes' if o['violations_digest'] == n['violations_digest'] else 'NO'} | "
            f"{o['entailments']} / {n['entailments']} | "
            f"{'yes' if o['entailments_digest'] == n['entailments_digest'] else 'NO'} |")
    lines += ["", "Violations are compared as (focus, path, constraint component, value); "
              "entailments as in tests/reason/test_fastreason.py: owlrl's additions with one of "
              "our instances as subject or object (a UN target's link back to a programme "
              "included), minus reflexive owl:sameAs, rdf:type owl:Thing and anonymous class "
              "types (left out on purpose; see mc2cm_graph/reason/reference.py, about_ours).",
              "", "## Start-up", "",
              f"`mc2cm-graph --help`: {_s(startup['wall'])} wall, "
              f"{startup['rss_mb']:.0f} MB peak RSS; heavy libraries imported: "
              f"{', '.join(startup['heavy_imports']) or 'none'} "
              "(checked with `python -X importtime`)."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["--wrap", "--"]:
        return wrap(argv[2:])
    if argv[:1] == ["--exporters"]:
        print(json.dumps(exporters_ours(Path(argv[1]), Path(argv[2]))))
        return 0
    if argv[:1] == ["--queries"]:
        print(json.dumps(queries_ours(Path(argv[1]))))
        return 0
    if argv[:1] == ["--stages"]:
        which, data_dir, out = argv[1], Path(argv[2]), Path(argv[3])
        if which == "ours":
            result = stages_ours(data_dir, out, compare=argv[4:5] != ["no-compare"])
        else:
            result = stages_naive(data_dir, out)
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="seed,1000,10000,100000",
                        help="comma-separated: seed and/or numbers of synthetic programmes")
    parser.add_argument("--naive-max", type=int, default=1000,
                        help="run the naive stack only up to this many programmes")
    parser.add_argument("--validate-max", type=int, default=10000,
                        help="time `mc2cm-graph validate` only up to this many programmes")
    parser.add_argument("--build-max", type=int, default=100000,
                        help="run the full `mc2cm-graph build` (all exporters) only up to this "
                             "many programmes")
    parser.add_argument("--exporters-max", type=int, default=10000,
                        help="time each exporter against its physical limit (--exporters) only "
                             "up to this many programmes")
    parser.add_argument("--queries-max", type=int, default=100000,
                        help="time the saved queries only up to this many programmes")
    parser.add_argument("--repeat", type=int, default=1, help="cold builds per size (median)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/mc2cm-bench"))
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--report-from", type=Path, default=None, metavar="JSON",
                        help="only write the report, from a results.json of an earlier run")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    # Bytecode cached, as after `pip install` (the environment may set
    # PYTHONDONTWRITEBYTECODE, which would make every cold build compile the package).
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "mc2cm_graph")], check=True)
    rows = json.loads(args.report_from.read_text()) if args.report_from else []
    for size in [] if args.report_from else args.sizes.split(","):
        print(f"benchmarking {size} ...", file=sys.stderr, flush=True)
        rows.append(bench_size(size.strip(), args.work, args.naive_max, args.build_max,
                               args.repeat, args.validate_max, args.exporters_max,
                               args.queries_max))
        print(json.dumps(rows[-1])[:400], file=sys.stderr, flush=True)
        (args.work / "results.json").write_text(json.dumps(rows, indent=1))  # as it goes
    command = "python bench/run.py " + " ".join(argv)
    args.out.write_text(report(rows, command.strip(), help_startup(), args),
                        encoding="utf-8")
    (args.work / "results.json").write_text(json.dumps(rows, indent=1))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
