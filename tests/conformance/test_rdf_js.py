"""jsonld.js and n3.js, what browser and Node clients read RDF with, on every RDF file of
the release (dist/ and every per-IRI document): each parses, n3.js strictly in its format,
jsonld.js offline with the shipped context only; and each reads the triples pyoxigraph
reads (Turtle, N-Triples, TriG: the same file; JSON-LD: its Turtle twin), compared as
canonicalised datasets (isomorphism)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conformance.conftest import RDF_JS

N3_SUFFIXES = (".ttl", ".nt", ".trig", ".nq")
FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
           ".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}
CONTEXTS = {"context.jsonld"}  # JSON-LD contexts, not data


def rdf_files(dist: Path) -> list[str]:
    return sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*")
                  if p.suffix in (*N3_SUFFIXES, ".jsonld") and p.name not in CONTEXTS)


def canonical(path: Path, fmt) -> set:
    dataset = ox.Dataset(ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


@pytest.fixture(scope="module")
def read(rdf_js, built_dist):
    return rdf_js(built_dist, rdf_files(built_dist))


@pytest.mark.parametrize("suffix", [*N3_SUFFIXES, ".jsonld"])
def test_every_file_parses_and_reads_as_pyoxigraph_reads_it(read, built_dist, suffix):
    files = [f for f in read if f.endswith(suffix)]
    failed = {}
    for name in files:
        record, quads = read[name]
        if not record["ok"]:
            failed[name] = record["error"]
            continue
        twin = Path(name).with_suffix(".ttl") if suffix == ".jsonld" else Path(name)
        expected = canonical(built_dist / twin, FORMATS[twin.suffix])
        if canonical(quads, ox.RdfFormat.N_QUADS) != expected or not expected:
            failed[name] = f"{record['tool']} read other triples than pyoxigraph ({twin})"
    assert not failed, dict(list(failed.items())[:10])
    minimum = {".ttl": 200, ".nt": 200, ".jsonld": 200, ".trig": 1, ".nq": 0}[suffix]
    assert len(files) >= minimum, files


def test_every_rdf_file_of_the_release_was_read(read, built_dist):
    assert set(read) == set(rdf_files(built_dist))
    assert {"mc2cm.ttl", "mc2cm.nt", "mc2cm.jsonld", "mc2cm-external.trig", "ontology.ttl",
            "catalog.jsonld", "id/programme/sfax-acmals.jsonld"} <= set(read)


def test_the_tools_report_bad_syntax_and_refuse_a_remote_context(rdf_js):
    fixtures = RDF_JS / "fixtures"
    read = rdf_js(fixtures, ["bad.ttl", "remote-context.jsonld"])
    bad, remote = read["bad.ttl"][0], read["remote-context.jsonld"][0]
    assert not bad["ok"] and bad["tool"] == "n3.js" and "on line 4" in bad["error"]
    assert not remote["ok"] and "refused to load https://example.org/remote-context.jsonld" \
        in remote["error"]


def test_the_comparison_tells_graphs_apart(tmp_path):
    one, other = tmp_path / "one.nt", tmp_path / "other.nt"
    one.write_text("_:a <https://example.org/p> _:b .\n")
    other.write_text("_:a <https://example.org/p> _:a .\n")
    assert canonical(one, ox.RdfFormat.N_TRIPLES) != canonical(other, ox.RdfFormat.N_TRIPLES)
    assert canonical(one, ox.RdfFormat.N_TRIPLES) == canonical(one, ox.RdfFormat.N_TRIPLES)
