"""The project held in one embedded pyoxigraph store: the fast engine's working graph.

Each part of the project sits in its own named graph (ontology, data, vocabularies), so
releases can ship ours whole and only the used slice of the UN vocabulary; SPARQL sees
the union. Users still get rdflib: ``rdflib_graph()`` and ``to_project()`` hand out rdflib
graphs that read straight from the store (storeview.py), with no copy, however large.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.load import _FORMATS, _syntax_message, read_bytes, too_large

GRAPH_BASE = "urn:x-mc2cm:graph:"
ONTOLOGY_GRAPH = ox.NamedNode(GRAPH_BASE + "ontology")
DATA_GRAPH = ox.NamedNode(GRAPH_BASE + "data")
VOCABULARIES_GRAPH = ox.NamedNode(GRAPH_BASE + "vocabularies")
INFERRED_GRAPH = ox.NamedNode(GRAPH_BASE + "inferred")  # fastreason's entailments
SCRATCH_GRAPH = ox.NamedNode(GRAPH_BASE + "scratch")
# What the files say, without what reasoning derives: what validation checks.
ASSERTED_GRAPHS = (ONTOLOGY_GRAPH, DATA_GRAPH, VOCABULARIES_GRAPH)


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
        if _may_have_blank_nodes(content):
            store.extend(_stable_blank_nodes(
                ox.parse(content, format=rdf_format, base_iri=path.resolve().as_uri()),
                content, graph))
        else:
            store.load(content, format=rdf_format, base_iri=path.resolve().as_uri(),
                       to_graph=graph)
    except SyntaxError as err:
        raise Mc2cmError(
            f"syntax error: {_syntax_message(err)}", file=path, line=err.lineno,
            column=err.offset,
            hint="fix the Turtle at that position (see https://www.w3.org/TR/turtle/)",
        ) from None
    except MemoryError as err:
        raise too_large(path, err) from None


# What may hide a "[", "(" or "_:" that is not Turtle syntax: IRIs, string literals (long
# ones first) and backslash escapes in prefixed names. Comments are left in: a false
# alarm there only costs speed.
_NOT_SYNTAX = re.compile(
    rb'<[^<>"{}|^`\\\s]*>'
    rb'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    rb"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    rb'|"(?:[^"\\\n\r]|\\.)*"'
    rb"|'(?:[^'\\\n\r]|\\.)*'"
    rb"|\\.", re.DOTALL)


_IRI = re.compile(rb"<[^<>\s]*>")


def _may_have_blank_nodes(content: bytes) -> bool:
    """Whether the Turtle/TriG/N-Triples may make blank nodes (``_:x``, ``[ ]`` or a
    collection). Looked for outside IRIs and literals, so that labels such as
    "(programme 1)" keep a file on the store's fast path; never false for a file with
    blank nodes (tests/test_projectstore.py)."""
    if b"_:" not in content and b"[" not in content and b"(" not in content:
        return False
    syntax = _outside_plain_strings(content)
    if syntax is None:
        syntax = _NOT_SYNTAX.sub(b" ", content)
    return b"_:" in syntax or b"[" in syntax or b"(" in syntax


def _outside_plain_strings(content: bytes) -> bytes | None:
    """The text outside IRIs and "..." strings, found by splitting on quotes (four times
    faster than _NOT_SYNTAX on our files, whose text is mostly strings); None where that
    is not safe: escapes, long or single-quoted strings, or a # outside strings and IRIs
    (a comment could hold an odd quote)."""
    if b"\\" in content or b'"""' in content:
        return None
    outside = _IRI.sub(b" ", b" ".join(content.split(b'"')[0::2]))
    if b"'" in outside or b"#" in outside:
        return None
    return outside


def _stable_blank_nodes(quads, content: bytes, graph: ox.NamedNode):
    """The parser names blank nodes at random; name them by file content and order of
    appearance instead, so the same files always give byte-identical releases."""
    import hashlib

    tag = hashlib.sha1(content).hexdigest()[:12]
    names: dict = {}

    def stable(term):
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term, ox.BlankNode(f"b{tag}x{len(names)}"))
        return term

    for quad in quads:
        yield ox.Quad(stable(quad.subject), quad.predicate, stable(quad.object), graph)


