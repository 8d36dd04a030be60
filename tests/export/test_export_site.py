"""The static site: a page per programme, place, theme and SDG target in three languages,
Arabic right to left, every internal link resolving, and valid pictures."""

import posixpath
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib import namespace as ns

from mc2cm_graph.export.site.data import read_site_data
from mc2cm_graph.export.site.figures import matrix_counts
from mc2cm_graph.graph.namespaces import MC2CM

LANGS = ("ar", "en", "fr")


class Page(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.html_attrs = {}
        self.links = []
        self.images = []
        self.title = ""
        self.notations = []  # the attributes of each skos:notation shown
        self._in_title = False
        self.feed(text)

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = self._in_title and tag != "title"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in_title = tag == "title"
        if "notation" in (attrs.get("class") or "").split():
            self.notations.append(attrs)
        if tag == "html":
            self.html_attrs = attrs
        elif tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        elif tag == "img":
            self.images.append(attrs["src"])


def parse(path):
    return Page(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graph(dist):
    return Graph().parse(dist / "mc2cm.ttl")


def slugs(graph, cls):
    return {str(s).rsplit("/", 1)[-1] for s in graph.subjects(ns.RDF.type, cls)}


def local_targets(page_path, page):
    """Files inside the export that the page's relative links and images point to."""
    for href in page.links + page.images:
        if "://" in href or href.startswith("#"):
            continue
        yield posixpath.normpath(posixpath.join(page_path.parent.as_posix(), href.split("#")[0]))


def test_a_page_per_programme_place_theme_and_target(dist, graph):
    expected = {
        "programme": slugs(graph, MC2CM.Programme),
        "place": slugs(graph, MC2CM.City) | slugs(graph, MC2CM.Country)
        | slugs(graph, MC2CM.District) | slugs(graph, MC2CM.Region),
        "theme": slugs(graph, MC2CM.RecommendationTheme),
        "target": {str(t).rsplit("/", 1)[-1]
                   for t in graph.objects(None, MC2CM.contributesToTarget)},
    }
    assert "10.7" in expected["target"] and "sfax-acmals" in expected["programme"]
    for lang in LANGS:
        for folder, names in expected.items():
            found = {p.stem for p in (dist / "site" / lang / folder).glob("*.html")}
            assert found == names, (lang, folder)
        assert (dist / "site" / lang / "ontology.html").is_file()


def test_arabic_pages_are_right_to_left(dist):
    for lang in LANGS:
        for path in (dist / "site" / lang).rglob("*.html"):
            attrs = parse(path).html_attrs
            assert attrs["lang"] == lang
            assert attrs["dir"] == ("rtl" if lang == "ar" else "ltr"), path


def test_titles_fit_in_70_characters_and_notations_have_no_language(dist):
    """Search results and tabs show about 70 characters of a title; an SDG notation such as
    10.7 is no Arabic (nor English) text, so it must not inherit the page's language."""
    notations = 0
    for path in (dist / "site").rglob("*.html"):
        page = parse(path)
        assert 0 < len(page.title) <= 70, (path, page.title)
        assert page.title.endswith(" · mc2cm-graph")
        for attrs in page.notations:
            assert attrs.get("lang") == "zxx" and attrs.get("dir") == "ltr", (path, attrs)
            notations += 1
    assert notations > 100
    cut = parse(dist / "site" / "fr" / "programme" / "rabat-evidence-based.html").title
    assert cut.startswith("Vers une élaboration des politiques migratoires") and "…" in cut


def test_every_internal_link_resolves(dist):
    broken = []
    for path in (dist / "site").rglob("*.html"):
        for target in local_targets(path, parse(path)):
            if not Path(target).exists():
                broken.append((str(path.relative_to(dist)), target))
    assert broken == []


def test_index_pages_link_every_programme(dist, graph):
    for lang in LANGS:
        links = parse(dist / "site" / lang / "index.html").links
        for slug in slugs(graph, MC2CM.Programme):
            assert f"../{lang}/programme/{slug}.html" in links
    root_links = parse(dist / "site" / "index.html").links
    for slug in slugs(graph, MC2CM.Programme):
        assert {f"{lang}/programme/{slug}.html" for lang in LANGS} <= set(root_links)


def test_programme_page_links_its_place_themes_and_targets(dist, graph):
    for programme in graph.subjects(ns.RDF.type, MC2CM.Programme):
        slug = str(programme).rsplit("/", 1)[-1]
        for lang in LANGS:
            links = set(parse(dist / "site" / lang / "programme" / f"{slug}.html").links)
            for place in graph.objects(programme, MC2CM.locatedIn):
                assert f"../../{lang}/place/{str(place).rsplit('/', 1)[-1]}.html" in links
            for theme in graph.objects(programme, MC2CM.addressesTheme):
                assert f"../../{lang}/theme/{str(theme).rsplit('/', 1)[-1]}.html" in links
            for target in graph.objects(programme, MC2CM.contributesToTarget):
                assert f"../../{lang}/target/{str(target).rsplit('/', 1)[-1]}.html" in links


def test_pictures_are_svg_and_name_the_targets(dist, graph):
    targets = {str(t).rsplit("/", 1)[-1] for t in graph.objects(None, MC2CM.contributesToTarget)}
    for lang in LANGS:
        for name in ("matrix", "map"):
            root = ET.parse(dist / "site" / "img" / f"{name}-{lang}.svg").getroot()
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
            # SVG 1.1 has xml:lang, not HTML's lang
            assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
            assert "lang" not in root.attrib
        texts = (dist / "site" / "img" / f"matrix-{lang}.svg").read_text(encoding="utf-8")
        assert all(f">{t}<" in texts for t in targets)
        images = parse(dist / "site" / lang / "index.html").images
        assert f"../img/matrix-{lang}.svg" in images and f"../img/map-{lang}.svg" in images


def test_matrix_counts_programmes_per_theme_and_target(graph, release_store):
    data = read_site_data(release_store)
    counts = matrix_counts(data)
    query = """SELECT ?theme ?target (COUNT(DISTINCT ?p) AS ?n) WHERE {
        ?p mc2cm:addressesTheme ?theme ; mc2cm:contributesToTarget ?target }
        GROUP BY ?theme ?target"""
    expected = {(str(r.theme), str(r.target)): int(r.n)
                for r in graph.query(query, initNs={"mc2cm": MC2CM})}
    for i, theme in enumerate(data.themes):
        for j, target in enumerate(data.targets):
            assert counts[i][j] == expected.get((theme.iri, target.iri), 0)
    # Programme 1 (ACMALS) addresses three themes and four targets.
    assert sum(map(sum, counts)) >= 12


def test_above_site_max_the_site_is_an_overview(tmp_path, monkeypatch):
    """Past --site-max programmes: no programme pages; lists cut at LIST_MAX with how many
    more; programme names link to their IRIs; counts still count every programme."""
    from mc2cm_graph.build import build
    from mc2cm_graph.export import site
    from mc2cm_graph.export.options import ExportOptions

    monkeypatch.setattr(site, "LIST_MAX", 4)
    build(out_dir=tmp_path / "dist", options=ExportOptions(site_max=10))
    out = tmp_path / "dist" / "site"
    assert not (out / "en" / "programme").exists()
    assert sorted(p.name for p in (out / "en" / "theme").iterdir())  # theme pages still there
    index = (out / "en" / "index.html").read_text(encoding="utf-8")
    assert '<span class="count">15</span>' in index
    assert index.count("https://w3id.org/mc2cm/id/programme/") == 4
    assert "… and 11 more" in index
    ours = [p for kind in ("theme", "place", "target") for p in (out / "en" / kind).iterdir()]
    links = [link for page in [out / "index.html", out / "en" / "index.html", *ours]
             for link in parse(page).links
             if "/programme/" in link and not link.startswith("https://")]
    assert links == []
