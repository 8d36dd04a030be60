"""The main job: load, validate, (optionally reason), export, all-or-nothing into dist/.

Two engines give the same release: ``fast`` (default) keeps the project in an embedded
pyoxigraph store, validates with SHACL compiled to SPARQL (fastvalidate.py) and reasons
with SPARQL rules (fastreason.py); ``reference`` is the plain rdflib + pyshacl + owlrl
pipeline. Tests check that both report the same violations and entailments
(docs/scale.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from mc2cm_graph.check.validate import ValidationReport, validate_graph
from mc2cm_graph.export.atomic import staged_directory
from mc2cm_graph.export.outdir import check_replaceable, write_marker
from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError, from_os_error
from mc2cm_graph.graph.project import Project, load_project

ENGINES = ("fast", "reference")


@dataclass
class BuildResult:
    project: Project
    report: ValidationReport
    files: list[Path]


def _fast(data_dir: Path | None, reason: bool) -> tuple[Project, ValidationReport]:
    from mc2cm_graph.check.compiled import validate_store
    from mc2cm_graph.graph.store import INFERRED_GRAPH, load_both

    project, store = load_both(data_dir)
    report = validate_store(store, files=store.data_files)
    if report.conforms and reason:
        from mc2cm_graph.graph.load import add_quads
        from mc2cm_graph.reason.rules import materialise_store

        materialise_store(store)
        add_quads(project.data, store.quads(INFERRED_GRAPH))
    return project, report


def _reference(data_dir: Path | None, reason: bool) -> tuple[Project, ValidationReport]:
    project = load_project(data_dir)
    report = validate_graph(project.union(), files=project.data_files)
    if report.conforms and reason:
        from mc2cm_graph.reason.reference import materialise

        materialise(project)
    return project, report


def build(data_dir: Path | None = None, out_dir: Path | None = None, *,
          reason: bool = False, base_url: str | None = None,
          engine: str = "fast", force: bool = False) -> BuildResult:
    """Build the release into ``out_dir`` (default ``dist/``). Raises Mc2cmError, leaving the
    previous ``out_dir`` untouched, on a parse error or any SHACL or QC (qc/) violation.
    ``base_url``: where the folder will be published (the catalogue's download URLs start
    with it). ``engine``: "fast" (default) or "reference" (see the module's docstring).
    ``out_dir`` must be missing, empty or an earlier release (``force``: or any folder of
    other files); see export/outdir.py."""
    if engine not in ENGINES:
        raise Mc2cmError(f"unknown engine {engine!r}", hint=f"use one of {', '.join(ENGINES)}")
    out_dir = Path(out_dir or paths.DEFAULT_DIST_DIR)
    if base_url is not None:
        from mc2cm_graph.export.w3id import check_base_url

        base_url = check_base_url(base_url)
    if data_dir is not None and not Path(data_dir).is_dir():
        raise Mc2cmError("data folder not found", file=data_dir,
                         hint="give a folder of Turtle files (see `mc2cm-graph synth`)")
    guard = partial(check_replaceable, force=force,
                    keep=[data_dir or paths.DATA_DIR, paths.DATA_DIR])
    guard(out_dir)  # before the work, not only at the swap
    project, report = (_fast if engine == "fast" else _reference)(data_dir, reason)
    if not report.conforms:
        raise Mc2cmError(
            "validation failed; dist/ was left as it was\n" + report.text(),
            file=data_dir or paths.DATA_DIR,
            hint="fix the resources named above (see shapes/ for the rules)",
            exit_code=1,
        )
    from mc2cm_graph.export import export_all

    try:
        with staged_directory(out_dir, guard) as stage:
            (stage / "validation-report.txt").write_text(report.text(), encoding="utf-8")
            files = export_all(project, stage, base_url=base_url)
            write_marker(stage)
    except OSError as err:
        error = from_os_error(err, f"writing the release into {out_dir}")
        error.message += f"; {out_dir} was left as it was"
        raise error from None
    final = [out_dir / f.relative_to(stage) for f in files]
    return BuildResult(project, report, [out_dir / "validation-report.txt", *final])
