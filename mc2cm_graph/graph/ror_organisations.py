"""ROR IDs (and the Wikidata QIDs ROR records carry) of our organisations, from ROR records a
maintainer keeps locally (one JSON per record, as the registry publishes them, and a
records.csv naming each file's repository, commit and path): the records are NOT in this
repository (vocab/ror/SOURCE.md says where they are).

An organisation takes a record only if the record's own name (a ``label`` or ``ror_display``
name, not an acronym alone) is our organisation's English name, and, where our name carries an
acronym in brackets ("… (ICMPD)"), the record lists that acronym too. A QID is taken from the
record's ``wikidata`` external id only when the record gives exactly one (or marks one
preferred).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

ROR_ID = re.compile(r"^https://ror\.org/(0[a-hj-km-np-tv-z0-9]{6}[0-9]{2})$")
# "Name (ACRONYM)" as our English labels give an acronym.
WITH_ACRONYM = re.compile(r"^(?P<name>.+?) \((?P<acronym>[^()]+)\)$")


@dataclass(frozen=True)
class Record:
    ror_id: str
    names: frozenset  # folded label / ror_display names
    acronyms: frozenset  # folded
    qid: str | None
    source: str


def load_records(source_of, ror_dir: Path) -> list[Record]:
    """source_of(file name) -> the citable address of the record."""
    return [_record(json.loads(p.read_text(encoding="utf-8")), source_of(p.name))
            for p in sorted(Path(ror_dir).glob("*.json"))]


def _record(data: dict, source: str) -> Record:
    match = ROR_ID.match(data["id"])
    if match is None:
        raise ValueError(f"{source}: {data['id']!r} is not a ROR ID")
    names = {n["value"] for n in data["names"] if {"label", "ror_display"} & set(n["types"])}
    acronyms = {n["value"] for n in data["names"] if "acronym" in n["types"]}
    return Record(match.group(1), frozenset(names), frozenset(acronyms),
                  _qid(data.get("external_ids", [])), source)


def _qid(external_ids) -> str | None:
    for entry in external_ids:
        if entry["type"] == "wikidata":
            if entry.get("preferred"):
                return entry["preferred"]
            return entry["all"][0] if len(entry["all"]) == 1 else None
    return None


def split(label: str) -> tuple[str, str | None]:
    """Our English label as (name, acronym in brackets or None)."""
    parts = WITH_ACRONYM.match(label)
    return (parts["name"], parts["acronym"]) if parts else (label, None)


def matched_name(labels, record: Record, fold) -> str:
    """The record's own name that one of our labels bears."""
    ours = {fold(split(label)[0]) for label in labels}
    return next(n for n in sorted(record.names) if fold(n) in ours)


def match(label: str, records: list[Record], fold) -> list[Record]:
    """The records that name our organisation (English label) as itself."""
    name, acronym = split(label)
    return [r for r in records
            if fold(name) in {fold(n) for n in r.names}
            and (acronym is None or fold(acronym) in {fold(a) for a in r.acronyms})]
