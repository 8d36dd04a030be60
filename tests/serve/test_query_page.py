"""The query page (/) in a real browser (headless Debian Chromium through Playwright): a
saved query with a parameter, its map and bar chart (YASR plugins), a share link opened in
a fresh browser giving the same rows and view, in English and in Arabic (right to left, at
phone width), the editor marking a typo and completing our prefixes, no request leaving
the server's origin, and axe-core finding no accessibility violation."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path

import pytest

from tests.browser import launched_chromium
from tests.serve.conftest import ROOT, http

WEB = ROOT / "mc2cm_graph" / "serve" / "web"
VENDOR = WEB / "vendor" / "yasgui"
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
SFAX = "https://w3id.org/mc2cm/id/programme/sfax-acmals"


def _need(path: Path, what: str):
    if not path.exists():
        if not os.environ.get("CI"):
            pytest.skip(f"no {path} ({what})")
        pytest.fail(f"CI is set but {path} is missing ({what})")


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


class Tab:
    """A page in a browser context of its own, with every request and every console error
    or uncaught exception it had."""

    def __init__(self, browser, server, width=1200, **options):
        self.context = browser.new_context(viewport={"width": width, "height": 900},
                                           **options)
        self.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                       origin=server.url)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.origin = server.url

    def open(self, path):
        self.page.goto(self.origin + path)
        self.page.wait_for_selector("#saved option[value='places-on-map']", state="attached")
        return self.page

    def results(self):
        self.page.wait_for_selector("#yasr[data-ready='true']")
        return int(self.page.get_attribute("#status", "data-rows"))

    def others(self):
        """Requests to anywhere but the server (data: and blob: URLs never leave)."""
        return [u for u in self.requests
                if not u.startswith(self.origin + "/") and not u.startswith(("data:", "blob:"))]

    def close(self):
        self.context.close()


@pytest.fixture
def tab(browser, server):
    opened = []

    def make(**options):
        made = Tab(browser, server, **options)
        opened.append(made)
        return made

    yield make
    for made in opened:
        made.close()


def _until(page, expression, seconds=20):
    """Wait until the page's expression is true. Polled from here: Playwright's own
    wait_for_function evaluates a string with eval, which the page's policy refuses."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
        time.sleep(0.1)


def _view(page, name):
    page.click(f"#yasr .select_{name}")
    page.wait_for_selector(f"#yasr[data-view='{name}'][data-ready='true']")


def _map_points(page):
    return page.eval_on_selector_all(
        "#yasr svg.basemap circle.point",
        "els => els.map(e => [e.dataset.lat, e.dataset.long, e.textContent])")


def _bars(page):
    return page.eval_on_selector_all(
        "#yasr ol.bars li", "els => els.map(e => e.innerText.replace(/\\s+/g, ' ').trim())")


