"""The release's static linked data (export/static_ld.py) and w3id rules (export/w3id.py),
without a web server: layout, refusals, the committed rules kept in step."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mc2cm_graph.export.static_ld import (
    PER_PROGRAMME_KINDS,
    check_entries,
    html_page,
    our_resources,
    resource_path,
    write_linked_data,
)
from mc2cm_graph.export.w3id import check_base_url, htaccess, readme
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.query.dist import open_store

ROOT = Path(__file__).resolve().parents[2]
ID = "https://w3id.org/mc2cm/id/"


@pytest.fixture(scope="module")
def resources(dist):
    return our_resources(open_store(dist))


def test_every_resource_has_its_documents_and_pages(dist, resources):
    assert resources[0].path == "ontology"
    for resource in resources:
        for suffix in ("ttl", "jsonld", "nt"):
            assert (dist / f"{resource.path}.{suffix}").stat().st_size > 0, resource.iri
        for lang in ("ar", "en", "fr"):
            page, _, anchor = html_page(resource.path, lang).partition("#")
            text = (dist / page).read_text(encoding="utf-8")
            assert not anchor or f'id="{anchor}"' in text, (resource.iri, anchor)


def test_html_pages_by_kind():
    assert html_page("ontology", "ar") == "site/ar/ontology.html"
    assert html_page("id/programme/sfax-acmals", "fr") == "site/fr/programme/sfax-acmals.html"
    assert html_page("id/country/tunisia", "en") == "site/en/place/tunisia.html"
    assert html_page("id/outcome/p-00012-3", "en") == \
        "site/en/programme/p-00012.html#outcome-p-00012-3"
    assert html_page("id/activity-type/conference", "en") == \
        "site/en/activity-type/conference.html"


def test_resource_pages_link_to_files_that_exist(dist):
    page = dist / "site" / "ar" / "activity-type" / "conference.html"
    text = page.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in text
    links = [href for href in re.findall(r'href="([^"]+)"', text)
             if not href.startswith(("http://", "https://"))]
    assert any(link.endswith("conference.ttl") for link in links)
    assert any("#activity-" in link for link in links)
    for link in links:
        assert (page.parent / link.partition("#")[0]).resolve().is_file(), link


@pytest.mark.parametrize("iri", [
    ID + "programme/a/b", ID + "programme/x.ttl", ID + "programme/..", ID + "programme",
    ID + "programme/x#part", "https://w3id.org/mc2cm/other/x", ID + "programme/%2e%2e",
    ID + "target/ten", ID + "img/map",
])
def test_iris_that_cannot_be_files_are_refused(iri):
    with pytest.raises(Mc2cmError, match="cannot publish"):
        resource_path(iri)


def test_entries_must_be_named_after_their_programme():
    store = ox.Store()
    has = ox.NamedNode("https://w3id.org/mc2cm/ontology#hasActivity")
    store.add(ox.Quad(ox.NamedNode(ID + "programme/a"), has, ox.NamedNode(ID + "activity/a-1")))
    check_entries(store)
    store.add(ox.Quad(ox.NamedNode(ID + "programme/a"), has, ox.NamedNode(ID + "activity/b-2")))
    with pytest.raises(Mc2cmError, match="activity/b-2 is not named after its programme"):
        check_entries(store)


@pytest.mark.parametrize("url", ["ftp://host/x/", "https:///x/", "https://h/x?y=1",
                                 "https://h/x#f", "https://h/a b/", "https://h/%20/",
                                 "https://h/$1/", "data/"])
def test_bad_base_urls_are_refused(url):
    with pytest.raises(Mc2cmError, match="not a plain http"):
        check_base_url(url)


def test_base_url_gets_a_slash():
    assert check_base_url("https://data.example.org/mc2cm") == "https://data.example.org/mc2cm/"
    assert "RewriteRule ^dist/(.*)$ https://data.example.org/mc2cm/$1 [R=302,L]" in \
        htaccess("https://data.example.org/mc2cm")


def test_release_carries_the_rules_for_its_base_url(dist):
    assert (dist / "w3id" / ".htaccess").read_text(encoding="utf-8") == htaccess()


def test_committed_rules_are_the_generated_ones():
    """w3id/mc2cm/ is what `python -m mc2cm_graph.export.w3id w3id/mc2cm` writes."""
    folder = ROOT / "w3id" / "mc2cm"
    assert (folder / ".htaccess").read_text(encoding="utf-8") == htaccess()
    assert (folder / "README.md").read_text(encoding="utf-8") == readme()


def test_build_refuses_a_bad_base_url_before_writing(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "dist"
    done = subprocess.run([sys.executable, "-m", "mc2cm_graph", "build", "--out", str(out),
                           "--base-url", "https://host/my release/"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "--base-url 'https://host/my release/' is not a plain http(s) URL" in done.stderr
    assert not out.exists()


def test_a_cap_leaves_out_the_programmes_own_resources_only(dist, tmp_path):
    """Above ``ld_max`` programmes (the seed has 15), no files for the kinds that belong to
    one programme; every other kind and the ontology keep theirs. At the cap, all."""
    store = open_store(dist)

    def kinds(out, limit):
        files = write_linked_data(store, out, ld_max=limit)
        return {f.relative_to(out).parts[1] for f in files
                if f.relative_to(out).parts[0] == "id"}

    capped = kinds(tmp_path / "capped", 14)
    assert capped and capped.isdisjoint(PER_PROGRAMME_KINDS)
    assert {"city", "country", "theme", "activity-type"} <= capped
    assert (tmp_path / "capped" / "ontology.ttl").is_file()
    assert kinds(tmp_path / "all", 15) >= PER_PROGRAMME_KINDS
    # what a capped release keeps is the same, byte for byte (described without the index)
    for kept in ("id/theme/welcome-instruments.ttl", "id/country/tunisia.jsonld",
                 "site/fr/activity-type/conference.html", "ontology.nt"):
        assert (tmp_path / "capped" / kept).read_bytes() == \
            (tmp_path / "all" / kept).read_bytes(), kept


def test_json_ld_documents_are_what_pyld_compacts(dist):
    """The per-IRI JSON-LD is compacted without PyLD (query/describe.py): it must be PyLD's
    own compaction of pyoxigraph's expanded output, byte for byte, for every resource."""
    import json

    from pyld import jsonld

    from mc2cm_graph.query.describe import describe_triples, graph_bytes, used_prefixes

    store = open_store(dist)
    for resource in our_resources(store):
        triples = describe_triples(store, resource.iri)
        prefixes = used_prefixes(triples)
        expanded = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))
        reference = jsonld.compact(expanded, {"@context": prefixes}, {"skipExpansion": True})
        assert graph_bytes(triples, "jsonld", prefixes) == json.dumps(
            reference, ensure_ascii=False, indent=1).encode(), resource.iri


