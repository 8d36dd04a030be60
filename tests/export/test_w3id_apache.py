"""The w3id rules on the real thing: Debian's Apache httpd with mod_rewrite reads the
generated .htaccess at /mc2cm/ (as w3id.org does), a second virtual host serves the
release as a static host; every IRI of ours is followed by Accept and Accept-Language."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from mc2cm_graph.export.static_ld import SUFFIXES, html_page, our_resources
from tests.apache_httpd import apache_binary, free_port, running_apache

requests = pytest.importorskip("requests")

MEDIA_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json",
               "nt": "application/n-triples"}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# Accept-Language -> the page's language: the first of ar, en, fr named, else English.
LANGUAGE_CASES = [
    (None, "en"), ("ar", "ar"), ("fr-FR,fr;q=0.9,en;q=0.8", "fr"), ("en-GB,en;q=0.9", "en"),
    ("de", "en"), ("de, ar;q=0.5", "ar"), ("de, en;q=0.8, fr;q=0.5", "en"),
    ("es-ES, fr;q=0.7, ar;q=0.3", "fr"), ("AR-MA", "ar"),
]


def _world_readable(root: Path) -> None:
    for folder, _, files in os.walk(root):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(Path(folder) / name, 0o644)


@pytest.fixture(scope="module")
def hosts():
    """(w3id namespace URL, static base URL, release folder, resources) on a running httpd."""
    binary = apache_binary()
    if binary is None:
        pytest.skip("Debian's Apache httpd is not installed (apt-get install -y apache2; "
                    ".ci/run installs it)")
    from mc2cm_graph.build import build
    from mc2cm_graph.query.dist import open_store

    root = Path(tempfile.mkdtemp(prefix="mc2cm-w3id-"))
    try:
        rules_port, static_port = free_port(), free_port()
        base = f"http://127.0.0.1:{static_port}/"
        dist = root / "dist"
        build(out_dir=dist, base_url=base)
        rules = root / "w3id" / "mc2cm"
        rules.mkdir(parents=True)
        shutil.copy(dist / "w3id" / ".htaccess", rules / ".htaccess")
        (root / "run").mkdir()
        _world_readable(root)
        resources = our_resources(open_store(dist))
        with running_apache(binary, root / "run", root / "w3id", rules_port, dist,
                            static_port):
            yield f"http://127.0.0.1:{rules_port}/mc2cm/", base, dist, resources
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def session():
    with requests.Session() as s:
        yield s


def _hop(session, url, **headers):
    response = session.get(url, headers=headers, allow_redirects=False, timeout=10)
    return response.status_code, response.headers.get("Location")


def _fetch(session, url):
    response = session.get(url, timeout=10)
    return response.status_code, response.headers.get("Content-Type", ""), response.content


def test_every_iri_redirects_to_its_document_by_accept(hosts, session):
    namespace, base, dist, resources = hosts
    assert len(resources) > 150
    for resource in resources:
        for suffix, media_type in MEDIA_TYPES.items():
            status, location = _hop(session, namespace + resource.path, Accept=media_type)
            assert (status, location) == (303, f"{base}{resource.path}.{suffix}"), resource
            status, content_type, body = _fetch(session, location)
            assert status == 200 and content_type.split(";")[0] == media_type, location
            assert body == (dist / f"{resource.path}.{suffix}").read_bytes()


def test_every_iri_redirects_browsers_to_its_page(hosts, session):
    namespace, base, dist, resources = hosts
    for resource in resources:
        status, location = _hop(session, namespace + resource.path, Accept=BROWSER)
        assert (status, location) == (303, base + html_page(resource.path, "en")), resource
        page, _, anchor = location.partition("#")
        status, content_type, body = _fetch(session, page)
        assert status == 200 and content_type == "text/html; charset=utf-8", page
        assert body == (dist / page[len(base):]).read_bytes()
        if anchor:
            assert f'id="{anchor}"'.encode() in body, location


@pytest.mark.parametrize("accept", [None, "*/*", "text/html", BROWSER,
                                    "application/xhtml+xml"])
def test_html_is_the_default(hosts, session, accept):
    namespace, base, _, _ = hosts
    headers = {"Accept": accept} if accept else {}
    response = session.get(namespace + "id/programme/sfax-acmals", headers=headers,
                           allow_redirects=False, timeout=10)
    assert response.status_code == 303
    assert response.headers["Location"] == base + "site/en/programme/sfax-acmals.html"
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(("accept_language", "lang"), LANGUAGE_CASES)
def test_page_language_from_accept_language(hosts, session, accept_language, lang):
    namespace, base, _, resources = hosts
    headers = {"Accept": BROWSER, **({"Accept-Language": accept_language}
                                     if accept_language else {})}
    kinds = {}
    for resource in resources:
        kinds.setdefault(resource.kind, resource)  # one of each kind, and the ontology
    for resource in kinds.values():
        status, location = _hop(session, namespace + resource.path, **headers)
        assert (status, location) == (303, base + html_page(resource.path, lang))
        assert _fetch(session, location.partition("#")[0])[0] == 200


def test_lang_parameter_wins_over_accept_language(hosts, session):
    namespace, base, _, _ = hosts
    status, location = _hop(session, namespace + "id/theme/welcome-instruments?lang=fr",
                            **{"Accept-Language": "ar"})
    assert (status, location) == (303, base + "site/fr/theme/welcome-instruments.html?lang=fr")


def test_documents_by_name_are_302(hosts, session):
    namespace, base, dist, _ = hosts
    for suffix in SUFFIXES:
        status, location = _hop(session, f"{namespace}id/city/sfax.{suffix}",
                                Accept="text/html")
        assert (status, location) == (302, f"{base}id/city/sfax.{suffix}")
    status, location = _hop(session, namespace + "ontology.ttl")
    assert (status, location) == (302, base + "ontology.ttl")
    status, location = _hop(session, namespace + "id/activity/sfax-acmals-2.html",
                            **{"Accept-Language": "ar"})
    assert (status, location) == (
        302, base + "site/ar/programme/sfax-acmals.html#activity-sfax-acmals-2")


def test_release_files_and_the_namespace_itself(hosts, session):
    namespace, base, dist, _ = hosts
    status, location = _hop(session, namespace + "dist/mc2cm.ttl")
    assert (status, location) == (302, base + "mc2cm.ttl")
    status, content_type, body = _fetch(session, location)
    assert content_type == "text/turtle; charset=utf-8"
    assert body == (dist / "mc2cm.ttl").read_bytes()
    status, location = _hop(session, namespace)
    assert (status, location) == (302, base + "site/index.html")


def test_unknown_iri_ends_in_404(hosts, session):
    namespace, _, _, _ = hosts
    response = session.get(namespace + "id/programme/no-such-programme",
                           headers={"Accept": "text/turtle"}, timeout=10)
    assert response.history[0].status_code == 303 and response.status_code == 404


# Every URL the catalogue gives (downloads, access URLs, landing page, homepage) resolves
# under the rules the release ships: for a release exported for a static host (``hosts``)
# and for the default release, whose files the rules serve from the namespace's dist/
# folder on the same server (``self_hosted``). The w3id.org namespace is mapped to the
# local httpd at every hop.

W3ID = "https://w3id.org/mc2cm/"
CATALOG_LINKS = ("http://www.w3.org/ns/dcat#accessURL", "http://www.w3.org/ns/dcat#downloadURL",
                 "http://www.w3.org/ns/dcat#landingPage", "http://xmlns.com/foaf/0.1/homepage")


def catalogue_urls(dist: Path) -> dict[str, str]:
    """Every link of the catalogues → the media type the catalogue gives it (or '')."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT, RDFS

    urls: dict[str, str] = {}
    for name in ("catalog.ttl", "catalog-dcat-ap-2.ttl"):
        graph = Graph().parse(dist / name)
        for link in CATALOG_LINKS:
            for node, url in graph.subject_objects(URIRef(link)):
                media = graph.value(graph.value(node, DCAT.mediaType), RDFS.label)
                urls[str(url)] = str(media or "")
    return urls


