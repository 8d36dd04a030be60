"""The static site in dist/site/: a page per programme, place, theme, SDG target and the
ontology, in Arabic (right to left), English and French, plus the matrix and map pictures.

Layout: ``site/index.html`` (trilingual entry), ``site/style.css``, ``site/img/*.svg`` and
``site/{ar,en,fr}/`` with ``index.html``, ``ontology.html``, ``programme/``, ``place/``,
``theme/`` and ``target/``. Links are relative, so the folder works from disk or any host.
"""

from __future__ import annotations

import re
from pathlib import Path

from mc2cm_graph.export.external import external_facts_file
from mc2cm_graph.export.site import ui
from mc2cm_graph.export.site.data import LANGUAGES, SiteData, read_site_data
from mc2cm_graph.graph import paths
from mc2cm_graph.graph.namespaces import MC2CM

TEMPLATES_DIR = paths.PACKAGE_DIR / "export" / "templates"
# Above this many programmes the site is an overview: no page per programme (three per
# programme would be 300,000 files at 100k), lists of programmes cut at LIST_MAX, each
# programme linking to its IRI (docs/scale.md, "The site at scale").
SITE_MAX_PROGRAMMES = 2000
LIST_MAX = 100
DOWNLOADS = ("mc2cm.ttl", "mc2cm.nt", "mc2cm.jsonld", "context.jsonld", "places.geojson",
             "catalog.ttl", "catalog.jsonld")
EXTERNAL_DOWNLOAD = "mc2cm-external.trig"


