"""The catalogue's spatial coverage: each country as a ``dct:Location`` with a bounding box
and a centroid, and one area covering them all with a geometry that map searches read.

- bounding boxes: the country's outline in the vendored Natural Earth file
  (geo/mediterranean.geojson, de facto borders; see geo/SOURCE.md), west/south/east/north;
- centroids: the country's point in our data (``gsp:hasCentroid``, the point the site and
  the GeoJSON show);
- links out: the country's GeoNames IRI, the gazetteer DCAT-AP names beside the EU's country
  list, and its Wikidata item where one is sourced (``skos:exactMatch``, from
  data/identifiers.ttl, sourced in data/identifiers.csv);
- the area: the box around the countries' boxes, as ``dcat:bbox`` and ``dcat:centroid``
  (its centre), so a harvester that keeps one geometry (CKAN's ``spatial_bbox``) finds
  every country inside it. (DCAT-AP 2.1.1 also takes it as a ``locn:geometry`` literal,
  which 3.0 no longer allows: export/dcat_ap2.py adds it there.)

Geometries are WKT literals (``gsp:wktLiteral``, longitude latitude in WGS84, the default
CRS84 of GeoSPARQL), as DCAT-AP 3 recommends for ``dcat:bbox`` and ``dcat:centroid``.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, SKOS

from mc2cm_graph.export.site import basemap
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.namespaces import COUNTRY

GSP = Namespace("http://www.opengis.net/ont/geosparql#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
WKT = GSP.wktLiteral
AREA = BNode("area-of-the-programmes")
AREA_LABELS = {
    "en": "The box around the countries where the programmes take place",
    "fr": "Le rectangle englobant les pays où les programmes ont lieu",
    "ar": "المستطيل المحيط بالبلدان التي تجري فيها البرامج",
}


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def box_wkt(west: float, south: float, east: float, north: float) -> Literal:
    corners = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    ring = ", ".join(f"{_number(x)} {_number(y)}" for x, y in corners)
    return Literal(f"POLYGON(({ring}))", datatype=WKT)


def point_wkt(long: float, lat: float) -> Literal:
    return Literal(f"POINT({_number(long)} {_number(lat)})", datatype=WKT)


def _country_facts(project, countries: list[URIRef]) -> dict[URIRef, tuple[str, str]]:
    """Our country → (English label, WKT of its centroid) from the release."""
    rows = project.query_release(f"""SELECT ?country ?label ?wkt WHERE {{
        ?country <http://www.w3.org/2004/02/skos/core#prefLabel> ?label
        FILTER(LANG(?label) = "en")
        ?country <{GSP.hasCentroid}>/<{GSP.asWKT}> ?wkt }}""")
    return {URIRef(row["country"].value): (row["label"].value, row["wkt"].value)
            for row in rows if URIRef(row["country"].value) in countries}


def _links_out(project, country: URIRef) -> list[URIRef]:
    """The country's GeoNames and Wikidata IRIs in the release (schema:sameAs)."""
    rows = project.query_release(f"""SELECT ?iri WHERE {{
        <{country}> <http://schema.org/sameAs> ?iri
        FILTER(STRSTARTS(STR(?iri), "https://sws.geonames.org/")
               || STRSTARTS(STR(?iri), "http://www.wikidata.org/entity/")) }}""")
    return sorted(URIRef(row["iri"].value) for row in rows)


def _outline_box(name: str, country: URIRef) -> tuple[float, float, float, float]:
    box = basemap.degrees_named(name)
    if box is None:
        raise Mc2cmError(f"no outline named {name!r} for {country}",
                         file=Path(basemap.BASEMAP_FILE),
                         hint="the country's English label must be a Natural Earth name "
                              "of geo/mediterranean.geojson")
    return box


def add_locations(graph: Graph, project, located: dict[URIRef, URIRef]) -> list:
    """Describe each EU country IRI of ``located`` (EU IRI → our country IRI) as a
    dct:Location, and add the area around them. Returns the locations to use as
    dct:spatial: the countries, then the area."""
    facts = _country_facts(project, list(located.values()))
    boxes = []
    for eu_country, ours in located.items():
        if ours not in facts:
            raise Mc2cmError(f"{ours} has no English label or no centroid in the release",
                             hint="give the country skos:prefLabel@en and gsp:hasCentroid")
        label, centroid = facts[ours]
        box = _outline_box(label, ours)
        boxes.append(box)
        graph.add((eu_country, RDF.type, DCTERMS.Location))
        graph.add((eu_country, DCAT.bbox, box_wkt(*box)))
        graph.add((eu_country, DCAT.centroid, Literal(centroid, datatype=WKT)))
        for iri in _links_out(project, ours):
            graph.add((eu_country, SKOS.exactMatch, iri))
    if not boxes:
        return []
    area = (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))
    graph.add((AREA, RDF.type, DCTERMS.Location))
    for lang, text in AREA_LABELS.items():
        graph.add((AREA, RDFS.label, Literal(text, lang=lang)))
    graph.add((AREA, DCAT.bbox, box_wkt(*area)))
    graph.add((AREA, DCAT.centroid, point_wkt((area[0] + area[2]) / 2, (area[1] + area[3]) / 2)))
    return [*located, AREA]


def our_country(slug: str) -> URIRef:
    return URIRef(str(COUNTRY) + slug)
