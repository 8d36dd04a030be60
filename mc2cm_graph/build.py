"""The main job: load, validate, (optionally reason), export, all-or-nothing into dist/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mc2cm_graph import paths
from mc2cm_graph.atomic import staged_directory
from mc2cm_graph.errors import Mc2cmError
from mc2cm_graph.project import Project, load_project
from mc2cm_graph.validate import ValidationReport, validate_graph


@dataclass
class BuildResult:
    project: Project
    report: ValidationReport
    files: list[Path]


def build(data_dir: Path | None = None, out_dir: Path | None = None, *,
          reason: bool = False, base_url: str | None = None) -> BuildResult:
    """Build the release into ``out_dir`` (default ``dist/``). Raises Mc2cmError, leaving the
    previous ``out_dir`` untouched, on a parse error or any SHACL or QC (qc/) violation.
    ``base_url``: where the folder will be published (the catalogue's download URLs start
    with it)."""
    out_dir = Path(out_dir or paths.DEFAULT_DIST_DIR)
    project = load_project(data_dir)
    report = validate_graph(project.union(), files=project.data_files)
    if not report.conforms:
        raise Mc2cmError(
            "validation failed; dist/ was left as it was\n" + report.text(),
            file=data_dir or paths.DATA_DIR,
            hint="fix the resources named above (see shapes/ for the rules)",
            exit_code=1,
        )
    if reason:
        from mc2cm_graph.reason import materialise

        materialise(project)
    from mc2cm_graph.export import export_all

    with staged_directory(out_dir) as stage:
        (stage / "validation-report.txt").write_text(report.text(), encoding="utf-8")
        files = export_all(project, stage, base_url=base_url)
    final = [out_dir / f.relative_to(stage) for f in files]
    return BuildResult(project, report, [out_dir / "validation-report.txt", *final])
