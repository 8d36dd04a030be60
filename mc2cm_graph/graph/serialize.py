"""Deterministic serialisation of small rdflib graphs (the catalogue, test fixtures): the
same graph gives byte-identical files. The release itself is written by the store
(export/rdf.py)."""

from __future__ import annotations

from rdflib import Graph

from mc2cm_graph.graph.namespaces import bind_prefixes


def turtle_bytes(graph: Graph, extra_prefixes: dict | None = None) -> bytes:
    """Turtle with the project's prefixes (and ``extra_prefixes``: prefix → namespace);
    rdflib sorts subjects and predicates."""
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

