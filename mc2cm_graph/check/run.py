"""Validation with either engine: ``fast`` (the store, SHACL compiled to SPARQL: what
``build`` runs) or ``reference`` (pyshacl on rdflib graphs). Both give the same report
(tests/cli/test_cli_validate.py, tests/check/test_fastvalidate.py)."""

from __future__ import annotations

from pathlib import Path

from mc2cm_graph.check import reference
from mc2cm_graph.check.report import ValidationReport
from mc2cm_graph.graph import paths


def validate_project(data_dir: Path | None = None, *, engine: str = "fast") -> ValidationReport:
    """Validate the project's data (or another data folder)."""
    if engine == "reference":
        return reference.validate_project(data_dir)
    from mc2cm_graph.check.fast import validate_store
    from mc2cm_graph.graph.store import load_store

    project = load_store(data_dir)
    return validate_store(project, files=project.data_files)


def validate_files(files: list[Path], data_dir: Path = paths.DATA_DIR, *,
                   engine: str = "fast") -> ValidationReport:
    """Validate the given Turtle files with the ontology, vocabularies and reference data."""
    if engine == "reference":
        return reference.validate_files(files, data_dir)
    from mc2cm_graph.check.fast import validate_store
    from mc2cm_graph.graph.store import load_store

    files = reference.expand_folders(files)
    given = {Path(f).resolve() for f in files}
    others = [p for p in reference.reference_data_files(data_dir) if p.resolve() not in given]
    project = load_store(data_files=[*others, *files])
    return validate_store(project, files=[*files, *others])