def follow(session, url: str, namespace: str, hops: int = 5):
    """GET ``url`` following redirects, w3id.org's namespace mapped to ``namespace``."""
    chain = []
    for _ in range(hops):
        local = namespace + url[len(W3ID):] if url.startswith(W3ID) else url
        response = session.get(local, allow_redirects=False, timeout=10)
        chain.append(response.status_code)
        if response.status_code not in (301, 302, 303, 307, 308):
            return chain, response
        url = response.headers["Location"]
    raise AssertionError(f"more than {hops} redirects from {url}")


def check_every_catalogue_url(session, dist: Path, namespace: str, release_root: str):
    urls = catalogue_urls(dist)
    assert len(urls) >= 7, urls  # 5 files, the landing page, the homepage
    for url, media_type in urls.items():
        chain, response = follow(session, url, namespace)
        assert response.status_code == 200, (url, chain)
        if media_type:  # a download: the file itself, with its media type
            name = url.rsplit("/", 1)[-1]
            assert response.content == (dist / name).read_bytes(), url
            assert response.headers["Content-Type"].split(";")[0] == media_type, url
        else:  # the landing page and the homepage: the site's entry page
            assert response.url.startswith(release_root) and response.url.endswith(
                "site/index.html"), (url, response.url)


def test_every_catalogue_url_resolves_on_a_static_host(hosts, session):
    namespace, base, dist, _ = hosts
    check_every_catalogue_url(session, dist, namespace, base)


