"""SHACL compiled to SPARQL reports exactly what a full pyshacl run reports."""

import pytest
from rdflib import Graph

from mc2cm_graph.check.fast import validate_store
from mc2cm_graph.check.reference import load_shapes, reference_data_files, validate_graph
from mc2cm_graph.graph.project import load_project
from mc2cm_graph.graph.store import load_store
from mc2cm_graph.graph.synth import synthesise
from tests.check.test_shapes import INVALID, _shapes, expected_results

# Every constraint kind the compiler knows, each set to fail on some synthetic programmes.
KINDS_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix mc2cm: <https://w3id.org/mc2cm/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix t: <https://example.org/test-shapes#> .
@prefix city: <https://w3id.org/mc2cm/id/city/> .
@prefix theme: <https://w3id.org/mc2cm/id/theme/> .

t:Programme a sh:NodeShape ; sh:targetClass mc2cm:Programme ; sh:nodeKind sh:IRI ;
  sh:property [ sh:path rdfs:label ; sh:uniqueLang true ; sh:languageIn ("ar" "en") ;
                sh:maxLength 22 ; sh:minLength 1 ] ;
  sh:property [ sh:path mc2cm:locatedIn ; sh:in (city:sfax city:tangier) ; sh:maxCount 1 ;
                sh:node t:City ; sh:severity sh:Warning ] ;
  sh:property [ sh:path mc2cm:addressesTheme ; sh:hasValue theme:access-to-health ] ;
  sh:property [ sh:path mc2cm:positionInSource ; sh:maxInclusive 20 ; sh:minExclusive 2 ;
                sh:datatype xsd:integer ] ;
  sh:property [ sh:path mc2cm:objective ; sh:pattern "^the programme" ; sh:flags "i" ;
                sh:message "objective must start with 'the programme'"@en ] .
t:City a sh:NodeShape ; sh:property [ sh:path mc2cm:inCountry ;
  sh:hasValue <https://w3id.org/mc2cm/id/country/morocco> ] .
t:Activity a sh:NodeShape ; sh:targetObjectsOf mc2cm:hasActivity ;
  sh:property [ sh:path [ sh:inversePath mc2cm:hasActivity ] ; sh:minCount 1 ;
                sh:class mc2cm:Programme ] ;
  sh:property [ sh:path mc2cm:workshopCount ; sh:minInclusive 5 ; sh:maxExclusive 10 ] .
t:Sfax a sh:NodeShape ; sh:targetNode city:sfax ;
  sh:property [ sh:path rdfs:label ; sh:minCount 4 ] .
"""


def _keys(report):
    return sorted((v.focus, v.path, v.constraint, v.value, v.shape, v.severity)
                  for v in report.violations)


def _both(data_dir, shapes, qc=True, same_text=True):
    project = load_project(data_dir)
    reference = validate_graph(project.union(), shapes, qc=qc, files=project.data_files)
    fast = validate_store(load_store(data_dir), shapes, qc=qc, files=project.data_files)
    if same_text:  # the whole report, messages and places included (our shapes all have
        assert fast.text() == reference.text()  # sh:message; default wordings differ)
    return _keys(reference), _keys(fast)


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    synthesise(folder, 40, seed=11, violations=12)
    return folder


def test_seed_data_same_report_as_pyshacl():
    reference, fast = _both(None, load_shapes())
    assert fast == reference


def test_injected_violations_same_report_as_pyshacl(broken):
    reference, fast = _both(broken, load_shapes())
    assert len(reference) == 18  # 12 programmes, 4 kinds: two kinds give two results
    assert fast == reference


def test_every_compiled_constraint_kind_same_report_as_pyshacl(broken):
    shapes = Graph().parse(data=KINDS_SHAPES, format="turtle")
    reference, fast = _both(broken, shapes, qc=False, same_text=False)
    kinds = {row[2] for row in reference}
    assert len(kinds) >= 11, kinds  # the fixture really exercises the compiler
    assert fast == reference


def test_unsupported_constraints_fall_back_to_pyshacl(broken):
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix mc2cm: <https://w3id.org/mc2cm/ontology#> .
        <https://example.org/s> a sh:NodeShape ; sh:targetClass mc2cm:Programme ;
          sh:xone ( [ sh:path mc2cm:objective ; sh:minCount 1 ]
                    [ sh:path mc2cm:subtitle ; sh:minCount 1 ] ) .""", format="turtle")
    reference, fast = _both(broken, shapes, qc=False, same_text=False)
    assert reference and fast == reference


