"""Everything ``build`` and ``export`` write into the output folder, one exporter per artefact.

Each exporter in EXPORTERS takes (project, release graph, output folder) and returns the
files it wrote. The DCAT catalogue is written after all of them because it describes
their files (byte sizes, checksums).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Graph, Literal
from rdflib.compare import to_canonical_graph
from rdflib.namespace import XSD

from mc2cm_graph.export.external import export_external
from mc2cm_graph.export.geojson import export_geojson
from mc2cm_graph.export.jsonld import export_jsonld
from mc2cm_graph.export.rdf import export_ntriples, export_turtle
from mc2cm_graph.export.release import ontology_version_triples
from mc2cm_graph.export.site import export_site
from mc2cm_graph.export.static_ld import export_static_ld
from mc2cm_graph.graph.namespaces import bind_prefixes
from mc2cm_graph.graph.project import Project
from mc2cm_graph.graph.sdg_slice import sdg_subset


def _plain(term):
    # "x"^^xsd:string and "x" are one RDF 1.1 term; rdflib tells them apart, so write one form.
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _union_view(project: Project) -> Graph:
    """project.union() without copying the vocabularies into a new graph: sdg_subset only
    looks triples up, and a read-only aggregate answers those from the three graphs."""
    if project.store is not None:
        return project.union()
    from rdflib.graph import ReadOnlyGraphAggregate

    return ReadOnlyGraphAggregate([project.ontology, project.data, project.vocabularies])


def release_graph(project: Project) -> Graph:
    """What dist/mc2cm.* hold: ontology, instance data, and the used SDG goals/targets.

    Blank nodes get canonical labels (derived from the graph's content) so that every
    serialisation, including N-Triples and JSON-LD, is the same from one run to the next.
    """
    release = bind_prefixes(Graph())
    with_blanks = Graph()
    for graph in (project.ours(), sdg_subset(_union_view(project))):
        for s, p, o in graph:
            if isinstance(s, BNode) or isinstance(o, BNode):
                with_blanks.add((s, p, o))
            else:
                release.add((s, p, _plain(o)))
    # A blank node's canonical label depends only on the triples it is in, so only those
    # are canonicalised (the whole graph took 10 s at 10k programmes). The labels are
    # long hashes; they are numbered in their (stable) sorted order instead.
    canonical = to_canonical_graph(with_blanks) if len(with_blanks) else with_blanks
    blanks = sorted({t for triple in canonical for t in triple if isinstance(t, BNode)})
    short = {b: BNode(f"b{i}") for i, b in enumerate(blanks)}
    for s, p, o in canonical:
        release.add((short.get(s, s), p, _plain(short.get(o, o))))
    for triple in ontology_version_triples():
        release.add(triple)
    return release


# export_static_ld reads the mc2cm.ttl that export_turtle wrote: keep it after that one.
EXPORTERS = [export_turtle, export_ntriples, export_jsonld, export_external, export_geojson,
             export_site, export_static_ld]


def export_all(project: Project, out_dir: Path, *, base_url: str | None = None) -> list[Path]:
    """Write every artefact into ``out_dir``, then the catalogue describing them."""
    from mc2cm_graph.export.catalog import export_catalog
    from mc2cm_graph.export.w3id import export_w3id

    out_dir = Path(out_dir)
    release = release_graph(project)
    written: list[Path] = []
    for exporter in EXPORTERS:
        written += exporter(project, release, out_dir)
    written += export_catalog(project, release, out_dir, written, base_url=base_url)
    written += export_w3id(out_dir, base_url)
    return written