def _shot(page, name, tmp_path):
    folder = Path(os.environ.get("QUERY_PAGE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _saved_map_and_bars_then_share(tab, lang, width, tmp_path):
    """Pick places-on-map, set its label language, run, look at the map and the bar
    chart, copy the share link; a fresh browser context opening it shows the same."""
    first = tab(width=width)
    page = first.open(f"/?lang={lang}")
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    page.select_option("#saved", "places-on-map")
    page.select_option("#param-lang", "fr")
    page.click("#run-saved")
    rows = first.results()
    assert rows >= 15
    assert page.get_attribute("#yasr", "data-view") == "map"  # the query's `#+ view: map`
    _view(page, "table")
    assert page.locator("#yasr table tbody tr").count() == min(rows, 50)
    _view(page, "map")
    points = _map_points(page)
    assert len(points) == rows
    assert any("Sfax" in p[2] for p in points)  # labels in French, as asked
    _view(page, "bar")
    bars = _bars(page)
    assert len(bars) == rows and page.locator("#yasr .bar-fill").first.is_visible()
    _shot(page, f"query-page-{lang}-{width}", tmp_path)
    page.click("#share")
    _until(page, "document.getElementById('share-done').textContent !== ''")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.input_value("#share-link") == page.url
    assert "saved=places-on-map" in link and "view=bar" in link and "p.lang=fr" in link

    second = tab(width=width)
    again = second.page
    again.goto(link)
    assert second.results() == rows
    assert again.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    assert again.get_attribute("#yasr", "data-view") == "bar"
    assert "selected" in again.get_attribute("#yasr .select_bar", "class")
    assert again.input_value("#param-lang") == "fr"
    assert _bars(again) == bars
    _view(again, "map")
    assert _map_points(again) == points
    for opened in (first, second):
        assert opened.errors == []
        assert opened.others() == []
    return page


def test_saved_query_map_bars_and_share_link_in_english(tab, tmp_path):
    page = _saved_map_and_bars_then_share(tab, "en", 1200, tmp_path)
    assert page.inner_text("#run-saved") == "Run saved query"


def test_saved_query_map_bars_and_share_link_in_arabic_at_phone_width(tab, tmp_path):
    page = _saved_map_and_bars_then_share(tab, "ar", 390, tmp_path)
    assert page.inner_text("#run-saved") == "تشغيل الاستعلام المحفوظ"
    assert page.get_attribute("#langs a[aria-current]", "lang") == "ar"
    # Usable at 390 px: nothing wider than the screen, the controls within reach.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for selector in ("#saved", "#run-saved", "#run-query", "#share", "#editor"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, selector


def test_language_follows_the_browser_and_the_switcher(tab):
    french = tab(locale="fr-FR")
    page = french.open("/")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.inner_text("#run-query") == "Exécuter la requête"
    # The saved query's label language follows the page's.
    page.select_option("#saved", "programmes-by-target")
    assert page.input_value("#param-lang") == "fr"
    page.click("#langs a[lang='ar']")
    page.wait_for_selector("html[dir='rtl']")
    assert page.inner_text("#run-query") == "تشغيل الاستعلام"
    # No internal SPARQL variable (?__lang, ?__type_iri) in anything a reader sees.
    page.select_option("#saved", "activities-by-type")
    assert "?__" not in page.inner_text("body") and "binds" not in page.inner_text("body")


def test_saved_query_opened_in_the_editor_runs_to_the_same_rows(tab):
    """"Open in the editor" puts the saved query there as it runs: the form's values bound
    (by the server, /api/NAME?...&format=sparql), without its grlc header."""
    editing = tab()
    page = editing.open("/?lang=en")
    page.select_option("#saved", "programmes-by-target")
    page.fill("#param-target", "10.7")
    page.select_option("#param-lang", "ar")
    page.click("#run-saved")
    rows = editing.results()
    saved_table = page.inner_text("#yasr table tbody")
    assert rows >= 1 and "صفاقس" in saved_table
    page.click("#edit-saved")
    editor = "document.querySelector('#editor .CodeMirror').CodeMirror"
    _until(page, f"{editor}.getValue().includes('\"10.7\"')")
    text = page.evaluate(f"{editor}.getValue()")
    assert "#+" not in text and '"ar"' in text
    page.click("#run-query")
    assert editing.results() == rows
    assert page.inner_text("#yasr table tbody") == saved_table
    assert "query=" in page.url and "saved=" not in page.url
    assert editing.errors == [] and editing.others() == []


def test_typed_query_runs_links_stay_here_and_errors_show(tab):
    typed = tab()
    page = typed.open("/?lang=en")
    page.click("#run-query")  # the page's example query: programmes in brochure order
    assert typed.results() == 15
    first = page.locator("#yasr table tbody tr").first.inner_text()
    # The position (a plain number: the table opens in YASR's simple view), the programme
    assert first.split()[:2] == ["1", "programme:sfax-acmals"], first
    link = page.locator(f"#yasr a[title='{SFAX}']").first
    assert link.get_attribute("href") == "/id/programme/sfax-acmals"  # our IRIs served here
    assert "query=" in page.url  # a typed query is in the URL too
    # YASR's table pages and sorts.
    page.select_option("#yasr .tableSizer", "10")
    assert page.locator("#yasr table tbody tr").count() == 10
    header = page.locator("#yasr table thead th", has_text="position")
    header.click()
    page.wait_for_selector("#yasr th.dt-ordering-asc")
    header.click()
    page.wait_for_selector("#yasr th.dt-ordering-desc")
    last = page.locator("#yasr table tbody tr").first.inner_text().split()
    assert last[0] == "15", last  # numbers sort as numbers (not 9 after 15)
    page.evaluate("document.querySelector('.CodeMirror').CodeMirror.setValue("
                  "'SELECT ?x WHERE { BIND(<javascript:alert(1)> AS ?x) }')")
    page.click("#run-query")
    typed.results()
    assert "javascript:alert(1)" in page.inner_text("#yasr")
    assert page.locator("#yasr a[href^='javascript']").count() == 0  # shown, not a link
    page.evaluate("document.querySelector('.CodeMirror').CodeMirror.setValue("
                  "'SELECT * WHERE { ?s ?p ?o ')")
    page.click("#run-query")
    page.wait_for_selector("#error:not([hidden])")
    assert "syntax" in page.inner_text("#error").lower()
    assert typed.others() == []


def test_editor_marks_a_typo_and_completes_our_prefixes(tab):
    editing = tab()
    page = editing.open("/?lang=en")
    assert page.locator("#editor .parseErrorIcon").count() == 0
    page.click("#editor .CodeMirror")
    page.keyboard.press("Control+End")
    page.keyboard.type("\nSELEKT ?x WHERE { }")
    page.wait_for_selector("#editor .parseErrorIcon")  # the typo, marked beside its line
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    _until(page, "!document.querySelector('#editor .parseErrorIcon')")
    page.keyboard.type("PREFIX programm")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints")
    hints = page.inner_text(".CodeMirror-hints")
    assert "programme: <https://w3id.org/mc2cm/id/programme/>" in hints
    # Classes and properties: those the graph uses (not an online vocabulary service).
    page.keyboard.press("Escape")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("PREFIX mc2cm: <https://w3id.org/mc2cm/ontology#>\n"
                       "SELECT * WHERE { ?x a mc2cm:Progr")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints")
    assert "mc2cm:Programme" in page.inner_text(".CodeMirror-hints")
    page.keyboard.press("Escape")
    page.keyboard.type(" ; mc2cm:contributesTo")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints")
    assert "mc2cm:contributesToTarget" in page.inner_text(".CodeMirror-hints")
    assert editing.others() == [] and editing.errors == []


@pytest.mark.parametrize("lang", ["en", "ar", "fr"])
def test_axe_finds_no_violation(tab, lang, tmp_path):
    _need(AXE, "run `npm ci --prefix tests/js`")
    checked = tab(bypass_csp=True)  # axe is injected as an inline script
    page = checked.open(f"/?lang={lang}&saved=activity-type-counts&p.lang={lang}")
    checked.results()
    page.add_script_tag(content=AXE.read_text())
    for view in ("bar", "table", "map"):
        if view == "map":
            page.goto(checked.origin + f"/?lang={lang}&saved=places-on-map&p.lang={lang}")
            checked.results()
            page.add_script_tag(content=AXE.read_text())
        else:
            _view(page, view)
        found = page.evaluate("async () => (await axe.run(document)).violations.map("
                              "v => [v.id, v.impact, v.nodes.map(n => n.target.join(' '))])")
        assert found == [], (view, found)
    _shot(page, f"query-page-map-{lang}", tmp_path)


def test_api_lists_the_catalogue_without_internal_names(server):
    status, headers, body = http(server.url + "/api/")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert re.search(r'</api/openapi\.json>; rel="service-desc"', headers["Link"])
    listing = json.loads(body)
    assert listing["openapi"] == "/api/openapi.json"
    _, _, spec = http(server.url + listing["openapi"])
    paths = json.loads(spec)["paths"]
    assert [q["url"] for q in listing["queries"]] == list(paths)
    by_name = {q["name"]: q for q in listing["queries"]}
    assert by_name["places-on-map"]["view"] == "map"
    assert {p["name"]: p.get("enum") for p in by_name["places-on-map"]["parameters"]} == {
        "lang": ["ar", "en", "fr"]}
    assert listing["prefixes"]["programme"] == "https://w3id.org/mc2cm/id/programme/"
    assert "https://w3id.org/mc2cm/ontology#Programme" in listing["classes"]
    assert "https://w3id.org/mc2cm/ontology#contributesToTarget" in listing["properties"]
    # Forms and descriptions carry no SPARQL variable of the binding (?__lang ...).
    readable = json.dumps([{k: v for k, v in q.items() if k != "sparql"}
                           for q in listing["queries"]])
    assert "?__" not in readable and "?__" not in json.dumps(
        [p for op in paths.values() for p in op["get"]["parameters"]])
    assert http(server.url + "/api")[2] == body


def test_page_policy_allows_only_its_own_origin(server):
    status, headers, _ = http(server.url + "/")
    assert status == 200
    policy = {d.split()[0]: d.split()[1:] for d in headers["Content-Security-Policy"].split("; ")}
    assert policy["default-src"] == ["'self'"]
    assert all(s == "'self'" or s.startswith("'sha256-") for s in policy["style-src"])
    assert "script-src" not in policy  # scripts: default-src, this origin only
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_vendored_editor_matches_its_recorded_digests():
    recorded = dict(reversed(line.split()) for line in
                    (VENDOR / "VENDOR.md").read_text().split("```")[1].split("\n")
                    if line.strip())
    assert set(recorded) == {"yasqe.min.js", "yasqe.min.css", "yasr.min.js", "yasr.min.css"}
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert "MIT License" in (VENDOR / "LICENSE").read_text()
    index = (WEB / "index.html").read_text()
    assert not re.search(r"""(src|href)=["'](https?:)?//""", index)  # nothing from elsewhere
