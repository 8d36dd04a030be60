"""A real browser (headless Chromium through Playwright) draws the query page's map where the
site's projection puts each point, its bar chart, a typed query's #defaultView, and the
site's maps at phone width. The rest of the query page: test_query_page.py."""

import os
from pathlib import Path

import pytest

from tests.browser import launched_chromium

SFAX = "https://w3id.org/mc2cm/id/programme/sfax-acmals"


@pytest.fixture(scope="module")
def page():
    with launched_chromium() as browser:
        tab = browser.new_page(viewport={"width": 1200, "height": 900})
        tab.set_default_timeout(20_000)
        yield tab


def _errors(page) -> list[str]:
    """Console errors and uncaught exceptions of the page from now on."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


def test_saved_query_with_coordinates_opens_on_the_map(server, page, tmp_path):
    """places-on-map says `#+ view: map`: the page shows the base map (Natural Earth land)
    with one point per row, placed by d3-geo where pyproj puts it, and no errors."""
    from mc2cm_graph.export.site.basemap import Frame
    from mc2cm_graph.export.site.maps import QUERY_H, QUERY_W, QUERY_WINDOW

    errors = _errors(page)
    page.goto(server.url + "/?lang=en")
    page.wait_for_selector("#saved option[value='places-on-map']", state="attached")
    page.select_option("#saved", "places-on-map")
    page.select_option("#param-lang", "ar")
    page.click("#run-saved")
    page.wait_for_selector("#yasr[data-ready='true'] svg.basemap circle.point")
    assert "selected" in page.get_attribute("#yasr .select_map", "class")
    assert page.locator("#yasr table").count() == 0
    rows = int(page.get_attribute("#status", "data-rows"))
    points = page.eval_on_selector_all(
        "#yasr circle.point", "els => els.map(e => [+e.dataset.lat, +e.dataset.long, "
        "+e.getAttribute('cx'), +e.getAttribute('cy')])")
    assert len(points) == rows >= 15
    assert page.locator("#yasr svg.basemap path.land").count() > 20
    frame = Frame(QUERY_WINDOW, (0, 0, QUERY_W, QUERY_H))
    for lat, long, cx, cy in points:
        x, y = frame.xy(lat, long)
        assert abs(cx - x) <= 0.1 and abs(cy - y) <= 0.1, (lat, long, cx, cy, x, y)
    assert "صفاقس" in page.inner_text("#yasr")  # labels in the language asked for
    page.screenshot(path=str(os.environ.get("MAP_SCREENSHOT") or tmp_path / "map-view.png"),
                    full_page=True)
    # The table is one click away, and back.
    page.click("#yasr .select_table")
    page.wait_for_selector("#yasr[data-view='table'] table tbody tr")
    assert page.locator("#yasr svg.basemap").count() == 0
    assert errors == []


def test_saved_query_with_counts_opens_as_a_bar_chart(server, page):
    errors = _errors(page)
    page.goto(server.url + "/?lang=en")
    page.wait_for_selector("#saved option[value='activity-type-counts']", state="attached")
    page.select_option("#saved", "activity-type-counts")
    page.click("#run-saved")
    page.wait_for_selector("#yasr[data-ready='true'] ol.bars li")
    rows = int(page.get_attribute("#status", "data-rows"))
    assert page.locator("#yasr ol.bars li").count() == rows
    widths = page.eval_on_selector_all("#yasr .bar-fill", "els => els.map(e => e.style.width)")
    assert widths[0] == "100%"  # most frequent first, the longest bar
    assert page.is_hidden("#yasr .select_map")  # no coordinates: no map offered
    # The chart's bars must not restyle the page's header bar (they once shared a class).
    header = page.eval_on_selector("header", "e => e.getBoundingClientRect().width")
    assert header == page.viewport_size["width"]
    assert errors == []


def test_typed_query_picks_its_view_and_plain_results_have_none(server, page):
    errors = _errors(page)
    page.goto(server.url + "/?lang=en")
    page.wait_for_selector("#editor .CodeMirror")
    editor = "document.querySelector('#editor .CodeMirror').CodeMirror"
    page.evaluate(f"""{editor}.setValue(`#defaultView:Map
        PREFIX gsp: <http://www.opengis.net/ont/geosparql#>
        SELECT ?place ?wkt WHERE {{ ?place gsp:hasGeometry/gsp:asWKT ?wkt }}`)""")
    page.click("#run-query")
    page.wait_for_selector("#yasr[data-ready='true'] circle.point")
    assert page.locator("#yasr circle.point").count() == int(
        page.get_attribute("#status", "data-rows"))
    page.evaluate(f"{editor}.setValue('SELECT ?x WHERE {{ VALUES ?x {{ 1 2 }} }}')")
    page.click("#run-query")
    page.wait_for_selector("#yasr[data-ready='true'][data-view='table'] tbody tr")
    # A table only: no label column, no coordinates.
    assert page.is_hidden("#yasr .select_map") and page.is_hidden("#yasr .select_bar")
    assert errors == []


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_site_maps_render_at_phone_width(built_dist, page, lang, tmp_path):
    """The site's index and a city page, opened from disk at phone width: the region map and
    the city's own map load (SVG decoded, scaled to the screen) and nothing errs."""
    errors = _errors(page)
    page.set_viewport_size({"width": 390, "height": 800})
    try:
        page.goto((built_dist / "site" / lang / "index.html").as_uri())
        size = page.eval_on_selector("#map img", "i => [i.complete, i.naturalWidth, "
                                     "i.getBoundingClientRect().width]")
        assert size[0] and size[1] == 520 and size[2] <= 390
        page.eval_on_selector("#map", "e => e.scrollIntoView()")
        shot = os.environ.get("MAP_SCREENSHOT_DIR")
        page.screenshot(path=str(Path(shot or tmp_path) / f"site-map-{lang}.png"))
        page.goto((built_dist / "site" / lang / "place" / "tetouan.html").as_uri())
        small = page.eval_on_selector(".place-map img", "i => [i.complete, i.naturalWidth]")
        assert small == [True, 320]
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})
    assert errors == []
