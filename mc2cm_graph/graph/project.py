"""The project's graphs, loaded once and passed down the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    # Set by the fast engine (store.ProjectStore): the graphs above are then views of it,
    # and union()/ours() are views too instead of copies.
    store: Any = None

    def union(self) -> Graph:
        """Everything in one graph: what validation, reasoning and queries see."""
        if self.store is not None:
            from mc2cm_graph.graph.store import (
                DATA_GRAPH,
                INFERRED_GRAPH,
                ONTOLOGY_GRAPH,
                VOCABULARIES_GRAPH,
            )

            return self.store.rdflib_graph(ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH,
                                           VOCABULARIES_GRAPH)
        merged = bind_prefixes(Graph())
        for part in (self.ontology, self.data, self.vocabularies):
            for triple in part:
                merged.add(triple)
        return merged

    def ours(self) -> Graph:
        """Ontology + instance data, without the vocabularies."""
        if self.store is not None:
            from mc2cm_graph.graph.store import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH

            return self.store.rdflib_graph(ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH)
        merged = bind_prefixes(Graph())
        for part in (self.ontology, self.data):
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
