"""The static site in dist/site/: a page per programme, place, theme, SDG target and the
ontology, in Arabic (right to left), English and French, plus the matrix and map pictures.

Layout: ``site/index.html`` (trilingual entry), ``site/style.css``, ``site/img/*.svg`` and
``site/{ar,en,fr}/`` with ``index.html``, ``ontology.html``, ``programme/``, ``place/``,
``theme/`` and ``target/``. Links are relative, so the folder works from disk or any host.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from mc2cm_graph.export import ui
from mc2cm_graph.export.external import external_facts_file
from mc2cm_graph.export.sitedata import LANGUAGES, SiteData, read_site_data
from mc2cm_graph.graph import paths
from mc2cm_graph.graph.namespaces import MC2CM

TEMPLATES_DIR = paths.PACKAGE_DIR / "export" / "templates"
DOWNLOADS = ("mc2cm.ttl", "mc2cm.nt", "mc2cm.jsonld", "context.jsonld", "places.geojson",
             "catalog.ttl", "catalog.jsonld")
EXTERNAL_DOWNLOAD = "mc2cm-external.trig"


def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR),
                      autoescape=select_autoescape(["j2", "html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    return env


def pages(data: SiteData) -> list[tuple[str, str, dict]]:
    """(path inside the language folder, template, template variables) for every page."""
    found = [("index.html", "index.html.j2", {}), ("ontology.html", "ontology.html.j2", {})]
    found += [(f"programme/{p.slug}.html", "programme.html.j2", {"p": p})
              for p in data.programmes]
    found += [(f"place/{p.slug}.html", "place.html.j2", {"pl": p}) for p in data.places]
    found += [(f"theme/{t.slug}.html", "theme.html.j2", {"th": t}) for t in data.themes]
    found += [(f"target/{t.slug}.html", "target.html.j2", {"tg": t}) for t in data.targets]
    return found


def _write(path: Path, text: str) -> Path:
    return _write_bytes(path, text.encode("utf-8"))


def _common(data: SiteData, downloads: tuple[str, ...]) -> dict:
    from mc2cm_graph.export.jsonld import load_context
    from mc2cm_graph.export.maps import map_caption, place_window

    return {"map_caption": lambda lang: map_caption(data, ui.TEXT[lang], lang),
            "has_place_map": lambda place: place_window(place) is not None,
            "data": data, "languages": LANGUAGES, "language_names": ui.LANGUAGE_NAMES,
            "directions": ui.DIRECTION, "texts": ui.TEXT, "downloads": downloads,
            "compact": load_context().compact_iri, "ontology_ns": str(MC2CM)}


def render_pages(data: SiteData, site: Path, downloads: tuple[str, ...] = DOWNLOADS) -> list[Path]:
    env = environment()
    common = _common(data, downloads)
    written = [_write(site / "index.html", env.get_template("root.html.j2").render(**common))]
    written.append(_write(site / "style.css", (TEMPLATES_DIR / "style.css").read_text("utf-8")))
    for lang in LANGUAGES:
        for page, template, variables in pages(data):
            root = "../" * (page.count("/") + 1)
            html = env.get_template(template).render(
                **common, **variables, lang=lang, dir=ui.DIRECTION[lang], t=ui.TEXT[lang],
                page=page, root=root)
            written.append(_write(site / lang / page, html))
    return written


def render_figures(data: SiteData, site: Path) -> list[Path]:
    from mc2cm_graph.export.figures import matrix_svg
    from mc2cm_graph.export.maps import map_svg, place_map_svg

    written = []
    for lang in LANGUAGES:
        titles = ui.TEXT[lang]
        written.append(_write_bytes(site / "img" / f"matrix-{lang}.svg",
                                    matrix_svg(data, lang, titles)))
        written.append(_write_bytes(site / "img" / f"map-{lang}.svg",
                                    map_svg(data, lang, titles)))
        for place in data.places:
            svg = place_map_svg(data, place, lang, titles)
            if svg is not None:
                written.append(_write_bytes(site / "img" / "place" / f"{place.slug}-{lang}.svg",
                                            svg))
    return written


def _write_bytes(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def export_site(project, release: Graph, out_dir: Path) -> list[Path]:
    data = read_site_data(release)
    site = Path(out_dir) / "site"
    downloads = DOWNLOADS + ((EXTERNAL_DOWNLOAD,) if external_facts_file(project) else ())
    return render_pages(data, site, downloads) + render_figures(data, site)
