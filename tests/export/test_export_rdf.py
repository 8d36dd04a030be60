"""The graph files: N-Triples and JSON-LD hold exactly the Turtle's triples; JSON-LD is
compact and readable; export is byte-for-byte deterministic."""

import json
import os
import subprocess
import sys
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from mc2cm_graph.export import jsonld
from mc2cm_graph.graph.namespaces import GEO, MC2CM, PROGRAMME, SDG

ROOT = Path(__file__).resolve().parents[2]


def turtle(dist):
    return Graph().parse(dist / "mc2cm.ttl")


def test_ntriples_is_the_turtle_graph(dist):
    nt = Graph().parse(dist / "mc2cm.nt", format="nt")
    assert len(nt) > 100
    assert isomorphic(nt, turtle(dist))


def test_ntriples_lines_are_sorted(dist):
    lines = (dist / "mc2cm.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)


def test_jsonld_expands_offline_to_the_turtle_graph(dist, expand):
    assert isomorphic(expand(dist / "mc2cm.jsonld"), turtle(dist))


def test_jsonld_refers_to_the_shipped_context(dist):
    doc = json.loads((dist / "mc2cm.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == "context.jsonld"
    assert (dist / "context.jsonld").read_bytes() == jsonld.CONTEXT_FILE.read_bytes()


def test_context_has_only_the_prefixes_it_needs():
    context = json.loads(jsonld.CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    prefixes = {k for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}
    # rdflib's serializer would add brick, csvw, odrl, ... : none of those.
    assert prefixes <= {"mc2cm", "id", "programme", "activity", "outcome", "city", "country",
                        "theme", "atype", "org", "sdg", "sdgo", "skos", "dcterms", "rdf", "rdfs",
                        "owl", "xsd", "geo", "gsp", "geometry", "schema", "prov", "foaf", "vann"}


def test_jsonld_nodes_are_sorted_and_use_short_keys(dist):
    doc = json.loads((dist / "mc2cm.jsonld").read_text(encoding="utf-8"))
    ids = [n["@id"] for n in doc["@graph"]]
    named = [i for i in ids if not i.startswith("_:")]
    assert named == sorted(named)
    programme = next(n for n in doc["@graph"] if n["@id"] == "programme:sfax-acmals")
    assert programme["@type"] == "Programme"
    assert set(programme["label"]) == {"ar", "en", "fr"}
    assert programme["objective"]["en"].startswith("The programme aims")
    assert "sdg:10.7" in programme["contributesToTarget"]
    assert programme["locatedIn"] == "city:sfax"
    assert programme["positionInSource"] == 1
    sfax = next(n for n in doc["@graph"] if n["@id"] == "city:sfax")
    assert sfax["lat"] == "34.74"


def _tricky_graph() -> Graph:
    graph = Graph()
    node = PROGRAMME["tricky"]
    graph.add((node, ns.RDF.type, MC2CM.Programme))
    graph.add((node, ns.RDFS.label, Literal("un", lang="fr")))
    graph.add((node, ns.RDFS.label, Literal("deux", lang="fr")))
    graph.add((node, ns.RDFS.label, Literal("no language")))  # cannot sit in a language map
    graph.add((node, ns.RDFS.label, URIRef("http://example.org/odd")))
    graph.add((node, MC2CM.positionInSource, Literal("7", datatype=ns.XSD.integer)))
    graph.add((node, MC2CM.workshopCount, Literal("07", datatype=ns.XSD.integer)))  # not canonical
    graph.add((node, MC2CM.placeNotNamedInSource, Literal("true", datatype=ns.XSD.boolean)))
    graph.add((node, GEO.lat, Literal("34.10", datatype=ns.XSD.decimal)))
    graph.add((node, GEO.long, Literal("10", datatype=ns.XSD.integer)))  # not the coerced type
    graph.add((node, MC2CM.contributesToTarget, SDG["10.7"]))
    graph.add((node, MC2CM.locatedIn, BNode("somewhere")))
    graph.add((node, MC2CM.hasActivity, Literal("a literal under an IRI-typed term")))
    graph.add((node, URIRef("http://example.org/vocab#unmapped"), Literal("x", lang="ar")))
    Collection(graph, BNode("outer"), [SDG["10"], BNode("inner"), Literal(3)])
    Collection(graph, BNode("inner"), [SDG["1"]])
    graph.add((node, URIRef("http://example.org/vocab#list"), BNode("outer")))
    graph.add((node, URIRef("http://example.org/vocab#empty"), ns.RDF.nil))
    return graph


def test_jsonld_writer_round_trips_awkward_values(tmp_path, expand):
    graph = _tricky_graph()
    (tmp_path / "context.jsonld").write_bytes(jsonld.CONTEXT_FILE.read_bytes())
    doc = jsonld.document(graph, jsonld.load_context(), "context.jsonld")
    (tmp_path / "tricky.jsonld").write_bytes(jsonld.dumps(doc))
    assert isomorphic(expand(tmp_path / "tricky.jsonld"), graph)
    node = doc["@graph"][0]
    assert node["label"] == {"fr": ["deux", "un"]}
    assert node["http://example.org/vocab#list"] == {
        "@list": [{"@id": "sdg:10"}, {"@list": [{"@id": "sdg:1"}]}, 3]}
    assert [n["@id"] for n in doc["@graph"]] == ["programme:tricky"]  # list nodes folded in
    assert sorted(map(str, node["rdfs:label"])) == ["no language", "{'@id': 'http://example.org/odd'}"]


def test_export_is_byte_identical_from_run_to_run(dist, tmp_path):
    # Another process with another hash seed: set and dict orders differ there.
    again = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "4242", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "mc2cm_graph", "export", "--out", str(again)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout
    first = {p.relative_to(dist): p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in sorted(again.rglob("*"))
              if p.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_every_property_of_ours_has_a_short_key(dist):
    """New mc2cm: properties need a term in context.jsonld, or the JSON-LD turns unreadable."""
    doc = json.loads((dist / "mc2cm.jsonld").read_text(encoding="utf-8"))
    long_keys = {key for node in doc["@graph"] for key in node
                 if key.startswith(("mc2cm:", "https://w3id.org/mc2cm/"))}
    assert long_keys == set()
