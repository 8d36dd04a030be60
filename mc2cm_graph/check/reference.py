"""SHACL validation (shapes/) and ontology QC (qc/), reported together in readable form.

``validate_project`` checks a data folder; ``validate_files`` checks a user's own Turtle files
together with the ontology, the vocabularies and the project's reference data (themes,
activity types, places, organisations), so a new programme that links to ``city:sfax``
validates without copying data/.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from mc2cm_graph.check.report import ValidationReport, Violation, locate, short
from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.load import load_graph

__all__ = ["ValidationReport", "Violation", "short", "validate_graph", "validate_files",
           "validate_project", "check_shapes", "load_shapes", "reference_data_files"]

SHACL_SHACL_FILE = "shacl-shacl.ttl"


def shapes_files(shapes_dir: Path = paths.SHAPES_DIR) -> list[Path]:
    return sorted(Path(shapes_dir).glob("*.ttl"))


def load_shapes(shapes_dir: Path = paths.SHAPES_DIR) -> Graph:
    return load_graph(shapes_files(shapes_dir))


def path_text(graph: Graph, path) -> str:
    """A SHACL path as SPARQL property-path text: ``^mc2cm:hasActivity``, ``a|b``."""
    if not isinstance(path, BNode):
        return short(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + path_text(graph, inverse)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(path_text(graph, p) for p in Collection(graph, alternatives))
    return "(a complex path)"


def _stated_path(results: Graph, path, focus, value, data_graph: Graph | None):
    """For an alternative path (``a|b|c``), the one property the data states the value with."""
    if data_graph is None or value is None or not isinstance(path, BNode):
        return path
    alternatives = results.value(path, SH.alternativePath)
    if alternatives is None:
        return path
    stated = [p for p in Collection(results, alternatives) if (focus, p, value) in data_graph]
    return stated[0] if len(stated) == 1 else path


def report_from_graph(results: Graph, data_graph: Graph | None = None) -> ValidationReport:
    """Turn a SHACL validation-report graph into sorted, readable violations.

    Only the report's own results count: pyshacl also types as results the sh:detail of an
    sh:node failure, which would report one defect twice, on the value instead of the resource.
    """
    violations = []
    for result in results.objects(None, SH.result):
        def one(predicate, _result=result):
            return results.value(_result, predicate)

        shape = one(SH.sourceShape)
        component = str(one(SH.sourceConstraintComponent) or "")
        path = _stated_path(results, one(SH.resultPath), one(SH.focusNode), one(SH.value),
                            data_graph)
        violations.append(Violation(
            focus=short(one(SH.focusNode)),
            path=path_text(results, path),
            constraint=component.replace(str(SH), "sh:"),
            value=short(one(SH.value)),
            message=str(one(SH.resultMessage) or ""),
            shape=short(shape) if isinstance(shape, URIRef) else "(blank node)",
            severity=str(one(SH.resultSeverity)).rsplit("#", 1)[-1],
        ))
    return ValidationReport(sorted(violations))


def shacl_results(data_graph: Graph, shapes_graph: Graph) -> Graph:
    """The SHACL validation-report graph; an Mc2cmError if the shapes cannot be run."""
    import pyshacl

    _conforms, results, text = pyshacl.validate(
        data_graph, shacl_graph=shapes_graph, inference="none", advanced=True,
        allow_warnings=True, inplace=True,  # no inference: nothing is added, so no copy needed
    )
    if not isinstance(results, Graph):  # pyshacl's ValidationFailure: a broken shapes graph
        raise Mc2cmError(f"the shapes could not be run: {text}", file=paths.SHAPES_DIR,
                         hint="fix the shapes; tests/check/test_shapes.py checks them with "
                              "SHACL-for-SHACL")
    return results


def validate_graph(data_graph: Graph, shapes_graph: Graph | None = None, *,
                   qc: bool = True, files: list[Path] | None = None) -> ValidationReport:
    """Validate a graph (data + ontology + vocabularies) against the shapes and, unless
    ``qc`` is false, run the QC rules of qc/ on it (with the shapes, whose terms they check).
    Given the data ``files``, the report says in which file and line each resource begins."""
    shapes_graph = shapes_graph if shapes_graph is not None else load_shapes()
    violations = report_from_graph(shacl_results(data_graph, shapes_graph), data_graph).violations
    if qc:
        from mc2cm_graph.check.qc import graph_canonical_violations, run_qc

        violations = sorted(violations + run_qc(data_graph + shapes_graph, files=files)
                            + graph_canonical_violations(data_graph))
    locations = locate({v.focus for v in violations}, files) if files and violations else {}
    return ValidationReport(violations, locations)


def reference_data_files(data_dir: Path = paths.DATA_DIR) -> list[Path]:
    """The data a programme links to: the top-level data/*.ttl (themes, activity types, places,
    organisations), without the programmes and without the external facts about them."""
    return sorted(p for p in Path(data_dir).glob("*.ttl")
                  if p.is_file() and p.name != paths.EXTERNAL_FACTS_FILE_NAME)


RDF_SUFFIXES = (".ttl", ".trig", ".nt")


def expand_folders(given: list[Path]) -> list[Path]:
    """The files given, with each folder replaced by the RDF files (.ttl, .trig, .nt) it
    holds, at any depth, sorted."""
    files: list[Path] = []
    for path in map(Path, given):
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(p for p in path.rglob("*") if p.suffix in RDF_SUFFIXES and p.is_file())
        if not found:
            raise Mc2cmError("the folder holds no .ttl, .trig or .nt file", file=path,
                             hint="give Turtle files, or a folder that holds some")
        files += found
    return files


def validate_files(files: list[Path], data_dir: Path = paths.DATA_DIR) -> ValidationReport:
    """Validate the given Turtle files with the ontology, vocabularies and reference data
    (pyshacl: the reference engine; check/run.py chooses an engine); a folder stands for
    the RDF files it holds."""
    files = expand_folders(files)
    given = {Path(f).resolve() for f in files}
    reference = [p for p in reference_data_files(data_dir) if p.resolve() not in given]
    graph = load_graph([paths.ONTOLOGY_FILE, *reference, *files, *paths.vocabulary_files()])
    return validate_graph(graph, files=[*files, *reference])


def validate_project(data_dir: Path | None = None) -> ValidationReport:
    """Validate the project's data (or another data folder) with pyshacl."""
    from mc2cm_graph.graph.project import load_project

    project = load_project(data_dir)
    return validate_graph(project.union(), files=project.data_files)


def shacl_shacl_graph() -> Graph:
    """The W3C SHACL-for-SHACL shapes, as pyshacl ships them."""
    import pyshacl

    return Graph().parse(Path(pyshacl.__file__).parent / "assets" / SHACL_SHACL_FILE)


def check_shapes(shapes_graph: Graph | None = None) -> ValidationReport:
    """Validate the shapes graph itself against SHACL-for-SHACL."""
    shapes_graph = shapes_graph if shapes_graph is not None else load_shapes()
    return report_from_graph(shacl_results(shapes_graph, shacl_shacl_graph()))
