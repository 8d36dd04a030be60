"""The fast reasoner derives exactly what owlrl derives about our instances."""

import pytest
from rdflib.namespace import RDF

from mc2cm_graph.graph.load import to_rdflib_term
from mc2cm_graph.graph.namespaces import MC2CM, PROGRAMME, SDG
from mc2cm_graph.graph.project import load_project
from mc2cm_graph.graph.store import DATA_GRAPH, INFERRED_GRAPH, load_store
from mc2cm_graph.graph.synth import synthesise
from mc2cm_graph.reason.reference import materialise
from mc2cm_graph.reason.rules import materialise_store


def _owlrl_instance_entailments(data_dir, extra_files=None):
    """owlrl's additions about our instances, as the reference engine keeps them (it drops
    reflexive sameAs, owl:Thing and anonymous class types)."""
    return set(materialise(load_project(data_dir, extra_files)))


def _fast_entailments(data_dir, extra_files=None):
    project = load_store(data_dir, extra_files)
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
    assert (SDG["10.7"], MC2CM.hasContributingProgramme, programme) in added


def test_links_stated_only_the_inverse_way(tmp_path):
    """Both directions of an inverse pair are derived, also from a link the data states
    only the other way round (the rule reads both properties at once)."""
    extra = tmp_path / "inverse.ttl"
    extra.write_text(
        "@prefix mc2cm: <https://w3id.org/mc2cm/ontology#> .\n"
        "<http://metadata.un.org/sdg/10.2> mc2cm:hasContributingProgramme "
        "<https://w3id.org/mc2cm/id/programme/sfax-acmals> .\n"
        "<https://w3id.org/mc2cm/id/activity/extra-1> mc2cm:isActivityOf "
        "<https://w3id.org/mc2cm/id/programme/sfax-acmals> .\n", encoding="utf-8")
    added = _fast_entailments(None, [extra])
    assert (PROGRAMME["sfax-acmals"], MC2CM.contributesToTarget, SDG["10.2"]) in added
    assert added == _owlrl_instance_entailments(None, [extra])
