"""Everything ``build`` and ``export`` write into the output folder, one exporter per artefact.

Each exporter in EXPORTERS takes (project store, output folder, advance) and returns the
files it wrote; all of them read the release from the store (store.RELEASE_GRAPHS).
``advance(n)`` reports items done to the progress display. The DCAT catalogue is written
after all of them because it describes their files (byte sizes, checksums).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from mc2cm_graph.export.external import export_external
from mc2cm_graph.export.geojson import export_geojson
from mc2cm_graph.export.jsonld import export_jsonld
from mc2cm_graph.export.options import ExportOptions
from mc2cm_graph.export.rdf import export_ntriples, export_turtle
from mc2cm_graph.export.site import export_site, site_page_count
from mc2cm_graph.export.static_ld import export_static_ld
from mc2cm_graph.export.workers import Task, run_tasks
from mc2cm_graph.graph.store import ProjectStore
from mc2cm_graph.progress import SILENT, Progress


@dataclass(frozen=True)
class Exporter:
    """One artefact of the release: the stage name the progress display shows, the function
    that writes it (project, folder, advance, **options) -> files, how many items it
    reports (from the project and its options; None: one), and the build options it
    takes, by keyword (``site_max``)."""

    name: str
    write: Callable[..., list[Path]]
    count: Callable[..., int] | None = None
    options: tuple[str, ...] = ()
    start: int = 9  # when the workers take it up (export/workers.py): lower first
    after: tuple[str, ...] = ()  # exporters whose files it reads

    def chosen(self, options: ExportOptions) -> dict[str, object]:
        return options.chosen(self.options)


# In the order of the summary and the catalogue. ``start``: the long ones first, so the
# workers end together; the Turtle before them, since the linked data waits for it.
EXPORTERS = [
    Exporter("Turtle", export_turtle, start=0),
    Exporter("N-Triples", export_ntriples, start=4),
    Exporter("JSON-LD", export_jsonld, start=2),
    Exporter("TriG (external facts)", export_external, start=6),
    Exporter("GeoJSON", export_geojson, start=5),
    Exporter("site", export_site, site_page_count, options=("site_max",), start=3),
    # Names blank nodes by the digest of the mc2cm.ttl export_turtle wrote.
    Exporter("linked data (static)", export_static_ld, options=("ld_max",), start=1,
             after=("Turtle",)),
]


COUNTS, COUNTS_START = "catalogue (counts)", 4


def prepare_release(project: ProjectStore) -> ProjectStore:
    """Add to the store what the release holds beyond the data and the entailments: the
    used slice of the SDG vocabulary, the ontology's version and the search keys
    (RELEASE_GRAPHS; unless the build added them already, beside the reasoning)."""
    from mc2cm_graph.export.release import ontology_version_triples

    project.add_sdg_slice()
    project.add_release_facts(ontology_version_triples())
    if not project.has_search_keys():
        project.add_search_keys()
    return project


def export_all(project: ProjectStore, out_dir: Path, *, base_url: str | None = None,
               progress: Progress = SILENT, options: ExportOptions | None = None) -> list[Path]:
    """Write every artefact into ``out_dir``, then the catalogue describing them.
    ``options``: the caps (export/options.py), each exporter given those it declares. What
    a cap leaves out is told to ``progress.note`` (the build's summary)."""
    from mc2cm_graph.export.catalog import export_catalog, void_counts
    from mc2cm_graph.export.w3id import export_w3id

    out_dir = Path(out_dir)
    prepare_release(project)
    options = options or ExportOptions()
    for note in cap_notes(project, options.site_max, options.ld_max):
        progress.note(note)
    # The catalogue describes the files, so it comes last; its counts need only the store.
    tasks = sorted([*((e.start, _task(e, project, out_dir, options)) for e in EXPORTERS),
                    (COUNTS_START, Task(COUNTS, lambda advance: void_counts(project)))],
                   key=lambda started: started[0])
    done = run_tasks([task for _, task in tasks], progress, options.workers)
    written: list[Path] = []
    for exporter in EXPORTERS:
        progress.wrote(done[exporter.name], stage=exporter.name)
        written += done[exporter.name]
    with progress.stage("catalogue", 1) as advance:
        files = export_catalog(project, out_dir, written, base_url=base_url,
                               counts=done[COUNTS])
        files += export_w3id(out_dir, base_url)
        advance()
    progress.wrote(files, stage="catalogue")
    return written + files


def _task(exporter: Exporter, project: ProjectStore, out_dir: Path, options: ExportOptions):
    chosen = exporter.chosen(options)
    total = exporter.count(project, **chosen) if exporter.count else None
    return Task(exporter.name, partial(exporter.write, project, out_dir, **chosen), total,
                exporter.after)


def cap_notes(project: ProjectStore, site_max: int | None, ld_max: int | None) -> list[str]:
    """What the site and the static linked data leave out of a large release, if anything."""
    from mc2cm_graph.export import site, static_ld

    programmes = site._count(project, site.MC2CM.Programme)
    notes = []
    if programmes > (site.SITE_MAX_PROGRAMMES if site_max is None else site_max):
        notes.append(f"site: an overview without programme pages ({programmes:,} programmes "
                     "> --site-max)")
    if static_ld.ld_capped(programmes, ld_max):
        notes.append(f"linked data (static): no files for programmes, activities, outcomes "
                     f"and target-group mentions ({programmes:,} programmes > --ld-max); "
                     "`mc2cm-graph serve` answers for their IRIs")
    return notes
