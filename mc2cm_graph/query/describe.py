"""What one of our IRIs answers with: the resource's description as a graph, in a format.

One function for everyone who dereferences an IRI: the server (``serve/linked_data.py``,
through its query workers) and the static linked-data files of the release
(``export/static_ld.py``). So a file under ``dist/id/`` holds exactly what the server
sends for the same IRI.
"""

from __future__ import annotations

from urllib.parse import urlsplit

BASE = "https://w3id.org/mc2cm"
ONTOLOGY = BASE + "/ontology"
GRAPH_FORMATS = ("turtle", "jsonld", "ntriples", "rdfxml")


def describe_query(iri: str, lang: str | None = None) -> str:
    """The resource's own triples (and those of its blank nodes; for the ontology, of all
    its terms), literals kept to ``lang`` when one is given. ``iri`` and ``lang`` must have
    been checked by the caller (no ``<>"`` in the IRI; ``lang`` a language tag)."""
    if iri == ONTOLOGY:
        subjects = f'?s ?p ?o FILTER(?s = <{iri}> || STRSTARTS(STR(?s), "{iri}#"))'
    else:
        subjects = (f"{{ BIND(<{iri}> AS ?s) ?s ?p ?o }} UNION "
                    f"{{ <{iri}> ?q ?s FILTER(isBlank(?s)) ?s ?p ?o }}")
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {subjects} {_literal_filter(lang)} }}"


def _literal_filter(lang: str | None) -> str:
    if not lang:
        return ""
    return (f'FILTER(!isLiteral(?o) || lang(?o) = "" || langMatches(lang(?o), "{lang}") || '
            f'NOT EXISTS {{ ?s ?p ?o2 FILTER(isLiteral(?o2) && langMatches(lang(?o2), "{lang}"))'
            " })")


def graph_bytes(triples: list, fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """pyoxigraph triples as ``fmt`` (one of GRAPH_FORMATS), with the project's prefixes
    that the triples use (``used_prefixes``, when not given); JSON-LD compacted with them
    as an inline context."""
    import pyoxigraph as ox

    if prefixes is None:
        prefixes = used_prefixes(triples)
    if fmt == "jsonld":
        return _compact_json_ld(ox.serialize(triples, format=ox.RdfFormat.JSON_LD), prefixes)
    if fmt == "rdfxml":
        return ox.serialize(triples, format=ox.RdfFormat.RDF_XML)
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}[fmt]
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes)


def describe(store, iri: str, fmt: str, lang: str | None = None) -> bytes:
    """The description of ``iri`` in a pyoxigraph store holding the release, as ``fmt``."""
    return graph_bytes(list(store.query(describe_query(iri, lang))), fmt)


def document_path(iri: str) -> str:
    """The path of one of our IRIs below the namespace (``id/programme/sfax-acmals``,
    ``ontology``): where its documents live, on the server and in the release."""
    if not iri.startswith(BASE + "/"):
        raise ValueError(f"not one of our IRIs: {iri}")
    return urlsplit(iri).path[len(urlsplit(BASE).path) + 1:]


def _compact_json_ld(expanded: bytes, prefixes: dict[str, str]) -> bytes:
    """Expanded JSON-LD (what pyoxigraph writes) compacted with the prefixes as @context,
    so keys read ``mc2cm:inCountry`` rather than full IRIs. The context is inline: nothing
    is fetched."""
    import json

    from pyld import jsonld

    # pyoxigraph writes expanded JSON-LD already: skipping PyLD's expansion step gives the
    # same document in a third of the time.
    document = jsonld.compact(json.loads(expanded), {"@context": prefixes},
                              {"skipExpansion": True})
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def used_prefixes(triples) -> dict[str, str]:
    """The project's prefixes whose namespace abbreviates an IRI of ``triples`` (Turtle
    stays short)."""
    import pyoxigraph as ox

    from mc2cm_graph.graph.namespaces import PREFIXES

    iris = {term.value for t in triples for term in t if isinstance(term, ox.NamedNode)}
    used = {}
    for prefix, namespace in PREFIXES.items():
        ns = str(namespace)
        if any(i.startswith(ns) and "/" not in i[len(ns):] for i in iris):
            used[prefix] = ns
    return used
