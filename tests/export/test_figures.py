"""The site's SVG pictures, read back as XML: the matrix counts what SPARQL counts, every
mapped place has a marker and a label, labels do not overlap, Arabic is right to left, and
the output is the same bytes on every run."""

import xml.etree.ElementTree as ET
from itertools import combinations

import pytest
from rdflib import RDF, Graph

from mc2cm_graph.export.site import ui
from mc2cm_graph.export.site.data import read_site_data
from mc2cm_graph.export.site.figures import matrix_svg
from mc2cm_graph.export.site.maps import label_box, map_svg
from mc2cm_graph.graph.namespaces import MC2CM

SVG = "{http://www.w3.org/2000/svg}"
LANGS = ("ar", "en", "fr")


@pytest.fixture(scope="module")
def graph(dist):
    return Graph().parse(dist / "mc2cm.ttl")


def svg(dist, name, lang):
    return ET.parse(dist / "site" / "img" / f"{name}-{lang}.svg").getroot()


def slug(iri) -> str:
    return str(iri).rsplit("/", 1)[-1]


def text_of(node) -> str:
    return "".join(node.itertext())


def test_matrix_cells_count_what_sparql_counts(dist, graph):
    query = """SELECT ?theme ?target (COUNT(DISTINCT ?p) AS ?n) WHERE {
        ?p mc2cm:addressesTheme ?theme ; mc2cm:contributesToTarget ?target }
        GROUP BY ?theme ?target"""
    expected = {(slug(r.theme), slug(r.target)): int(r.n)
                for r in graph.query(query, initNs={"mc2cm": MC2CM})}
    themes = {slug(t) for t in graph.subjects(RDF.type, MC2CM.RecommendationTheme)}
    targets = {slug(t) for t in graph.objects(None, MC2CM.contributesToTarget)}
    for lang in LANGS:
        root = svg(dist, "matrix", lang)
        cells = {(c.get("data-theme"), c.get("data-target")): int(c.get("data-count"))
                 for c in root.iter(f"{SVG}rect") if c.get("class") == "cell"}
        assert set(cells) == {(th, tg) for th in themes for tg in targets}
        assert cells == {key: expected.get(key, 0) for key in cells}
        assert sum(expected.values()) >= 12 and any(n > 1 for n in cells.values())
        # The count is written in the cell, as text.
        written = [text_of(t) for t in root.iter(f"{SVG}text")]
        for n in {n for n in cells.values() if n}:
            assert str(n) in written


def test_matrix_rows_are_labelled_in_the_page_language(dist, graph, release_store):
    data = read_site_data(release_store)
    for lang in LANGS:
        written = " ".join(text_of(t) for t in svg(dist, "matrix", lang).iter(f"{SVG}text"))
        for theme in data.themes:
            assert theme.label(lang).split()[0] in written
        assert ui.TEXT[lang]["targets"] in written


def test_every_mapped_place_has_a_marker_and_a_label(dist, graph, release_store):
    data = read_site_data(release_store)
    cities = [p for p in data.places if p.kind == "city" and p.lat is not None]
    countries = [p for p in data.places if p.kind == "country" and p.cities]
    assert len(cities) >= 10
    for lang in LANGS:
        root = svg(dist, "map", lang)
        markers = {m.get("data-place") for m in root.iter() if m.get("class") == "marker"}
        labels = {}
        for node in root.iter(f"{SVG}text"):
            if node.get("class") == "label":
                labels.setdefault(node.get("data-label-for"), []).append(text_of(node))
        for city in cities:
            assert city.slug in markers and city.label(lang) in labels[city.slug], city.slug
        for country in countries:
            assert country.label(lang) in labels[country.slug]
        # Lebanon has a programme set in the whole country: a square, labelled as such.
        squares = {m.get("data-place") for m in root.iter(f"{SVG}rect")
                   if m.get("class") == "marker"}
        assert "lebanon" in squares and ui.TEXT[lang]["country_wide"] in labels["lebanon"]


def test_map_labels_do_not_overlap(dist):
    for lang in LANGS:
        boxes = [label_box(float(t.get("x") or t[0].get("x")), float(t.get("y") or t[0].get("y")),
                           text_of(t), float(t.get("font-size")))
                 for t in svg(dist, "map", lang).iter(f"{SVG}text") if t.get("class") == "label"]
        assert len(boxes) > 15
        for a, b in combinations(boxes, 2):
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (lang, a, b)


def test_arabic_pictures_are_right_to_left_and_titled(dist, graph):
    for name in ("matrix", "map"):
        for lang in LANGS:
            root = svg(dist, name, lang)
            assert root.get("direction") == ("rtl" if lang == "ar" else "ltr")
            assert root.get("role") == "img"
            # the first children name and describe it (SVG 1.1: no aria-labelledby)
            assert [child.tag for child in root][:2] == [f"{SVG}title", f"{SVG}desc"]
            assert text_of(root.find(f"{SVG}title")) == ui.TEXT[lang][f"{name}_title"]
    # The matrix is mirrored: in Arabic the first target's column is right of the last one's.
    for lang, first_is_left in (("en", True), ("ar", False)):
        cells = [c for c in svg(dist, "matrix", lang).iter(f"{SVG}rect")
                 if c.get("class") == "cell"]
        xs = [float(c.get("x")) for c in cells if c.get("data-target") == "4.7"]
        ys = [float(c.get("x")) for c in cells if c.get("data-target") == "17.17"]
        assert (xs[0] < ys[0]) == first_is_left


def test_pictures_are_the_same_bytes_every_time(graph, release_store):
    data = read_site_data(release_store)
    titles = ui.TEXT["ar"]
    assert matrix_svg(data, "ar", titles) == matrix_svg(read_site_data(release_store), "ar", titles)
    assert map_svg(data, "ar", titles) == map_svg(read_site_data(release_store), "ar", titles)
