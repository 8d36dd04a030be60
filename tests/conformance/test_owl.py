"""OWLAPI 5, HermiT and Openllet on the released ontology and the full release, loaded as
an ontology engineer loads them: each file parses with nothing dropped or guessed, is in
OWL 2 DL (OWLAPI's OWL2DLProfile, what ROBOT's validate-profile runs), is consistent and
has no unsatisfiable class; and OWLAPI reads the released ontology as the source one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conformance.conftest import HERE, ROOT

CHECKS = ("load", "profile", "hermit", "openllet")
RELEASED = ("ontology.ttl", "ontology.nt", "mc2cm.ttl", "mc2cm.nt")
SOURCE = ROOT / "ontology" / "mc2cm.ttl"
FIXTURES = HERE / "owl" / "fixtures"


@pytest.fixture(scope="module")
def reports(owl_check, built_dist):
    files = [SOURCE, *(built_dist / name for name in RELEASED),
             FIXTURES / "unsatisfiable.ttl", FIXTURES / "cut-chain.ttl"]
    found = owl_check(files)
    return lambda path, check: found[(str(path), check)]


def _file(name: str, dist: Path) -> Path:
    return SOURCE if name == "source" else dist / name


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("name", ["source", *RELEASED])
def test_owl_tools_accept_the_release(reports, built_dist, name, check):
    report = reports(_file(name, built_dist), check)
    assert report["ok"], f"{check} on {name}: " + "\n".join(report["details"][:20])


@pytest.mark.parametrize("name", ["ontology.ttl", "ontology.nt"])
def test_owlapi_reads_the_released_ontology_as_the_source(reports, built_dist, name):
    source = reports(SOURCE, "load")
    released = reports(built_dist / name, "load")
    assert source["axioms"] > 400
    assert (released["axioms"], released["axioms_sha256"]) == \
        (source["axioms"], source["axioms_sha256"])


def test_owlapi_reads_the_release_turtle_as_its_ntriples(reports, built_dist):
    turtle, ntriples = (reports(built_dist / n, "load") for n in ("mc2cm.ttl", "mc2cm.nt"))
    assert turtle["axioms"] > reports(SOURCE, "load")["axioms"]
    assert turtle["axioms_sha256"] == ntriples["axioms_sha256"]


def test_the_tools_report_an_unsatisfiable_class_and_an_undeclared_one(reports):
    fixture = FIXTURES / "unsatisfiable.ttl"
    assert reports(fixture, "load")["ok"]
    profile = reports(fixture, "profile")
    assert not profile["ok"] and [d.split(":")[0] for d in profile["details"]] == \
        ["UseOfUndeclaredClass"]
    for reasoner in ("hermit", "openllet"):
        assert reports(fixture, reasoner)["details"] == \
            ["unsatisfiable class: https://example.org/fixture#Impossible"], reasoner


def test_the_tools_report_a_property_chain_cut_from_its_list(reports):
    """What the released ontology gave when its document dropped its blank nodes."""
    fixture = FIXTURES / "cut-chain.ttl"
    assert "malformed list" in " ".join(reports(fixture, "load")["details"])
    assert "empty property chain" in " ".join(reports(fixture, "hermit")["details"])
    assert "subproperty chain that is empty" in " ".join(reports(fixture, "openllet")["details"])
