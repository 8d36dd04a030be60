"""The outside identifiers of places and organisations (data/identifiers.ttl and its source
rows in data/identifiers.csv): re-derived from the packages they come from, and for Wikidata
and ROR (whose source files are not in the repository) from the CSV rows, whose recorded
evidence is checked against the generator's rules; the checks that refuse a doubtful Wikidata
or ROR match, on small records written here."""

from __future__ import annotations

import csv
import dataclasses
import json
import shutil

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from mc2cm_graph.graph import (
    identifier_evidence,
    identifiers,
    paths,
    ror_organisations,
    wikidata_places,
)

TTL = paths.DATA_DIR / identifiers.TTL_NAME
CSV = paths.DATA_DIR / identifiers.CSV_NAME
EXTERNAL_GRAPH = "https://w3id.org/mc2cm/id/graph/external/"


@pytest.fixture(scope="module")
def derived():
    return identifiers.derive()


def _rows() -> list[dict]:
    with CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_files_are_what_the_packages_give_today(derived):
    rows, _missing = derived
    assert TTL.read_text(encoding="utf-8") == identifiers.turtle(rows), (
        "run: python -m mc2cm_graph.graph.identifiers")
    assert CSV.read_text(encoding="utf-8") == identifiers.table(rows)
    external = (paths.DATA_DIR / identifiers.EXTERNAL_FILE).read_text(encoding="utf-8")
    assert identifiers.with_external_block(external, rows) == external


def _identifier_triples() -> set:
    """data/identifiers.ttl's triples and those of the generated ROR graphs of the outside
    facts (organisations only the outside facts describe)."""
    triples = set(Graph().parse(TTL))
    dataset = Dataset()
    dataset.parse(paths.DATA_DIR / identifiers.EXTERNAL_FILE, format="trig")
    for graph in dataset.graphs():
        if str(graph.identifier).startswith(EXTERNAL_GRAPH + "ror-"):
            triples |= set(graph)
    return triples


def test_every_identifier_triple_has_a_source_row():
    graph = _identifier_triples()
    sourced = set()
    for row in _rows():
        if row["kind"] in ("wikidata", "ror"):
            # a public GitHub file: repository, commit, path (the source is not vendored)
            assert identifier_evidence.github_file(row["source"]), row
            assert row["record"] and row["licence"], row
        else:
            assert row["source"].startswith("https://pypi.org/project/"), row
        assert row["checked_by"], row
        kind = identifiers.KINDS[row["kind"]]
        sourced.add((URIRef(row["iri"]), identifiers.MC2CM[kind], Literal(row["value"])))
        if row["kind"] in identifiers.SAME_AS:
            sourced.add((URIRef(row["iri"]), identifiers.SCHEMA.sameAs,
                         URIRef(identifiers.SAME_AS[row["kind"]].format(row["value"]))))
    assert set(graph) == sourced
    # every kind of identifier the data has is covered by a source row
    assert {r["kind"] for r in _rows()} == set(identifiers.KINDS)


def test_the_ttl_and_the_generated_block_are_what_the_csv_rows_give():
    rows = identifiers.read_rows(paths.DATA_DIR)
    assert TTL.read_text(encoding="utf-8") == identifiers.turtle(rows)
    external = (paths.DATA_DIR / identifiers.EXTERNAL_FILE).read_text(encoding="utf-8")
    assert identifiers.with_external_block(external, rows) == external
    assert CSV.read_text(encoding="utf-8") == identifiers.table(rows)


def test_the_recorded_evidence_passes_the_generators_rules():
    rows = identifiers.read_rows(paths.DATA_DIR)
    assert identifier_evidence.problems(rows, paths.DATA_DIR) == []
    kinds = {(r.kind, identifier_evidence.github_file(r.source)[0]) for r in rows
             if r.kind in ("wikidata", "ror")}
    assert kinds == {("wikidata", identifiers.CSC_REPOSITORY),
                     ("wikidata", identifiers.ROR_REPOSITORY), ("ror", identifiers.ROR_REPOSITORY)}


def _edited(iri_end: str, kind: str, **change):
    rows = identifiers.read_rows(paths.DATA_DIR)
    hit = next(i for i, r in enumerate(rows) if r.iri.endswith(iri_end) and r.kind == kind)
    rows[hit] = dataclasses.replace(rows[hit], **change)
    return identifier_evidence.problems(rows, paths.DATA_DIR)


