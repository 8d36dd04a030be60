"""The site's maps on Natural Earth outlines: land drawn, one marker per city on the region
map, each marker on (or within a few km of) its country's outline, crowded cities in insets,
the unplaced programme in the caption, a small map per place, places without coordinates
left off without breaking anything."""

import re
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from mc2cm_graph.export.site import ui
from mc2cm_graph.export.site.basemap import BASEMAP_FILE, Frame, outline_named, project
from mc2cm_graph.export.site.data import read_site_data
from mc2cm_graph.export.site.maps import map_svg, markers, place_map_svg
from mc2cm_graph.graph.namespaces import MC2CM

shapely = pytest.importorskip("shapely")
from shapely.geometry import Point, Polygon, shape  # noqa: E402
from shapely.ops import unary_union  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
LANGS = ("ar", "en", "fr")
NEAR_KM = 5.0


@pytest.fixture(scope="module")
def graph(dist):
    return Graph().parse(dist / "mc2cm.ttl")


@pytest.fixture(scope="module")
def data(graph):
    return read_site_data(graph)


def svg(dist, lang):
    return ET.parse(dist / "site" / "img" / f"map-{lang}.svg").getroot()


def panel(root, name):
    return next(g for g in root.iter(f"{SVG}g") if g.get("data-panel") == name)


def path_polygons(d: str) -> list[Polygon]:
    """The rings of an SVG path written as M x y L x y ... Z, as polygons (pixels)."""
    rings = []
    for part in d.split("M")[1:]:
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", part)]
        points = list(zip(numbers[::2], numbers[1::2], strict=True))
        if len(points) >= 3:
            rings.append(Polygon(points).buffer(0))
    return rings


def marker_centre(node) -> tuple[float, float]:
    if node.tag == f"{SVG}circle":
        return float(node.get("cx")), float(node.get("cy"))
    return (float(node.get("x")) + float(node.get("width")) / 2,
            float(node.get("y")) + float(node.get("height")) / 2)


def test_every_country_of_the_data_has_its_natural_earth_outline(data):
    for country in (p for p in data.places if p.kind == "country"):
        assert outline_named(country.label("en")) is not None, country.slug


def test_region_map_draws_land_and_one_marker_per_city(dist, data):
    cities = {p.slug for p in data.places if p.kind == "city" and p.lat is not None}
    for lang in LANGS:
        overview = panel(svg(dist, lang), "overview")
        land = {p.get("data-country") for p in overview.iter(f"{SVG}path")
                if p.get("class") == "land"}
        assert {"Morocco", "Tunisia", "Lebanon", "Jordan", "Palestine", "Spain",
                "Italy"} <= land
        marked = [m.get("data-place") for m in overview.iter() if m.get("class") == "marker"]
        assert sorted(m for m in marked if m in cities) == sorted(cities)
        assert "lebanon" in marked  # programme 5 is set in the whole of Lebanon


def test_places_lie_on_their_country_in_the_vendored_geometry(data):
    """In metres of the map's projection: every mapped city (and country-wide square) is
    inside its country's Natural Earth outline or within NEAR_KM of it (coastal cities
    meet a simplified coastline)."""
    import json

    features = json.loads(BASEMAP_FILE.read_text(encoding="utf-8"))["features"]
    outlines = {f["properties"]["name"]: shape(f["geometry"]) for f in features}
    for place in markers(data):
        country = place if place.kind == "country" else place.country
        geometry = outlines[country.label("en")]
        rings = [list(ring.coords) for poly in getattr(geometry, "geoms", [geometry])
                 for ring in [poly.exterior]]
        projected = unary_union([Polygon(zip(*project([p[0] for p in r], [p[1] for p in r]),
                                             strict=True)) for r in rings])
        xs, ys = project([place.long], [place.lat])
        distance_km = projected.distance(Point(xs[0], ys[0])) / 1000
        assert distance_km <= NEAR_KM, (place.slug, round(distance_km, 1))


def test_markers_sit_on_their_country_as_drawn(dist, data):
    """In the picture: each marker's centre is inside the country path drawn in the same
    panel, or within 2 px of it (the region map is about 9 km to the pixel)."""
    by_slug = {p.slug: p for p in data.places}
    for lang in LANGS:
        for group in svg(dist, lang).iter(f"{SVG}g"):
            if not group.get("data-panel"):
                continue
            shapes = {p.get("data-country"): unary_union(path_polygons(p.get("d")))
                      for p in group.iter(f"{SVG}path") if p.get("class") == "land"}
            for node in group.iter():
                if node.get("class") != "marker":
                    continue
                place = by_slug[node.get("data-place")]
                country = place if place.kind == "country" else place.country
                drawn = shapes[country.label("en")]
                assert drawn.distance(Point(marker_centre(node))) <= 2.0, (lang, place.slug)


