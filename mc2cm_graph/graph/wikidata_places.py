"""Wikidata QIDs of our countries and cities, taken from a slice of the countries-states-cities
database (ODbL) that a maintainer keeps locally: the slice is NOT in this repository
(vocab/countries-states-cities/SOURCE.md says where its records are and how it is laid out).

That database is community-kept and its ``wikiDataId`` is often wrong (one QID given to several
towns), so a QID is taken only when every check below holds, and refused otherwise:

- a country: the record has our country's ISO 3166-1 alpha-2, alpha-3 and numeric codes (as
  pycountry gives them) AND one of our country's names (or pycountry's);
- a city: the record is in our city's country, bears one of our city's names (Arabic, English or
  French, compared without accents or case) in its name or its native name, and lies within
  ``MAX_KM`` of the GeoNames feature we matched for the city (the database's cities are GeoNames
  features: a record elsewhere is another place, such as a province of the same name);
- either: the QID is on no other record of the slice (the slice keeps every record of our five
  countries that shares a QID with a candidate, so a shared QID is visible).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

BLOB = "{repository}/blob/{commit}/{file}"
# The database's record must be this close to the GeoNames feature of our city.
MAX_KM = 1.0


@dataclass(frozen=True)
class Found:
    iri: str
    qid: str
    source: str
    checked_by: str
    record: str  # the source record's id
    record_name: str
    latitude: str = ""  # the record's coordinates, as the source gives them
    longitude: str = ""
    km: str = ""  # the record's distance to the GeoNames feature of our city
    records_in_file: str = ""  # how many records of the record's file the check saw


def load_slice(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _source(data: dict, record: dict) -> str:
    return BLOB.format(repository=data["repository"], commit=data["commit"], file=record["file"])


def _shared(data: dict) -> Counter:
    return Counter(r["wikiDataId"] for r in data["records"] if r.get("wikiDataId"))


def countries(data: dict, wanted, fold) -> tuple[list[Found], list[tuple[str, str]]]:
    """wanted: (iri, names, alpha2, alpha3, numeric) per country."""
    found, missing, shared = [], [], _shared(data)
    records = [r for r in data["records"] if r["file"].endswith("countries.json")]
    for iri, names, alpha2, alpha3, numeric in wanted:
        hits = [r for r in records if (r["country_code"], r["iso3"], r["numeric_code"])
                == (alpha2, alpha3, numeric)]
        named = [r for r in hits if fold(r["name"]) in {fold(n) for n in names}]
        if len(named) != 1:
            got = "; ".join(f"{r['name']!r} ({r.get('wikiDataId')})" for r in hits) or "none"
            missing.append((iri, f"the source's record for ISO {alpha2} is {got}: not named as "
                                 f"our country ({', '.join(sorted(names))}), so its QID may be "
                                 "another item's"))
            continue
        record = named[0]
        if not _unique(record, shared, iri, missing):
            continue
        found.append(Found(iri, record["wikiDataId"], _source(data, record),
                           f"record {record['id']} {record['name']!r}: ISO {alpha2}/{alpha3}/"
                           f"{numeric} as pycountry's; QID on no other record of the slice "
                           f"({_in_file(data, record)} from that file)",
                           str(record["id"]), record["name"],
                           records_in_file=str(_in_file(data, record))))
    return found, missing


def cities(data: dict, wanted, fold, km) -> tuple[list[Found], list[tuple[str, str]]]:
    """wanted: (iri, names, alpha2, geonames point or None) per city."""
    found, missing, shared = [], [], _shared(data)
    records = [r for r in data["records"] if "/cities/" in r["file"]]
    for iri, names, alpha2, point in wanted:
        if point is None:
            missing.append((iri, "no GeoNames feature to check the source's record against"))
            continue
        folded = {fold(n) for n in names}
        named = [r for r in records if r["country_code"] == alpha2
                 and folded & {fold(r["name"]), fold(r.get("native") or "")}]
        near = [r for r in named
                if km(*point, float(r["latitude"]), float(r["longitude"])) <= MAX_KM]
        if len(near) != 1:
            missing.append((iri, _why_not(named, near, point, km)))
            continue
        record = near[0]
        if not _unique(record, shared, iri, missing):
            continue
        distance = km(*point, float(record["latitude"]), float(record["longitude"]))
        found.append(Found(iri, record["wikiDataId"], _source(data, record),
                           f"record {record['id']} {record['name']!r}, country {alpha2}, "
                           f"{distance:.1f} km from our GeoNames feature; QID on no other "
                           f"record of the slice ({_in_file(data, record)} from that file)",
                           str(record["id"]), _matched(record, folded, fold), record["latitude"],
                           record["longitude"], f"{distance:.3f}",
                           str(_in_file(data, record))))
    return found, missing


def _matched(record: dict, folded: set, fold) -> str:
    """The record's name, or its native name, that is one of ours."""
    return record["name"] if fold(record["name"]) in folded else record["native"]


def _in_file(data: dict, record: dict) -> int:
    return sum(r["file"] == record["file"] for r in data["records"])


def _why_not(named, near, point, km) -> str:
    if near:
        return f"{len(near)} records of that name within {MAX_KM:g} km of the GeoNames feature"
    if not named:
        return "no record of that name in the source's list for the country"
    far = min(km(*point, float(r["latitude"]), float(r["longitude"])) for r in named)
    return (f"the source's record of that name lies {far:.1f} km from the GeoNames feature "
            f"(more than {MAX_KM:g} km: another place, e.g. a province, may be meant)")


def _unique(record, shared, iri, missing) -> bool:
    qid = record.get("wikiDataId")
    if not qid:
        missing.append((iri, f"record {record['id']} has no wikiDataId"))
        return False
    if shared[qid] > 1:
        missing.append((iri, f"the source gives {qid} to {shared[qid]} records "
                             f"(record {record['id']} {record['name']!r} among them): ambiguous"))
        return False
    return True
