"""Deterministic serialisation: the same graph gives byte-identical files."""

from __future__ import annotations

from rdflib import Graph

from mc2cm_graph.namespaces import bind_prefixes


def turtle_bytes(graph: Graph, extra_prefixes: dict | None = None) -> bytes:
    """Turtle with the project's prefixes (and ``extra_prefixes``: prefix → namespace);
    rdflib sorts subjects and predicates.

    A graph that is a view of the fast engine's store is written by the store instead
    (two orders of magnitude faster; same triples, byte-stable for the same input)."""
    from mc2cm_graph.storeview import StoreView

    if isinstance(graph.store, StoreView):
        from mc2cm_graph.namespaces import PREFIXES

        prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
        prefixes.update({p: str(ns) for p, ns in (extra_prefixes or {}).items()})
        return graph.store.turtle(prefixes)
    out = bind_prefixes(Graph())
    if not extra_prefixes and set(graph.namespaces()) == set(out.namespaces()):
        # Already bound like the copy would be: serialise it as it is (a copy costs as much
        # as the writing at the seed's size; the bytes are the same).
        return graph.serialize(format="turtle", encoding="utf-8")
    for prefix, namespace in (extra_prefixes or {}).items():
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in graph:
        out.add(triple)
    return out.serialize(format="turtle", encoding="utf-8")


def ntriples_bytes(graph: Graph) -> bytes:
    """N-Triples, lines sorted so the file diffs cleanly between releases."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")