def test_counts_checked_together_same_report_as_pyshacl(tmp_path):
    """Constraints on one path are checked in one query (fastvalidate.batch_findings):
    a second English label and a second Arabic subtitle (sh:uniqueLang), an IRI among
    the labels (sh:languageIn) and a programme with no French label left (qualified
    count) must each still be reported, and only where they are."""
    synthesise(tmp_path, 6, seed=3)
    path = tmp_path / "programmes" / "synth-0001.ttl"
    text = path.read_text(encoding="utf-8")
    first, second = text.split("programme:synth-000002 a", 1)
    first = first.replace('"@en ,', '"@en , "A second English name"@en ,', 1)
    first = first.replace('"@ar ,', '"@ar , "عنوان فرعي ثان"@ar ,', 2)
    second = second.replace('"@fr ;', '"@en , <https://example.org/not-a-text> ;', 1)
    path.write_text(first + "programme:synth-000002 a" + second, encoding="utf-8")
    reference, fast = _both(tmp_path, load_shapes())
    kinds = {row[2] for row in reference}
    assert {"sh:UniqueLangConstraintComponent", "sh:LanguageInConstraintComponent",
            "sh:QualifiedMinCountConstraintComponent"} <= kinds, kinds
    assert fast == reference


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_negative_fixture_same_constraints_as_expected(fixture):
    """Each negative fixture of tests/fixtures/invalid fires, in the compiled validator
    too, exactly the constraints its '# expect:' lines name (as pyshacl does in
    test_shapes.py)."""
    store = load_store(data_files=[*reference_data_files(), fixture])
    report = validate_store(store, _shapes(), qc=False)
    assert {(v.focus, v.constraint, v.shape) for v in report.violations} == \
        expected_results(fixture)


def test_validation_reads_only_what_the_files_say(broken):
    """Triples in the inferred graph (reasoning's) are not validated: a second position
    there would otherwise break sh:maxCount and the QC rule on duplicate positions."""
    import pyoxigraph as ox

    from mc2cm_graph.graph.store import INFERRED_GRAPH

    store = load_store(broken)
    before = validate_store(store, load_shapes())
    store.store.add(ox.Quad(ox.NamedNode("https://w3id.org/mc2cm/id/programme/synth-000030"),
                            ox.NamedNode("https://w3id.org/mc2cm/ontology#positionInSource"),
                            ox.Literal("99", datatype=ox.NamedNode(
                                "http://www.w3.org/2001/XMLSchema#integer")), INFERRED_GRAPH))
    assert validate_store(store, load_shapes()).violations == before.violations


def test_a_qualified_maximum_reached_exactly_conforms_as_pyshacl_says():
    """sh:qualifiedMaxCount n fails only with more than n conforming values: a programme in
    exactly one city (a city with a country: a value shape with a path of its own, counted
    value by value) conforms to a maximum of 1 and fails a maximum of 0."""
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix mc2cm: <https://w3id.org/mc2cm/ontology#> .
        @prefix t: <https://example.org/test-shapes#> .
        t:InCountry a sh:NodeShape ; sh:property [ sh:path mc2cm:inCountry ; sh:minCount 1 ] .
        t:Programme a sh:NodeShape ; sh:targetClass mc2cm:Programme ;
          sh:property t:atMostOne , t:none .
        t:atMostOne sh:path mc2cm:locatedIn ; sh:qualifiedValueShape t:InCountry ;
          sh:qualifiedMaxCount 1 .
        t:none sh:path mc2cm:locatedIn ; sh:qualifiedValueShape t:InCountry ;
          sh:qualifiedMaxCount 0 .""", format="turtle")
    reference, fast = _both(None, shapes, qc=False, same_text=False)
    failing = {name: {row[0] for row in reference if str(row[4]).endswith(f"#{name}>")}
               for name in ("atMostOne", "none")}
    assert failing["none"], "no programme is in a city with a country"
    assert failing["none"] - failing["atMostOne"], "no programme is in exactly one city"
    assert fast == reference
