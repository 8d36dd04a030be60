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
https://w3id.org/mc2cm/id/, or object for an inverse link such as a UN target's
hasContributingProgramme). Left out on purpose, because they tell a reader nothing:
reflexive ``owl:sameAs``, ``rdf:type owl:Thing`` and types that are anonymous class
expressions (blank nodes). tests/reason/test_fastreason.py checks that the result equals owlrl's
additions on the project's data, minus exactly those.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pyoxigraph as ox

from mc2cm_graph.graph.iris import ID
from mc2cm_graph.graph.store import (
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    SCRATCH_GRAPH,
    ProjectStore,
)

INSTANCE_BASE = ID
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


@dataclass
class Rule:
    """One SPARQL update deriving triples about ``subject`` (a variable of ``where``).

    ``reads``/``writes`` are the predicates it consumes and produces, to order the rules
    so that one pass reaches the fixpoint."""

    subject: str
    template: str  # predicate-object pairs for the subject, joined by " ; "
    where: str
    reads: frozenset
    writes: frozenset
    # Variables any of which, being one of our instances, makes the derived triple kept: the
    # subject, and for an inverse link also its object (a UN target's link to a programme).
    anchors: tuple = ()

    def update(self) -> str:
        # Triples about our instances go to the inferred graph; others only to a scratch
        # graph, as premises, dropped at the end (the same rule as reason.about_ours).
        ours = " || ".join(f"(isIRI({v}) && STRSTARTS(STR({v}), \"{INSTANCE_BASE}\"))"
                           for v in (self.subject, *self.anchors))
        return (f"INSERT {{ GRAPH ?target {{ {self.subject} {self.template} }} }} WHERE {{ "
                f"{self.where} BIND(IF({ours}, <{INFERRED_GRAPH.value}>, "
                f"<{SCRATCH_GRAPH.value}>) AS ?target) }}")


def _any(pattern: str) -> str:
    """A pattern matched in any named graph (data, vocabularies or derived so far)."""
    return f"GRAPH ?g{next(_GRAPH_VARIABLES)} {{ {pattern} }}"


def _absent(pattern: str, bindings: str = "") -> str:
    """Skip what is already known: inserting it again costs as much as a new triple. MINUS,
    not FILTER NOT EXISTS: the store runs it as one hash anti-join instead of a lookup per
    row (3x faster at 100k programmes); the two agree as the pattern binds every variable
    of the solutions it removes."""
    return f"MINUS {{ {bindings} {_any(pattern)} }}"


def _property_rules(project: ProjectStore) -> list[Rule]:
    inverse = _pairs(project, f"?a <{OWL}inverseOf> ?b")
    equivalent = _pairs(project, f"?a <{OWL}equivalentProperty> ?b")
    sub = _pairs(project, f"?a <{RDFS}subPropertyOf> ?b") + equivalent + \
        [(b, a) for a, b in equivalent]
    rules = []
    for a, b in inverse:
        # One rule per pair, both directions under one UNION: matched against the store
        # as it was before the rule, so neither direction rereads what the other derives
        # (inverse is an involution, so that is complete).
        directions = " UNION ".join(
            f"{{ {_any(f'?s <{forward}> ?o')} FILTER(!isLiteral(?o)) "
            f"{_absent(f'?o <{backward}> ?s')} BIND(<{backward}> AS ?inverse) }}"
            for forward, backward in ((a, b), (b, a)))
        rules.append(Rule("?o", "?inverse ?s", directions, frozenset({a, b}),
                          frozenset({a, b}), anchors=("?s",)))
    for target, members in _chains(project):
        # Each step a subquery, so the store joins them by hashing instead of looking up
        # every intermediate node: a UN target is the subject of ~900 inverse links at
        # 100k programmes, walked per lookup (chain 1.8 s -> 0.2 s).
        steps = " ".join(f"{{ SELECT * WHERE {{ {_any(f'?x{i} <{p}> ?x{i + 1}')} }} }}"
                         for i, p in enumerate(members))
        rules.append(Rule("?x0", f"<{target}> ?x{len(members)}", steps,
                          frozenset(members), frozenset({target})))
    for prop, supers in sorted(_closure(sub).items()):
        template = " ; ".join(f"<{q}> ?o" for q in sorted(supers))
        rules.append(Rule("?s", template, _any(f"?s <{prop}> ?o"), frozenset({prop}),
                          frozenset(supers)))
    return rules


