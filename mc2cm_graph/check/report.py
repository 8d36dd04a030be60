"""A readable validation report: which resource, which rule, which value, what to fix.

SHACL results (reference.py, compiled.py) and ontology-QC rows (qc.py) both become
``Violation`` rows so users read one report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from mc2cm_graph.graph.iris import SHAPES_NS
from mc2cm_graph.graph.namespaces import compact_iri, prefix_table

_SHORT_FORMS = prefix_table({
    "mc2cms": SHAPES_NS,
    "sh": "http://www.w3.org/ns/shacl#",
})


_PLAIN = (XSD.integer, XSD.decimal, XSD.boolean)


def short(term) -> str:
    """A prefixed name where one of our prefixes fits, else the term as N3."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact_iri(str(term), _SHORT_FORMS) or f"<{term}>"
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term)).n3()  # "Sfax", not "Sfax"^^xsd:string
    if isinstance(term, Literal) and term.datatype in _PLAIN and not term.ill_typed:
        return str(term)  # 3, 34.74, true: as Turtle writes them
    return term.n3()


@dataclass(frozen=True, order=True)
class Violation:
    focus: str
    path: str
    constraint: str
    value: str
    message: str
    shape: str
    severity: str = "Violation"

    def line(self) -> str:
        value = f" value={self.value}" if self.value else ""
        return (f"{self.severity}: {self.focus} {self.path}: {self.message} "
                f"[{self.constraint}, shape {self.shape}]{value}")

    def block(self) -> list[str]:
        """The violation as indented lines under its resource."""
        where = f" {self.path}" if self.path else ""
        lines = [f"  - rule:  {self.shape} ({self.constraint}){where}"]
        if self.value:
            lines.append(f"    value: {_clip(self.value)}")
        lines.append(f"    fix:   {self.message}")
        return lines


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class ValidationReport:
    violations: list[Violation]
    # Where each resource is described ("data/programmes/01-sfax-acmals.ttl:21"), if known.
    locations: dict[str, str] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    def text(self) -> str:
        if not self.violations:
            return "Validation: conforms (0 results).\n"
        by_focus: dict[str, list[Violation]] = defaultdict(list)
        for violation in _merged(self.violations):
            by_focus[violation.focus].append(violation)
        lines = [f"Validation: {len(self.violations)} result(s) on {len(by_focus)} resource(s)."]
        for focus, violations in by_focus.items():
            where = f"  ({self.locations[focus]})" if focus in self.locations else ""
            lines += ["", (focus or "(the graph)") + where]
            for violation in violations:
                lines += violation.block()
        return "\n".join(lines) + "\n"


def _merged(violations: list[Violation]) -> list[Violation]:
    """One entry per resource, rule, value and message: a string where an IRI belongs breaks
    both sh:nodeKind and sh:class of one shape, which say the same thing to the reader."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for v in sorted(violations):
        key = (v.focus, v.path, v.value, v.message, v.shape, v.severity)
        groups[key].append(v.constraint.replace("sh:", "").replace("ConstraintComponent", ""))
    return sorted(
        Violation(focus, path, ", ".join(components), value, message, shape, severity)
        for (focus, path, value, message, shape, severity), components in groups.items())


def locate(names: set[str], files) -> dict[str, str]:
    """``file:line`` of the first line of each file that starts with one of the resource
    names (as ``short`` writes them, or as a full ``<IRI>``): where its description begins."""
    found: dict[str, str] = {}
    for path in files:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            token = line.split(maxsplit=1)[0] if line[:1] not in ("", " ", "\t", "#", "@") else ""
            if token.startswith("<") and token.endswith(">"):
                token = short(URIRef(token[1:-1]))
            if token in names and token not in found:
                found[token] = f"{path}:{number}"
    return found
