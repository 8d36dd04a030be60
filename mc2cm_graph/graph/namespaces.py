"""The project's IRIs (a public contract: keep them stable) and the vocabularies it reuses."""

from typing import TypeVar

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from mc2cm_graph.graph import iris

MC2CM = Namespace(iris.ONTOLOGY_NS)
ID = Namespace(iris.ID)
PROGRAMME = Namespace(iris.ID + "programme/")
ACTIVITY = Namespace(iris.ID + "activity/")
OUTCOME = Namespace(iris.ID + "outcome/")
CITY = Namespace(iris.ID + "city/")
COUNTRY = Namespace(iris.ID + "country/")
THEME = Namespace(iris.ID + "theme/")
ACTIVITY_TYPE = Namespace(iris.ID + "activity-type/")
ORG = Namespace(iris.ID + "organisation/")
SDG = Namespace("http://metadata.un.org/sdg/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
# schema.org over http, as the UN SDG KOS and most linked-data tools write it.
SCHEMA = Namespace("http://schema.org/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
# OGC GeoSPARQL 1.1 (its usual prefix geo: is the W3C basic geo vocabulary's here).
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
GEOMETRY = Namespace(iris.ID + "geometry/")
VANN = Namespace("http://purl.org/vocab/vann/")
# SPDX checksums on the catalogue's distributions (export/catalog.py, dcat_ap2.py).
SPDX = Namespace("http://spdx.org/rdf/terms#")

EXTERNAL_FACTS_GRAPH = ID["graph/external-facts"]
THEME_SCHEME = ID["scheme/recommendation-themes"]
ACTIVITY_TYPE_SCHEME = ID["scheme/activity-types"]
SDG_SCHEME = "http://metadata.un.org/sdg"

PREFIXES = {
    "mc2cm": MC2CM,
    "programme": PROGRAMME,
    "activity": ACTIVITY,
    "outcome": OUTCOME,
    "city": CITY,
    "country": COUNTRY,
    "theme": THEME,
    "atype": ACTIVITY_TYPE,
    "org": ORG,
    "id": ID,
    "sdg": SDG,
    "sdgo": SDGO,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "prov": PROV,
    "schema": SCHEMA,
    "geo": GEO,
    "gsp": GSP,
    "geometry": GEOMETRY,
    "foaf": FOAF,
    "vann": VANN,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}


GraphT = TypeVar("GraphT", bound=Graph)


def bind_prefixes(graph: GraphT) -> GraphT:
    """Bind the project's prefixes (and only those) on an rdflib graph."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def prefix_table(extra: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(prefix, namespace) pairs, longest namespace first so ``programme:`` wins over ``id:``."""
    pairs = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    pairs.update(extra or {})
    return sorted(pairs.items(), key=lambda kv: -len(kv[1]))


_PREFIX_TABLE = prefix_table()


def compact_iri(iri: str, table: list[tuple[str, str]] = _PREFIX_TABLE) -> str | None:
    """A prefixed name (``city:sfax``, ``sdg:10.7``) for display, or None when no prefix
    gives a plain local name (letters, digits, ``-``, ``_``, ``.``)."""
    for prefix, namespace in table:
        local = iri[len(namespace):]
        if iri.startswith(namespace) and local and all(c.isalnum() or c in "-_." for c in local):
            return f"{prefix}:{local}"
    return None