@pytest.mark.parametrize(("iri_end", "kind", "change", "says"), [
    ("city/sfax", "wikidata", {"latitude": "34.80500000"}, "km from the GeoNames feature"),
    ("city/sfax", "wikidata", {"km": "0.900"}, "recorded distance"),
    ("city/sfax", "wikidata", {"record_name": "Sfax Province"}, "none of our labels"),
    ("city/sfax", "wikidata", {"value": "Q3551"}, "on 2 rows"),
    ("city/sfax", "wikidata", {"value": "46325"}, "expected a QID"),
    ("city/sfax", "wikidata", {"source": "https://github.com/dr5hn/countries-states-cities-"
                                         "database/blob/master/contributions/cities/TN.json"},
     "at a commit"),
    ("country/tunisia", "wikidata", {"record_name": "Tunis"}, "none of our country's names"),
    ("organisation/icmpd", "ror", {"value": "00x5wnx95"}, "not the record's id"),
    ("organisation/icmpd", "ror", {"record_name": "ICMPD"}, "not our English name"),
    ("organisation/icmpd", "wikidata", {"value": "Q498497"}, "Wikidata external id"),
    ("organisation/sdc", "ror", {"licence": ""}, "licence"),
])
def test_a_hand_edited_row_fails_the_evidence_check(iri_end, kind, change, says):
    found = _edited(iri_end, kind, **change)
    assert found and any(says in message for message in found), found


def test_without_the_sources_the_generator_keeps_their_rows(tmp_path):
    for name in ("places.ttl", identifiers.CSV_NAME):
        shutil.copy(paths.DATA_DIR / name, tmp_path / name)
    rows, _missing = identifiers.derive(tmp_path)
    assert identifiers.table(rows) == CSV.read_text(encoding="utf-8")
    (tmp_path / identifiers.CSV_NAME).unlink()
    rows, _missing = identifiers.derive(tmp_path)
    assert {r.kind for r in rows} == {"m49", "iso2", "iso3", "geonames"}


def test_every_country_has_m49_and_iso_codes_and_cities_are_checked_or_missing(derived):
    rows, missing = derived
    _countries, cities = identifiers._places(paths.DATA_DIR / "places.ttl")
    kinds = {(r.iri, r.kind) for r in rows}
    for iri, _name in _countries:
        assert {(str(iri), k) for k in ("m49", "iso2", "iso3", "geonames")} <= kinds
    with_id = {r.iri for r in rows if r.kind == "geonames"}
    gaps = {m.iri for m in missing if m.kind == "geonames"}
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
    assert "https://w3id.org/mc2cm/id/city/zarqa" in {m.iri for m in missing
                                                     if m.kind == "geonames"}


def test_the_issues_country_qids_are_what_the_source_gives(derived):
    """The issue named Q948, Q1028, Q822, Q810 and Q219060; the source confirms four (for ISO PS
    it has a record named otherwise: test_a_country_record_named_otherwise_is_refused)."""
    rows, _missing = derived
    qids = {r.iri.rsplit("/", 1)[1]: r.value for r in rows
            if r.kind == "wikidata" and "/country/" in r.iri}
    assert qids == {"tunisia": "Q948", "morocco": "Q1028", "lebanon": "Q822", "jordan": "Q810"}


# The matching logic on small records written here (the source files are not in the repository).
SLICE = {"repository": identifiers.CSC_REPOSITORY, "commit": "0" * 40}
SFAX = {"file": "contributions/cities/TN.json", "id": 107019, "name": "Sfax", "native": "صفاقس",
        "country_code": "TN", "latitude": "34.74056000", "longitude": "10.76028000",
        "wikiDataId": "Q46325"}
OTHER = {**SFAX, "id": 1, "name": "Elsewhere", "native": "", "latitude": "36.0",
         "wikiDataId": "Q1"}


def _city_qids(*records):
    names = identifiers._names(paths.DATA_DIR)
    sfax = URIRef("https://w3id.org/mc2cm/id/city/sfax")
    wanted = [(str(sfax), names[sfax], "TN", (34.74056, 10.76028))]
    return wikidata_places.cities({**SLICE, "records": list(records)}, wanted,
                                  identifiers._fold, identifiers._km)


