"""Ontology and data QC (qc/*.rq): no rows on the project, rows on a negative fixture per rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from mc2cm_graph.check.qc import load_rules, read_rule, run_qc
from mc2cm_graph.check.reference import load_shapes
from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.load import load_graph
from mc2cm_graph.graph.project import load_project

FIXTURES = Path(__file__).parents[1] / "fixtures" / "qc"
RULES = {rule.name: rule for rule in load_rules()}


def expected_entities(fixture: Path) -> set[str]:
    for line in fixture.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect: "):
            return set(line.removeprefix("# expect: ").split())
    raise AssertionError(f"{fixture.name} has no '# expect:' line")


def test_every_rule_has_a_negative_fixture_and_every_fixture_a_rule():
    assert {p.stem for p in FIXTURES.glob("*.ttl")} == set(RULES)


def test_project_has_no_qc_violations():
    graph = load_project().union() + load_shapes()
    assert [v.line() for v in run_qc(graph)] == []


@pytest.mark.parametrize("name", sorted(RULES))
def test_rule_finds_the_defect_of_its_fixture(name):
    fixture = FIXTURES / f"{name}.ttl"
    graph = load_graph([paths.ONTOLOGY_FILE, fixture])
    rows = run_qc(graph, [RULES[name]])
    assert rows, f"{name} found nothing in its fixture"
    assert {row.focus for row in rows} == expected_entities(fixture)
    assert all(row.constraint == f"qc:{name}" and RULES[name].fix in row.message for row in rows)


def test_rules_run_on_the_ontology_alone_find_nothing():
    graph = load_graph([paths.ONTOLOGY_FILE])
    assert run_qc(graph) == []


def test_rule_without_header_is_refused(tmp_path):
    bad = tmp_path / "no-header.rq"
    bad.write_text("SELECT ?entity WHERE { ?entity ?p ?o }\n", encoding="utf-8")
    with pytest.raises(Mc2cmError, match="title"):
        read_rule(bad)


def test_rule_that_is_not_sparql_is_refused_naming_its_file(tmp_path):
    bad = tmp_path / "broken-query.rq"
    bad.write_text("# title: a broken rule\n# fix: mend its query\n"
                   "SELECT ?entity WHERE { ?entity ?p }\n", encoding="utf-8")
    graph = load_graph([paths.ONTOLOGY_FILE])
    with pytest.raises(Mc2cmError, match="QC rule is not valid SPARQL") as refused:
        run_qc(graph, [read_rule(bad)])
    assert refused.value.file == bad