def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR),
                      autoescape=select_autoescape(["j2", "html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["isolate_arabic"] = isolate_arabic
    env.filters["title_part"] = title_part
    return env


# A page title within 70 characters (what search results and tabs show whole) with the
# " · mc2cm-graph" the pages add.
TITLE_MAX = 70 - len(" · mc2cm-graph")


def title_part(text: str) -> str:
    """``text`` (a title rendered from a label) cut at a word to fit TITLE_MAX, with an
    ellipsis; the page's heading keeps the whole label."""
    text = " ".join(str(text).split())
    if len(text) <= TITLE_MAX:
        return text
    cut = text[:TITLE_MAX - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:–-") + "…"


# A run of Arabic script (with the spaces and punctuation between its words).
_ARABIC_RUN = re.compile(r"[\u0600-\u06FF][\u0600-\u06FF\s\u060C\u061B.,]*[\u0600-\u06FF]")


def isolate_arabic(text: str):
    """``text`` escaped, each Arabic run inside it wrapped in ``<bdi>``: a quoted Arabic
    wording in an English or French sentence otherwise drags the quotation marks and the
    words around it into the wrong order (Unicode bidi algorithm)."""
    from markupsafe import Markup, escape

    pieces, last = [], 0
    for run in _ARABIC_RUN.finditer(text):
        pieces += [escape(text[last:run.start()]), Markup("<bdi>"), escape(run.group()),
                   Markup("</bdi>")]
        last = run.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def pages(data: SiteData, programme_pages: bool = True) -> list[tuple[str, str, dict]]:
    """(path inside the language folder, template, template variables) for every page."""
    found = [("index.html", "index.html.j2", {}), ("ontology.html", "ontology.html.j2", {})]
    if programme_pages:
        found += [(f"programme/{p.slug}.html", "programme.html.j2", {"p": p})
                  for p in data.programmes]
    found += [(f"place/{p.slug}.html", "place.html.j2", {"pl": p}) for p in data.places]
    found += [(f"theme/{t.slug}.html", "theme.html.j2", {"th": t}) for t in data.themes]
    found += [(f"target/{t.slug}.html", "target.html.j2", {"tg": t}) for t in data.targets]
    return found


def _write(path: Path, text: str) -> Path:
    return _write_bytes(path, text.encode("utf-8"))


def _common(data: SiteData, downloads: tuple[str, ...], programme_pages: bool) -> dict:
    from mc2cm_graph.export.jsonld import load_context
    from mc2cm_graph.export.site.maps import map_caption, place_window

    return {"map_caption": lambda lang: map_caption(data, ui.TEXT[lang], lang),
            "has_place_map": lambda place: place_window(place) is not None,
            "data": data, "programme_pages": programme_pages,
            "list_max": None if programme_pages else LIST_MAX, "languages": LANGUAGES,
            "language_names": ui.LANGUAGE_NAMES,
            "directions": ui.DIRECTION, "texts": ui.TEXT, "downloads": downloads,
            "compact": load_context().compact_iri, "ontology_ns": str(MC2CM)}


def render_pages(data: SiteData, site: Path, downloads: tuple[str, ...] = DOWNLOADS, *,
                 programme_pages: bool = True, advance=None) -> list[Path]:
    advance = advance or (lambda n=1: None)
    env = environment()
    common = _common(data, downloads, programme_pages)
    written = [_write(site / "index.html", env.get_template("root.html.j2").render(**common))]
    written.append(_write(site / "style.css", (TEMPLATES_DIR / "style.css").read_text("utf-8")))
    advance(2)
    for lang in LANGUAGES:
        for page, template, variables in pages(data, programme_pages):
            root = "../" * (page.count("/") + 1)
            html = env.get_template(template).render(
                **common, **variables, lang=lang, dir=ui.DIRECTION[lang], t=ui.TEXT[lang],
                page=page, root=root)
            written.append(_write(site / lang / page, html))
            advance()
    return written


def render_figures(data: SiteData, site: Path, advance=None) -> list[Path]:
    from mc2cm_graph.export.site.figures import matrix_svg
    from mc2cm_graph.export.site.maps import map_svg, place_map_svg

    advance = advance or (lambda n=1: None)

    written = []
    for lang in LANGUAGES:
        titles = ui.TEXT[lang]
        written.append(_write_bytes(site / "img" / f"matrix-{lang}.svg",
                                    matrix_svg(data, lang, titles)))
        written.append(_write_bytes(site / "img" / f"map-{lang}.svg",
                                    map_svg(data, lang, titles)))
        advance(2)
        for place in data.places:
            svg = place_map_svg(data, place, lang, titles)
            if svg is not None:
                written.append(_write_bytes(site / "img" / "place" / f"{place.slug}-{lang}.svg",
                                            svg))
                advance()
    return written


def _write_bytes(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _count(project, cls) -> int:
    rows = project.query_release(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}")
    return int(next(iter(rows))["n"].value)


def site_page_count(project, site_max: int | None = None) -> int:
    """How many files export_site writes (for the progress display), counted by SPARQL."""
    site_max = SITE_MAX_PROGRAMMES if site_max is None else site_max
    programmes = _count(project, MC2CM.Programme)
    per_language = 2 + sum(_count(project, cls) for cls in (
        MC2CM.Country, MC2CM.City, MC2CM.District, MC2CM.Region, MC2CM.RecommendationTheme))
    per_language += int(next(iter(project.query_release(
        f"SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{ ?p <{MC2CM.contributesToTarget}> ?t }}")
    ))["n"].value)
    if programmes <= site_max:
        per_language += programmes
    return 2 + len(LANGUAGES) * (per_language + 2)  # + root page and style; 2 pictures each


def export_site(project, out_dir: Path, advance=None, site_max: int | None = None) -> list[Path]:
    """The site from the store's release. ``site_max`` (default SITE_MAX_PROGRAMMES): up to
    this many programmes, a page per programme; above, the overview only."""
    from mc2cm_graph.graph.store import RELEASE_GRAPHS

    site_max = SITE_MAX_PROGRAMMES if site_max is None else site_max
    programme_pages = _count(project, MC2CM.Programme) <= site_max
    data = read_site_data(project.store, list(RELEASE_GRAPHS), programme_pages=programme_pages)
    site = Path(out_dir) / "site"
    downloads = DOWNLOADS + ((EXTERNAL_DOWNLOAD,) if external_facts_file(project) else ())
    return render_pages(data, site, downloads, programme_pages=programme_pages,
                        advance=advance) + render_figures(data, site, advance)
