"""The SHACL shapes: each negative fixture fires exactly the expected constraints, every
constraint of every shape has a fixture, the valid fixtures and the project's data conform,
and the shapes pass SHACL-for-SHACL."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from mc2cm_graph.check.reference import (
    check_shapes,
    load_shapes,
    reference_data_files,
    validate_graph,
    validate_project,
)
from mc2cm_graph.check.report import short
from mc2cm_graph.graph import paths
from mc2cm_graph.graph.load import load_graph
from tests.fixtures import defects

FIXTURES = Path(__file__).parents[1] / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
EXPECT = re.compile(r"^# expect: (\S+) (\S+) (\S+)$", re.MULTILINE)


@lru_cache(maxsize=1)
def _context() -> Graph:
    """Ontology + reference data + vocabularies: what a user's file is validated with."""
    return load_graph([paths.ONTOLOGY_FILE, *reference_data_files(), *paths.vocabulary_files()])


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return load_shapes()


def shacl_results(fixture: Path) -> set[tuple[str, str, str]]:
    graph = _context() + load_graph([fixture])
    report = validate_graph(graph, _shapes(), qc=False)
    return {(v.focus, v.constraint, v.shape) for v in report.violations}


def expected_results(fixture: Path) -> set[tuple[str, str, str]]:
    return set(EXPECT.findall(fixture.read_text(encoding="utf-8")))


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_negative_fixture_fires_exactly_the_expected_constraints(fixture):
    expected = expected_results(fixture)
    assert expected, f"{fixture.name} has no '# expect:' line"
    assert shacl_results(fixture) == expected


@pytest.mark.parametrize("fixture", VALID, ids=lambda p: p.stem)
def test_valid_fixture_conforms(fixture):
    assert shacl_results(fixture) == set()


def test_fixture_files_are_up_to_date_with_the_defect_table():
    expected = defects.expected_files()
    written = {path: path.read_text(encoding="utf-8")
               for path in [*INVALID, *VALID] if path != defects.BASE_FILE}
    assert written == expected, "run: python tests/fixtures/defects.py"


# The constraint parameters our shapes use, and the component each one is reported as.
PARAMETERS = {
    SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH.datatype: "Datatype",
    SH.nodeKind: "NodeKind", SH["class"]: "Class", SH.node: "Node", SH["or"]: "Or",
    SH.uniqueLang: "UniqueLang", SH.languageIn: "LanguageIn", SH.hasValue: "HasValue",
    SH.minInclusive: "MinInclusive", SH.maxInclusive: "MaxInclusive",
    SH.qualifiedMinCount: "QualifiedMinCount", SH.sparql: "SPARQL", SH.pattern: "Pattern",
    SH["in"]: "In",
}


def reported_constraints(shapes: Graph) -> set[tuple[str, str]]:
    """(shape, component) of every constraint that reports results of its own: those of the
    shapes with a target and of their sh:property shapes (value shapes used through sh:node,
    sh:or or sh:qualifiedValueShape report through the shape that uses them)."""
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf)
    top = {s for t in targets for s in shapes.subjects(t, None)}
    top |= {p for s in top for p in shapes.objects(s, SH.property)}
    unknown = {p for s in top for p, _ in shapes.predicate_objects(s)
               if str(p).startswith(str(SH)) and p not in PARAMETERS} - {
        SH.path, SH.message, SH.severity, SH.property, SH.qualifiedValueShape,
        *targets}
    assert not unknown, f"add these parameters to PARAMETERS: {unknown}"
    return {(short(s), f"sh:{PARAMETERS[p]}ConstraintComponent")
            for s in top for p in PARAMETERS if (s, p, None) in shapes}


def test_every_constraint_of_every_shape_has_a_negative_fixture():
    covered = {(shape, component) for fixture in INVALID
               for _focus, component, shape in expected_results(fixture)}
    assert reported_constraints(_shapes()) - covered == set()


def test_every_shape_has_a_message_and_violation_severity():
    shapes = _shapes()
    named = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape))
    for shape in named:
        assert shapes.value(shape, SH.message), f"{short(shape)} has no sh:message"
        assert shapes.value(shape, SH.severity) == SH.Violation, short(shape)
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.message), "a SPARQL constraint has no sh:message"


def test_shapes_pass_shacl_for_shacl():
    report = check_shapes(_shapes())
    assert report.conforms, report.text()


def test_shacl_for_shacl_catches_a_broken_shape():
    broken = _shapes() + Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x:Broken> a sh:PropertyShape ; sh:path <urn:x:p> ; sh:minCount "one" .
    """, format="turtle")
    report = check_shapes(broken)
    assert not report.conforms
    assert any(v.focus == "<urn:x:Broken>" for v in report.violations)


def test_project_data_conforms():
    report = validate_project()
    assert report.conforms, report.text()
