"""The outside identifiers of places (data/identifiers.ttl and its source rows in
data/identifiers.csv): re-derived from the packages they come from, each with a source."""

from __future__ import annotations

import csv

from rdflib import Graph, Literal, URIRef

from mc2cm_graph.graph import identifiers, paths

TTL = paths.DATA_DIR / identifiers.TTL_NAME
CSV = paths.DATA_DIR / identifiers.CSV_NAME


def _rows() -> list[dict]:
    with CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_files_are_what_the_packages_give_today():
    rows, _missing = identifiers.derive()
    assert TTL.read_text(encoding="utf-8") == identifiers.turtle(rows), (
        "run: python -m mc2cm_graph.graph.identifiers")
    assert CSV.read_text(encoding="utf-8") == identifiers.table(rows)


def test_every_identifier_triple_has_a_source_row():
    graph = Graph().parse(TTL)
    sourced = set()
    for row in _rows():
        assert row["source"].startswith("https://pypi.org/project/"), row
        assert row["checked_by"], row
        kind = identifiers.KINDS[row["kind"]]
        sourced.add((URIRef(row["iri"]), identifiers.MC2CM[kind], Literal(row["value"])))
        if row["kind"] == "geonames":
            sourced.add((URIRef(row["iri"]), identifiers.SCHEMA.sameAs,
                         URIRef(identifiers.GEONAMES.format(row["value"]))))
    assert set(graph) == sourced


def test_every_country_has_m49_and_iso_codes_and_cities_are_checked_or_missing():
    rows, missing = identifiers.derive()
    _countries, cities = identifiers._places(paths.DATA_DIR / "places.ttl")
    kinds = {(r.iri, r.kind) for r in rows}
    for iri, _name in _countries:
        assert {(str(iri), k) for k in ("m49", "iso2", "iso3", "geonames")} <= kinds
    with_id = {r.iri for r in rows if r.kind == "geonames"}
    gaps = {m.iri for m in missing}
    assert {str(c[0]) for c in cities} == (with_id & {str(c[0]) for c in cities}) | gaps
    assert gaps == {"https://w3id.org/mc2cm/id/city/raoued"}  # too small for the offline copy


def test_a_same_name_city_elsewhere_is_not_taken(tmp_path):
    places = (paths.DATA_DIR / "places.ttl").read_text(encoding="utf-8")
    # Zarqa moved 200 km away: the GeoNames Zarqa (Jordan) must no longer match.
    moved = places.replace('geo:lat "32.07"^^xsd:decimal ; geo:long "36.09"',
                           'geo:lat "30.27"^^xsd:decimal ; geo:long "36.09"')
    assert moved != places
    (tmp_path / "places.ttl").write_text(moved, encoding="utf-8")
    _rows_, missing = identifiers.derive(tmp_path)
    assert "https://w3id.org/mc2cm/id/city/zarqa" in {m.iri for m in missing}
