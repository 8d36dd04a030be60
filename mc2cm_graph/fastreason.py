"""The entailments our ontology needs, as SPARQL rules run by the store.

owlrl computes the whole OWL-RL closure (about 1 ms per input triple, mostly schema-level
and trivial triples). What users of the release need about our instances is a small part
of it, and the rules below derive exactly that part, read from the ontology (nothing
hard-coded), so a new axiom of these kinds is picked up without code changes:

- ``owl:inverseOf`` both ways (isActivityOf, isOutcomeOf, isLocationOf, isThemeOf, ...);
- ``owl:propertyChainAxiom`` (contributesToGoal = contributesToTarget / skos:broader);
- ``rdfs:subPropertyOf`` and ``owl:equivalentProperty`` (dcterms:subject, schema:hasPart,
  mc2cm:statedQuantity, ...);
- ``rdfs:domain`` / ``rdfs:range`` types, then ``rdfs:subClassOf`` / ``owl:equivalentClass``
  superclasses (mc2cm:Place, schema:City, prov:Agent, ...).

As in ``reason.materialise``, only triples about our instances are kept (subject under
https://w3id.org/mc2cm/id/). Left out on purpose, because they tell a reader nothing:
reflexive ``owl:sameAs``, ``rdf:type owl:Thing`` and types that are anonymous class
expressions (blank nodes). tests/test_fastreason.py checks that the result equals owlrl's
additions on the project's data, minus exactly those.
"""

from __future__ import annotations

import itertools

import pyoxigraph as ox

from mc2cm_graph.store import DATA_GRAPH, ONTOLOGY_GRAPH, SCRATCH_GRAPH, ProjectStore

INSTANCE_BASE = "https://w3id.org/mc2cm/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"


_GRAPH_VARIABLES = itertools.count()


def _pairs(project: ProjectStore, pattern: str) -> list[tuple[str, str]]:
    """(a, b) IRI pairs of a schema pattern in the ontology graph."""
    query = f"SELECT ?a ?b WHERE {{ GRAPH <{ONTOLOGY_GRAPH.value}> {{ {pattern} }} " \
            f"FILTER(isIRI(?a) && isIRI(?b)) }}"
    return sorted({(row["a"].value, row["b"].value) for row in project.store.query(query)})


def _closure(pairs: list[tuple[str, str]]) -> dict[str, set[str]]:
    """Strict transitive closure of a relation given as pairs."""
    direct: dict[str, set[str]] = {}
    for a, b in pairs:
        direct.setdefault(a, set()).add(b)
    closed = {}
    for start in direct:
        seen, todo = set(), list(direct[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo += direct.get(node, ())
        closed[start] = seen - {start}
    return closed


def _chains(project: ProjectStore) -> list[tuple[str, list[str]]]:
    query = f"""SELECT ?p ?list WHERE {{ GRAPH <{ONTOLOGY_GRAPH.value}> {{
        ?p <{OWL}propertyChainAxiom> ?list }} }}"""
    chains = []
    for row in project.store.query(query):
        members, node = [], row["list"]
        while node != ox.NamedNode(RDF + "nil"):
            members.append(next(project.store.quads_for_pattern(
                node, ox.NamedNode(RDF + "first"), None, ONTOLOGY_GRAPH)).object.value)
            node = next(project.store.quads_for_pattern(
                node, ox.NamedNode(RDF + "rest"), None, ONTOLOGY_GRAPH)).object
        chains.append((row["p"].value, members))
    return sorted(chains)


def _insert(project: ProjectStore, template: str, where: str) -> None:
    project.store.update(
        f"INSERT {{ GRAPH <{SCRATCH_GRAPH.value}> {{ {template} }} }} WHERE {{ {where} }}")


def _any(pattern: str) -> str:
    """A pattern matched in any named graph (data, vocabularies or derived so far)."""
    return f"GRAPH ?g{next(_GRAPH_VARIABLES)} {{ {pattern} }}"


def property_rules(project: ProjectStore) -> list[tuple[str, str]]:
    """(template, where) pairs deriving triples with new predicates."""
    inverse = _pairs(project, f"?a <{OWL}inverseOf> ?b")
    equivalent = _pairs(project, f"?a <{OWL}equivalentProperty> ?b")
    sub = _pairs(project, f"?a <{RDFS}subPropertyOf> ?b") + equivalent + \
        [(b, a) for a, b in equivalent]
    rules = []
    for a, b in inverse:
        rules.append((f"?o <{b}> ?s", _any(f"?s <{a}> ?o") + " FILTER(!isLiteral(?o))"))
        rules.append((f"?o <{a}> ?s", _any(f"?s <{b}> ?o") + " FILTER(!isLiteral(?o))"))
    for target, members in _chains(project):
        steps = " ".join(_any(f"?x{i} <{p}> ?x{i + 1}") for i, p in enumerate(members))
        rules.append((f"?x0 <{target}> ?x{len(members)}", steps))
    for prop, supers in sorted(_closure(sub).items()):
        template = " . ".join(f"?s <{q}> ?o" for q in sorted(supers))
        rules.append((template, _any(f"?s <{prop}> ?o")))
    return rules


def type_rules(project: ProjectStore) -> list[tuple[str, str]]:
    """(template, where) pairs deriving rdf:type triples from domains, ranges, superclasses."""
    rules = []
    for prop, cls in _pairs(project, f"?a <{RDFS}domain> ?b"):
        rules.append((f"?s a <{cls}>", _any(f"?s <{prop}> ?o")))
    for prop, cls in _pairs(project, f"?a <{RDFS}range> ?b"):
        rules.append((f"?o a <{cls}>", _any(f"?s <{prop}> ?o") + " FILTER(!isLiteral(?o))"))
    equivalent = _pairs(project, f"?a <{OWL}equivalentClass> ?b")
    sub = _pairs(project, f"?a <{RDFS}subClassOf> ?b") + equivalent + \
        [(b, a) for a, b in equivalent]
    superclasses = _closure(sub)
    # Superclasses after domain/range types: one pass over each class suffices, as the
    # closure is already transitive.
    for cls, supers in sorted(superclasses.items()):
        template = " . ".join(f"?x a <{s}>" for s in sorted(supers) if s != OWL + "Thing")
        if template:
            rules.append((template, _any(f"?x a <{cls}>")))
    return rules


def _scratch_size(project: ProjectStore) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SCRATCH_GRAPH.value}> {{ ?s ?p ?o }} }}"
    return int(next(iter(project.store.query(query)))["n"].value)


def materialise_store(project: ProjectStore) -> int:
    """Add the entailments about our instances to the data graph; return how many are new."""
    before = _count(project, DATA_GRAPH)
    rules = property_rules(project)
    size = -1
    while size != (size := _scratch_size(project)):  # to a fixpoint (two passes here)
        for template, where in rules:
            _insert(project, template, where)
    for template, where in type_rules(project):
        _insert(project, template, where)
    project.store.update(f"""
        INSERT {{ GRAPH <{DATA_GRAPH.value}> {{ ?s ?p ?o }} }}
        WHERE {{ GRAPH <{SCRATCH_GRAPH.value}> {{ ?s ?p ?o }}
                 FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{INSTANCE_BASE}") && !isBlank(?o)
                        && !(?p = <{OWL}sameAs> && ?s = ?o)) }}""")
    project.store.clear_graph(SCRATCH_GRAPH)
    return _count(project, DATA_GRAPH) - before


def _count(project: ProjectStore, graph: ox.NamedNode) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}"
    return int(next(iter(project.store.query(query)))["n"].value)
