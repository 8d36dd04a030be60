"""dist/places.geojson: the places with their programmes as GeoJSON (RFC 7946), the format
GIS tools and open-data portals' map previews read.

One Point feature per city with coordinates, and per country that a programme is set in as a
whole (Lebanon); coordinates are [longitude, latitude] (WGS84), as RFC 7946 requires. Each
feature's properties give the place's names (ar/en/fr: nested under ``name``, and flat as
``name_ar``, ``name_en``, ``name_fr``, which GIS tools show as columns and a Shapefile
export keeps whole), its country (a country's point: the country itself) and its programmes
with their labels and titles (rdfs:label and mc2cm:subtitle, ar/en/fr), SDG targets and
recommendation themes; and the outside identifiers for joins (data/identifiers.csv gives
their sources): ``m49``, ``iso2``, ``iso3`` (of the country, for a city its country's),
``geonames`` (the place's own GeoNames ID) and ``wikidata`` (null: no QID with a citable
source yet).
Everything is read by SPARQL, from the build's store when there is one (the fast engine),
else from the release graph (rdflib).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

from mc2cm_graph.export.site.data import LANGUAGES, notation_key
from mc2cm_graph.graph.iris import ONTOLOGY_NS

FILE_NAME = "places.geojson"
PREFIXES = f"""PREFIX mc2cm: <{ONTOLOGY_NS}>
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
# Places with coordinates: cities, and countries a programme is located in directly.
PLACES = PREFIXES + """SELECT ?place ?kind ?lat ?long ?country WHERE {
  { ?place a mc2cm:City . BIND ("city" AS ?kind) OPTIONAL { ?place mc2cm:inCountry ?country } }
  UNION
  { ?place a mc2cm:Country . FILTER EXISTS { [] mc2cm:locatedIn ?place }
    BIND ("country" AS ?kind) }
  ?place geo:lat ?lat ; geo:long ?long .
}"""
# The identifiers a join needs: the country's codes (a city's: its country's), the place's
# own GeoNames and Wikidata IDs.
IDENTIFIERS = PREFIXES + """SELECT ?place ?m49 ?iso2 ?iso3 ?geonames ?wikidata WHERE {
  { ?place a mc2cm:City ; mc2cm:inCountry ?country } UNION
  { ?place a mc2cm:Country . BIND (?place AS ?country) }
  OPTIONAL { ?country mc2cm:m49Code ?m49 }
  OPTIONAL { ?country mc2cm:iso3166Alpha2Code ?iso2 }
  OPTIONAL { ?country mc2cm:iso3166Alpha3Code ?iso3 }
  OPTIONAL { ?place mc2cm:geonamesId ?geonames }
  OPTIONAL { ?place mc2cm:wikidataId ?wikidata }
}"""
NAMES = PREFIXES + """SELECT ?node ?text WHERE {
  { ?node a mc2cm:City } UNION { ?node a mc2cm:Country } UNION
  { ?node a mc2cm:RecommendationTheme }
  ?node skos:prefLabel ?text .
}"""
PROGRAMMES = PREFIXES + """SELECT ?place ?programme ?position WHERE {
  ?programme a mc2cm:Programme ; mc2cm:locatedIn ?place .
  OPTIONAL { ?programme mc2cm:positionInSource ?position }
}"""
# Programmes whose texts name the place (the programme, an activity or an outcome
# mc2cm:involvesPlace it), beside those located there: Oujda is named by programme 6.
NAMED_IN = PREFIXES + """SELECT DISTINCT ?place ?programme ?position WHERE {
  ?programme a mc2cm:Programme .
  { ?programme mc2cm:involvesPlace ?place }
  UNION { ?programme mc2cm:hasActivity|mc2cm:hasOutcome ?item . ?item mc2cm:involvesPlace ?place }
  OPTIONAL { ?programme mc2cm:positionInSource ?position }
}"""
LABELS = PREFIXES + """SELECT ?node ?text WHERE {
  ?node a mc2cm:Programme ; rdfs:label ?text .
}"""
TITLES = PREFIXES + """SELECT ?node ?text WHERE {
  ?node a mc2cm:Programme ; mc2cm:subtitle ?text .
}"""
TARGETS = PREFIXES + """SELECT ?programme ?target WHERE {
  ?programme a mc2cm:Programme ; mc2cm:contributesToTarget ?target .
}"""
THEMES = PREFIXES + """SELECT ?programme ?theme WHERE {
  ?programme a mc2cm:Programme ; mc2cm:addressesTheme ?theme .
}"""

# A row: variable name → (lexical value, language tag or None); unbound variables absent.
Row = dict[str, tuple[str, str | None]]
Select = Callable[[str], Iterable[Row]]


def store_select(store) -> Select:
    """SELECT over a ProjectStore (pyoxigraph), rows as plain tuples."""
    def run(sparql: str) -> Iterable[Row]:
        results = store.query(sparql)
        names = [v.value for v in results.variables]
        for solution in results:
            yield {name: (term.value, getattr(term, "language", None))
                   for name in names if (term := solution[name]) is not None}
    return run


