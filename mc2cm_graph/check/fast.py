"""The fast validation engine: the compiled shapes (check/compiled.py) run by the store.

The compiled queries are independent and only read the asserted graphs, so they run in
batches (constraints of one focus pattern and path share a query: batch_findings) in a
thread pool, one thread per core (pyoxigraph releases the GIL while it evaluates a
query); shapes the compiler does not handle go whole to pyshacl (_fallback); the QC rules
run after the shapes. tests/check/test_fastvalidate.py checks that the report equals a full
pyshacl run (focus, path, constraint component, value, shape, severity) on the project's
data, on synthetic data with injected violations and on every negative fixture.
"""

from __future__ import annotations

import os

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from mc2cm_graph.check.compiled import ShapeCompiler, batch_findings
from mc2cm_graph.check.reference import (
    ValidationReport,
    Violation,
    load_shapes,
    path_text,
    report_from_graph,
    short,
)
from mc2cm_graph.check.report import locate
from mc2cm_graph.graph.store import ProjectStore

SHAPES_GRAPH = "urn:x-mc2cm:graph:shapes"  # the shapes, while the QC rules run


def _shapes_to_run(shapes: Graph) -> list:
    """Top-level shapes: those with a target (property shapes are reached through them)."""
    found = set()
    for target in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        found |= set(shapes.subjects(target, None))
    for cls in (SH.NodeShape, SH.PropertyShape):
        for shape in shapes.subjects(RDF.type, cls):
            if (shape, RDF.type, RDFS.Class) in shapes:
                found.add(shape)
    return sorted(found)


def _tasks(compiler: ShapeCompiler, shape) -> list[tuple]:
    """The parts of a top-level shape (see ShapeCompiler.parts), each with the shape's focus
    pattern: one query each, run in any order."""
    patterns = compiler.targets(shape)
    if not patterns:
        return []
    # One focus pattern for all targets: a node targeted twice is validated once.
    focus = f"{{ SELECT DISTINCT ?focus WHERE {{ {' UNION '.join(patterns)} }} }}"
    return [(*part, focus) for part in compiler.parts(shape)]


def _batches(compiler: ShapeCompiler, tasks: list) -> list[list]:
    """The tasks in groups run by one query each: batchable constraints (see
    batch_findings) of the same focus pattern and path together, the others alone."""
    groups: dict = {}
    for task in tasks:
        shape, predicate, obj, focus = task
        path = compiler.shapes.value(shape, SH.path)
        key = ((focus, compiler.path(path)) if compiler.batchable(shape, predicate, obj, path)
               else id(task))
        groups.setdefault(key, []).append(task)
    return list(groups.values())


def _run_batch(compiler: ShapeCompiler, batch: list) -> list[Violation]:
    if len(batch) == 1:
        return _report_lines(compiler, batch[0][0], compiler.part_findings(*batch[0]))
    path = compiler.shapes.value(batch[0][0], SH.path)
    found = batch_findings(compiler, [task[:3] for task in batch], batch[0][3], path)
    return [line for task, findings in zip(batch, found, strict=True)
            for line in _report_lines(compiler, task[0], findings)]


def _in_threads(function, items: list) -> list:
    """``[function(item) for item in items]``, on all cores: pyoxigraph evaluates queries
    without holding the GIL, and the queries only read the store."""
    from concurrent.futures import ThreadPoolExecutor

    workers = min(os.cpu_count() or 1, 8)
    if workers == 1 or len(items) < 2:
        return [function(item) for item in items]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(function, items))


