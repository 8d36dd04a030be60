"""What one of our IRIs answers with: the resource's description as a graph, in a format.

One function for everyone who dereferences an IRI: the server (``serve/linked_data.py``,
through its query workers) and the static linked-data files of the release
(``export/static_ld.py``). So a file under ``dist/id/`` holds exactly what the server
sends for the same IRI.

A description is the resource's Concise Bounded Description (``concise_bounded_description``):
its own triples and, recursively, those of the blank nodes they reach, so an OWL property
chain, a union domain or any RDF list arrives whole.
"""

from __future__ import annotations

from functools import lru_cache

from mc2cm_graph.graph import iris

BASE = iris.BASE.rstrip("/")
ONTOLOGY = iris.ONTOLOGY
GRAPH_FORMATS = ("turtle", "jsonld", "ntriples", "rdfxml")


OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# What declares an outside term in the ontology (schema:Country a owl:Class): such terms'
# descriptions belong to the ontology's document, with our own terms'.
DECLARATION_TYPES = (OWL + "Class", OWL + "ObjectProperty", OWL + "DatatypeProperty",
                     OWL + "AnnotationProperty", "http://www.w3.org/2000/01/rdf-schema#Datatype")


def concise_bounded_description(roots, triples_of, is_blank) -> list:
    """The Concise Bounded Description of ``roots`` (https://www.w3.org/submission/CBD/,
    without reification): every triple whose subject is a root and, recursively, every
    triple whose subject is a blank node that is the object of a triple already taken,
    so RDF lists and nested blank nodes come whole. Each triple comes once, in the order
    ``triples_of`` gives them, root by root (depth first into blank nodes).

    ``triples_of(node)`` gives the triples whose subject is ``node`` (indexable,
    ``[2]`` the object); ``is_blank(term)`` says whether a term is a blank node. Any
    triple source fits: a store, an index of a whole graph built in one pass."""
    seen, taken = set(), []
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        todo = [root]
        while todo:
            for triple in triples_of(todo.pop()):
                taken.append(triple)
                obj = triple[2]
                if is_blank(obj) and obj not in seen:
                    seen.add(obj)
                    todo.append(obj)
    return taken


def describe_triples(store, iri: str, lang: str | None = None, triples_of=None) -> list:
    """The description of ``iri`` in a pyoxigraph store holding the release (its default
    graph): the CBD of the resource; for the ontology, of the ontology, its terms and the
    outside terms it declares. Literals kept to ``lang`` when one is given
    (``keep_language``). ``triples_of``: where a node's triples come from (default: a
    pattern query on the store per node; ``SubjectIndex`` for many resources at once)."""
    import pyoxigraph as ox

    if triples_of is None:
        graph = ox.DefaultGraph()

        def triples_of(node):
            return [q.triple for q in store.quads_for_pattern(node, None, None, graph)]

    roots = ontology_terms(store) if iri == ONTOLOGY else [ox.NamedNode(iri)]
    triples = concise_bounded_description(roots, triples_of,
                                          lambda t: isinstance(t, ox.BlankNode))
    return keep_language(triples, lang) if lang else triples


class SubjectIndex:
    """The default graph of a store read in one pass, its triples grouped by subject (in
    the order a pattern query on the subject gives them) and the IRI-subject triples by
    object: what describing every resource of the release needs, without a query per
    resource and per blank node."""

    def __init__(self, source):
        """``source``: a store (its default graph), or triples in the order a store
        would give them."""
        import pyoxigraph as ox

        self.by_subject: dict = {}
        self.by_object: dict = {}
        if isinstance(source, ox.Store):
            source = (q.triple for q in source.quads_for_pattern(None, None, None,
                                                                  ox.DefaultGraph()))
        for triple in source:
            self.by_subject.setdefault(triple.subject, []).append(triple)
            if isinstance(triple.subject, ox.NamedNode):
                self.by_object.setdefault(triple.object, []).append(triple)

    def __call__(self, node) -> list:
        """The triples whose subject is ``node`` (``describe_triples``'s ``triples_of``)."""
        return self.by_subject.get(node, [])

    def incoming(self, node) -> list:
        """The triples whose object is ``node`` and subject an IRI."""
        return self.by_object.get(node, [])


def ontology_terms(store) -> list:
    """The ontology's IRI, its terms (``ontology#...``), the outside terms it declares
    (typed with one of DECLARATION_TYPES) and the resources of ours it names (its creator),
    sorted after the ontology's IRI."""
    import pyoxigraph as ox

    types = " ".join(f"<{t}>" for t in DECLARATION_TYPES)
    rows = store.query(
        f'SELECT DISTINCT ?s WHERE {{ {{ ?s ?p ?o FILTER(isIRI(?s) && '
        f'STRSTARTS(STR(?s), "{ONTOLOGY}#")) }} UNION {{ VALUES ?t {{ {types} }} '
        f'?s <{RDF_TYPE}> ?t FILTER(isIRI(?s) && !STRSTARTS(STR(?s), "{BASE}/")) }} UNION '
        f'{{ <{ONTOLOGY}> ?p ?s FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}/id/")) }} }}')
    return [ox.NamedNode(ONTOLOGY), *sorted((row["s"] for row in rows), key=str)]


