"""A real browser (headless Chromium through Playwright) opens the query page, runs a saved
query and a typed SPARQL query, and sees their rows."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SFAX = "https://w3id.org/mc2cm/id/programme/sfax-acmals"


@pytest.fixture(scope="module")
def page():
    if not CHROMIUM.exists():
        if not os.environ.get("CI"):
            pytest.skip("no /usr/bin/chromium (install Debian's chromium to run this)")
        pytest.fail("CI is set but /usr/bin/chromium is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1200, "height": 900})
            tab.set_default_timeout(20_000)
            yield tab
        finally:
            browser.close()


def test_saved_query_runs_in_the_browser(server, page):
    page.goto(server.url + "/")
    page.wait_for_selector("#saved option[value='programmes-by-target']", state="attached")
    page.select_option("#saved", "programmes-by-target")
    page.fill("#param-target", "10.7")
    page.select_option("#param-lang", "ar")
    page.click("#run-saved")
    page.wait_for_selector("#results tbody tr")
    links = page.eval_on_selector_all("#results tbody a", "els => els.map(e => e.title)")
    assert SFAX in links
    assert page.get_attribute("#results tbody td", "dir") == "auto"
    assert "صفاقس" in page.inner_text("#results")  # Arabic labels asked for with lang=ar
    assert page.inner_text("#status").startswith(tuple("0123456789"))


def test_typed_sparql_runs_and_errors_show(server, page):
    page.goto(server.url + "/")
    page.click("#run-query")  # the page's example query: programmes in brochure order
    page.wait_for_selector("#results tbody tr")
    first_row = page.inner_text("#results tbody tr")
    assert first_row.startswith("1") and "sfax-acmals" in first_row
    page.fill("#query", "SELECT ?x WHERE { BIND(<javascript:alert(1)> AS ?x) }")
    page.click("#run-query")
    page.wait_for_selector("#results tbody tr")
    assert "javascript:alert(1)" in page.inner_text("#results tbody")
    assert page.query_selector("#results tbody a") is None  # shown, not a link
    page.fill("#query", "SELECT * WHERE { ?s ?p ?o ")
    page.click("#run-query")
    page.wait_for_selector("#error:not([hidden])")
    assert "syntax error" in page.inner_text("#error")
