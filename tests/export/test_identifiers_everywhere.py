"""The outside identifiers (data/identifiers.csv) and the SDG indicators reach every place the
release goes: the RDF files, the per-IRI documents, the site's place and target pages and the
catalogue's locations."""

from __future__ import annotations

import csv

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.namespaces import MC2CM, SCHEMA, SDGO

GEONAMES = "https://sws.geonames.org/{}/"
SAME_AS = {"geonames": GEONAMES, "wikidata": "http://www.wikidata.org/entity/{}",
           "ror": "https://ror.org/{}"}


def _rows() -> list[dict]:
    with (paths.DATA_DIR / "identifiers.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


PROPERTY = {"m49": MC2CM.m49Code, "iso2": MC2CM.iso3166Alpha2Code,
            "iso3": MC2CM.iso3166Alpha3Code, "geonames": MC2CM.geonamesId,
            "wikidata": MC2CM.wikidataId, "ror": MC2CM.rorId}


def test_every_identifier_is_in_the_release_and_its_per_iri_document(dist):
    release = Graph().parse(dist / "mc2cm.nt")
    external = Dataset()
    external.parse(dist / "mc2cm-external.trig", format="trig")
    for row in _rows():
        subject = URIRef(row["iri"])
        triple = (subject, PROPERTY[row["kind"]], Literal(row["value"]))
        if (subject, RDF.type, None) not in release:
            # an organisation only the outside facts describe: its identifiers are there
            assert any(external.quads((*triple, None))), row
            continue
        assert triple in release, row
        kind, slug = row["iri"].rsplit("/", 2)[1:]
        document = Graph().parse(dist / "id" / kind / f"{slug}.ttl")
        assert triple in document, row
        if row["kind"] in SAME_AS:
            outside = URIRef(SAME_AS[row["kind"]].format(row["value"]))
            assert (subject, SCHEMA.sameAs, outside) in document


def test_place_pages_link_out_and_show_the_codes(dist):
    for row in _rows():
        kind, slug = row["iri"].rsplit("/", 2)[1:]
        if kind == "organisation":
            continue
        for lang in ("ar", "en", "fr"):
            page = (dist / "site" / lang / "place" / f"{slug}.html").read_text(encoding="utf-8")
            assert f"<code dir=\"ltr\">{row['value']}</code>" in page, (row, lang)
            if row["kind"] in SAME_AS:
                assert f'href="{SAME_AS[row["kind"]].format(row["value"])}"' in page, (row, lang)


def test_organisation_pages_link_out_to_ror_and_wikidata(dist):
    release = Graph().parse(dist / "mc2cm.nt")
    rows = [r for r in _rows() if "/organisation/" in r["iri"]
            and (URIRef(r["iri"]), RDF.type, None) in release]  # those with a page
    assert rows
    for row in rows:
        slug = row["iri"].rsplit("/", 1)[1]
        for lang in ("ar", "en", "fr"):
            page = (dist / "site" / lang / "organisation" / f"{slug}.html").read_text(
                encoding="utf-8")
            assert f'href="{SAME_AS[row["kind"]].format(row["value"])}"' in page, (row, lang)


def test_target_pages_list_the_targets_indicators(dist):
    release = Graph().parse(dist / "mc2cm.nt")
    indicators = set(release.subjects(RDF.type, SDGO.Indicator))
    used = set(release.objects(None, MC2CM.contributesToTarget))
    assert URIRef("http://metadata.un.org/sdg/C100702") in indicators
    for indicator in indicators:
        # an indicator the UN repeats under other targets (11.b.1 = 1.5.3) keeps every link;
        # only the targets in use have pages
        targets = set(release.objects(indicator, SKOS.broader)) & used
        assert targets, indicator
        for target in targets:
            notation = str(target).rsplit("/", 1)[1]
            page = (dist / "site" / "en" / "target" / f"{notation}.html").read_text(
                encoding="utf-8")
            assert f'href="{indicator}"' in page, (indicator, notation)
            labels = {o.language for o in release.objects(indicator, SKOS.prefLabel)}
            assert {"en", "fr"} <= labels, indicator


def test_catalogue_locations_link_the_countries_geonames_and_wikidata(dist):
    catalogue = Graph().parse(dist / "catalog.ttl")
    linked = {str(o) for o in catalogue.objects(None, SKOS.exactMatch)}
    countries = {SAME_AS[r["kind"]].format(r["value"]) for r in _rows()
                 if r["kind"] in ("geonames", "wikidata") and "/country/" in r["iri"]}
    assert any("wikidata" in iri for iri in countries)
    assert countries <= linked
