"""Everything ``build`` writes into the output folder, one exporter per artefact."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from mc2cm_graph.project import Project
from mc2cm_graph.serialize import turtle_bytes
from mc2cm_graph.vocab_subset import sdg_subset


def release_graph(project: Project) -> Graph:
    """What dist/mc2cm.ttl holds: ontology, instance data, and the used SDG goals/targets."""
    graph = project.ours()
    for triple in sdg_subset(project.union()):
        graph.add(triple)
    return graph


def export_turtle(project: Project, release: Graph, out_dir: Path) -> list[Path]:
    target = out_dir / "mc2cm.ttl"
    target.write_bytes(turtle_bytes(release))
    return [target]


# Each exporter takes (project, release graph, output folder) and returns the files written.
EXPORTERS = [export_turtle]


def export_all(project: Project, out_dir: Path) -> list[Path]:
    release = release_graph(project)
    written: list[Path] = []
    for exporter in EXPORTERS:
        written += exporter(project, release, Path(out_dir))
    return written
