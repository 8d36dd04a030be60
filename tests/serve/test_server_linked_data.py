"""Our IRIs dereference: HTML for browsers, Turtle / JSON-LD / N-Triples by Accept, labels
in the language asked for."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from tests.serve.conftest import http

MC2CM = "https://w3id.org/mc2cm/ontology#"
SFAX = URIRef("https://w3id.org/mc2cm/id/programme/sfax-acmals")
SUBTITLE = URIRef(MC2CM + "subtitle")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SUBTITLE_AR = "تحسين تنسيق الهجرة من قبل الجهات الفاعلة المحلية في صفاقس"
SUBTITLE_FR = "Améliorer la coordination de la migration par les acteurs locaux à Sfax"


@pytest.mark.parametrize(("accept", "rdf_format", "content_location"), [
    ("text/turtle", "turtle", "/id/programme/sfax-acmals.ttl"),
    ("application/ld+json", "json-ld", "/id/programme/sfax-acmals.jsonld"),
    ("application/n-triples", "nt", "/id/programme/sfax-acmals.nt"),
])
def test_rdf_by_content_negotiation(server, accept, rdf_format, content_location):
    status, headers, body = http(f"{server.url}/id/programme/sfax-acmals",
                                 headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert headers["Content-Location"] == content_location
    assert "Accept" in headers["Vary"]
    graph = Graph().parse(data=body, format=rdf_format)
    assert (SFAX, RDF.type, URIRef(MC2CM + "Programme")) in graph
    assert (SFAX, SUBTITLE, Literal(SUBTITLE_AR, lang="ar")) in graph
    assert (SFAX, URIRef(MC2CM + "positionInSource"), None) in graph


def test_suffix_urls_give_the_same_graph(server):
    by_suffix = http(f"{server.url}/id/programme/sfax-acmals.ttl")[2]
    by_accept = http(f"{server.url}/id/programme/sfax-acmals",
                     headers={"Accept": "text/turtle"})[2]
    assert Graph().parse(data=by_suffix, format="turtle").isomorphic(
        Graph().parse(data=by_accept, format="turtle"))


def test_lang_keeps_literals_in_that_language(server):
    body = http(f"{server.url}/id/programme/sfax-acmals.ttl?lang=fr")[2]
    graph = Graph().parse(data=body, format="turtle")
    assert set(graph.objects(SFAX, SUBTITLE)) == {Literal(SUBTITLE_FR, lang="fr")}
    assert (SFAX, URIRef(MC2CM + "positionInSource"), None) in graph  # untagged stay


def test_browser_gets_html_in_the_accepted_language(server):
    status, headers, body = http(f"{server.url}/id/programme/sfax-acmals",
                                 headers={"Accept": BROWSER, "Accept-Language": "fr-FR,fr;q=0.9"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<html lang="fr" dir="ltr">' in body and SUBTITLE_FR in body
    assert SUBTITLE_AR not in body
    assert 'href="/id/city/sfax"' in body  # our IRIs link to this server


def test_arabic_page_is_right_to_left(server):
    body = http(f"{server.url}/id/programme/sfax-acmals?lang=ar",
                headers={"Accept": BROWSER})[2]
    assert '<html lang="ar" dir="rtl">' in body and SUBTITLE_AR in body


def test_ontology_dereferences_with_its_terms(server):
    status, _, body = http(f"{server.url}/ontology", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=body, format="turtle")
    assert status == 200
    assert (URIRef(MC2CM + "Programme"), RDFS.label, None) in graph
    assert (URIRef("https://w3id.org/mc2cm/ontology"), None, None) in graph


def test_unknown_resource_is_404(server):
    status, _, body = http(f"{server.url}/id/programme/no-such-programme",
                           headers={"Accept": "text/turtle"})
    assert status == 404 and "no resource" in body


@pytest.mark.parametrize("path", ["/id/programme/a%3E%20%7D", "/id/programme/x?lang=%22%7D"])
def test_hostile_paths_are_refused(server, path):
    status, _, body = http(server.url + path, headers={"Accept": "text/turtle"})
    assert status == 404 and "resource" in body


@pytest.mark.parametrize("path", [
    "/id/city/sfax", "/id/country/tunisia", "/id/theme/welcome-instruments",
    "/id/activity/sfax-acmals-1", "/id/outcome/sfax-acmals-1",
    "/id/scheme/recommendation-themes", "/id/organisation/european-union"])
def test_every_kind_of_our_iris_dereferences(server, path):
    iri = URIRef("https://w3id.org/mc2cm" + path)
    status, _, body = http(server.url + path, headers={"Accept": "text/turtle"})
    assert status == 200, body
    assert (iri, RDF.type, None) in Graph().parse(data=body, format="turtle")
    status, _, page = http(server.url + path, headers={"Accept": BROWSER})
    assert status == 200 and "<h1" in page


@pytest.mark.parametrize("lang", ["ar", "en", "fr"])
def test_a_page_is_titled_with_the_label_in_its_language(server, lang):
    """A resource labelled in all three languages is named, in the title and the heading,
    by its label in the page's language (the data's skos:prefLabel), whatever order the
    store gives its labels in."""
    import html
    import re

    from rdflib.namespace import SKOS

    from mc2cm_graph.graph import paths

    theme = URIRef("https://w3id.org/mc2cm/id/theme/welcome-instruments")
    themes = Graph().parse(paths.DATA_DIR / "themes.ttl")
    labels = {label.language: str(label) for label in themes.objects(theme, SKOS.prefLabel)}
    assert len(set(labels.values())) == 3  # three different labels, or this shows nothing
    body = http(f"{server.url}/id/theme/welcome-instruments?lang={lang}",
                headers={"Accept": BROWSER})[2]
    title = re.search(r"<title>(.*?) · MC2CM</title>", body, re.S).group(1)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S).group(1)
    assert html.unescape(title) == html.unescape(heading) == labels[lang]


@pytest.fixture(scope="module")
def crowded_server(built_dist, tmp_path_factory):
    """A server on a copy of the release in which 250 more resources point to one theme."""
    import shutil

    from tests.serve.conftest import Served

    dist = tmp_path_factory.mktemp("crowded") / "dist"
    shutil.copytree(built_dist, dist)
    with (dist / "mc2cm.ttl").open("a", encoding="utf-8") as ttl:
        for index in range(250):
            ttl.write(f"\n<https://w3id.org/mc2cm/id/note/n{index}> <{RDFS.seeAlso}> "
                      f"<https://w3id.org/mc2cm/id/theme/welcome-instruments> .\n")
    served = Served("--dist", str(dist), "--workers", "1")
    yield served
    served.stop()


def test_a_page_lists_at_most_200_resources_that_point_to_it(crowded_server):
    """Of the 250 and more resources that point to the theme, the page lists 200: what
    one page shows (and one query of the light lane returns) is bounded, whatever the
    data holds."""
    from html.parser import HTMLParser

    class Referrers(HTMLParser):
        def __init__(self):
            super().__init__()
            self.depth, self.items = 0, 0  # depth inside <ul class="incoming">

        def handle_starttag(self, tag, attrs):
            if tag == "ul" and ("class", "incoming") in attrs or self.depth and tag == "ul":
                self.depth += 1
            elif self.depth and tag == "li":
                self.items += 1

        def handle_endtag(self, tag):
            if self.depth and tag == "ul":
                self.depth -= 1

    status, _, body = http(f"{crowded_server.url}/id/theme/welcome-instruments",
                           headers={"Accept": BROWSER})
    assert status == 200
    referrers = Referrers()
    referrers.feed(body)
    assert referrers.items == 200
    assert 0 < body.count('href="/id/note/n') <= 200  # the added ones are among them
