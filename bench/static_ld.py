"""Benchmark: the release's static linked data (export/static_ld.py), per size.

    python bench/static_ld.py                   # seed, 1000
    python bench/static_ld.py --sizes seed,1000,10000

For each size it builds the release once (``mc2cm-graph build``, cold, in a child process:
wall time), then times, in a fresh child process, what the linked-data exporter adds:
loading the release's mc2cm.ttl into a store and writing every IRI's Turtle, JSON-LD and
N-Triples and the extra site pages into an empty folder. It counts the files and bytes
written and prints a Markdown table for BENCHMARKS.md. Not part of pytest.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

STAGE = """
import sys, time
from pathlib import Path
t0 = time.perf_counter()
from mc2cm_graph.export.static_ld import export_static_ld
import shutil
dist, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir()
shutil.copy(dist / "mc2cm.ttl", out / "mc2cm.ttl")
t1 = time.perf_counter()
files = export_static_ld(None, None, out)
t2 = time.perf_counter()
print(len(files), sum(f.stat().st_size for f in files), f"{t2 - t1:.3f}")
"""


def run(args: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def bench(size: str, work: Path) -> dict:
    data = []
    if size != "seed":
        folder = work / f"synth-{size}"
        run([PYTHON, "-m", "mc2cm_graph", "synth", "--programmes", size, "--seed", "1",
             "--out", str(folder)])
        data = ["--data", str(folder)]
    dist = work / f"dist-{size}"
    build_seconds, _ = run([PYTHON, "-m", "mc2cm_graph", "build", "--out", str(dist), *data])
    _, printed = run([PYTHON, "-c", STAGE, str(dist), str(work / f"ld-{size}")])
    files, size_bytes, seconds = printed.split()
    resources = sum(1 for _ in (dist / "id").rglob("*.ttl")) + 1  # + ontology.ttl
    all_files = sum(1 for p in dist.rglob("*") if p.is_file())
    return {"size": size, "build": build_seconds, "stage": float(seconds),
            "resources": resources, "files": int(files), "bytes": int(size_bytes),
            "release_files": all_files}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seed,1000")
    args = parser.parse_args(argv)
    print("| data | IRIs | files written (RDF + extra pages) | MB | linked-data stage | "
          "whole build, cold | files in the release |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="mc2cm-bench-ld-") as tmp:
        for size in args.sizes.split(","):
            r = bench(size.strip(), Path(tmp))
            print(f"| {r['size']} | {r['resources']:,} | {r['files']:,} | "
                  f"{r['bytes'] / 1e6:.1f} | {r['stage']:.2f} s | {r['build']:.2f} s | "
                  f"{r['release_files']:,} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
