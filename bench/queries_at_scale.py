"""Saved queries at scale: every queries/*.rq on a release built from a (synthetic) data folder.

    python bench/queries_at_scale.py /tmp/s100k --release /tmp/release100k.ttl
    python bench/queries_at_scale.py /tmp/q10k --release /tmp/release10k.ttl --only quantities
    python bench/queries_at_scale.py /tmp/q10k --release /tmp/release10k.ttl --dump /tmp/rows
    python bench/queries_at_scale.py /tmp/s100k --release /tmp/release100k.ttl --queries /tmp/old

The release Turtle is built once (as bench/run.py `stages_ours` does: store load ->
reasoning -> ours + the used SDG slice, written by the store) and reused when the file
exists. Then it is bulk-loaded the way `mc2cm-graph query` loads it, every saved query is
bound as bench/run.py binds it, and per query it prints the rows, the best of 3 times
through ``store.query`` (only iterating the solutions: the store's own evaluation) and
through ``LocalEngine.select`` (the package's query path, which also builds one dict of
terms per row). ``--dump DIR`` writes each query's rows in result order, to compare the
results of two query texts (old vs new) with ``diff -r`` (and ``sort`` where ties may reorder).

Not part of pytest: timings belong here.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import QUADRATIC_MAX_TRIPLES, QUADRATIC_QUERIES, saved_queries  # noqa: E402


def build_release(data_dir: Path, target: Path) -> None:
    """The reasoned store's release as Turtle (what `build --reason` publishes)."""
    from mc2cm_graph.export.pipeline import prepare_release
    from mc2cm_graph.export.rdf import export_turtle
    from mc2cm_graph.graph.store import load_store
    from mc2cm_graph.reason.rules import materialise_store

    start = time.perf_counter()
    store = load_store(data_dir)
    materialise_store(store)
    prepare_release(store)
    export_turtle(store, target.parent)
    (target.parent / "mc2cm.ttl").replace(target)
    print(f"release written to {target} in {time.perf_counter() - start:.1f} s", flush=True)


def best_of(repeat: int, function) -> tuple[float, int]:
    best, rows = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = function()
        best = min(best, time.perf_counter() - start)
    return best, rows


def row_lines(result) -> list[str]:
    """One line per row (N-Triples-like term text), in the result's order."""
    return ["\t".join("" if row[v] is None else str(row[v]) for v in result.variables)
            for row in result.rows]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--release", type=Path, default=None,
                        help="release Turtle file (built if missing; default DATA_DIR.release.ttl)")
    parser.add_argument("--only", default="", help="comma-separated query names")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--queries", type=Path, default=None,
                        help="another folder of saved queries, e.g. an older version of queries/ "
                             "(git archive COMMIT queries | tar -x -C DIR)")
    parser.add_argument("--dump", type=Path, default=None,
                        help="write each query's rows to DIR/NAME.tsv")
    args = parser.parse_args(argv)

    import pyoxigraph as ox

    from mc2cm_graph.graph import paths
    from mc2cm_graph.query.engine import LocalEngine

    if args.queries:  # saved_queries() reads the catalogue from paths.QUERIES_DIR
        paths.QUERIES_DIR = args.queries

    release = args.release or args.data_dir.with_suffix(".release.ttl")
    if not release.exists():
        build_release(args.data_dir, release)
    store = ox.Store()
    start = time.perf_counter()
    store.bulk_load(path=str(release), format=ox.RdfFormat.TURTLE)
    triples = len(store)
    print(f"{triples} triples loaded in {time.perf_counter() - start:.1f} s", flush=True)
    engine = LocalEngine(store)
    texts = saved_queries(engine)
    only = {name for name in args.only.split(",") if name}
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    print(f"{'query':40} {'rows':>8} {'store.query':>12} {'LocalEngine':>12}")
    for name, text in texts.items():
        if only and name not in only:
            continue
        if name in QUADRATIC_QUERIES and triples > QUADRATIC_MAX_TRIPLES:
            print(f"{name:40} skipped: compares every pair of programmes", flush=True)
            continue
        raw, rows = best_of(args.repeat, lambda text=text: sum(1 for _ in store.query(text)))
        converted, _ = best_of(args.repeat, lambda text=text: len(engine.select(text).rows))
        print(f"{name:40} {rows:>8} {raw:>11.3f}s {converted:>11.3f}s", flush=True)
        if args.dump:
            safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
            (args.dump / f"{safe}.tsv").write_text("\n".join(row_lines(engine.select(text))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
