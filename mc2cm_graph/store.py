"""The project held in one embedded pyoxigraph store: the fast engine's working graph.

Each part of the project sits in its own named graph (ontology, data, vocabularies), so
releases can ship ours whole and only the used slice of the UN vocabulary; SPARQL sees
the union. Users still get rdflib: ``rdflib_graph()`` and ``to_project()`` hand out rdflib
graphs that read straight from the store (oxrdflib), with no copy, however large.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from mc2cm_graph import paths
from mc2cm_graph.errors import Mc2cmError
from mc2cm_graph.load import _FORMATS, _syntax_message, read_bytes

GRAPH_BASE = "urn:x-mc2cm:graph:"
ONTOLOGY_GRAPH = ox.NamedNode(GRAPH_BASE + "ontology")
DATA_GRAPH = ox.NamedNode(GRAPH_BASE + "data")
VOCABULARIES_GRAPH = ox.NamedNode(GRAPH_BASE + "vocabularies")
SCRATCH_GRAPH = ox.NamedNode(GRAPH_BASE + "scratch")


def load_file(store: ox.Store, path: Path, graph: ox.NamedNode) -> None:
    """Parse one file into a named graph, or raise an Mc2cmError naming file, line, column.

    ``Store.load`` is atomic: a file with an error adds nothing."""
    path = Path(path)
    rdf_format = _FORMATS.get(path.suffix)
    if rdf_format is None:
        raise Mc2cmError(f"unsupported file type {path.suffix!r}", file=path,
                         hint="use .ttl (Turtle), .trig or .nt")
    content = read_bytes(path)
    try:
        store.load(content, format=rdf_format, base_iri=path.resolve().as_uri(),
                   to_graph=graph)
    except SyntaxError as err:
        raise Mc2cmError(
            f"syntax error: {_syntax_message(err)}", file=path, line=err.lineno,
            column=err.offset,
            hint="fix the Turtle at that position (see https://www.w3.org/TR/turtle/)",
        ) from None


@dataclass
class ProjectStore:
    store: ox.Store
    data_files: list[Path] = field(default_factory=list)

    def query(self, sparql: str):
        """Run a SPARQL query over the union of the project's graphs."""
        return self.store.query(sparql, use_default_graph_as_union=True)

    def quads(self, graph: ox.NamedNode):
        return self.store.quads_for_pattern(None, None, None, graph)

    def rdflib_graph(self, graph: ox.NamedNode):
        """An rdflib Graph over one named graph of the store (reads through, no copy)."""
        from oxrdflib import OxigraphStore
        from rdflib import Graph, URIRef

        from mc2cm_graph.namespaces import bind_prefixes

        return bind_prefixes(Graph(store=OxigraphStore(store=self.store),
                                   identifier=URIRef(graph.value)))

    def to_project(self):
        """The project as the rdflib-facing Project the rest of the package uses."""
        from mc2cm_graph.project import Project

        return Project(ontology=self.rdflib_graph(ONTOLOGY_GRAPH),
                       data=self.rdflib_graph(DATA_GRAPH),
                       vocabularies=self.rdflib_graph(VOCABULARIES_GRAPH),
                       data_files=list(self.data_files))


def load_store(data_dir: Path | None = None, extra_files: list[Path] | None = None,
               *, data_files: list[Path] | None = None) -> ProjectStore:
    """Load the ontology, a data folder (default: the project's) plus extra files, and the
    vocabularies into one store. ``data_files`` replaces the folder's files when given."""
    if data_files is None:
        data_files = paths.data_files(data_dir or paths.DATA_DIR) + list(extra_files or [])
    store = ox.Store()
    load_file(store, paths.ONTOLOGY_FILE, ONTOLOGY_GRAPH)
    for path in data_files:
        load_file(store, path, DATA_GRAPH)
    for path in paths.vocabulary_files():
        load_file(store, path, VOCABULARIES_GRAPH)
    return ProjectStore(store, list(data_files))
