"""OWL-RL entailments on request (owlrl), added to the instance data."""

from __future__ import annotations

from rdflib import Graph

from mc2cm_graph.project import Project


def owlrl_closure(graph: Graph) -> Graph:
    """The full OWL-RL closure of a graph, computed by owlrl (a copy; the input is kept)."""
    import owlrl

    closed = Graph()
    for triple in graph:
        closed.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closed)
    return closed


def materialise(project: Project) -> Graph:
    """Add to the project's data what OWL-RL entails about our resources; return the additions."""
    before = project.union()
    closed = owlrl_closure(before)
    added = Graph()
    for triple in closed:
        if triple not in before and _about_ours(triple):
            added.add(triple)
    for triple in added:
        project.data.add(triple)
    return added


def _about_ours(triple) -> bool:
    subject = str(triple[0])
    return subject.startswith("https://w3id.org/mc2cm/")
