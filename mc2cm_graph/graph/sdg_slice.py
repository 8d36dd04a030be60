"""The slice of the UN SDG vocabulary that the data uses: targets, their goals, their labels."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from mc2cm_graph.graph.namespaces import MC2CM, SDGO

# What a reader of dist/mc2cm.ttl needs about each goal and target; indicators are left out.
KEPT_PREDICATES = frozenset(
    {RDF.type, SKOS.prefLabel, SKOS.altLabel, SKOS.notation, SKOS.broader, SKOS.exactMatch,
     SKOS.inScheme, SKOS.note, SDGO.isTargetOf}
)


def used_sdg_concepts(graph: Graph) -> set:
    """Targets the data links to, and their goals."""
    from mc2cm_graph.graph.view import StoreView

    targets = (graph.store.distinct_objects(MC2CM.contributesToTarget)
               if isinstance(graph.store, StoreView)
               else set(graph.objects(None, MC2CM.contributesToTarget)))
    goals = {goal for target in targets for goal in graph.objects(target, SKOS.broader)}
    return targets | goals


def sdg_subset(graph: Graph) -> Graph:
    """A graph of the used goals and targets with the kept predicates only."""
    subset = Graph()
    for concept in used_sdg_concepts(graph):
        for predicate, obj in graph.predicate_objects(concept):
            if predicate in KEPT_PREDICATES:
                subset.add((concept, predicate, obj))
    return subset
