"""Deterministic serialisation: the same graph gives byte-identical files."""

from __future__ import annotations

from rdflib import Graph

from mc2cm_graph.namespaces import bind_prefixes


def turtle_bytes(graph: Graph) -> bytes:
    """Turtle with the project's prefixes; rdflib sorts subjects and predicates.

    A graph that is a view of the fast engine's store is written by the store instead
    (two orders of magnitude faster; same triples, stable order for the same content)."""
    from mc2cm_graph.storeview import StoreView

    if isinstance(graph.store, StoreView):
        from mc2cm_graph.namespaces import PREFIXES

        return graph.store.turtle({p: str(ns) for p, ns in PREFIXES.items()})
    out = bind_prefixes(Graph())
    for triple in graph:
        out.add(triple)
    return out.serialize(format="turtle", encoding="utf-8")


def ntriples_bytes(graph: Graph) -> bytes:
    """N-Triples, lines sorted so the file diffs cleanly between releases."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")
