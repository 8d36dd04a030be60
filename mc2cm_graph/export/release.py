"""Facts about a release that are not in the data: version, dates, where it is published,
who to ask.

Kept here, not taken from the clock, so that exporting twice gives byte-identical files.
The version is the package's (``mc2cm_graph.__version__``, which pyproject.toml reads too);
bump RELEASE_DATE with it when cutting a release, and add its CHANGELOG.md entry.
"""

from mc2cm_graph import __version__

VERSION = __version__
# dct:issued: the first release of the dataset; dct:modified: this release.
FIRST_RELEASE_DATE = "2026-11-25"
RELEASE_DATE = "2026-11-25"

# Where dist/ is published; dcat:downloadURL = DEFAULT_BASE_URL + file name. The w3id.org
# namespace is the one the project's IRIs already use; `export --base-url` overrides it.
DEFAULT_BASE_URL = "https://w3id.org/mc2cm/dist/"
# The project's home, used as the contact point (no e-mail address is published on purpose).
# Point it at the repository's issue tracker once the repository is public.
CONTACT_URL = "https://w3id.org/mc2cm/"
# The project's home page (foaf:homepage of the catalogue and its datasets): the namespace,
# whose w3id rules open the site's entry page.
HOMEPAGE = "https://w3id.org/mc2cm/"

# MC2CM phase 2, the phase whose Targeted City Actions the brochure describes. The dates are
# those the project's external facts record for it (data/external/external-facts.trig, graph
# eg:icmpd-project, on the phase-2 resource id/project/mc2cm-phase-2; sources: ICMPD's
# MC2CM project page and the EU Trust Fund for Africa page
# on MC2CM phase II); a test checks the two agree.
TEMPORAL_START = "2018-07-01"
TEMPORAL_END = "2021-03-31"
TEMPORAL_SOURCE = ("https://trust-fund-for-africa.europa.eu/our-programmes/"
                   "mediterranean-city-city-migration-mc2cm-phase-ii_en")

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

    ontology = URIRef("https://w3id.org/mc2cm/ontology")
    return [(ontology, OWL.versionInfo, Literal(VERSION)),
            (ontology, OWL.versionIRI, URIRef(f"{ontology}/{VERSION}")),
            (ontology, DCTERMS.modified, Literal(RELEASE_DATE, datatype=XSD.date))]