def test_crowded_cities_are_shown_in_insets(dist):
    for lang in LANGS:
        root = svg(dist, lang)
        insets = {}
        for group in root.iter(f"{SVG}g"):
            if (group.get("data-panel") or "").startswith("inset-"):
                insets[group.get("data-panel")] = {
                    m.get("data-place") for m in group.iter() if m.get("class") == "marker"}
        together = [("tangier", "tetouan", "larache", "ksar-el-kebir"), ("la-marsa", "raoued"),
                    ("amman", "zarqa")]
        for cities in together:
            assert any(set(cities) <= members for members in insets.values()), (lang, cities)
        # A city in an inset is labelled there, in the page's language.
        labels = {t.get("data-label-for") for t in panel(root, "inset-A").iter(f"{SVG}text")
                  if t.get("class") == "label"}
        assert insets["inset-A"] <= labels


def test_caption_names_the_programme_without_a_place(dist, data):
    third = next(p for p in data.programmes if p.position == 3)
    assert third.place_not_named
    for lang in LANGS:
        desc = "".join(svg(dist, lang).find(f"{SVG}desc").itertext())
        assert third.label(lang) in desc
        assert ui.TEXT[lang]["map_unplaced"].split("{")[0].strip() in desc
        page = (dist / "site" / lang / "index.html").read_text(encoding="utf-8")
        assert third.label(lang).replace("'", "&#39;") in page


def test_every_place_page_shows_its_own_map(dist, data):
    """Every city and country page; a district or region without coordinates has none."""
    for place in data.places:
        for lang in LANGS:
            image = dist / "site" / "img" / "place" / f"{place.slug}-{lang}.svg"
            page = (dist / "site" / lang / "place" / f"{place.slug}.html").read_text("utf-8")
            if place.kind not in ("city", "country") and place.lat is None:
                assert "img/place/" not in page and not image.exists()
                continue
            assert f"../../img/place/{place.slug}-{lang}.svg" in page
            root = ET.parse(image).getroot()
            marked = {m.get("data-place") for m in root.iter() if m.get("class") == "marker"}
            assert place.slug in marked or set(c.slug for c in place.cities) <= marked


def test_places_without_coordinates_are_left_off(graph):
    """A place with no geo:lat/long (a region, a district) and a programme set only there:
    no marker, no small map, and the caption names the programme."""
    changed = Graph()
    for triple in graph:
        changed.add(triple)
    region = URIRef("https://w3id.org/mc2cm/id/city/andalusia-test")
    changed.add((region, RDF.type, MC2CM.City))
    changed.add((region, RDFS.label, Literal("Andalusia", lang="en")))
    programme = URIRef("https://w3id.org/mc2cm/id/programme/sfax-acmals")
    for place in list(changed.objects(programme, MC2CM.locatedIn)):
        changed.remove((programme, MC2CM.locatedIn, place))
    changed.add((programme, MC2CM.locatedIn, region))
    data = read_site_data(changed)
    titles = ui.TEXT["en"]
    root = ET.fromstring(map_svg(data, "en", titles))
    assert "andalusia-test" not in {m.get("data-place") for m in root.iter()}
    assert data.programmes[0].label("en") in "".join(root.find(f"{SVG}desc").itertext())
    place = next(p for p in data.places if p.slug == "andalusia-test")
    assert place_map_svg(data, place, "en", titles) is None


def test_frame_and_d3_parameters_agree():
    """Frame.d3() gives d3-geo what it needs to land on Frame.xy's pixel: checked here with
    the spherical equal-area formula d3 uses (the browser test checks d3 itself)."""
    import math

    frame = Frame((-10, 29, 39, 40), (10, 32, 500, 200))
    params = frame.d3()
    lon0, lat0 = -params["rotate"][0], -params["rotate"][1]
    for lat, long in ((36.88, 10.32), (33.57, -7.59), (32.07, 36.09)):
        phi, lam, phi0 = map(math.radians, (lat, long - lon0, lat0))
        cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)
        k = math.sqrt(2 / (1 + cos_c))
        x = k * math.cos(phi) * math.sin(lam)
        y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
        px = params["translate"][0] + params["scale"] * x
        py = params["translate"][1] - params["scale"] * y
        assert frame.xy(lat, long) == pytest.approx((px, py), abs=0.01)


def test_query_page_base_map_is_up_to_date():
    """serve/web/basemap.svg is what `python scripts/regenerate_basemap.py` makes from geo/."""
    from mc2cm_graph.export.site.maps import query_basemap_svg
    from mc2cm_graph.serve.app import WEB_DIR

    assert (WEB_DIR / "basemap.svg").read_bytes() == query_basemap_svg(), (
        "run: python scripts/regenerate_basemap.py")


def test_wheel_carries_the_vendored_geometry():
    tomllib = pytest.importorskip("tomllib")

    from mc2cm_graph.graph import paths

    config = tomllib.loads((paths.PACKAGE_DIR.parent / "pyproject.toml").read_text("utf-8"))
    included = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert included["geo"] == "mc2cm_graph/_resources/geo"
    assert BASEMAP_FILE == paths.ROOT / "geo" / "mediterranean.geojson"
