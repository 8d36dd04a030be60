"""The release as Turtle and N-Triples, written by the store.

Neither is ever held in memory whole (the release at 100k programmes is 6 M triples): the
store dumps each release graph to a file, and the N-Triples lines are sorted in runs
merged from temporary files.
"""

from __future__ import annotations

import heapq
import itertools
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from mc2cm_graph.graph.store import RELEASE_GRAPHS, ProjectStore

# Lines sorted in memory at a time for the N-Triples; past that, sorted runs are merged
# from temporary files.
SORT_RUN_LINES = 1_000_000


def _prefixes() -> dict[str, str]:
    from mc2cm_graph.graph.namespaces import PREFIXES

    # Not id: (https://w3id.org/mc2cm/id/) for what no longer prefix covers: its local names
    # hold a slash (id:district\/al-majd), which Turtle escapes and Virtuoso 7 keeps, backslash
    # and all, in the IRI (so <…/district/al-majd> in a query matched nothing there).
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items() if prefix != "id"}


def _copy_without_prefixes(source: Path, out) -> None:
    with open(source, "rb") as dumped:
        line = dumped.readline()
        while line.startswith(b"@prefix"):
            line = dumped.readline()
        out.write(line)
        shutil.copyfileobj(dumped, out)


def export_turtle(project: ProjectStore, out_dir: Path, advance=None) -> list[Path]:
    """dist/mc2cm.ttl: each release graph dumped by the store in turn (the store's order,
    stable for the same files), under one block of @prefix lines."""
    target = Path(out_dir) / "mc2cm.ttl"
    prefixes = _prefixes()
    with tempfile.TemporaryDirectory() as scratch, open(target, "wb") as out:
        for i, graph in enumerate(RELEASE_GRAPHS):
            if i == 0:
                project.store.dump(out, format=ox.RdfFormat.TURTLE, from_graph=graph,
                                   prefixes=prefixes)
                continue
            part = Path(scratch) / f"part-{i}.ttl"
            project.store.dump(part, format=ox.RdfFormat.TURTLE, from_graph=graph,
                               prefixes=prefixes)
            _copy_without_prefixes(part, out)
    return [target]


def _lines(project: ProjectStore, scratch: Path):
    """The release's N-Triples lines, each graph dumped to a file and read back."""
    for i, graph in enumerate(RELEASE_GRAPHS):
        dumped = scratch / f"graph-{i}.nt"
        project.store.dump(dumped, format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        with open(dumped, "rb") as lines:
            for line in lines:
                yield line.rstrip(b"\n")
        dumped.unlink()


def export_ntriples(project: ProjectStore, out_dir: Path, advance=None) -> list[Path]:
    """dist/mc2cm.nt: the store's N-Triples, lines sorted (and each once) so the file
    diffs cleanly between releases."""
    target = Path(out_dir) / "mc2cm.nt"
    with tempfile.TemporaryDirectory() as scratch, open(target, "wb") as out:
        previous = None
        lines = _lines(project, Path(scratch))
        for line in heapq.merge(*_sorted_runs(lines, Path(scratch))):
            if line != previous:
                out.write(line + b"\n")
                previous = line
    return [target]


def _sorted_runs(lines, scratch: Path) -> list:
    """The lines as sorted runs to merge: one list when they fit in SORT_RUN_LINES, else
    runs written to files in ``scratch`` and read back lazily."""
    run = sorted(itertools.islice(lines, SORT_RUN_LINES))
    runs: list = []
    while True:
        following = sorted(itertools.islice(lines, SORT_RUN_LINES))
        if not following and not runs:
            return [run]
        runs.append(_spill(run, scratch / f"run-{len(runs)}"))
        if not following:
            return runs
        run = following


def _spill(run: list[bytes], path: Path):
    with open(path, "wb") as out:
        out.writelines(line + b"\n" for line in run)
    return (line.rstrip(b"\n") for line in open(path, "rb"))  # noqa: SIM115
