"""The YASGUI case: a page on another origin (a second loopback server, another port)
queries the endpoint from headless Chromium (Debian's, through Playwright): YASGUI itself
(npm ``@zazuko/yasgui``, pinned in yasgui/package.json and package-lock.json, installed by
.ci/run with ``npm ci``) runs a query by POST and by GET, and fetch() reads ``/sparql`` by
GET, POST form and POST direct (the last needs a CORS preflight), a saved query under
``/api/`` and a resource under ``/id/``. The browser enforces CORS itself; the query page,
which stays same-origin, shows that it does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import launched_chromium
from tests.canned_server import LoopbackServer, QuietHandler
from tests.conformance.conftest import ASK_TRUE, SELECT, SFAX

PAGE = b"<!doctype html><html lang='en'><title>another origin</title><p>client page</p>"
YASGUI_BUILD = Path(__file__).parent / "yasgui" / "node_modules" / "@zazuko" / "yasgui" / "build"
YASGUI_PAGE = (b"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>YASGUI</title>"
               b"<link rel='stylesheet' href='yasgui.min.css'><script src='yasgui.min.js'>"
               b"</script></head><body><div id='yasgui'></div></body></html>")
PAGES = {"/": (PAGE, "text/html; charset=utf-8"),
         "/yasgui.html": (YASGUI_PAGE, "text/html; charset=utf-8")}
BUILD_FILES = {"/yasgui.min.js": "text/javascript; charset=utf-8",
               "/yasgui.min.css": "text/css; charset=utf-8"}

# Run in the page: fetch() with the browser's CORS rules; each call reports status,
# content type and body, or the browser's error ("Failed to fetch").
FETCH = """async ([url, init]) => {
  try {
    const response = await fetch(url, init);
    return {status: response.status, type: response.headers.get('content-type'),
            body: await response.text(), url: response.url};
  } catch (error) { return {error: String(error)}; }
}"""


class PageServer(LoopbackServer):
    """A tiny loopback server for the client page: another origin than the endpoint's."""

    def __init__(self):
        class Handler(QuietHandler):
            def do_GET(self):
                if self.path in PAGES:
                    body, content_type = PAGES[self.path]
                elif self.path in BUILD_FILES and YASGUI_BUILD.is_dir():
                    body = (YASGUI_BUILD / self.path.lstrip("/")).read_bytes()
                    content_type = BUILD_FILES[self.path]
                else:
                    body, content_type = b"not here", "text/plain"
                self.send_response(200 if content_type != "text/plain" else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler)
        self.url += "/"


@pytest.fixture(scope="module")
def origin():
    server = PageServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def page(endpoint, origin):
    with launched_chromium() as browser:
        tab = browser.new_page()
        tab.set_default_timeout(20_000)
        tab.goto(origin.url)
        assert tab.evaluate("location.origin") != endpoint.url
        yield tab


# Run in the YASGUI page: one editor (nothing persisted), the query run through YASGUI's own
# request code, the bindings as YASR (its results view) holds them.
YASGUI_QUERY = """async ([endpoint, method, query]) => {
  const Editor = Yasgui.default || Yasgui;
  const yasgui = new Editor(document.getElementById('yasgui'), {
    requestConfig: {endpoint, method}, copyEndpointOnNewTab: false, persistenceId: null});
  const tab = yasgui.getTab();
  tab.setQuery(query);
  const yasqe = tab.getYasqe();
  const answered = new Promise(done => yasqe.on('queryResponse', (_, response) => done(response)));
  yasqe.query().catch(() => null);
  const response = await answered;
  const results = tab.getYasr().results;
  return {status: response && response.status, error: results.getError ? results.getError() : null,
          bindings: results.getBindings()};
}"""


@pytest.fixture(scope="module")
def yasgui():
    if not YASGUI_BUILD.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {YASGUI_BUILD} is missing (.ci/run runs npm ci there)")
        pytest.skip(f"YASGUI not installed: npm ci --prefix {YASGUI_BUILD.parents[2]}")
    return YASGUI_BUILD


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_yasgui_runs_a_query(page, origin, endpoint, yasgui, expected_rows, method):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(origin.url + "yasgui.html")
    answer = page.evaluate(YASGUI_QUERY, [endpoint.url + "/sparql", method, SELECT])
    assert answer["status"] == 200 and not answer["error"], answer
    rows = [(b["programme"]["value"], b["position"]["value"]) for b in answer["bindings"]]
    assert rows == expected_rows
    assert errors == []


def fetch(page, url: str, **init) -> dict:
    answer = page.evaluate(FETCH, [url, init])
    assert "error" not in answer, f"{url}: {answer['error']}"
    return answer


def test_sparql_get(page, endpoint):
    import json
    import urllib.parse

    url = f"{endpoint.url}/sparql?" + urllib.parse.urlencode({"query": ASK_TRUE})
    answer = fetch(page, url, headers={"Accept": "application/sparql-results+json"})
    assert answer["status"] == 200 and json.loads(answer["body"])["boolean"] is True


def test_sparql_post_form(page, endpoint, expected_rows):
    import json
    import urllib.parse

    answer = fetch(page, f"{endpoint.url}/sparql", method="POST",
                   headers={"Content-Type": "application/x-www-form-urlencoded",
                            "Accept": "application/sparql-results+json"},
                   body=urllib.parse.urlencode({"query": SELECT}))
    bindings = json.loads(answer["body"])["results"]["bindings"]
    assert [(b["programme"]["value"], b["position"]["value"]) for b in bindings] == \
        expected_rows


def test_sparql_post_direct_after_preflight(page, endpoint, expected_rows):
    """application/sparql-query is not a CORS-safelisted type: the browser sends OPTIONS
    first and only then the query."""
    answer = fetch(page, f"{endpoint.url}/sparql", method="POST",
                   headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
                   body=SELECT)
    assert answer["status"] == 200 and answer["type"].startswith("text/csv")
    lines = answer["body"].splitlines()
    assert lines[0] == "programme,position" and len(lines) == len(expected_rows) + 1


def test_saved_query_api(page, endpoint):
    import json

    spec = fetch(page, f"{endpoint.url}/api/openapi.json")
    assert spec["status"] == 200
    assert "/api/programmes-by-target" in json.loads(spec["body"])["paths"]
    answer = fetch(page, f"{endpoint.url}/api/programmes-by-target?target=10.7",
                   headers={"Accept": "application/sparql-results+json"})
    values = {b["programme"]["value"] for b in json.loads(answer["body"])["results"]["bindings"]}
    assert answer["status"] == 200 and SFAX in values


def test_resource_as_turtle(page, endpoint):
    from rdflib import Graph, URIRef

    answer = fetch(page, f"{endpoint.url}/id/programme/sfax-acmals",
                   headers={"Accept": "text/turtle"})
    assert answer["status"] == 200 and answer["type"].startswith("text/turtle")
    graph = Graph().parse(data=answer["body"], format="turtle")
    assert len(graph) > 20 and (URIRef(SFAX), None, None) in graph


def test_errors_are_readable_by_the_page(page, endpoint):
    answer = fetch(page, f"{endpoint.url}/sparql?query=SELEC")
    assert answer["status"] == 400 and "syntax" in answer["body"].lower()


def test_the_browser_enforces_cors_here(page, endpoint):
    """The query page answers without CORS: the same fetch fails, so the passes above are
    the endpoint's CORS at work, not a browser that ignores it."""
    answer = page.evaluate(FETCH, [endpoint.url + "/", {}])
    assert "Failed to fetch" in answer.get("error", ""), answer
