"""Check a catalogue against the EU's DCAT-AP 3.0 SHACL shapes (vendored in vocab/dcat-ap/).

The 3.0.1 shapes file has ``sh:property`` links to shapes that are not defined anywhere
(two on dcat:DataServiceShape, see vocab/dcat-ap/SOURCE.md); pySHACL stops with an error
when a focus node reaches them. We drop exactly those dangling links, report which, and
validate against the rest; the 3.0.0 file is complete and used as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from mc2cm_graph.graph import paths

SHAPES_FILES = {
    "3.0.0": paths.DCAT_AP_DIR / "dcat-ap-3.0.0-SHACL.ttl",
    "3.0.1": paths.DCAT_AP_DIR / "dcat-ap-3.0.1-SHACL.ttl",
}


@dataclass
class DcatApResult:
    version: str
    conforms: bool
    text: str
    dropped: list[tuple[URIRef, URIRef]]


def dangling_property_links(shapes: Graph) -> list[tuple[URIRef, URIRef]]:
    """(shape, property shape) pairs where the property shape has no triples at all."""
    return sorted((s, o) for s, o in shapes.subject_objects(SH.property)
                  if (o, None, None) not in shapes)


def load_shapes(version: str) -> tuple[Graph, list[tuple[URIRef, URIRef]]]:
    """The shapes of a DCAT-AP version, without dangling links, and the links dropped."""
    shapes = Graph().parse(SHAPES_FILES[version])
    dropped = dangling_property_links(shapes)
    for shape, prop in dropped:
        shapes.remove((shape, SH.property, prop))
    return shapes, dropped


def validate_catalog(catalog: Graph, version: str = "3.0.0") -> DcatApResult:
    from pyshacl import validate

    shapes, dropped = load_shapes(version)
    # RDFS entailment makes every IRI an rdfs:Resource, which several DCAT-AP shapes
    # (sh:class rdfs:Resource) take for granted.
    conforms, _, text = validate(catalog, shacl_graph=shapes, inference="rdfs",
                                 allow_warnings=True)
    return DcatApResult(version, bool(conforms), text, dropped)


# The split files of the releases (main shapes, recommended-level shapes, ranges), which
# grade results as sh:Violation or sh:Warning: what "0 warnings at the recommended level"
# is measured with (vocab/dcat-ap/SOURCE.md).
SPLIT_SHAPES = {
    "3.0.1": ["dcat-ap-3.0.1-shapes.ttl", "dcat-ap-3.0.1-shapes_recommended.ttl",
              "dcat-ap-3.0.1-range.ttl"],
    "2.1.1": ["dcat-ap_2.1.1_shacl_shapes.ttl", "dcat-ap_2.1.1_shacl_shapes_recommended.ttl",
              "dcat-ap_2.1.1_shacl_range.ttl"],
}


@dataclass
class GradedResult:
    version: str
    violations: list[str]
    warnings: list[str]


def validate_recommended(catalog: Graph, version: str) -> GradedResult:
    """Validate against a release's main, recommended and range shapes; each result as
    "focus path: message", by severity."""
    from pyshacl import validate

    shapes = Graph()
    for name in SPLIT_SHAPES[version]:
        shapes.parse(paths.DCAT_AP_DIR / name)
    _, report, _ = validate(catalog, shacl_graph=shapes, inference="rdfs",
                            allow_warnings=True)
    graded: dict[URIRef, list[str]] = {SH.Violation: [], SH.Warning: [], SH.Info: []}
    for result in report.subjects(SH.resultSeverity, None):
        text = (f"{report.value(result, SH.focusNode)} {report.value(result, SH.resultPath)}: "
                f"{report.value(result, SH.resultMessage)}")
        graded[report.value(result, SH.resultSeverity)].append(text)
    return GradedResult(version, sorted(graded[SH.Violation]),
                        sorted(graded[SH.Warning] + graded[SH.Info]))