def ordered(rules: list[Rule]) -> list[Rule] | None:
    """The rules so that each runs after every other rule producing what it reads; None
    if the dependencies are cyclic."""
    pending, done = list(rules), []
    while pending:
        ready = [r for r in pending if not any(
            other is not r and other.writes & r.reads for other in pending)]
        if not ready:
            return None
        done += ready
        pending = [r for r in pending if all(r is not x for x in ready)]
    return done


def _type_rules(project: ProjectStore) -> list[Rule]:
    """Rules typing nodes with every class their asserted types, and the properties they
    are subject/object of (rdfs:domain/range), imply through the subclass closure."""
    domains = _pairs(project, f"?a <{RDFS}domain> ?b")
    ranges = _pairs(project, f"?a <{RDFS}range> ?b")
    equivalent = _pairs(project, f"?a <{OWL}equivalentClass> ?b")
    sub = _pairs(project, f"?a <{RDFS}subClassOf> ?b") + equivalent + \
        [(b, a) for a, b in equivalent]
    superclasses = _closure(sub)

    def implied(cls, itself):
        return sorted((({cls} if itself else set()) | superclasses.get(cls, set()))
                      - {OWL + "Thing"})

    rules = []
    # Asserted types first (property rules add none), so that these rules do not reread
    # the types the rules below derive: those come with their whole closure already.
    for cls in sorted(superclasses):
        rules.append(_type_rule(_any(f"?x a <{cls}>"), implied(cls, False)))
    # One rule per domain/range class, its properties as one union under DISTINCT: each
    # node is then checked once per class, not once per property (9 properties have
    # mc2cm:Programme as domain).
    for cls in sorted({c for _p, c in domains + ranges}):
        sources = [_any(f"?x <{p}> []") for p, c in domains if c == cls]
        sources += [f"{_any(f'[] <{p}> ?x')} FILTER(!isLiteral(?x))"
                    for p, c in ranges if c == cls]
        rules.append(_type_rule(" UNION ".join(f"{{ {s} }}" for s in sources),
                                implied(cls, True)))
    return [rule for rule in rules if rule is not None]


def _type_rule(source: str, classes: list[str]) -> Rule | None:
    """``?x a ?c`` for each node ?x of ``source`` and each of ``classes`` not yet known."""
    if not classes:
        return None
    values = "VALUES ?c { " + " ".join(f"<{c}>" for c in classes) + " }"
    # The classes are repeated inside MINUS so that it only reads their instances.
    where = f"{{ SELECT DISTINCT ?x WHERE {{ {source} }} }} {values} " + \
        _absent("?x a ?c", values)
    return Rule("?x", "a ?c", where, frozenset(), frozenset({RDF_TYPE}))


def rules(project: ProjectStore) -> list[Rule]:
    """Every rule, in an order that reaches the fixpoint in one pass. Property rules never
    read rdf:type, and each type rule inserts whole superclass closures, so type rules
    need no order among themselves."""
    properties = ordered(_property_rules(project))
    if properties is None:
        raise NotImplementedError("cyclic property axioms: use the reference engine "
                                  "(build --engine reference)")
    return properties + _type_rules(project)


def materialise_store(project: ProjectStore) -> None:
    """Add the entailments about our instances to the store's inferred graph (which the
    project's data view includes)."""
    for rule in rules(project):
        project.store.update(rule.update())
    project.store.clear_graph(SCRATCH_GRAPH)