def test_a_city_record_by_name_country_and_place_is_taken_with_its_evidence():
    found, missing = _city_qids(SFAX, OTHER)
    assert missing == [] and [(f.qid, f.record, f.record_name, f.records_in_file)
                              for f in found] == [("Q46325", "107019", "Sfax", "2")]
    assert found[0].source == f"{identifiers.CSC_REPOSITORY}/blob/{'0' * 40}/{SFAX['file']}"


def test_a_qid_the_source_gives_to_two_records_is_refused():
    found, missing = _city_qids(SFAX, {**OTHER, "wikiDataId": SFAX["wikiDataId"]})
    assert found == [] and "ambiguous" in missing[0][1]


def test_a_record_away_from_the_geonames_feature_is_refused():
    found, missing = _city_qids({**SFAX, "latitude": "34.80"}, OTHER)  # about 7 km north
    assert found == [] and "km from the GeoNames feature" in missing[0][1]


def test_a_country_record_named_otherwise_is_refused():
    """The database's record for ISO PS is named otherwise (with another QID than the issue's)."""
    record = {"file": "contributions/countries/countries.json", "id": 169,
              "name": "Palestinian Territory Occupied", "country_code": "PS", "iso3": "PSE",
              "numeric_code": "275", "wikiDataId": "Q407199"}
    wanted = [("https://w3id.org/mc2cm/id/country/palestine", {"Palestine", "State of Palestine"},
               "PS", "PSE", "275")]
    data = {**SLICE, "records": [record]}
    found, missing = wikidata_places.countries(data, wanted, identifiers._fold)
    assert found == [] and "not named as our country" in missing[0][1]
    found, missing = wikidata_places.countries(
        {**SLICE, "records": [{**record, "name": "Palestine"}]}, wanted, identifiers._fold)
    assert [f.qid for f in found] == ["Q407199"] and missing == []


def test_a_ror_record_is_taken_by_its_name_not_by_an_acronym_alone():
    record = ror_organisations.Record("02bd6dy50", frozenset({"Centro de Investigação"}),
                                      frozenset({"CIES"}), "Q74536103", "test")
    fold = identifiers._fold
    assert ror_organisations.match("CIES", [record], fold) == []
    assert ror_organisations.match("Centro de Investigação (CIES)", [record], fold) == [record]
    assert ror_organisations.match("Centro de Investigação (ICMPD)", [record], fold) == []


ICMPD = {"id": "https://ror.org/00x5wnx94",
         "names": [{"value": "International Centre for Migration Policy Development",
                    "types": ["label", "ror_display"], "lang": "en"},
                   {"value": "ICMPD", "types": ["acronym"], "lang": None}],
         "external_ids": [{"type": "wikidata", "all": ["Q498496"], "preferred": None}]}


def _ror_dir(tmp_path, record):
    (tmp_path / "00x5wnx94.json").write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "records.csv").write_text(
        "file,repository,commit,path\n"
        f"00x5wnx94.json,{identifiers.ROR_REPOSITORY},{'1' * 40},v2.2/00x5wnx94.json\n",
        encoding="utf-8")
    return tmp_path


def test_the_generator_takes_a_ror_record_it_is_given_with_its_evidence(tmp_path):
    rows, _missing = identifiers.derive(ror_dir=_ror_dir(tmp_path, ICMPD))
    icmpd = {r.kind: r for r in rows if r.iri.endswith("organisation/icmpd")}
    assert (icmpd["ror"].value, icmpd["ror"].record_name, icmpd["ror"].record_wikidata,
            icmpd["wikidata"].value) == ("00x5wnx94", ICMPD["names"][0]["value"], "Q498496",
                                         "Q498496")
    assert identifier_evidence.problems(list(icmpd.values()), paths.DATA_DIR) == []
    assert not [r for r in rows if r.iri.endswith("organisation/sdc")]  # no record given


def test_a_given_record_with_a_malformed_ror_id_stops_the_derivation(tmp_path):
    bad = {**ICMPD, "id": "https://ror.org/00x5wnu94"}  # u is not one of ROR's digits
    with pytest.raises(ValueError, match="not a ROR ID"):
        ror_organisations.load_records(lambda name: name, _ror_dir(tmp_path, bad))


def test_a_broken_generated_block_is_refused_not_overwritten():
    text = "x\n" + identifiers.BLOCK_START + "\nhalf a block\n"
    with pytest.raises(ValueError, match="no end line"):
        identifiers.with_external_block(text, [])