@pytest.fixture(scope="module")
def self_hosted(built_dist):
    """The default release (no --base-url) with its rules at /mc2cm/ and itself at
    /mc2cm/dist/ of one httpd: (namespace URL, release folder)."""
    binary = apache_binary()
    if binary is None:
        pytest.skip("Debian's Apache httpd is not installed (apt-get install -y apache2; "
                    ".ci/run installs it)")
    root = Path(tempfile.mkdtemp(prefix="mc2cm-w3id-default-"))
    try:
        folder = root / "www" / "mc2cm"
        shutil.copytree(built_dist, folder / "dist")
        shutil.copy(built_dist / "w3id" / ".htaccess", folder / ".htaccess")
        (root / "run").mkdir()
        (root / "empty").mkdir()
        _world_readable(root)
        port, spare = free_port(), free_port()
        with running_apache(binary, root / "run", root / "www", port, root / "empty", spare):
            yield f"http://127.0.0.1:{port}/mc2cm/", built_dist
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_every_catalogue_url_of_the_default_release_resolves(self_hosted, session):
    namespace, dist = self_hosted
    check_every_catalogue_url(session, dist, namespace, namespace + "dist/")
    # and the IRIs too, by Accept, to the documents in dist/id/
    chain, response = follow(session, W3ID + "id/programme/sfax-acmals", namespace)
    assert (chain, response.url) == ([303, 200], namespace + "dist/site/en/programme/"
                                     "sfax-acmals.html")
    status, location = _hop(session, namespace + "id/city/sfax", Accept="text/turtle")
    assert (status, location) == (303, W3ID + "dist/id/city/sfax.ttl")
    chain, response = follow(session, location, namespace)
    assert response.content == (dist / "id" / "city" / "sfax.ttl").read_bytes()


def test_mqa_score_of_the_published_catalogue_is_excellent(self_hosted, session):
    """data.europa.eu's MQA on the 2.1.1 catalogue (what the portal validates), every URL
    followed through httpd; the table is the one in docs/export.md."""
    from rdflib import Graph
    from rdflib.namespace import DCAT

    from mc2cm_graph.check import mqa

    namespace, dist = self_hosted

    def resolves(url):
        return follow(session, url, namespace)[1].status_code == 200

    graph = Graph().parse(dist / "catalog-dcat-ap-2.ttl")
    found = mqa.indicators(graph, resolves, mqa.dcat_ap_2_compliant)
    assert sum(i.weight for i in found) == 405
    assert mqa.total(found) == (405, "Excellent")
    docs = (Path(__file__).resolve().parents[2] / "docs" / "export.md").read_text()
    assert mqa.table(found) in docs
    # what a dead link or a missing keyword costs
    assert mqa.total(mqa.indicators(graph, lambda url: False, mqa.dcat_ap_2_compliant))[0] == 325
    for dataset in list(graph.subjects(DCAT.keyword, None))[:1]:
        graph.remove((dataset, DCAT.keyword, None))
    assert mqa.total(mqa.indicators(graph, resolves, mqa.dcat_ap_2_compliant))[0] == 390