@pytest.mark.parametrize("ld_max", [None, 10])
def test_the_release_view_gives_the_files_of_a_parse_of_the_release(tmp_path, ld_max):
    """export_static_ld describes a ReleaseView of the build's store, not a second parse
    of mc2cm.ttl: every node's triples (blank nodes named alike, in the same order) and
    every file it writes must be those of the parse, on data with many blank nodes
    (synthetic target links), with and without the cap."""
    from mc2cm_graph.build import checked_project
    from mc2cm_graph.export.pipeline import prepare_release
    from mc2cm_graph.export.rdf import export_turtle
    from mc2cm_graph.export.static_ld import ReleaseView
    from mc2cm_graph.graph.store import load_file
    from mc2cm_graph.graph.synth import synthesise

    synthesise(tmp_path / "data", 30, seed=3)
    project, _ = checked_project(tmp_path / "data", reason=True)
    prepare_release(project)
    export_turtle(project, tmp_path)
    parsed = ox.Store()
    load_file(parsed, tmp_path / "mc2cm.ttl", ox.DefaultGraph())
    view = ReleaseView(project, tmp_path / "mc2cm.ttl")
    nodes = {q.subject for q in parsed}
    assert any(isinstance(node, ox.BlankNode) for node in nodes)
    for node in nodes:
        assert view(node) == [q.triple for q in parsed.quads_for_pattern(
            node, None, None, ox.DefaultGraph())], node
    by_parse = write_linked_data(parsed, tmp_path / "parsed", ld_max=ld_max)
    by_view = write_linked_data(view, tmp_path / "view", ld_max=ld_max)
    assert [f.relative_to(tmp_path / "view") for f in by_view] == \
        [f.relative_to(tmp_path / "parsed") for f in by_parse]
    for written in by_parse:
        relative = written.relative_to(tmp_path / "parsed")
        assert (tmp_path / "view" / relative).read_bytes() == written.read_bytes(), relative


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab-_~./?#%:=&éط"), max_size=24))
def test_a_documents_path_is_the_url_path_below_our_namespace(rest):
    """describe.document_path slices the IRI; it must give what urllib's reading of the
    IRI's path gives (its definition before), whatever the IRI holds."""
    from urllib.parse import urlsplit

    from mc2cm_graph.query.describe import BASE, document_path

    iri = f"{BASE}/{rest}"
    assert document_path(iri) == urlsplit(iri).path[len(urlsplit(BASE).path) + 1:]