def _report_lines(compiler: ShapeCompiler, shape, findings) -> list[Violation]:
    g = compiler.shapes
    path = g.value(shape, SH.path)
    severity = g.value(shape, SH.severity) or SH.Violation
    messages = sorted(g.objects(shape, SH.message), key=lambda m: (
        getattr(m, "language", None) != "en", str(m)))
    out = []
    for finding in findings:
        out.append(Violation(
            focus=short(finding.focus),
            path=path_text(g, finding.path if finding.path is not None
                           else compiler.stated_path(path, finding)),
            constraint=finding.component,
            value=short(finding.value) if finding.value is not None else "",
            message=(finding.detail if finding.component == "sh:SPARQLConstraintComponent"
                     else str(messages[0]) if messages else finding.detail),
            shape=short(shape) if isinstance(shape, URIRef) else "(blank node)",
            severity=str(severity).rsplit("#", 1)[-1]))
    return out


def _fallback(shapes: Graph, shape_nodes: list, project: ProjectStore) -> list[Violation]:
    """Shapes using constraints we do not compile: pyshacl on just those shapes."""
    import pyshacl

    subset = Graph()
    for shape in shape_nodes:
        _copy_description(shapes, shape, subset)
    data = project.rdflib_asserted()  # a copy: slow at scale; only for uncompiled shapes
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=subset, inference="none", advanced=True, allow_warnings=True)
    return report_from_graph(results, data).violations


def _copy_description(source: Graph, node, target: Graph) -> None:
    for predicate, obj in source.predicate_objects(node):
        target.add((node, predicate, obj))
        if isinstance(obj, BNode) or predicate in (SH.property, SH.node):
            _copy_description(source, obj, target)


def validate_store(project: ProjectStore, shapes: Graph | None = None, *, qc: bool = True,
                   files: list | None = None) -> ValidationReport:
    """Validate the store's asserted graphs against the shapes and, unless ``qc`` is false,
    the QC rules of qc/: the same report as validate.validate_graph on the same data.

    Reasoning is not run alongside on the other core: measured, the store's inserts and
    these scans slowed each other down (100k programmes: 158 s together, against about
    50 s one after the other)."""
    shapes = shapes if shapes is not None else load_shapes()
    violations = _shape_violations(project, shapes)
    if qc:
        from mc2cm_graph.check.qc import canonical_violations

        violations += _qc(project, shapes, files) + canonical_violations(project.non_canonical)
    violations.sort()
    locations = locate({v.focus for v in violations}, files) if files and violations else {}
    return ValidationReport(violations, locations)


def _shape_violations(project: ProjectStore, shapes: Graph) -> list[Violation]:
    compiler = ShapeCompiler(shapes, project)
    violations, unsupported, tasks = [], [], []
    for shape in _shapes_to_run(shapes):
        if compiler.supported(shape):
            tasks += _tasks(compiler, shape)
        else:
            unsupported.append(shape)
    for lines in _in_threads(lambda batch: _run_batch(compiler, batch), _batches(compiler, tasks)):
        violations += lines
    if unsupported:
        violations += _fallback(shapes, unsupported, project)
    return violations


class _AssertedAndShapes:
    """What qc.run_rule expects (``.query(text)``): SPARQL over the asserted graphs and the
    shapes, as validate_graph gives the rules data + shapes."""

    def __init__(self, project: ProjectStore, shapes_graph):
        self.project, self.shapes_graph = project, shapes_graph

    def query(self, text: str):
        return self.project.query_asserted(text, self.shapes_graph)


def _qc(project: ProjectStore, shapes: Graph, files: list | None) -> list[Violation]:
    """The QC rules (qc/*.rq) over data + shapes, as validate_graph runs them. The shapes
    sit in a named graph only while the rules run."""
    import pyoxigraph as ox

    from mc2cm_graph.check.qc import computed_checks, load_rules, run_rule
    from mc2cm_graph.graph.load import to_ox_term

    graph = ox.NamedNode(SHAPES_GRAPH)
    project.store.extend(ox.Quad(*(to_ox_term(t) for t in triple), graph) for triple in shapes)
    try:
        source = _AssertedAndShapes(project, graph)
        rows = [row for rows in _in_threads(lambda rule: run_rule(source, rule), load_rules())
                for row in rows]
        return rows + [row for check in computed_checks() for row in check(source, files)]
    finally:
        project.store.clear_graph(graph)
