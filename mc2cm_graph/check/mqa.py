"""data.europa.eu's Metadata Quality Assessment (MQA), scored indicator by indicator on a
catalogue, from its published methodology (https://data.europa.eu/mqa/methodology; the
data provider manual's "Metadata quality dashboard" page): five dimensions, 405 points,
rated Excellent (351-405), Good (221-350), Sufficient (121-220) or Bad (0-120).

Each indicator gives its weight times the share of the datasets (dataset properties) or
of the distributions (distribution properties) that meet it, as the MQA averages over a
catalogue. Two indicators need more than the catalogue: whether the access and download
URLs answer (``resolves``, a function the caller gives: the tests follow each URL through
Apache httpd with the release's w3id rules) and DCAT-AP compliance (the DCAT-AP 2.1.1
shapes, which the portal validates against; check/dcat_ap.py).

    python -m mc2cm_graph.check.mqa dist/catalog-dcat-ap-2.ttl   # URLs not checked: 0 points
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
# The EU file types of our distributions that are open standards (W3C, IETF) and machine
# readable. Only the file types the release uses are listed: the MQA's own lists are
# longer, and a file type missing here scores 0, never more than it should.
NON_PROPRIETARY = {"RDF_TURTLE", "RDF_N_TRIPLES", "JSON_LD", "RDF_TRIG", "GEOJSON"}
MACHINE_READABLE = NON_PROPRIETARY
RATINGS = ((351, "Excellent"), (221, "Good"), (121, "Sufficient"), (0, "Bad"))


@dataclass
class Indicator:
    dimension: str
    name: str
    weight: int
    share: float  # of datasets or distributions meeting it, 0..1

    @property
    def points(self) -> float:
        return self.weight * self.share


def _share(nodes: list, test: Callable[[object], bool]) -> float:
    return sum(1 for n in nodes if test(n)) / len(nodes) if nodes else 0.0


def _has(graph: Graph, predicate) -> Callable[[object], bool]:
    return lambda node: graph.value(node, predicate) is not None


def _in_vocabulary(graph: Graph, predicate, prefix: str) -> Callable[[object], bool]:
    return lambda node: any(str(o).startswith(prefix) for o in graph.objects(node, predicate))


def _file_type(graph: Graph, node) -> str:
    return str(graph.value(node, DCTERMS.format) or "").removeprefix(EU + "file-type/")


def indicators(graph: Graph, resolves: Callable[[str], bool],
               compliant: Callable[[Graph], bool]) -> list[Indicator]:
    datasets = sorted(graph.subjects(RDF.type, DCAT.Dataset))
    dists = sorted({d for ds in datasets for d in graph.objects(ds, DCAT.distribution)})

    def url_ok(predicate):
        return lambda node: all(resolves(str(u)) for u in graph.objects(node, predicate)) \
            and graph.value(node, predicate) is not None

    licence = lambda node: graph.value(node, DCTERMS.license)  # noqa: E731
    return [
        Indicator("Findability", "Keyword usage", 30, _share(datasets, _has(graph, DCAT.keyword))),
        Indicator("Findability", "Categories", 30, _share(datasets, _has(graph, DCAT.theme))),
        Indicator("Findability", "Geo search", 20, _share(datasets, _has(graph, DCTERMS.spatial))),
        Indicator("Findability", "Time-based search", 20,
                  _share(datasets, _has(graph, DCTERMS.temporal))),
        Indicator("Accessibility", "AccessURL accessibility", 50,
                  _share(dists, url_ok(DCAT.accessURL))),
        Indicator("Accessibility", "DownloadURL", 20, _share(dists, _has(graph, DCAT.downloadURL))),
        Indicator("Accessibility", "DownloadURL accessibility", 30,
                  _share(dists, url_ok(DCAT.downloadURL))),
        Indicator("Interoperability", "Format", 20, _share(dists, _has(graph, DCTERMS.format))),
        Indicator("Interoperability", "Media type", 10, _share(dists, _has(graph, DCAT.mediaType))),
        Indicator("Interoperability", "Format / Media type from vocabulary", 10,
                  _share(dists, lambda n: _in_vocabulary(graph, DCTERMS.format,
                                                         EU + "file-type/")(n)
                         and _in_vocabulary(graph, DCAT.mediaType, IANA)(n))),
        Indicator("Interoperability", "Non-proprietary", 20,
                  _share(dists, lambda n: _file_type(graph, n) in NON_PROPRIETARY)),
        Indicator("Interoperability", "Machine readable", 20,
                  _share(dists, lambda n: _file_type(graph, n) in MACHINE_READABLE)),
        Indicator("Interoperability", "DCAT-AP compliance", 30, 1.0 if compliant(graph) else 0.0),
        Indicator("Reusability", "License information", 20,
                  _share(dists, _has(graph, DCTERMS.license))),
        Indicator("Reusability", "License vocabulary", 10,
                  _share(dists, lambda n: str(licence(n) or "").startswith(EU + "licence/"))),
        Indicator("Reusability", "Access restrictions", 10,
                  _share(datasets, _has(graph, DCTERMS.accessRights))),
        Indicator("Reusability", "Access restrictions vocabulary", 5,
                  _share(datasets, _in_vocabulary(graph, DCTERMS.accessRights,
                                                  EU + "access-right/"))),
        Indicator("Reusability", "Contact point", 20,
                  _share(datasets, _has(graph, DCAT.contactPoint))),
        Indicator("Reusability", "Publisher", 10, _share(datasets, _has(graph, DCTERMS.publisher))),
        Indicator("Contextuality", "Rights", 5, _share(dists, _has(graph, DCTERMS.rights))),
        Indicator("Contextuality", "File size", 5, _share(dists, _has(graph, DCAT.byteSize))),
        Indicator("Contextuality", "Date of issue", 5,
                  _share(datasets + dists, _has(graph, DCTERMS.issued))),
        Indicator("Contextuality", "Modification date", 5,
                  _share(datasets + dists, _has(graph, DCTERMS.modified))),
    ]


def dcat_ap_2_compliant(graph: Graph) -> bool:
    from mc2cm_graph.check.dcat_ap import validate_recommended

    return not validate_recommended(graph, "2.1.1").violations


def total(found: list[Indicator]) -> tuple[float, str]:
    points = round(sum(i.points for i in found), 1)
    return points, next(name for low, name in RATINGS if points >= low)


def table(found: list[Indicator]) -> str:
    rows = ["| dimension | indicator | weight | points |", "|---|---|---|---|"]
    rows += [f"| {i.dimension} | {i.name} | {i.weight} | {i.points:g} |" for i in found]
    points, rating = total(found)
    rows.append(f"| **total** | | **{sum(i.weight for i in found)}** | **{points:g} "
                f"({rating})** |")
    return "\n".join(rows)


if __name__ == "__main__":
    import sys

    result = indicators(Graph().parse(sys.argv[1]), lambda url: False, dcat_ap_2_compliant)
    print(table(result))
