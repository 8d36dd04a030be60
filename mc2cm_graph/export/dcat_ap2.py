"""The catalogue for portals that read DCAT-AP 2.1.1: dist/catalog-dcat-ap-2.ttl.

A second file, not one file valid under both profiles, because two of their rules cannot
both hold on one value: ``dcat:byteSize`` is an ``xsd:nonNegativeInteger`` in DCAT 3 /
DCAT-AP 3.0.1 and an ``xsd:decimal`` in DCAT-AP 2.1.1 (each at most once), and DCAT-AP
2.1.1 allows only ``spdx:checksumAlgorithm_sha1`` in a checksum, where 3.0.1 takes the
sha256 we publish (also at most one checksum per distribution). Everything else is the
3.0.1 catalogue's, triple for triple, with in the 2.1.1 one:

- ``dcat:byteSize`` as ``xsd:decimal``;
- the checksum as sha1 of the same bytes (the 3.0.1 catalogue keeps sha256);
- the area of the programmes also as a ``locn:geometry`` WKT literal (2.1.1's form, which
  3.0 replaced by a geometry node; CKAN reads it as the dataset's ``spatial``).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Graph, Literal
from rdflib.namespace import DCAT, RDF, XSD

from mc2cm_graph.export.catalog_spatial import AREA, LOCN
from mc2cm_graph.graph.namespaces import SPDX
from mc2cm_graph.graph.serialize import turtle_bytes

FILE_NAME = "catalog-dcat-ap-2.ttl"


def dcat_ap2_graph(graph: Graph, sha1: dict[str, str]) -> Graph:
    """The 2.1.1 form of a catalogue graph; ``sha1``: file name → sha1 hex digest."""
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)
    for triple in graph:
        out.add(triple)
    for node, size in list(graph.subject_objects(DCAT.byteSize)):
        out.remove((node, DCAT.byteSize, size))
        out.add((node, DCAT.byteSize, Literal(int(size), datatype=XSD.decimal)))
    for node, checksum in list(graph.subject_objects(SPDX.checksum)):
        name = str(graph.value(node, DCAT.downloadURL)).rsplit("/", 1)[-1]
        out.remove((checksum, None, None))
        out.remove((node, SPDX.checksum, checksum))
        sha1_node = BNode(f"sha1-{name.replace('.', '-')}")
        out.add((node, SPDX.checksum, sha1_node))
        out.add((sha1_node, RDF.type, SPDX.Checksum))
        out.add((sha1_node, SPDX.algorithm, SPDX.checksumAlgorithm_sha1))
        out.add((sha1_node, SPDX.checksumValue, Literal(sha1[name], datatype=XSD.hexBinary)))
    out.remove((SPDX.checksumAlgorithm_sha256, None, None))
    out.add((SPDX.checksumAlgorithm_sha1, RDF.type, SPDX.ChecksumAlgorithm))
    for box in graph.objects(AREA, DCAT.bbox):
        out.add((AREA, LOCN.geometry, box))
    return out


def export_dcat_ap2(graph: Graph, out_dir: Path, sha1: dict[str, str],
                    prefixes: dict) -> Path:
    """Write dist/catalog-dcat-ap-2.ttl from the 3.0.1 catalogue ``graph``, the sha1 digests
    of the files it describes and the catalogue's prefixes (export/catalog.py calls this)."""
    target = Path(out_dir) / FILE_NAME
    target.write_bytes(turtle_bytes(dcat_ap2_graph(graph, sha1), prefixes))
    return target
