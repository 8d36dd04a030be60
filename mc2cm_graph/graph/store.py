"""The project held in one embedded pyoxigraph store: the one working graph, from load to export.

Each part of the project sits in its own named graph (ontology, data, vocabularies, the
entailments, the used slice of the UN vocabulary), so a release ships ours whole and only
that slice; SPARQL sees the union. Each file is parsed once, by the store's parser, and
checked on the way in (file:line:col errors, RDF 1.2 refused, one file per resource,
typed literals in canonical form). Users who want rdflib get a Graph over the same store
through oxrdflib (``rdflib_graph``), not a copy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import DataError
from mc2cm_graph.graph.forked import in_workers
from mc2cm_graph.graph.iris import ONTOLOGY_NS
from mc2cm_graph.graph.literals import NonCanonical, non_canonical_literals
from mc2cm_graph.graph.load import (
    _FORMATS,
    _check_single_definition,
    _refuse_rdf12,
    _syntax_message,
    read_bytes,
    too_large,
)

GRAPH_BASE = "urn:x-mc2cm:graph:"
ONTOLOGY_GRAPH = ox.NamedNode(GRAPH_BASE + "ontology")
DATA_GRAPH = ox.NamedNode(GRAPH_BASE + "data")
VOCABULARIES_GRAPH = ox.NamedNode(GRAPH_BASE + "vocabularies")
INFERRED_GRAPH = ox.NamedNode(GRAPH_BASE + "inferred")  # reason.rules' entailments
SDG_SLICE_GRAPH = ox.NamedNode(GRAPH_BASE + "sdg-slice")  # used goals, targets, indicators
RELEASE_FACTS_GRAPH = ox.NamedNode(GRAPH_BASE + "release")  # version of this release
SEARCH_KEYS_GRAPH = ox.NamedNode(GRAPH_BASE + "search-keys")  # graph/search_key.py
SCRATCH_GRAPH = ox.NamedNode(GRAPH_BASE + "scratch")
# What the files say, without what reasoning derives: what validation checks.
ASSERTED_GRAPHS = (ONTOLOGY_GRAPH, DATA_GRAPH, VOCABULARIES_GRAPH)
# What dist/mc2cm.* hold, in the order the Turtle is written. The graphs share no triple:
# the rules and the slice insert only what the others do not hold.
RELEASE_GRAPHS = (ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH, SDG_SLICE_GRAPH,
                  RELEASE_FACTS_GRAPH, SEARCH_KEYS_GRAPH)

_MC2CM = ONTOLOGY_NS
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_SDGO = "http://metadata.un.org/sdg/ontology#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# What a reader of dist/mc2cm.ttl needs about each used goal and target; indicators are
# left out.
SDG_KEPT_PREDICATES = (_RDF_TYPE, *(_SKOS + p for p in (
    "prefLabel", "altLabel", "notation", "broader", "exactMatch", "inScheme", "note")),
    _SDGO + "isTargetOf")


def graph_list(graphs) -> str:
    """Graph names as the body of a SPARQL VALUES or FROM list."""
    return " ".join(f"<{g.value}>" for g in graphs)


@dataclass(frozen=True)
class ParsedFile:
    """A file parsed and checked on its own (``parse_file``), ready to go into a store:
    what the checks across files need, and its quads as the store takes them quickest
    (its bytes for the store's parser, or N-Quads with its blank nodes renamed)."""

    path: Path
    typed: list  # rdf:type quads, for the one-file-per-resource check
    non_canonical: list[NonCanonical]
    content: bytes | None = None  # no blank nodes: the file, for Store.load
    base_iri: str | None = None
    nquads: bytes | None = None  # blank nodes: renamed (StableBlankNodes), in ``graph``


def parse_file(path: Path, graph: ox.NamedNode) -> ParsedFile:
    """Parse and check one file for ``graph``, or raise an Mc2cmError naming file, line and
    column. Reads nothing but the file: it runs in a worker process as well as here."""
    path = Path(path)
    rdf_format = _FORMATS.get(path.suffix)
    if rdf_format is None:
        raise DataError(f"unsupported file type {path.suffix!r}", file=path,
                         hint="use .ttl (Turtle), .trig or .nt")
    content = read_bytes(path)
    base_iri = path.resolve().as_uri()
    try:
        # Kept for the renaming below if the file has blank nodes (no second parse).
        quads = list(ox.parse(content, format=rdf_format, base_iri=base_iri))
        scan = _scan(quads)
    except SyntaxError as err:
        raise DataError(
            f"syntax error: {_syntax_message(err)}", file=path, line=err.lineno,
            column=err.offset,
            hint="fix the Turtle at that position (see https://www.w3.org/TR/turtle/)",
        ) from None
    except MemoryError as err:
        raise too_large(path, err) from None
    if scan.rdf12:
        _refuse_rdf12(path, content, quads)
    literals = non_canonical_literals(scan.typed_literals, path) if scan.typed_literals else []
    if scan.blank_nodes:  # the ontology's OWL lists, the programmes' target links
        return ParsedFile(path, scan.typed, literals, nquads=ox.serialize(
            _in_graph(quads, content, graph), format=ox.RdfFormat.N_QUADS))
    return ParsedFile(path, scan.typed, literals, content, base_iri)


@dataclass
class Loader:
    """Loads files into a store, one parse each, remembering across files which file
    defines each resource and which typed literals are not in canonical form."""

    store: ox.Store
    defined_in: dict = field(default_factory=dict)
    non_canonical: list[NonCanonical] = field(default_factory=list)

    def load(self, path: Path, graph: ox.NamedNode, *, single_definition: bool = False) -> None:
        """Parse one file into a named graph, or raise an Mc2cmError naming file, line,
        column. Nothing of a file with an error reaches the store."""
        self.add(parse_file(path, graph), graph, single_definition=single_definition)

    def add(self, parsed: ParsedFile, graph: ox.NamedNode, *,
            single_definition: bool = False) -> None:
        """A file ``parse_file`` parsed for ``graph``, into the store, after the checks
        across files (raising as ``load`` does)."""
        if single_definition:
            _check_single_definition(parsed.path, parsed.typed, self.defined_in)
        self.non_canonical += parsed.non_canonical
        if parsed.nquads is not None:
            # In the file's order, the names kept (Store.load would rename blank nodes).
            self.store.extend(ox.parse(parsed.nquads, format=ox.RdfFormat.N_QUADS))
        else:  # the store's own parser again: far quicker than passing the quads over
            self.store.load(parsed.content, format=_FORMATS[parsed.path.suffix],
                            base_iri=parsed.base_iri, to_graph=graph)


@dataclass
class _Scan:
    typed: list  # rdf:type quads (for the one-file-per-resource check)
    typed_literals: list  # quads whose object is a typed literal other than a string
    blank_nodes: bool
    rdf12: bool


_RDF_TYPE_NODE = ox.NamedNode(_RDF_TYPE)
_PLAIN_DATATYPES = frozenset({
    ox.NamedNode("http://www.w3.org/2001/XMLSchema#string"),
    ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")})


def _scan(quads) -> _Scan:
    """What the checks need from a file's quads, in one pass (the pass is most of the
    checks' cost at 100k programmes)."""
    typed, literals, blank, rdf12 = [], [], False, False
    literal, blank_node, named = ox.Literal, ox.BlankNode, ox.NamedNode
    for quad in quads:
        subject, predicate, obj, _ = quad
        kind = type(obj)
        if kind is literal:
            if obj.language is None and obj.datatype not in _PLAIN_DATATYPES:
                literals.append(quad)
            elif obj.language is not None and getattr(obj, "direction", None) is not None:
                rdf12 = True
        elif kind is named:
            if predicate == _RDF_TYPE_NODE:
                typed.append(quad)
        elif kind is blank_node:
            blank = True
        else:
            rdf12 = True  # a triple term
        if type(subject) is not named:
            blank = True
    return _Scan(typed, literals, blank, rdf12)


def load_file(store: ox.Store, path: Path, graph) -> None:
    """One file into a graph of ``store``, with the loader's checks and stable blank-node
    names (what export/static_ld.py reads the written release with)."""
    Loader(store).load(path, graph)


class StableBlankNodes:
    """Blank nodes named by the file they come from (``digest``: the sha1 of its bytes)
    and their order of first appearance in it, instead of the parser's random names, so
    the same files always give byte-identical releases. Call it on each blank node in
    the file's order."""

    def __init__(self, digest: str):
        self.prefix, self.names = f"b{digest[:12]}x", {}

    def __call__(self, term: ox.BlankNode) -> ox.BlankNode:
        names = self.names
        return names.setdefault(term, ox.BlankNode(f"{self.prefix}{len(names)}"))


def _in_graph(quads, content: bytes, graph: ox.NamedNode):
    """The quads moved into ``graph``, their blank nodes renamed (StableBlankNodes)."""
    stable = StableBlankNodes(hashlib.sha1(content).hexdigest())
    blank, quad_of = ox.BlankNode, ox.Quad  # looked up once: this runs per quad
    for subject, predicate, obj, _ in quads:
        if type(subject) is blank:
            subject = stable(subject)
        if type(obj) is blank:
            obj = stable(obj)
        yield quad_of(subject, predicate, obj, graph)


@dataclass
class ProjectStore:
    store: ox.Store
    data_files: list[Path] = field(default_factory=list)
    # Typed literals the files write in another form than the canonical one, which the
    # store keeps (QC rule typed-literal-canonical reports them).
    non_canonical: list[NonCanonical] = field(default_factory=list)

    def query(self, sparql: str):
        """Run a SPARQL query over the union of the project's graphs."""
        return self.store.query(sparql, use_default_graph_as_union=True)

    def query_release(self, sparql: str):
        """A SPARQL query over what the release holds (RELEASE_GRAPHS)."""
        return self.store.query(sparql, default_graph=list(RELEASE_GRAPHS))

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

    def add_sdg_slice(self) -> None:
        """Copy into SDG_SLICE_GRAPH the goals and targets the data links to and the
        targets' indicators, with the kept predicates only (what ships with the release)."""
        self.store.clear_graph(SDG_SLICE_GRAPH)
        ours = graph_list((ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH))
        # One look-up per candidate triple (a MINUS over our graphs would first gather all
        # their triples: 1.8 GB at 100k programmes).
        absent = " ".join(f"FILTER NOT EXISTS {{ GRAPH <{g.value}> {{ ?concept ?p ?o }} }}"
                          for g in (ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH))
        self.store.update(f"""
            INSERT {{ GRAPH <{SDG_SLICE_GRAPH.value}> {{ ?concept ?p ?o }} }} WHERE {{
              {{ SELECT DISTINCT ?target WHERE {{
                   GRAPH ?g {{ ?x <{_MC2CM}contributesToTarget> ?target }} VALUES ?g {{ {ours} }}
              }} }}
              GRAPH <{VOCABULARIES_GRAPH.value}> {{
                # the target, its goal, and its indicators (skos:broader to the target, as
                # the KOS links them)
                {{ ?target <{_SKOS}broader>? ?concept }} UNION
                {{ ?concept <{_SKOS}broader> ?target ; a <{_SDGO}Indicator> }}
                ?concept ?p ?o
              }}
              VALUES ?p {{ {" ".join(f"<{p}>" for p in SDG_KEPT_PREDICATES)} }}
              {absent}
            }}""")

    def add_search_keys(self, nquads: bytes | None = None) -> None:
        """The search key of every label and text of the data (graph/search_key.py) into
        SEARCH_KEYS_GRAPH: ``nquads``, what ``search_keys_nquads`` gave (the build computes
        them in another process while it reasons), or computed here."""
        self.store.clear_graph(SEARCH_KEYS_GRAPH)
        self.store.load(self.search_keys_nquads() if nquads is None else nquads,
                        format=ox.RdfFormat.N_QUADS)

    def search_keys_nquads(self) -> bytes:
        """The search keys of the data graph's texts, as N-Quads into SEARCH_KEYS_GRAPH
        (only the data graph: reasoning, which writes elsewhere, does not change them)."""
        from mc2cm_graph.graph.search_key import search_key_nquads

        return search_key_nquads(self.store, (DATA_GRAPH,), SEARCH_KEYS_GRAPH)

    def has_search_keys(self) -> bool:
        return next(self.store.quads_for_pattern(None, None, None, SEARCH_KEYS_GRAPH),
                    None) is not None

    def add_release_facts(self, triples) -> None:
        """Facts the release adds (the ontology's version, export/release.py; rdflib
        terms), into RELEASE_FACTS_GRAPH, but for those the ontology states already."""
        from mc2cm_graph.graph.load import to_ox_term

        self.store.clear_graph(RELEASE_FACTS_GRAPH)
        for triple in triples:
            s, p, o = (to_ox_term(t) for t in triple)
            if ox.Quad(s, p, o, ONTOLOGY_GRAPH) not in self.store:
                self.store.add(ox.Quad(s, p, o, RELEASE_FACTS_GRAPH))

    def release_triple_count(self) -> int:
        """Distinct triples of the release. The reasoning rules and the SDG slice insert
        only what the other graphs lack, so only the ontology (small) can share triples
        with the data; counting DISTINCT over the union would hold every triple in a hash
        set (gigabytes at 100k programmes)."""
        def count(pattern: str) -> int:
            rows = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
            return int(next(iter(rows))["n"].value)

        total = sum(count(f"GRAPH <{g.value}> {{ ?s ?p ?o }}") for g in RELEASE_GRAPHS)
        shared = count(f"GRAPH <{ONTOLOGY_GRAPH.value}> {{ ?s ?p ?o }} "
                       f"GRAPH <{DATA_GRAPH.value}> {{ ?s ?p ?o }}")
        return total - shared

    def rdflib_asserted(self):
        """A plain rdflib copy of the asserted graphs: what pyshacl takes for the few
        shapes the compiler does not handle (check/fast.py, _fallback)."""
        from rdflib import Graph

        from mc2cm_graph.graph.load import add_quads
        from mc2cm_graph.graph.namespaces import bind_prefixes

        graph = bind_prefixes(Graph())
        for name in ASSERTED_GRAPHS:
            add_quads(graph, self.quads(name))
        return graph

    def rdflib_graph(self, *graphs: ox.NamedNode):
        """An rdflib graph over the store, for notebooks and the rdflib ecosystem, read
        through oxrdflib with no copy: with no ``graphs``, a Dataset whose default graph is
        the union of all (writes go to the store's default graph); else the read-only
        union of ``graphs`` (RELEASE_GRAPHS: what dist/mc2cm.ttl holds)."""
        import rdflib
        from oxrdflib import OxigraphStore
        from rdflib.graph import ReadOnlyGraphAggregate

        from mc2cm_graph.graph.namespaces import bind_prefixes

        dataset = rdflib.Dataset(store=OxigraphStore(store=self.store), default_union=True)
        if not graphs:
            return bind_prefixes(dataset)
        return ReadOnlyGraphAggregate([dataset.graph(rdflib.URIRef(g.value)) for g in graphs])


def load_store(data_dir: Path | None = None, extra_files: list[Path] | None = None,
               *, data_files: list[Path] | None = None) -> ProjectStore:
    """Load the ontology, a data folder (default: the project's) plus extra files, and the
    vocabularies into one store. ``data_files`` replaces the folder's files when given.
    A resource typed with one of our classes must be described in one data file only
    (see load.load_graph)."""
    if data_files is None:
        data_files = paths.data_files(data_dir or paths.DATA_DIR) + list(extra_files or [])
    unique: dict[Path, Path] = {}
    for path in data_files:
        unique.setdefault(Path(path).resolve(), Path(path))
    data_files = list(unique.values())
    loader = Loader(ox.Store())
    loader.load(paths.ONTOLOGY_FILE, ONTOLOGY_GRAPH)
    # Parsed and checked in worker processes, a file ahead on each core, while this one
    # adds the files before it to the store, in order (the same store, the same errors).
    for parsed in in_workers(partial(parse_file, graph=DATA_GRAPH), data_files):
        loader.add(parsed, DATA_GRAPH, single_definition=True)
    for path in paths.vocabulary_files():
        loader.load(path, VOCABULARIES_GRAPH)
    return ProjectStore(loader.store, data_files, loader.non_canonical)


def store_from_project(project) -> ProjectStore:
    """The reference engine's rdflib Project (after pyshacl and owlrl) in a ProjectStore,
    so that the same exporters write its release."""
    from mc2cm_graph.graph.load import to_ox_term

    store = ox.Store()
    for graph, name in ((project.ontology, ONTOLOGY_GRAPH), (project.data, DATA_GRAPH),
                        (project.vocabularies, VOCABULARIES_GRAPH)):
        store.extend(ox.Quad(*(to_ox_term(t) for t in triple), name) for triple in graph)
    return ProjectStore(store, list(project.data_files))
