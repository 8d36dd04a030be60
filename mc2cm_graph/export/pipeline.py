"""Everything ``build`` and ``export`` write into the output folder, one exporter per artefact.

Each exporter in EXPORTERS takes (project store, output folder, advance) and returns the
files it wrote; all of them read the release from the store (store.RELEASE_GRAPHS).
``advance(n)`` reports items done to the progress display. The DCAT catalogue is written
after all of them because it describes their files (byte sizes, checksums).
"""

from __future__ import annotations

from pathlib import Path

from mc2cm_graph.export.external import export_external
from mc2cm_graph.export.geojson import export_geojson
from mc2cm_graph.export.jsonld import export_jsonld
from mc2cm_graph.export.rdf import export_ntriples, export_turtle
from mc2cm_graph.export.site import export_site, site_page_count
from mc2cm_graph.export.static_ld import export_static_ld
from mc2cm_graph.graph.store import ProjectStore
from mc2cm_graph.progress import SILENT, Progress

# (stage name, exporter, how many items it reports, from the project; None: one)
EXPORTERS = [
    ("Turtle", export_turtle, None),
    ("N-Triples", export_ntriples, None),
    ("JSON-LD", export_jsonld, None),
    ("TriG (external facts)", export_external, None),
    ("GeoJSON", export_geojson, None),
    ("site", export_site, site_page_count),
    # Reads the mc2cm.ttl export_turtle wrote: keep it after that one.
    ("linked data (static)", export_static_ld, None),
]


def prepare_release(project: ProjectStore) -> ProjectStore:
    """Add to the store what the release holds beyond the data and the entailments: the
    used slice of the SDG vocabulary, the ontology's version and the search keys
    (RELEASE_GRAPHS)."""
    from mc2cm_graph.export.release import ontology_version_triples

    project.add_sdg_slice()
    project.add_release_facts(ontology_version_triples())
    project.add_search_keys()
    return project


def export_all(project: ProjectStore, out_dir: Path, *, base_url: str | None = None,
               progress: Progress = SILENT, site_max: int | None = None) -> list[Path]:
    """Write every artefact into ``out_dir``, then the catalogue describing them.
    ``site_max``: see site.export_site."""
    from mc2cm_graph.export.catalog import export_catalog
    from mc2cm_graph.export.w3id import export_w3id

    out_dir = Path(out_dir)
    prepare_release(project)
    written: list[Path] = []
    for name, exporter, count in EXPORTERS:
        options = {"site_max": site_max} if exporter is export_site else {}
        total = count(project, **options) if count else 1
        with progress.stage(name, total) as advance:
            files = exporter(project, out_dir, advance=advance, **options)
            if count is None:
                advance()
        progress.wrote(files)
        written += files
    with progress.stage("catalogue", 1) as advance:
        files = export_catalog(project, out_dir, written, base_url=base_url)
        files += export_w3id(out_dir, base_url)
        advance()
    progress.wrote(files)
    return written + files
