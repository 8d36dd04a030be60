"""The project as rdflib graphs: what the reference engine (pyshacl, owlrl) works on.

The fast engine keeps the project in a store instead (store.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.load import load_graph
from mc2cm_graph.graph.namespaces import bind_prefixes


@dataclass
class Project:
    """Ontology + instance data (ours) and the vendored vocabularies (the UN's), kept apart
    so exports can ship ours whole and only the used slice of the vocabularies."""

    ontology: Graph
    data: Graph
    vocabularies: Graph
    data_files: list[Path] = field(default_factory=list)

    def union(self) -> Graph:
        """Everything in one graph: what validation, reasoning and queries see."""
        return self._merged(self.ontology, self.data, self.vocabularies)

    def ours(self) -> Graph:
        """Ontology + instance data, without the vocabularies."""
        return self._merged(self.ontology, self.data)

    @staticmethod
    def _merged(*parts: Graph) -> Graph:
        merged = bind_prefixes(Graph())
        for part in parts:
            for triple in part:
                merged.add(triple)
        return merged


def load_project(data_dir: Path | None = None, extra_files: list[Path] | None = None) -> Project:
    """Load the ontology, a data folder (default: the project's) plus any extra files,
    and the vocabularies."""
    files = paths.data_files(data_dir or paths.DATA_DIR) + list(extra_files or [])
    return Project(
        ontology=load_graph([paths.ONTOLOGY_FILE]),
        data=load_graph(files),
        vocabularies=load_graph(paths.vocabulary_files()),
        data_files=files,
    )
