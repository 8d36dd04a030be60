"""dist/places.geojson: RFC 7946 (a FeatureCollection of Points, longitude first) and the same
places, programmes, titles, SDG targets and themes as the graph; the GeoSPARQL points of the
graph and their JSON-LD keys."""

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from mc2cm_graph.export.geojson import graph_select, places_geojson
from mc2cm_graph.graph.namespaces import GEO, GSP, MC2CM


@pytest.fixture(scope="module")
def graph(dist):
    return Graph().parse(dist / "mc2cm.ttl")


@pytest.fixture(scope="module")
def collection(dist):
    return json.loads((dist / "places.geojson").read_text(encoding="utf-8"))


def test_geojson_is_rfc7946_points_longitude_first(collection):
    shapely = pytest.importorskip("shapely.geometry")
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection  # RFC 7946 removed it: always WGS84 lon/lat
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point" and shapely.shape(geometry).is_valid
        long, lat = geometry["coordinates"]
        assert -180 <= long <= 180 and -90 <= lat <= 90
        # The region's cities are north of 29° and west of 37°: lat/long swapped would fail.
        assert 29 < lat < 38 and -10 < long < 37, feature["id"]


def test_geojson_has_the_graphs_places_and_coordinates(graph, collection):
    by_id = {f["id"]: f for f in collection["features"]}
    cities = {c for c in graph.subjects(RDF.type, MC2CM.City) if graph.value(c, GEO.lat)}
    countries = {c for c in graph.subjects(RDF.type, MC2CM.Country)
                 if (None, MC2CM.locatedIn, c) in graph}
    assert set(by_id) == {str(p) for p in cities | countries}
    assert "https://w3id.org/mc2cm/id/country/lebanon" in by_id
    for place in cities | countries:
        feature = by_id[str(place)]
        assert feature["geometry"]["coordinates"] == [float(graph.value(place, GEO.long)),
                                                      float(graph.value(place, GEO.lat))]
        names = {v.language: str(v) for v in graph.objects(place, SKOS.prefLabel)}
        assert feature["properties"]["name"] == {k: names[k] for k in ("ar", "en", "fr")}
        # flat too, one column per language, as GIS tools and Shapefiles want them
        assert {k: feature["properties"][f"name_{k}"] for k in ("ar", "en", "fr")} == \
            feature["properties"]["name"]
        country = graph.value(place, MC2CM.inCountry)
        expected = place if (place, RDF.type, MC2CM.Country) in graph else country
        assert feature["properties"]["country"] == str(expected), feature["id"]


def test_geojson_programmes_match_the_graph(graph, collection):
    for feature in collection["features"]:
        place = URIRef(feature["id"])
        listed = feature["properties"]["programmes"]
        expected = set(graph.subjects(MC2CM.locatedIn, place))
        assert {p["iri"] for p in listed} == {str(p) for p in expected}
        assert feature["properties"]["programmeCount"] == len(expected)
        positions = [p["position"] for p in listed]
        assert positions == sorted(positions)
        for entry in listed:
            programme = URIRef(entry["iri"])
            for lang in ("ar", "en", "fr"):
                assert any(str(v) == entry["title"][lang] and v.language == lang
                           for v in graph.objects(programme, MC2CM.subtitle))
                assert any(str(v) == entry["label"][lang] and v.language == lang
                           for v in graph.objects(programme, RDFS.label))
            targets = {str(t).rsplit("/", 1)[-1]
                       for t in graph.objects(programme, MC2CM.contributesToTarget)}
            assert set(entry["sdgTargets"]) == targets and targets
            themes = {str(t) for t in graph.objects(programme, MC2CM.addressesTheme)}
            assert {t["iri"] for t in entry["themes"]} == themes
            assert all(set(t["label"]) == {"ar", "en", "fr"} for t in entry["themes"])
    sfax = next(f for f in collection["features"] if f["id"].endswith("/city/sfax"))
    assert "10.7" in sfax["properties"]["programmes"][0]["sdgTargets"]


def test_geojson_is_the_same_from_the_release_graph(graph, collection):
    """The store path (the build) and the rdflib path (a plain graph) agree."""
    assert places_geojson(graph_select(graph)) == collection


def test_every_place_with_coordinates_has_its_geosparql_point(graph):
    for kind in (MC2CM.City, MC2CM.Country):
        for place in graph.subjects(RDF.type, kind):
            lat, long = graph.value(place, GEO.lat), graph.value(place, GEO.long)
            if lat is None:
                continue
            point = graph.value(place, GSP.hasCentroid)
            assert point is not None, place
            if kind == MC2CM.City:
                assert graph.value(place, GSP.hasGeometry) == point
            wkt = graph.value(point, GSP.asWKT)
            assert wkt.datatype == GSP.wktLiteral
            assert str(wkt) == f"POINT({long} {lat})"
            assert (point, RDF.type, GSP.Geometry) in graph


def test_jsonld_gives_geosparql_readable_keys(dist):
    doc = json.loads((dist / "mc2cm.jsonld").read_text(encoding="utf-8"))
    nodes = doc["@graph"]
    sfax = next(n for n in nodes if n.get("@id") in ("city:sfax",
                                                     "https://w3id.org/mc2cm/id/city/sfax"))
    assert sfax["hasGeometry"] == sfax["hasCentroid"]
    point = next(n for n in nodes if n.get("@id") == sfax["hasGeometry"])
    assert point["asWKT"] == "POINT(10.76 34.74)"


def test_geojson_carries_the_identifiers_of_data_identifiers_csv(collection):
    import csv

    from mc2cm_graph.graph import paths
    with (paths.DATA_DIR / "identifiers.csv").open(encoding="utf-8", newline="") as handle:
        codes = {(r["iri"], r["kind"]): r["value"] for r in csv.DictReader(handle)}
    checked = with_qid = 0
    for feature in collection["features"]:
        iri, props = feature["id"], feature["properties"]
        country = props["country"]
        for key in ("m49", "iso2", "iso3"):
            assert props[key] == codes.get((country, key)), (iri, key)
        assert props["geonames"] == codes.get((iri, "geonames")), iri
        assert props["wikidata"] == codes.get((iri, "wikidata")), iri
        checked += props["geonames"] is not None
        with_qid += props["wikidata"] is not None
    assert checked >= 14  # every city but Raoued, and Lebanon
    assert with_qid >= 5  # the QIDs that passed the checks (docs/data-model.md)


def test_places_named_by_a_programmes_texts_are_listed(collection):
    """Programme 6 names Oujda (وجدة) in an activity but is held in Nador: Oujda lists it as
    naming it, not as held there; no other place with coordinates is named that way."""
    named = {f["properties"]["name_en"]: f["properties"] for f in collection["features"]
             if f["properties"]["namedInCount"]}
    assert set(named) == {"Oujda"}
    assert named["Oujda"]["namedIn"] == [
        "https://w3id.org/mc2cm/id/programme/nador-living-together-city"]
    assert named["Oujda"]["programmeCount"] == 0
    assert all(len(f["properties"]["namedIn"]) == f["properties"]["namedInCount"]
               for f in collection["features"])
