"""Facts about a release that are not in the data: version, dates, where it is published,
who to ask.

Kept here, not taken from the clock, so that exporting twice gives byte-identical files.
The version is the package's (``mc2cm_graph.__version__``, which pyproject.toml reads too);
bump RELEASE_DATE with it when cutting a release, and add its CHANGELOG.md entry.
"""

from mc2cm_graph import __version__
from mc2cm_graph.graph import iris

VERSION = __version__
# dct:issued: the first release of the dataset; dct:modified: this release.
FIRST_RELEASE_DATE = "2026-11-25"
RELEASE_DATE = "2026-11-25"

# Where dist/ is published; dcat:downloadURL = DEFAULT_BASE_URL + file name. The w3id.org
# namespace is the one the project's IRIs already use; `export --base-url` overrides it.
DEFAULT_BASE_URL = iris.DIST
# The project's home, used as the contact point (no e-mail address is published on purpose).
# Point it at the repository's issue tracker once the repository is public.
CONTACT_URL = iris.BASE
# The project's home page (foaf:homepage of the catalogue and its datasets): the namespace,
# whose w3id rules open the site's entry page.
HOMEPAGE = iris.BASE

# The temporal coverage: from the first to the last date the outside facts give for an event
# of one of the actions (schema:Event, schema:about a programme, in
# data/external/external-facts.trig): the Tangier kick-off, 2020-01-09, and the La Marsa final
# show, 2021-09-15. The brochure dates neither itself nor its actions, and does not say which
# phase of MC2CM they belong to; a test checks these agree with the events.
TEMPORAL_START = "2020-01-09"
TEMPORAL_END = "2021-09-15"

# Our country resources → EU Publications Office country authority codes (ISO 3166 alpha-3).
EU_COUNTRY_CODES = {
    "tunisia": "TUN",
    "morocco": "MAR",
    "lebanon": "LBN",
    "palestine": "PSE",
    "jordan": "JOR",
}


def ontology_version_triples() -> list[tuple]:
    """The ontology's owl:versionInfo, owl:versionIRI and dcterms:modified (the release
    date) in this release (rdflib terms)."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, OWL, XSD

    ontology = URIRef(iris.ONTOLOGY)
    return [(ontology, OWL.versionInfo, Literal(VERSION)),
            (ontology, OWL.versionIRI, URIRef(f"{ontology}/{VERSION}")),
            (ontology, DCTERMS.modified, Literal(RELEASE_DATE, datatype=XSD.date))]
