"""``build --reason``: the OWL-RL entailments owlrl adds, against a golden file."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.load import load_graph
from mc2cm_graph.graph.namespaces import MC2CM, PROGRAMME, SDG
from mc2cm_graph.graph.project import Project
from mc2cm_graph.graph.serialize import turtle_bytes
from mc2cm_graph.reason.reference import entailments, materialise

FIXTURE = Path(__file__).parents[1] / "fixtures" / "reasoning" / "programme.ttl"
GOLDEN = Path(__file__).parents[1] / "golden" / "reasoning-entailments.ttl"


def fixture_graph() -> Graph:
    return load_graph([paths.ONTOLOGY_FILE, FIXTURE])


def test_entailments_of_a_small_programme_match_the_golden_file():
    added = entailments(fixture_graph())
    golden = Graph().parse(GOLDEN)
    if not isomorphic(added, golden):
        _both, extra, missing = graph_diff(to_isomorphic(added), to_isomorphic(golden))
        raise AssertionError("entailed but not in the golden file:\n"
                             + turtle_bytes(extra).decode()
                             + "\nin the golden file but not entailed:\n"
                             + turtle_bytes(missing).decode())


def test_property_chain_yields_the_goal():
    added = entailments(fixture_graph())
    assert (PROGRAMME["test-fixture"], MC2CM.contributesToGoal, SDG["10"]) in added


def test_materialise_adds_the_entailments_to_the_data_only():
    graph = fixture_graph()
    ontology = load_graph([paths.ONTOLOGY_FILE])
    project = Project(ontology=ontology, data=graph - ontology, vocabularies=Graph())
    ontology_size = len(project.ontology)
    added = materialise(project)
    assert len(added) > 0
    assert all(triple in project.data for triple in added)
    assert len(project.ontology) == ontology_size
