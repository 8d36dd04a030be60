"""Synthetic data: deterministic, in our model, valid unless asked, broken exactly as recorded."""

import hashlib

import pyoxigraph as ox
import pytest

from mc2cm_graph.check.fast import validate_store
from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.store import load_store
from mc2cm_graph.graph.synth import TARGETS, read_expected, synthesise


def _digest(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    synthesise(tmp_path / "a", 30, seed=7)
    synthesise(tmp_path / "b", 30, seed=7)
    synthesise(tmp_path / "c", 30, seed=8)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_targets_are_real_un_sdg_targets():
    store = ox.Store()
    store.load(path=str(paths.SDG_KOS_FILE), format=ox.RdfFormat.TURTLE)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    target = ox.NamedNode("http://metadata.un.org/sdg/ontology#Target")
    for notation in TARGETS:
        iri = ox.NamedNode(f"http://metadata.un.org/sdg/{notation}")
        assert ox.Quad(iri, rdf_type, target) in store


def test_programmes_use_reference_data_and_three_languages(tmp_path):
    synthesise(tmp_path, 40, seed=1)
    project = load_store(tmp_path)
    assert validate_store(project).conforms
    rows = list(project.query("""
        PREFIX mc2cm: <https://w3id.org/mc2cm/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT (COUNT(DISTINCT ?p) AS ?n) (COUNT(DISTINCT ?city) AS ?cities)
               (COUNT(DISTINCT lang(?label)) AS ?langs) WHERE {
          ?p a mc2cm:Programme ; rdfs:label ?label ; mc2cm:locatedIn ?city .
          ?city a mc2cm:City ; mc2cm:inCountry ?country .
          ?p mc2cm:addressesTheme/a mc2cm:RecommendationTheme .
          ?p mc2cm:hasActivity/mc2cm:activityType/a mc2cm:ActivityType . }"""))
    assert int(rows[0]["n"].value) == 40
    assert int(rows[0]["cities"].value) > 5
    assert int(rows[0]["langs"].value) == 3
    assert len(project.store) > 40 * 20


def test_injected_violations_are_exactly_the_recorded_ones(tmp_path):
    synthesise(tmp_path, 30, seed=3, violations=8)
    expected = read_expected(tmp_path)
    assert len(expected) == 12  # 8 programmes; two kinds give two results each
    report = validate_store(load_store(tmp_path))
    got = sorted((v.focus, v.path, v.constraint, v.value) for v in report.violations)
    assert got == [(e.focus, e.path, e.constraint, e.value) for e in expected]


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(Mc2cmError):
        synthesise(tmp_path, 3, violations=4)
