"""The graph as Turtle and N-Triples."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from mc2cm_graph.graph.serialize import ntriples_bytes, write_turtle


def export_turtle(project, release: Graph, out_dir: Path) -> list[Path]:
    target = Path(out_dir) / "mc2cm.ttl"
    write_turtle(release, target)
    return [target]


def export_ntriples(project, release: Graph, out_dir: Path) -> list[Path]:
    target = Path(out_dir) / "mc2cm.nt"
    target.write_bytes(ntriples_bytes(release))
    return [target]
