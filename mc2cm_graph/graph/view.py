"""rdflib graphs that read straight from named graphs of a pyoxigraph store, with no copy.

Users and exporters keep the rdflib API (iterate, ``objects()``, ``add()``, ``serialize``)
while a 2.6 M-triple release stays in the store: copying it into rdflib would take about a
minute and gigabytes. A view reads the union of some named graphs and writes to one of
them; ``turtle_bytes`` in serialize.py spots a view and lets the store serialise it.
"""

from __future__ import annotations

import itertools

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.store import Store

from mc2cm_graph.graph.load import to_rdflib_term

_FRESH = itertools.count()


def to_ox_term(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


class StoreView(Store):
    """The union of ``graphs`` of an ox.Store as an rdflib store; adds go to ``write_graph``."""

    context_aware = False

    def __init__(self, store: ox.Store, graphs: list[ox.NamedNode],
                 write_graph: ox.NamedNode):
        super().__init__()
        self.store = store
        self.graphs = list(dict.fromkeys([*graphs, write_graph]))
        self.write_graph = write_graph
        self._prefixes: dict[str, URIRef] = {}

    def distinct_objects(self, predicate: URIRef) -> set:
        """The distinct objects of ``predicate``, found by the store (iterating would bring
        every triple of it into Python: seconds at 100k programmes)."""
        query = f"SELECT DISTINCT ?o WHERE {{ ?s <{predicate}> ?o }}"
        return {to_rdflib_term(row["o"]) for row in self.store.query(
            query, default_graph=self.graphs)}

    def add(self, triple, context=None, quoted=False):
        self.store.add(ox.Quad(*(to_ox_term(t) for t in triple), self.write_graph))

    def remove(self, triple, context=None):
        pattern = [None if t is None else to_ox_term(t) for t in triple]
        for graph in self.graphs:
            for quad in list(self.store.quads_for_pattern(*pattern, graph)):
                self.store.remove(quad)

    def triples(self, triple_pattern, context=None):
        pattern = [None if t is None else to_ox_term(t) for t in triple_pattern]
        for i, graph in enumerate(self.graphs):
            earlier = self.graphs[:i]
            for quad in self.store.quads_for_pattern(*pattern, graph):
                if any(ox.Quad(quad.subject, quad.predicate, quad.object, g) in self.store
                       for g in earlier):
                    continue  # a set: each triple once
                yield (to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate),
                       to_rdflib_term(quad.object)), iter(())

    def __len__(self, context=None):
        return int(next(iter(self.store.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE "
            f"{{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?g {{ {self._graph_list()} }} }} }}")))["n"].value)

    def _graph_list(self) -> str:
        return " ".join(f"<{g.value}>" for g in self.graphs)

    def bind(self, prefix, namespace, override=True, replace=False):
        self._prefixes[prefix] = URIRef(namespace)

    def namespace(self, prefix):
        return self._prefixes.get(prefix)

    def prefix(self, namespace):
        return next((p for p, n in self._prefixes.items() if n == URIRef(namespace)), None)

    def namespaces(self):
        yield from self._prefixes.items()

    def turtle(self, prefixes: dict[str, str]) -> bytes:
        return b"".join(self.turtle_parts(prefixes))

    def turtle_parts(self, prefixes: dict[str, str]):
        """The view as Turtle, in pieces to write one after the other (a file of millions
        of triples is never held whole), written by the store: each viewed graph dumped in
        the store's index order (stable for the same files), then the triples added
        through the view (few, in whatever order the caller added them), sorted. A triple
        held by two viewed graphs is written twice, which Turtle allows (a graph is a
        set). Only the first piece has the @prefix lines."""
        base = [g for g in self.graphs if g != self.write_graph or len(self.graphs) == 1]
        for i, graph in enumerate(base):
            part = self.store.dump(format=ox.RdfFormat.TURTLE, from_graph=graph,
                                   prefixes=prefixes)
            yield part if i == 0 else _without_prefixes(part)
        extra = [] if self.write_graph in base else sorted(
            (ox.Triple(q.subject, q.predicate, q.object) for q in
             self.store.quads_for_pattern(None, None, None, self.write_graph)
             if not any(ox.Quad(q.subject, q.predicate, q.object, g) in self.store
                        for g in base)), key=str)
        if extra:
            yield _without_prefixes(ox.serialize(extra, format=ox.RdfFormat.TURTLE,
                                                 prefixes=prefixes))


def _without_prefixes(turtle: bytes) -> bytes:
    position = 0
    while turtle.startswith(b"@prefix", position):
        position = turtle.index(b"\n", position) + 1
    return turtle[position:] if position else turtle


def view_graph(store: ox.Store, graphs: list[ox.NamedNode],
               write_graph: ox.NamedNode | None = None) -> Graph:
    """An rdflib Graph over named graphs of ``store``. Without ``write_graph``, additions go
    to a fresh named graph, so the viewed graphs are never changed through the view."""
    from mc2cm_graph.graph.namespaces import bind_prefixes

    if write_graph is None:
        write_graph = ox.NamedNode(f"urn:x-mc2cm:graph:added-{next(_FRESH)}")
    return bind_prefixes(Graph(store=StoreView(store, graphs, write_graph)))
