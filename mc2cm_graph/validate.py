"""SHACL validation with a readable report: which resource, which rule, which value."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from mc2cm_graph import paths
from mc2cm_graph.load import load_graph
from mc2cm_graph.namespaces import PREFIXES


@dataclass(frozen=True, order=True)
class Violation:
    focus: str
    path: str
    constraint: str
    value: str
    message: str
    shape: str
    severity: str

    def line(self) -> str:
        value = f" value={self.value}" if self.value else ""
        return (f"{self.severity}: {self.focus} {self.path}: {self.message} "
                f"[{self.constraint}, shape {self.shape}]{value}")


@dataclass
class ValidationReport:
    violations: list[Violation]

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    def text(self) -> str:
        if not self.violations:
            return "Validation: conforms (0 results).\n"
        lines = [f"Validation: {len(self.violations)} result(s)."]
        lines += [v.line() for v in self.violations]
        return "\n".join(lines) + "\n"


def shapes_files(shapes_dir: Path = paths.SHAPES_DIR) -> list[Path]:
    return sorted(Path(shapes_dir).glob("*.ttl"))


def load_shapes(shapes_dir: Path = paths.SHAPES_DIR) -> Graph:
    return load_graph(shapes_files(shapes_dir))


def short(term) -> str:
    """A prefixed name where one of our prefixes fits, else the term as N3."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
            if text.startswith(str(namespace)) and len(text) > len(str(namespace)):
                return f"{prefix}:{text[len(str(namespace)):]}"
        return f"<{text}>"
    return term.n3()


def report_from_graph(results: Graph) -> ValidationReport:
    """Turn a SHACL validation-report graph into sorted, readable violations."""
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        def one(predicate, _result=result):
            return results.value(_result, predicate)

        shape = one(SH.sourceShape)
        component = str(one(SH.sourceConstraintComponent) or "")
        violations.append(Violation(
            focus=short(one(SH.focusNode)),
            path=short(one(SH.resultPath)),
            constraint=component.replace(str(SH), "sh:"),
            value=short(one(SH.value)),
            message=str(one(SH.resultMessage) or ""),
            shape=short(shape) if isinstance(shape, URIRef) else "(blank node)",
            severity=str(one(SH.resultSeverity)).rsplit("#", 1)[-1],
        ))
    return ValidationReport(sorted(violations))


def validate_graph(data_graph: Graph, shapes_graph: Graph | None = None) -> ValidationReport:
    """Validate a graph (data + ontology + vocabularies) against the project's shapes."""
    import pyshacl

    shapes_graph = shapes_graph if shapes_graph is not None else load_shapes()
    _conforms, results, _text = pyshacl.validate(
        data_graph, shacl_graph=shapes_graph, inference="none", advanced=True,
        allow_warnings=True,
    )
    return report_from_graph(results)