@dataclass
class ProjectStore:
    store: ox.Store
    data_files: list[Path] = field(default_factory=list)

    def query(self, sparql: str):
        """Run a SPARQL query over the union of the project's graphs."""
        return self.store.query(sparql, use_default_graph_as_union=True)

    def query_asserted(self, sparql: str, *extra_graphs: ox.NamedNode):
        """A SPARQL query over the asserted graphs (and ``extra_graphs``) only: what
        validation sees, even while reasoning adds to the inferred graph."""
        wanted = {*ASSERTED_GRAPHS, *extra_graphs}
        if set(self.store.named_graphs()) <= wanted and next(self.store.quads_for_pattern(
                None, None, None, ox.DefaultGraph()), None) is None:
            # Nothing else in the store (no reasoning yet, the usual case): the union is
            # the same graph, and 10-25 % faster to query than a list of graphs.
            return self.store.query(sparql, use_default_graph_as_union=True)
        return self.store.query(sparql, default_graph=list(wanted))

    def quads(self, graph: ox.NamedNode):
        return self.store.quads_for_pattern(None, None, None, graph)

    def rdflib_graph(self, *graphs: ox.NamedNode, write_graph: ox.NamedNode | None = None):
        """An rdflib Graph over named graphs of the store (reads through, no copy)."""
        from mc2cm_graph.graph.view import view_graph

        return view_graph(self.store, list(graphs), write_graph)

    def rdflib_asserted(self):
        """A plain rdflib copy of the asserted graphs (what pyshacl takes)."""
        from rdflib import Graph

        from mc2cm_graph.graph.load import add_quads
        from mc2cm_graph.graph.namespaces import bind_prefixes

        graph = bind_prefixes(Graph())
        for name in ASSERTED_GRAPHS:
            add_quads(graph, self.quads(name))
        return graph

    def to_project(self):
        """The project as the rdflib-facing Project the rest of the package uses."""
        from mc2cm_graph.graph.project import Project

        def part(graph):
            return self.rdflib_graph(graph, write_graph=graph)

        return Project(ontology=part(ONTOLOGY_GRAPH),
                       data=self.rdflib_graph(DATA_GRAPH, INFERRED_GRAPH, write_graph=DATA_GRAPH),
                       vocabularies=part(VOCABULARIES_GRAPH),
                       data_files=list(self.data_files), store=self)

    def release_view(self):
        """What export.release_graph puts in a release (ours: ontology, data, entailments;
        plus the used slice of the SDG vocabulary), as a view of the store with no copy:
        serialize.write_turtle writes it, however large. Unlike release_graph, numbers
        are the store's canonical forms and blank nodes keep the loader's names."""
        from mc2cm_graph.graph.sdg_slice import sdg_subset

        project = self.to_project()
        release = project.ours()
        for triple in sdg_subset(project.union()):
            release.add(triple)
        from mc2cm_graph.export.release import ontology_version_triples

        for triple in ontology_version_triples():
            release.add(triple)
        return release


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


def load_both(data_dir: Path | None = None):
    """(Project, ProjectStore) from one parse of each file: the store for validation,
    reasoning and queries; the rdflib Project, with the files' exact lexical forms, for the
    exporters (the store writes numbers canonically: "34.00"^^xsd:decimal as 34); its
    vocabularies graph is a read-through view of the store (the exporters read only SDG
    labels and sdgo:SDGCode notations from it, which the store keeps as written). Same
    checks as load.load_graph: file:line:col errors, RDF 1.2 refused, one file per resource.
    """
    from rdflib import Graph

    from mc2cm_graph.graph.load import _check_single_definition, add_quads, parse_quads
    from mc2cm_graph.graph.namespaces import bind_prefixes
    from mc2cm_graph.graph.project import Project

    store = ox.Store()

    def part(files, graph_name, copy=True):
        graph, defined, seen = bind_prefixes(Graph()), {}, set()
        for path in files:
            if Path(path).resolve() in seen:
                continue
            seen.add(Path(path).resolve())
            quads = parse_quads(path)
            _check_single_definition(path, quads, defined)
            content = Path(path).read_bytes() if any(
                isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)) \
                else b""
            quads = list(_stable_blank_nodes(quads, content, graph_name))
            if copy:
                add_quads(graph, quads)
            store.extend(quads)
        return graph

    files = paths.data_files(data_dir or paths.DATA_DIR)
    project = Project(ontology=part([paths.ONTOLOGY_FILE], ONTOLOGY_GRAPH),
                      data=part(files, DATA_GRAPH),
                      vocabularies=Graph(), data_files=files)
    part(paths.vocabulary_files(), VOCABULARIES_GRAPH, copy=False)
    project_store = ProjectStore(store, files)
    # The vocabularies are the UN's files, not exported whole: a view of the store (no
    # copy into rdflib) is enough for the exporters' look-ups of the SDG slice.
    project.vocabularies = bind_prefixes(project_store.rdflib_graph(VOCABULARIES_GRAPH))
    return project, project_store