def keep_language(triples: list, lang: str) -> list:
    """Of each subject's values of a property, the literals in ``lang`` (RFC 4647 basic
    filtering, as SPARQL's langMatches) and those without a language, when there is one
    in ``lang``; all of them otherwise. Other terms are kept."""
    def language(term) -> str | None:
        return getattr(term, "language", None)

    matched = {(t[0], t[1]) for t in triples if _lang_matches(language(t[2]), lang)}
    return [t for t in triples if not language(t[2]) or (t[0], t[1]) not in matched
            or _lang_matches(language(t[2]), lang)]


def _lang_matches(tag: str | None, lang: str) -> bool:
    if not tag:
        return False
    tag, lang = tag.lower(), lang.lower()
    return lang == "*" or tag == lang or tag.startswith(lang + "-")


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
    return graph_bytes(describe_triples(store, iri, lang), fmt)


def document_path(iri: str) -> str:
    """The path of one of our IRIs below the namespace (``id/programme/sfax-acmals``,
    ``ontology``): where its documents live, on the server and in the release."""
    if not iri.startswith(BASE + "/"):
        raise ValueError(f"not one of our IRIs: {iri}")
    # What urlsplit(iri).path gives below the namespace's own path, by slicing (a call per
    # IRI of a large release): the path ends at the fragment or the query.
    return iri[len(BASE) + 1:].split("#", 1)[0].split("?", 1)[0]


def _compact_json_ld(expanded: bytes, prefixes: dict[str, str]) -> bytes:
    """Expanded JSON-LD (what pyoxigraph writes: a flat list of node objects) compacted
    with the prefixes as an inline @context, so keys read ``mc2cm:inCountry`` rather than
    full IRIs; nothing is fetched. The JSON-LD 1.1 compaction algorithm for that one case,
    byte for byte what PyLD's ``jsonld.compact`` gives (tests/export/test_static_ld.py
    compares the two on every document of the seed release) at a fifth of its cost: keys
    sorted, IRIs to the shortest (then least) compact IRI, single values out of arrays,
    plain strings as JSON strings, one node merged with the context."""
    import json

    from mc2cm_graph.graph.jsontext import indented

    choices = sorted(prefixes.items())

    def compact_iri(iri: str) -> str:
        best = None
        for prefix, namespace in choices:
            if iri != namespace and iri.startswith(namespace):
                candidate = f"{prefix}:{iri[len(namespace):]}"
                if candidate not in prefixes and (
                        best is None or (len(candidate), candidate) < (len(best), best)):
                    best = candidate
        return best or iri

    def vocab_term(iri: str) -> str:
        return next((prefix for prefix, namespace in choices if namespace == iri), None) \
            or compact_iri(iri)

    def value(item: dict):
        if "@id" in item:
            return {"@id": compact_iri(item["@id"])}
        if len(item) == 1:
            return item["@value"]
        return {key: vocab_term(item[key]) if key == "@type" else item[key]
                for key in sorted(item)}

    def node(item: dict) -> dict:
        out = {}
        for key in sorted(item):
            if key == "@id":
                out[key] = compact_iri(item[key])
            else:
                values = [value(v) for v in item[key]]
                out[vocab_term(key)] = values[0] if len(values) == 1 else values
        return out

    nodes = [node(item) for item in json.loads(expanded)]
    document: dict = {"@context": prefixes} if prefixes else {}
    if len(nodes) == 1:
        document.update(nodes[0])
    elif nodes:
        document["@graph"] = nodes
    return indented(document, 1).encode()


def used_prefixes(triples) -> dict[str, str]:
    """The project's prefixes whose namespace abbreviates an IRI of ``triples`` (Turtle
    stays short)."""
    import pyoxigraph as ox

    from mc2cm_graph.graph.namespaces import PREFIXES

    iris = {term.value for t in triples for term in t if isinstance(term, ox.NamedNode)}
    # A namespace abbreviates an IRI when it starts the IRI and holds the IRI's last "/":
    # only the namespaces of the IRI's folder (up to its last "/") are tried.
    by_folder = _namespaces_by_folder()
    found = {prefix for i in iris for prefix, ns in by_folder.get(i[:i.rfind("/") + 1], ())
             if i.startswith(ns)}
    return {prefix: str(ns) for prefix, ns in PREFIXES.items() if prefix in found}


@lru_cache(maxsize=1)
def _namespaces_by_folder() -> dict[str, list[tuple[str, str]]]:
    from mc2cm_graph.graph.namespaces import PREFIXES

    folders: dict[str, list[tuple[str, str]]] = {}
    for prefix, namespace in PREFIXES.items():
        ns = str(namespace)
        folders.setdefault(ns[:ns.rfind("/") + 1], []).append((prefix, ns))
    return folders
