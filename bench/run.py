"""Benchmark: our build (fast engine) against the naive rdflib stack, side by side, one run.

    /work/venv/bin/python bench/run.py                       # seed, 1k, 10k, 100k
    /work/venv/bin/python bench/run.py --sizes seed,1000     # quicker
    /work/venv/bin/python bench/run.py --naive-max 10000     # also the naive stack at 10k

Not part of pytest: timings belong here, not in tests. For each size it measures, each in
a fresh child process (peak RSS from os.wait4 on that child):

- cold ``mc2cm-graph build --reason`` (wall time of the whole command, Python start-up
  included), and the naive pipeline end to end (rdflib parse -> owlrl full OWL-RL closure
  -> pyshacl validate -> rdflib Turtle serialisation);
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
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
INJECTED = 20  # violations injected into the data of the stage runs

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


def saved_queries() -> dict[str, str]:
    queries = {f"queries/{p.name}": p.read_text(encoding="utf-8")
               for p in sorted((ROOT / "queries").glob("*.rq"))}
    return {**queries, **BUILTIN_QUERIES}


# --- children -----------------------------------------------------------------------------

def _timed(results: dict, name: str, function, *args):
    start = time.perf_counter()
    value = function(*args)
    results[name] = time.perf_counter() - start
    return value


def _digest(lines) -> str:
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:16]


def _violation_keys(report) -> list[str]:
    return [f"{v.focus} {v.path} {v.constraint} {v.value}" for v in report.violations]


def stages_ours(data_dir: Path, out: Path, compare: bool = True) -> dict:
    """Our stages; ``compare`` also digests the entailments (costly at 100k, so only where
    the naive stack runs too)."""
    sys.path.insert(0, str(ROOT))
    from mc2cm_graph import export as export_module
    from mc2cm_graph.fastreason import materialise_store
    from mc2cm_graph.fastvalidate import validate_store
    from mc2cm_graph.load import add_quads, to_rdflib_term
    from mc2cm_graph.projectstore import DATA_GRAPH, INFERRED_GRAPH, load_both

    t: dict = {}
    project, store = _timed(t, "load", load_both, data_dir)
    report = _timed(t, "validate", validate_store, store)
    _timed(t, "reason", materialise_store, store)
    added = []
    if compare:
        asserted = {tuple(q)[:3] for q in store.quads(DATA_GRAPH)}
        added = [" ".join(to_rdflib_term(x).n3() for x in tuple(q)[:3])
                 for q in store.quads(INFERRED_GRAPH) if tuple(q)[:3] not in asserted]
    out.mkdir(parents=True, exist_ok=True)

    def export():
        add_quads(project.data, store.quads(INFERRED_GRAPH))
        export_module.export_all(project, out)

    _timed(t, "export", export)
    queries = {}
    for name, text in saved_queries().items():
        start = time.perf_counter()
        rows = len(list(store.query(text)))
        queries[name] = [time.perf_counter() - start, rows]
    return {"stages": t, "queries": queries, "triples": len(store.store),
            "violations": len(report.violations),
            "violations_digest": _digest(_violation_keys(report)),
            "entailments": len(added), "entailments_digest": _digest(added)}


def stages_naive(data_dir: Path, out: Path) -> dict:
    """The naive pipeline, in plain rdflib/owlrl/pyshacl (no code of ours on the hot path)."""
    sys.path.insert(0, str(ROOT))
    import owlrl
    import pyshacl
    from rdflib import BNode, Graph
    from rdflib.namespace import OWL, RDF

    from mc2cm_graph import paths
    from mc2cm_graph.validate import load_shapes, report_from_graph

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
    added = [f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in set(graph) - before
             if str(s).startswith("https://w3id.org/mc2cm/id/") and not isinstance(o, BNode)
             and not (p == OWL.sameAs and s == o) and not (p == RDF.type and o == OWL.Thing)]
    out.mkdir(parents=True, exist_ok=True)
    _timed(t, "export", lambda: graph.serialize(out / "naive.ttl", format="turtle"))
    queries = {}
    for name, text in saved_queries().items():
        start = time.perf_counter()
        rows = len(list(graph.query(text)))
        queries[name] = [time.perf_counter() - start, rows]
    return {"stages": t, "queries": queries, "triples": len(graph),
            "violations": len(report.violations),
            "violations_digest": _digest(_violation_keys(report)),
            "entailments": len(added), "entailments_digest": _digest(added)}


def naive_build(data_dir: Path, out: Path) -> dict:
    """The naive pipeline end to end on valid data, as a cold command."""
    result = stages_naive(data_dir, out)
    return {"stages": result["stages"]}


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
    wrapper = [PYTHON, str(Path(__file__).resolve()), "--wrap", "--", *map(str, args)]
    stdout = run_child(wrapper, timeout)
    info = json.loads(stdout.strip().splitlines()[-1])
    return info["wall"], info["rss_mb"], info["stdout"]


def wrap(args: list[str]) -> int:
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, cwd=ROOT)
    stdout = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.stderr.write(stdout.decode(errors="replace")[-2000:])
        return 1
    print(json.dumps({"wall": wall, "rss_mb": usage.ru_maxrss / 1024,
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
    from mc2cm_graph.synth import synthesise

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


def bench_size(size: str, work: Path, naive_max: int, repeat: int) -> dict:
    valid, broken = prepare(size, work)
    n = 15 if size == "seed" else int(size)
    row: dict = {"size": size, "programmes": n}
    builds = []
    for i in range(repeat):
        out = work / f"dist-{size}-{i}"
        builds.append(measured([PYTHON, "-m", "mc2cm_graph", "build", "--reason", "--data",
                                valid, "--out", out])[:2])
    row["build_wall"] = min(b[0] for b in builds)
    row["build_rss_mb"] = max(b[1] for b in builds)
    me = Path(__file__).resolve()
    compare = "compare" if n <= naive_max else "no-compare"
    _w, rss, out = measured([PYTHON, me, "--stages", "ours", broken, work / f"ours-{size}",
                             compare])
    row["ours"] = json.loads(out.strip().splitlines()[-1])
    row["ours"]["rss_mb"] = rss
    if n <= naive_max:
        wall, rss, _ = measured([PYTHON, me, "--naive-build", valid, work / f"naive-{size}"])
        row["naive_build_wall"], row["naive_build_rss_mb"] = wall, rss
        _w, rss, out = measured([PYTHON, me, "--stages", "naive", broken,
                                 work / f"naive-stages-{size}"])
        row["naive"] = json.loads(out.strip().splitlines()[-1])
        row["naive"]["rss_mb"] = rss
    return row


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


def report(rows: list[dict], command: str, startup: dict, naive_max: int) -> str:
    lines = ["# Benchmarks", "",
             "Ours (`mc2cm-graph build --reason`, fast engine: pyoxigraph store, SHACL "
             "compiled to SPARQL, SPARQL rules) against the naive stack (rdflib parse → owlrl "
             "full OWL-RL closure → pyshacl → rdflib Turtle), measured in one run by "
             "`bench/run.py`. Each figure is one fresh child process; peak RSS is that "
             "child's `ru_maxrss` (os.wait4). The machine is shared with other jobs: expect "
             "±25 % noise, and compare ratios within this run rather than absolute times "
             "across runs.", "",
             f"- Machine: {machine()}",
             f"- Reproduce: `{command}`",
             f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", "",
             "## Cold build, end to end", "",
             "| data | programmes | triples | ours: build wall | ours: peak RSS | naive: wall "
             "| naive: peak RSS | speed-up |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['size']} | {r['programmes']:,} | {r['ours']['triples']:,} | "
            f"{_s(r['build_wall'])} | {r['build_rss_mb']:.0f} MB | "
            f"{_s(r.get('naive_build_wall'))} | "
            + (f"{r['naive_build_rss_mb']:.0f} MB" if 'naive_build_rss_mb' in r else "—")
            + f" | {_ratio(r.get('naive_build_wall'), r['build_wall'])} |")
    skipped = [r["size"] for r in rows if "naive" not in r]
    if skipped:
        lines += ["", f"The naive stack was skipped at {', '.join(skipped)} programmes "
                  f"(`--naive-max {naive_max}`): owlrl needs about 1 ms per input triple and "
                  "pyshacl about 2 ms per programme, so 10k programmes take several minutes "
                  "and 100k (2.6 M triples) well over an hour and more memory than the "
                  "machine can spare while shared. Run `--naive-max 10000` to include 10k."]
    lines += ["", "## Stages (data with injected violations)", "",
              "| data | stage | ours | naive | speed-up |", "|---|---|---|---|---|"]
    for r in rows:
        for stage in ("load", "validate", "reason", "export"):
            ours = r["ours"]["stages"][stage]
            naive = r.get("naive", {}).get("stages", {}).get(stage)
            lines.append(f"| {r['size']} | {stage} | {_s(ours)} | {_s(naive)} | "
                         f"{_ratio(naive, ours)} |")
    lines += ["", "## Queries", "", "| data | query | rows | ours | naive |",
              "|---|---|---|---|---|"]
    for r in rows:
        for name, (seconds, count) in r["ours"]["queries"].items():
            naive = r.get("naive", {}).get("queries", {}).get(name, [None])[0]
            lines.append(f"| {r['size']} | {name} | {count} | {_s(seconds)} | {_s(naive)} |")
    lines += ["", "## Same results", "",
              "| data | violations (ours / naive) | same violations | entailments about our "
              "instances (ours / naive) | same entailments |", "|---|---|---|---|---|"]
    for r in rows:
        o, n = r["ours"], r.get("naive")
        if n is None:
            lines.append(f"| {r['size']} | {o['violations']} / — | — | {o['entailments']} / — "
                         "| — |")
            continue
        lines.append(
            f"| {r['size']} | {o['violations']} / {n['violations']} | "
            f"{'yes' if o['violations_digest'] == n['violations_digest'] else 'NO'} | "
            f"{o['entailments']} / {n['entailments']} | "
            f"{'yes' if o['entailments_digest'] == n['entailments_digest'] else 'NO'} |")
    lines += ["", "Entailments are compared as in tests/test_fastreason.py: owlrl's additions "
              "whose subject is one of our instances, minus reflexive owl:sameAs, "
              "rdf:type owl:Thing and anonymous class types (left out on purpose; see "
              "mc2cm_graph/fastreason.py).", "",
              "## Start-up", "",
              f"`mc2cm-graph --help`: {_s(startup['wall'])} wall, "
              f"{startup['rss_mb']:.0f} MB peak RSS; heavy libraries imported: "
              f"{', '.join(startup['heavy_imports']) or 'none'} "
              "(checked with `python -X importtime`)."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["--wrap", "--"]:
        return wrap(argv[2:])
    if argv[:1] == ["--stages"]:
        which, data_dir, out = argv[1], Path(argv[2]), Path(argv[3])
        if which == "ours":
            result = stages_ours(data_dir, out, compare=argv[4:5] != ["no-compare"])
        else:
            result = stages_naive(data_dir, out)
        print(json.dumps(result))
        return 0
    if argv[:1] == ["--naive-build"]:
        print(json.dumps(naive_build(Path(argv[1]), Path(argv[2]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="seed,1000,10000,100000",
                        help="comma-separated: seed and/or numbers of synthetic programmes")
    parser.add_argument("--naive-max", type=int, default=1000,
                        help="run the naive stack only up to this many programmes")
    parser.add_argument("--repeat", type=int, default=1, help="cold builds per size (min)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/mc2cm-bench"))
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes.split(","):
        print(f"benchmarking {size} ...", file=sys.stderr, flush=True)
        rows.append(bench_size(size.strip(), args.work, args.naive_max, args.repeat))
        print(json.dumps(rows[-1])[:400], file=sys.stderr, flush=True)
    command = "/work/venv/bin/python bench/run.py " + " ".join(argv)
    args.out.write_text(report(rows, command.strip(), help_startup(), args.naive_max),
                        encoding="utf-8")
    (args.work / "results.json").write_text(json.dumps(rows, indent=1))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
