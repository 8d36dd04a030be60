"""OWL-RL entailments on request (owlrl), added to the instance data.

``mc2cm-graph build --reason`` materialises what the ontology entails about our resources
(see docs/reasoning.md): inverse links, mc2cm:contributesToGoal through the property chain
(contributesToTarget, skos:broader), types from domains, ranges and super-classes, and the
super-property links (dcterms:subject, dcterms:spatial, schema:hasPart, ...). It is off by
default: the closure of the whole graph, vocabularies included, takes seconds.
"""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF

from mc2cm_graph.graph.iris import ID
from mc2cm_graph.graph.project import Project

OUR_RESOURCES = ID


def owlrl_closure(graph: Graph) -> Graph:
    """The full OWL-RL closure of a graph, computed by owlrl (a copy; the input is kept)."""
    import owlrl

    closed = Graph()
    for triple in graph:
        closed.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closed)
    return closed


def entailments(graph: Graph) -> Graph:
    """What OWL-RL adds to ``graph`` about our resources (instances under /id/)."""
    closed = owlrl_closure(graph)
    added = Graph()
    for triple in closed:
        if triple not in graph and about_ours(triple):
            added.add(triple)
    return added


def materialise(project: Project) -> Graph:
    """Add to the project's data what OWL-RL entails about our resources; return the additions."""
    added = entailments(project.union())
    for triple in added:
        project.data.add(triple)
    return added


def about_ours(triple) -> bool:
    """A statement with one of our resources as subject or object, except the trivial ones
    OWL-RL states for every resource (``x owl:sameAs x``, ``x a owl:Thing``) and memberships
    of anonymous classes (the owl:unionOf domain of mc2cm:involvesPlace). Statements about the
    ontology's own terms (sub-class closure and the like) are left out: they are the
    ontology's business."""
    subject, predicate, obj = triple
    if predicate == OWL.sameAs and subject == obj:
        return False
    if predicate == RDF.type and (obj == OWL.Thing or isinstance(obj, BNode)):
        return False
    return any(isinstance(term, URIRef) and str(term).startswith(OUR_RESOURCES)
               for term in (subject, obj))
