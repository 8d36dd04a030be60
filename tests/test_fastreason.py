"""The fast reasoner derives exactly what owlrl derives about our instances."""

import pytest
from rdflib import BNode
from rdflib.namespace import OWL, RDF

from mc2cm_graph.fastreason import INSTANCE_BASE, materialise_store
from mc2cm_graph.load import to_rdflib_term
from mc2cm_graph.namespaces import MC2CM, PROGRAMME, SDG
from mc2cm_graph.project import load_project
from mc2cm_graph.projectstore import DATA_GRAPH, INFERRED_GRAPH, load_store
from mc2cm_graph.reason import materialise
from mc2cm_graph.synth import synthesise


def _owlrl_instance_entailments(data_dir):
    """owlrl's additions about our instances, minus the kinds fastreason leaves out on
    purpose (reflexive sameAs, owl:Thing, anonymous class types)."""
    added = materialise(load_project(data_dir))
    return {t for t in added
            if str(t[0]).startswith(INSTANCE_BASE) and not isinstance(t[2], BNode)
            and not (t[1] == OWL.sameAs and t[0] == t[2])
            and not (t[1] == RDF.type and t[2] == OWL.Thing)}


def _fast_entailments(data_dir):
    project = load_store(data_dir)
    materialise_store(project)

    def triples(graph):
        return {tuple(to_rdflib_term(x) for x in (q.subject, q.predicate, q.object))
                for q in project.quads(graph)}

    return triples(INFERRED_GRAPH) - triples(DATA_GRAPH)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth")
    synthesise(folder, 25, seed=5)
    return folder


@pytest.mark.parametrize("which", ["seed", "synthetic"])
def test_same_entailments_as_owlrl(which, synthetic):
    data_dir = None if which == "seed" else synthetic
    expected = _owlrl_instance_entailments(data_dir)
    assert expected  # the comparison must not be vacuous
    assert _fast_entailments(data_dir) == expected


def test_the_entailments_users_rely_on():
    added = _fast_entailments(None)
    programme = PROGRAMME["sfax-acmals"]  # the brochure lists target 10.7 for it
    assert (programme, MC2CM.contributesToGoal, SDG["10"]) in added
    assert any(t[1] == MC2CM.isActivityOf for t in added)
    assert any(t[1] == RDF.type and t[2] == MC2CM.Place for t in added)