def graph_select(graph) -> Select:
    """SELECT over an rdflib graph, rows as plain tuples."""
    def run(sparql: str) -> Iterable[Row]:
        for row in graph.query(sparql):
            yield {name: (str(term), getattr(term, "language", None))
                   for name, term in row.asdict().items() if term is not None}
    return run


def _texts(select: Select, sparql: str) -> dict[str, dict[str, str]]:
    """node → language → text, in ar/en/fr (the smallest text if a language has several)."""
    found: dict[str, dict[str, str]] = {}
    for row in select(sparql):
        text, lang = row["text"]
        if lang in LANGUAGES:
            current = found.setdefault(row["node"][0], {})
            if lang not in current or text < current[lang]:
                current[lang] = text
    return {node: dict(sorted(texts.items())) for node, texts in found.items()}


def _number(lexical: str) -> float:
    return float(Decimal(lexical))


def _notation(target: str) -> str:
    return target.rstrip("/").rsplit("/", 1)[-1]


def _named_in(select: Select) -> dict[str, list[str]]:
    """place → the programmes whose texts name it, in brochure order."""
    found: dict[str, list[tuple[int, str]]] = {}
    for row in select(NAMED_IN):
        position = int(row["position"][0]) if "position" in row else 0
        found.setdefault(row["place"][0], []).append((position, row["programme"][0]))
    return {place: [iri for _, iri in sorted(rows)] for place, rows in found.items()}


def _programmes(select: Select) -> dict[str, list[dict]]:
    """place → its programmes, in brochure order, with titles, targets and themes."""
    labels = _texts(select, LABELS)
    titles = _texts(select, TITLES)
    themes_names = _texts(select, NAMES)
    targets: dict[str, set[str]] = {}
    for row in select(TARGETS):
        targets.setdefault(row["programme"][0], set()).add(row["target"][0])
    themes: dict[str, set[str]] = {}
    for row in select(THEMES):
        themes.setdefault(row["programme"][0], set()).add(row["theme"][0])
    by_place: dict[str, list[dict]] = {}
    for row in select(PROGRAMMES):
        iri = row["programme"][0]
        position = int(row["position"][0]) if "position" in row else None
        by_place.setdefault(row["place"][0], []).append({
            "iri": iri, "position": position, "label": labels.get(iri, {}),
            "title": titles.get(iri, {}),
            "sdgTargets": sorted((_notation(t) for t in targets.get(iri, ())),
                                 key=notation_key),
            "themes": [{"iri": t, "label": themes_names.get(t, {})}
                       for t in sorted(themes.get(iri, ()))]})
    for programmes in by_place.values():
        programmes.sort(key=lambda p: (p["position"] is None, p["position"] or 0, p["iri"]))
    return by_place


IDENTIFIER_KEYS = ("m49", "iso2", "iso3", "geonames", "wikidata")


def _identifiers(select: Select) -> dict[str, dict]:
    """Per place: its join identifiers (None where it has none)."""
    return {row["place"][0]: {key: row[key][0] if key in row else None
                              for key in IDENTIFIER_KEYS}
            for row in select(IDENTIFIERS)}


def places_geojson(select: Select) -> dict:
    """The FeatureCollection (RFC 7946) of the places with coordinates."""
    names = _texts(select, NAMES)
    programmes = _programmes(select)
    named_in = _named_in(select)
    codes = _identifiers(select)
    features = []
    for row in select(PLACES):
        iri = row["place"][0]
        listed = programmes.get(iri, [])
        name = names.get(iri, {})
        country = row["country"][0] if "country" in row else None
        features.append({
            "type": "Feature", "id": iri,
            "geometry": {"type": "Point",
                         "coordinates": [_number(row["long"][0]), _number(row["lat"][0])]},
            "properties": {"kind": row["kind"][0], "name": name,
                           **{f"name_{lang}": name.get(lang) for lang in LANGUAGES},
                           "country": iri if row["kind"][0] == "country" else country,
                           **codes.get(iri, dict.fromkeys(IDENTIFIER_KEYS)),
                           "programmeCount": len(listed), "programmes": listed,
                           # named by these programmes' texts (not necessarily held there)
                           "namedInCount": len(named_in.get(iri, [])),
                           "namedIn": named_in.get(iri, [])}})
    features.sort(key=lambda f: (f["properties"]["kind"], f["id"]))
    return {"type": "FeatureCollection", "features": features}


def export_geojson(project, out_dir: Path, advance=None) -> list[Path]:
    select = store_select(project)  # the ProjectStore: SPARQL over its graphs
    target = Path(out_dir) / FILE_NAME
    from mc2cm_graph.graph.jsontext import indented

    text = indented(places_geojson(select), 1)  # json.dumps(..., indent=1), quicker
    target.write_text(text + "\n", encoding="utf-8")
    return [target]
