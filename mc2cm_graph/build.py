"""The main job: load, validate, (optionally reason), export, all-or-nothing into dist/.

The store (graph/store.py) is the one working graph: each file is parsed once into it,
validated there, reasoned on there, and every exporter reads it. Two engines check and
reason: ``fast`` (default) runs SHACL compiled to SPARQL (check/compiled.py, run by
check/fast.py) and SPARQL rules (reason/rules.py) in the store; ``reference`` runs
pyshacl and owlrl on rdflib graphs, then hands its result to the same store and
exporters. Tests check that both report the same violations and release the same graph
(docs/scale.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from mc2cm_graph.check.engines import ENGINES
from mc2cm_graph.check.report import ValidationReport
from mc2cm_graph.export.options import ExportOptions
from mc2cm_graph.export.outdir import check_replaceable, write_marker
from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError, ValidationError, from_os_error
from mc2cm_graph.graph.store import ProjectStore
from mc2cm_graph.progress import SILENT, Progress


@dataclass
class BuildResult:
    project: ProjectStore
    report: ValidationReport
    files: list[Path]


def check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise Mc2cmError(f"unknown engine {engine!r}", hint=f"use one of {', '.join(ENGINES)}")


def _fast(data_dir: Path | None, reason: bool, progress: Progress):
    from mc2cm_graph.check.fast import validate_store
    from mc2cm_graph.graph.forked import Background
    from mc2cm_graph.graph.store import load_store

    with progress.stage("load", 1) as advance:
        project = load_store(data_dir)
        advance()
    # The search keys (of the data graph, which validation reads and reasoning does not
    # write to) are computed in another process meanwhile: a fifth of a large build
    # otherwise. Left unused (and stopped) if the data breaks a shape.
    with Background(project.search_keys_nquads) as keys:
        with progress.stage("validate", 1) as advance:
            report = validate_store(project, files=project.data_files)
            advance()
        if report.conforms and reason:
            from mc2cm_graph.reason.rules import materialise_store

            with progress.stage("reason", 1) as advance:
                materialise_store(project)
                advance()
        if report.conforms:
            project.add_search_keys(keys.result())
    return project, report


def _reference(data_dir: Path | None, reason: bool, progress: Progress):
    from mc2cm_graph.check.reference import validate_graph
    from mc2cm_graph.graph.project import load_project
    from mc2cm_graph.graph.store import store_from_project

    with progress.stage("load (rdflib)", 1) as advance:
        project = load_project(data_dir)
        advance()
    with progress.stage("validate (pyshacl)", 1) as advance:
        report = validate_graph(project.union(), files=project.data_files)
        advance()
    if report.conforms and reason:
        from mc2cm_graph.reason.reference import materialise

        with progress.stage("reason (owlrl)", 1) as advance:
            materialise(project)
            advance()
    return store_from_project(project), report


def checked_project(data_dir: Path | None = None, *, reason: bool = False,
                    engine: str = "fast", progress: Progress = SILENT
                    ) -> tuple[ProjectStore, ValidationReport]:
    """The project (or ``data_dir``) loaded, validated and, with ``reason``, reasoned over,
    in a store; raises ValidationError with the report if the data breaks a shape or a QC
    rule (nothing is written anywhere)."""
    check_engine(engine)
    project, report = (_fast if engine == "fast" else _reference)(data_dir, reason, progress)
    if not report.conforms:
        raise ValidationError(
            "validation failed; dist/ was left as it was\n" + report.text(),
            file=data_dir or paths.DATA_DIR,
            hint="fix the resources named above (see shapes/ for the rules)",
            exit_code=1,
        )
    return project, report


def validated_project(data_dir: Path | None = None, *, reason: bool = False) -> ProjectStore:
    """The store of :func:`checked_project`, for callers that need no report."""
    return checked_project(data_dir, reason=reason)[0]


def build(data_dir: Path | None = None, out_dir: Path | None = None, *,
          reason: bool = False, base_url: str | None = None, engine: str = "fast",
          force: bool = False, progress: Progress = SILENT,
          options: ExportOptions | None = None) -> BuildResult:
    """Build the release into ``out_dir`` (default ``dist/``). Raises Mc2cmError, leaving the
    previous ``out_dir`` untouched, on a parse error or any SHACL or QC (qc/) violation.
    ``base_url``: where the folder will be published (the catalogue's download URLs start
    with it). ``engine``: "fast" (default) or "reference" (see the module's docstring).
    ``out_dir`` must be missing, empty or an earlier release (``force``: or any folder of
    other files); see export/outdir.py. ``options``: the caps on what the exporters write
    (export/options.py: ``site_max``, ``ld_max``)."""
    from mc2cm_graph.export.atomic import staged_directory

    check_engine(engine)
    out_dir = Path(out_dir or paths.DEFAULT_DIST_DIR)
    if base_url is not None:
        from mc2cm_graph.export.w3id import check_base_url

        base_url = check_base_url(base_url)
    if data_dir is not None and not Path(data_dir).is_dir():
        raise Mc2cmError("data folder not found", file=data_dir,
                         hint="give a folder of Turtle files (see `mc2cm-graph synth`)")
    guard = partial(check_replaceable, force=force,
                    keep=[data_dir or paths.DATA_DIR, *paths.PROJECT_INPUT_DIRS])
    guard(out_dir)  # before the work, not only at the swap
    project, report = checked_project(data_dir, reason=reason, engine=engine,
                                      progress=progress)
    from mc2cm_graph.export.pipeline import export_all

    try:
        with staged_directory(out_dir, guard) as stage:
            (stage / "validation-report.txt").write_text(report.text(), encoding="utf-8")
            files = export_all(project, stage, base_url=base_url, progress=progress,
                               options=options)
            write_marker(stage)
    except OSError as err:
        error = from_os_error(err, f"writing the release into {out_dir}")
        error.message += f"; {out_dir} was left as it was"
        raise error from None
    final = [out_dir / f.relative_to(stage) for f in files]
    return BuildResult(project, report, [out_dir / "validation-report.txt", *final])


def newer_source(target: Path) -> Path | None:
    """A project source file changed after ``target`` was built, if any."""
    built = target.stat().st_mtime
    sources = [paths.ONTOLOGY_FILE, *paths.data_files(), *paths.vocabulary_files()]
    return next((p for p in sources if p.is_file() and p.stat().st_mtime > built), None)


def ensure_built(dist_dir: Path | str | None = None,
                 notify: Callable[[str], None] | None = None) -> Path:
    """The release Turtle file of ``dist_dir``, building it from the project first if it is
    missing (the build validates, so a query never runs over data that fails the shapes).
    Says so (through ``notify``) when the default dist/ is older than the project's sources."""
    from mc2cm_graph.query.dist import release_file

    target = release_file(dist_dir)
    if not target.is_file():
        if notify:
            notify(f"{target} not found: building it from the project first")
        build(None, target.parent)
    elif notify and dist_dir is None:
        changed = newer_source(target)
        if changed is not None:
            notify(f"{target} is older than {changed}: run `mc2cm-graph build` "
                   "to query the current data")
    return target
