"""The DCAT-AP 3.0 (and VoID) description of the release: dist/catalog.ttl and .jsonld.

Written last, from the bytes of the files already in the output folder, so that byte sizes
and sha256 checksums describe exactly what is published beside the catalogue.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from mc2cm_graph.export import catalog_spatial, jsonld, release
from mc2cm_graph.export.external import EXTERNAL_NAME
from mc2cm_graph.graph import iris, paths
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.namespaces import COUNTRY, ID, MC2CM, SPDX, bind_prefixes
from mc2cm_graph.graph.serialize import turtle_bytes

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
VOID = Namespace("http://rdfs.org/ns/void#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's DCAT namespace predates it
DCATAP = Namespace("http://data.europa.eu/r5r/")
ADMS_TYPE = "http://purl.org/adms/"
# The licence: the EU authority IRI (what data.europa.eu's vocabulary check and DCAT-AP
# want), titled as CKAN's licence register names it ("cc-by"), the same as the CC IRI.
LICENCE = URIRef(EU + "licence/CC_BY_4_0")
LICENCE_TITLE = "Creative Commons Attribution"
LICENCE_TYPE = URIRef(ADMS_TYPE + "licencetype/Attribution")
PUBLISHER_TYPE = URIRef(ADMS_TYPE + "publishertype/NonProfitOrganisation")
AVAILABILITY = URIRef(EU + "planned-availability/STABLE")
THEME_SCHEME = URIRef(EU + "data-theme")
EXTRA_PREFIXES = {"vcard": VCARD, "spdx": SPDX, "void": VOID, "dcatap": DCATAP,
                  "locn": catalog_spatial.LOCN, "gsp": catalog_spatial.GSP}
CATALOG_CONTEXT_FILE = paths.PACKAGE_DIR / "export" / "catalog-context.jsonld"

CATALOG = ID["catalog"]
DATASET = ID["dataset/mc2cm"]
EXTERNAL_DATASET = ID["dataset/mc2cm-external"]
PUBLISHER = ID["agent/mc2cm-graph"]
CONTACT = ID["agent/mc2cm-graph/contact"]
RIGHTS = ID["rights/mc2cm-graph"]
EXTERNAL_RIGHTS = ID["rights/mc2cm-external"]
PERIOD = ID["period/dated-events-of-the-actions"]
# The outside-facts dataset's own span: every date its TriG gives (the project's phase 2
# begins before the actions' first dated event).
EXTERNAL_PERIOD = ID["period/dates-of-the-outside-facts"]
ONTOLOGY = URIRef(iris.ONTOLOGY)
BROCHURE = ID["source/brochure-ar"]
PROJECT = ID["project/mc2cm"]


def _texts(en: str, fr: str, ar: str) -> list[Literal]:
    return [Literal(ar, lang="ar"), Literal(en, lang="en"), Literal(fr, lang="fr")]


# File name → (IANA media type, EU file-type code, title en/fr/ar).
DISTRIBUTIONS = {
    "mc2cm.ttl": ("text/turtle", "RDF_TURTLE", (
        "The knowledge graph in Turtle", "Le graphe de connaissances en Turtle",
        "المخطط المعرفي بصيغة Turtle")),
    "mc2cm.nt": ("application/n-triples", "RDF_N_TRIPLES", (
        "The knowledge graph in N-Triples (sorted lines)",
        "Le graphe de connaissances en N-Triples (lignes triées)",
        "المخطط المعرفي بصيغة N-Triples (أسطر مرتّبة)")),
    "mc2cm.jsonld": ("application/ld+json", "JSON_LD", (
        "The knowledge graph in JSON-LD (with context.jsonld)",
        "Le graphe de connaissances en JSON-LD (avec context.jsonld)",
        "المخطط المعرفي بصيغة JSON-LD (مع context.jsonld)")),
    "mc2cm-external.trig": ("application/trig", "RDF_TRIG", (
        "Facts from outside the brochure, in TriG (one named graph per source)",
        "Faits extérieurs à la brochure, en TriG (un graphe nommé par source)",
        "معلومات من خارج الكتيّب بصيغة TriG (مخطط مسمّى لكل مصدر)")),
    "places.geojson": ("application/geo+json", "GEOJSON", (
        "The places with their programmes in GeoJSON (RFC 7946: longitude, latitude)",
        "Les lieux et leurs programmes en GeoJSON (RFC 7946 : longitude, latitude)",
        "الأماكن وبرامجها بصيغة GeoJSON (RFC 7946: خط الطول ثم خط العرض)")),
}
# A short name per EU file type, for harvesters that show one (CKAN's resource format).
FORMAT_LABELS = {"RDF_TURTLE": "Turtle", "RDF_N_TRIPLES": "N-Triples", "JSON_LD": "JSON-LD",
                 "RDF_TRIG": "TriG", "GEOJSON": "GeoJSON"}
# The standard a file follows, where it is not our ontology's RDF.
CONFORMS_TO = {"places.geojson": URIRef("https://www.rfc-editor.org/rfc/rfc7946")}
# Which dataset each file is a distribution of (default: DATASET).
DISTRIBUTION_OF = {"mc2cm-external.trig": EXTERNAL_DATASET}

# EU data themes (http://publications.europa.eu/resource/authority/data-theme).
DATA_THEMES = {
    "SOCI": "Population and society",
    "GOVE": "Government and public sector",
    "REGI": "Regions and cities",
}

KEYWORDS = {
    "en": ["migration", "cities", "local governance", "Mediterranean", "MC2CM",
           "Sustainable Development Goals", "linked data"],
    "fr": ["migration", "villes", "gouvernance locale", "Méditerranée", "MC2CM",
           "objectifs de développement durable", "données liées"],
    "ar": ["الهجرة", "المدن", "الحوكمة المحلية", "البحر الأبيض المتوسط",
           "الهجرة بين المدن المتوسطية", "أهداف التنمية المستدامة", "البيانات المترابطة"],
}

EXTERNAL_KEYWORDS = {
    "en": ["migration", "cities", "MC2CM", "provenance", "named graphs"],
    "fr": ["migration", "villes", "MC2CM", "provenance", "graphes nommés"],
    "ar": ["الهجرة", "المدن", "الهجرة بين المدن المتوسطية", "المصدر", "المخططات المسمّاة"],
}

RIGHTS_TEXT = _texts(
    "The Arabic texts (titles, objectives, activities, results) are quoted from the brochure "
    "'Mediterranean City-to-City Migration – Targeted City Actions' by MC2CM, a project "
    "implemented by ICMPD, UCLG and UN-Habitat and funded by the European Union. The brochure "
    "states no licence, so the reuse terms of its text are unknown: ask MC2CM before reusing "
    "it beyond quotation. The data modelling, the English and French translations, the "
    "classifications and the coordinates are by the mc2cm-graph project and are published "
    "under CC BY 4.0.",
    "Les textes arabes (titres, objectifs, activités, résultats) sont cités de la brochure "
    "« Migration ville à ville en Méditerranée – Actions ciblées dans les villes » du MC2CM, "
    "projet mis en œuvre par l'ICMPD, CGLU et ONU-Habitat et financé par l'Union européenne. "
    "La brochure n'indique aucune licence : les conditions de réutilisation de son texte sont "
    "inconnues ; demandez au MC2CM avant de le réutiliser au-delà de la citation. La "
    "modélisation, les traductions anglaises et françaises, les classifications et les "
    "coordonnées sont du projet mc2cm-graph et publiées sous licence CC BY 4.0.",
    "النصوص العربية (العناوين والأهداف والأنشطة والنتائج) مقتبسة من كتيّب «الهجرة بين المدن "
    "المتوسطية – برامج العمل في المدن المستهدفة» الصادر عن مشروع الهجرة بين المدن المتوسطية "
    "الذي ينفّذه المركز الدولي لتطوير سياسات الهجرة ومنظمة المدن والحكومات المحلية المتحدة "
    "وموئل الأمم المتحدة بتمويل من الاتحاد الأوروبي. لا يذكر الكتيّب أي ترخيص، لذا فإن شروط "
    "إعادة استخدام نصّه غير معروفة. أما النمذجة والترجمات الإنجليزية والفرنسية والتصنيفات "
    "والإحداثيات فهي من عمل مشروع mc2cm-graph وتُنشر بموجب ترخيص CC BY 4.0.",
)


def _description(programmes: int) -> list[Literal]:
    return _texts(
        f"The Targeted City Actions (programmes; {programmes} in this release) of the "
        "Mediterranean City-to-City Migration project (MC2CM), as described in its Arabic "
        "brochure, with "
        "their places, activities, results, MC2CM policy-recommendation themes and the UN "
        "Sustainable Development Goal targets they serve. The Arabic text is the brochure's; "
        "the English and French texts are translations by the mc2cm-graph project.",
        f"Les actions ciblées dans les villes (programmes ; {programmes} dans cette version) "
        "du projet Migration ville à ville en Méditerranée (MC2CM), telles que les décrit sa "
        "brochure en arabe, avec leurs lieux, activités, résultats, thèmes de recommandation "
        "du MC2CM et les "
        "cibles des objectifs de développement durable de l'ONU qu'elles servent. Le texte "
        "arabe est celui de la brochure ; les textes anglais et français sont des traductions "
        "du projet mc2cm-graph.",
        f"برامج العمل في المدن المستهدفة (عددها في هذا الإصدار: {programmes}) لمشروع الهجرة "
        "بين المدن المتوسطية، "
        "كما يصفها الكتيّب العربي، مع أماكنها وأنشطتها ونتائجها ومحاور التوصيات وغايات أهداف "
        "التنمية المستدامة التي تساهم فيها. النص العربي هو نص الكتيّب، والنصوص الإنجليزية "
        "والفرنسية ترجمات من مشروع mc2cm-graph.",
    )


def _add_texts(graph: Graph, subject, predicate, literals) -> None:
    for literal in literals:
        graph.add((subject, predicate, literal))


def _agents(graph: Graph) -> None:
    graph.add((PUBLISHER, RDF.type, FOAF.Agent))
    graph.add((PUBLISHER, DCTERMS.type, PUBLISHER_TYPE))
    graph.add((PUBLISHER_TYPE, RDF.type, SKOS.Concept))
    graph.add((PUBLISHER_TYPE, SKOS.prefLabel, Literal("Non-Profit Organisation", lang="en")))
    _add_texts(graph, PUBLISHER, FOAF.name, _texts(
        "mc2cm-graph project", "projet mc2cm-graph", "مشروع mc2cm-graph"))
    _add_texts(graph, PUBLISHER, RDFS.comment, _texts(
        "The open-data project that turned the MC2CM brochure into this knowledge graph. It "
        "is not MC2CM and does not speak for ICMPD, UCLG, UN-Habitat or the European Union.",
        "Le projet de données ouvertes qui a fait de la brochure du MC2CM ce graphe de "
        "connaissances. Il n'est pas le MC2CM et ne parle ni pour l'ICMPD, ni pour CGLU, ni "
        "pour ONU-Habitat, ni pour l'Union européenne.",
        "مشروع البيانات المفتوحة الذي حوّل كتيّب مشروع الهجرة بين المدن المتوسطية إلى هذا "
        "المخطط المعرفي. وهو ليس جزءًا من المشروع ولا يتحدث باسم شركائه ولا باسم الاتحاد "
        "الأوروبي."))
    graph.add((CONTACT, RDF.type, VCARD.Kind))
    graph.add((CONTACT, VCARD.fn, Literal("mc2cm-graph project")))
    graph.add((CONTACT, VCARD.hasURL, URIRef(release.CONTACT_URL)))


def _rights(graph: Graph) -> None:
    graph.add((RIGHTS, RDF.type, DCTERMS.RightsStatement))
    _add_texts(graph, RIGHTS, RDFS.label, RIGHTS_TEXT)
    graph.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    graph.add((LICENCE, DCTERMS.title, Literal(LICENCE_TITLE, lang="en")))
    graph.add((LICENCE, RDFS.label, Literal("Creative Commons Attribution 4.0 International")))
    graph.add((LICENCE, DCTERMS.identifier, Literal("CC-BY-4.0")))  # SPDX licence id
    graph.add((LICENCE, SKOS.exactMatch, CC_BY))
    graph.add((LICENCE, DCTERMS.type, LICENCE_TYPE))
    graph.add((LICENCE_TYPE, RDF.type, SKOS.Concept))
    graph.add((LICENCE_TYPE, SKOS.prefLabel, Literal("Attribution", lang="en")))
    public = URIRef(EU + "access-right/PUBLIC")
    graph.add((public, RDF.type, DCTERMS.RightsStatement))
    graph.add((public, RDFS.label, Literal("public", lang="en")))


def _countries(project) -> dict[URIRef, URIRef]:
    """EU country IRI → our country IRI, for the countries the programmes take place in."""
    rows = project.query_release(f"""SELECT DISTINCT ?country WHERE {{
        ?programme <{MC2CM.locatedIn}> ?place .
        {{ ?place a <{MC2CM.Country}> BIND(?place AS ?country) }}
        UNION {{ ?place <{MC2CM.inCountry}> ?country }} }}""")
    codes = {}
    for country in sorted(row[0].value for row in rows):
        slug = country.removeprefix(str(COUNTRY))
        if slug not in release.EU_COUNTRY_CODES:
            raise Mc2cmError(
                f"no EU country code for {country}",
                file=Path(release.__file__),
                hint="add the country's ISO 3166 alpha-3 code to EU_COUNTRY_CODES",
            )
        codes[URIRef(f"{EU}country/{release.EU_COUNTRY_CODES[slug]}")] = URIRef(country)
    return codes


def _coverage(graph: Graph, project) -> None:
    spatial = catalog_spatial.add_locations(graph, project, _countries(project))
    for dataset in (DATASET, EXTERNAL_DATASET, CATALOG):
        for location in spatial:
            graph.add((dataset, DCTERMS.spatial, location))
    _temporal(graph)
    _external_temporal(graph, project)
    _themes(graph)


def _temporal(graph: Graph) -> None:
    graph.add((DATASET, DCTERMS.temporal, PERIOD))
    graph.add((PERIOD, RDF.type, DCTERMS.PeriodOfTime))
    graph.add((PERIOD, DCAT.startDate, Literal(release.TEMPORAL_START, datatype=XSD.date)))
    graph.add((PERIOD, DCAT.endDate, Literal(release.TEMPORAL_END, datatype=XSD.date)))
    graph.add((PERIOD, RDFS.label, Literal("Dated events of the actions", lang="en")))
    graph.add((PERIOD, RDFS.comment, Literal(
        "From the first to the last date that mc2cm-external.trig gives for an event of one of "
        "the actions (the Tangier kick-off; the La Marsa final show). The brochure dates "
        "neither itself nor its actions.", lang="en")))


def _outside_dates(project) -> list[str]:
    """Every xsd:date the outside-facts file gives, sorted (none without the file)."""
    import pyoxigraph as ox

    from mc2cm_graph.export.external import external_facts_file

    source = external_facts_file(project)
    if source is None:
        return []
    dates = {quad.object.value for quad in ox.parse(path=str(source), format=ox.RdfFormat.TRIG)
             if isinstance(quad.object, ox.Literal)
             and quad.object.datatype == ox.NamedNode(str(XSD.date))}
    return sorted(dates)


def _external_temporal(graph: Graph, project) -> None:
    dates = _outside_dates(project)
    if not dates:
        return
    graph.add((EXTERNAL_DATASET, DCTERMS.temporal, EXTERNAL_PERIOD))
    graph.add((EXTERNAL_PERIOD, RDF.type, DCTERMS.PeriodOfTime))
    graph.add((EXTERNAL_PERIOD, DCAT.startDate, Literal(dates[0], datatype=XSD.date)))
    graph.add((EXTERNAL_PERIOD, DCAT.endDate, Literal(dates[-1], datatype=XSD.date)))
    graph.add((EXTERNAL_PERIOD, RDFS.label, Literal("Dates of the outside facts", lang="en")))
    graph.add((EXTERNAL_PERIOD, RDFS.comment, Literal(
        "From the first to the last date that mc2cm-external.trig gives (MC2CM phase 2 "
        "begins on the first; the La Marsa final show is the last).", lang="en")))


def _themes(graph: Graph) -> None:
    scheme = THEME_SCHEME
    graph.add((CATALOG, DCAT.themeTaxonomy, scheme))
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal("Data theme", lang="en")))
    for code, label in DATA_THEMES.items():
        theme = URIRef(f"{EU}data-theme/{code}")
        graph.add((DATASET, DCAT.theme, theme))
        graph.add((EXTERNAL_DATASET, DCAT.theme, theme))
        graph.add((theme, RDF.type, SKOS.Concept))
        graph.add((theme, SKOS.prefLabel, Literal(label, lang="en")))
        graph.add((theme, SKOS.inScheme, scheme))
    for code in ("ARA", "ENG", "FRA"):
        language = URIRef(f"{EU}language/{code}")
        graph.add((DATASET, DCTERMS.language, language))
        graph.add((language, RDF.type, DCTERMS.LinguisticSystem))


def file_digest(path: Path, algorithm: str = "sha256") -> str:
    """The hex digest of a file, read in chunks (the release files are hundreds of
    megabytes at 100k programmes)."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as data:
        for chunk in iter(lambda: data.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_facts(path: Path) -> tuple[int, str]:
    """(byte size, sha256 hex digest) of a file."""
    return Path(path).stat().st_size, file_digest(path)


def _distribution(graph: Graph, name: str, facts: tuple[int, str], base_url: str) -> URIRef:
    media_type, file_type, titles = DISTRIBUTIONS[name]
    dataset = DISTRIBUTION_OF.get(name, DATASET)
    node = URIRef(f"{dataset}/distribution/{name}")
    graph.add((dataset, DCAT.distribution, node))
    url = URIRef(base_url + name)
    graph.add((node, RDF.type, DCAT.Distribution))
    _add_texts(graph, node, DCTERMS.title, _texts(*titles))
    _add_texts(graph, node, DCTERMS.description, _distribution_description(name, titles))
    graph.add((node, DCAT.accessURL, url))
    graph.add((node, DCAT.downloadURL, url))
    media = URIRef(IANA + media_type)
    graph.add((node, DCAT.mediaType, media))
    graph.add((media, RDF.type, DCTERMS.MediaType))
    graph.add((media, RDFS.label, Literal(media_type)))
    file_format = URIRef(f"{EU}file-type/{file_type}")
    graph.add((node, DCTERMS.format, file_format))
    graph.add((file_format, RDF.type, DCTERMS.MediaTypeOrExtent))
    # dct:IMT with rdf:value and rdfs:label: the form CKAN's DCAT parser reads a short
    # format name from (it shows the IRI otherwise).
    graph.add((file_format, RDF.type, DCTERMS.IMT))
    graph.add((file_format, RDF.value, Literal(media_type)))
    graph.add((file_format, RDFS.label, Literal(FORMAT_LABELS[file_type])))
    graph.add((node, DCATAP.availability, AVAILABILITY))
    graph.add((AVAILABILITY, RDF.type, SKOS.Concept))
    graph.add((AVAILABILITY, SKOS.prefLabel, Literal("stable", lang="en")))
    size, sha256 = facts
    graph.add((node, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
    checksum = BNode(f"sha256-{name.replace('.', '-')}")
    graph.add((node, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    graph.add((checksum, SPDX.checksumValue,
               Literal(sha256, datatype=XSD.hexBinary)))
    graph.add((node, DCTERMS.license, LICENCE))
    graph.add((node, DCTERMS.rights, EXTERNAL_RIGHTS if dataset == EXTERNAL_DATASET else RIGHTS))
    graph.add((node, DCTERMS.issued, Literal(release.RELEASE_DATE, datatype=XSD.date)))
    graph.add((node, DCTERMS.modified, Literal(release.RELEASE_DATE, datatype=XSD.date)))
    standard = CONFORMS_TO.get(name, ONTOLOGY)
    graph.add((node, DCTERMS.conformsTo, standard))
    if standard != ONTOLOGY:
        graph.add((standard, RDF.type, DCTERMS.Standard))
    return node


def _distribution_description(name: str, titles: tuple[str, str, str]) -> list[Literal]:
    en, fr, ar = titles
    return _texts(f"{en}: the file {name} of this release, UTF-8; its size and sha256 "
                  "checksum are given here.",
                  f"{fr} : le fichier {name} de cette version, en UTF-8 ; sa taille et sa "
                  "somme de contrôle sha256 sont données ici.",
                  f"{ar}: الملف {name} من هذا الإصدار بترميز UTF-8، مع حجمه ومجموع "
                  "التحقق sha256.")


def _versions_and_homepage(graph: Graph, node: URIRef) -> None:
    """dcat:version (DCAT 3) and owl:versionInfo (DCAT-AP 2, which harvesters still read);
    foaf:homepage: the project's home (the w3id namespace, which opens the site)."""
    graph.add((node, DCAT_VERSION, Literal(release.VERSION)))
    graph.add((node, OWL.versionInfo, Literal(release.VERSION)))
    graph.add((node, FOAF.homepage, URIRef(release.HOMEPAGE)))


def _count(project, select: str) -> int:
    return int(next(iter(project.query_release(f"SELECT (COUNT(*) AS ?n) WHERE {{ {select} }}")))
               ["n"].value)


@dataclass(frozen=True)
class VoidCounts:
    """The VoID statistics of a release, counted by the store: the catalogue's one costly
    part at scale (a second at 10k programmes), so the build counts them in a worker
    beside the exporters (export/pipeline.py) and hands them to ``export_catalog``."""

    triples: int
    entities: int
    subjects: int
    properties: int
    classes: tuple[tuple[str, int], ...]  # (class IRI, entities), by IRI


def void_counts(project) -> VoidCounts:
    """The release's VoID statistics (the same triples as every mc2cm.* file)."""
    rows = project.query_release(f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        ?s <{RDF.type}> ?class FILTER isIRI(?s) }} GROUP BY ?class""")
    return VoidCounts(
        triples=project.release_triple_count(),
        entities=_count(project, "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER isIRI(?s) }"),
        subjects=_count(project, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"),
        properties=_count(project, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"),
        classes=tuple(sorted((row["class"].value, int(row["n"].value)) for row in rows)))


def _void(graph: Graph, counts: VoidCounts) -> None:
    graph.add((DATASET, RDF.type, VOID.Dataset))
    for predicate, n in ((VOID.triples, counts.triples), (VOID.entities, counts.entities),
                         (VOID.distinctSubjects, counts.subjects),
                         (VOID.properties, counts.properties)):
        graph.add((DATASET, predicate, Literal(n)))
    graph.add((DATASET, VOID.uriSpace, Literal(str(ID))))
    for iri, n in counts.classes:
        cls = URIRef(iri)
        partition = URIRef(f"{DATASET}/class/{_partition_name(cls)}")
        graph.add((DATASET, VOID.classPartition, partition))
        graph.add((partition, RDF.type, VOID.Dataset))
        graph.add((partition, VOID["class"], cls))
        graph.add((partition, VOID.entities, Literal(n)))


def _partition_name(cls: URIRef) -> str:
    compact = jsonld.load_context().compact_iri(str(cls))
    return compact.replace(":", "-") if compact != str(cls) else hashlib.sha1(
        compact.encode()).hexdigest()[:12]


def _dataset(graph: Graph, project) -> None:
    graph.add((DATASET, RDF.type, DCAT.Dataset))
    _add_texts(graph, DATASET, DCTERMS.title, _texts(
        "MC2CM Targeted City Actions knowledge graph",
        "Graphe de connaissances des actions ciblées dans les villes du MC2CM",
        "المخطط المعرفي لبرامج العمل في المدن المستهدفة لمشروع الهجرة بين المدن المتوسطية"))
    programmes = _count(project, f"SELECT DISTINCT ?p WHERE {{ ?p a <{MC2CM.Programme}> }}")
    _add_texts(graph, DATASET, DCTERMS.description, _description(programmes))
    for lang, words in KEYWORDS.items():
        for word in words:
            graph.add((DATASET, DCAT.keyword, Literal(word, lang=lang)))
    graph.add((DATASET, DCTERMS.publisher, PUBLISHER))
    graph.add((DATASET, DCTERMS.creator, PUBLISHER))
    graph.add((DATASET, DCAT.contactPoint, CONTACT))
    graph.add((DATASET, DCTERMS.rights, RIGHTS))
    graph.add((DATASET, DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC")))
    _versions_and_homepage(graph, DATASET)
    graph.add((DATASET, DCTERMS.issued, Literal(release.FIRST_RELEASE_DATE, datatype=XSD.date)))
    graph.add((DATASET, DCTERMS.modified, Literal(release.RELEASE_DATE, datatype=XSD.date)))
    graph.add((DATASET, DCTERMS.conformsTo, ONTOLOGY))
    graph.add((ONTOLOGY, RDF.type, DCTERMS.Standard))
    # dct:source would claim the brochure is a dcat:Dataset (DCAT-AP's range for it).
    graph.add((DATASET, PROV.wasDerivedFrom, BROCHURE))
    graph.add((DATASET, DCTERMS.relation, PROJECT))


def _external_dataset(graph: Graph) -> None:
    """The facts from outside the brochure: a dataset of their own, related to the main one."""
    node = EXTERNAL_DATASET
    graph.add((node, RDF.type, DCAT.Dataset))
    _add_texts(graph, node, DCTERMS.title, _texts(
        "MC2CM facts from outside the brochure", "Faits sur le MC2CM extérieurs à la brochure",
        "معلومات عن مشروع الهجرة بين المدن المتوسطية من خارج الكتيّب"))
    _add_texts(graph, node, DCTERMS.description, _texts(
        "Statements about MC2CM and some of its Targeted City Actions taken from public web "
        "pages (project pages, news, partner sites), one named graph per source with the "
        "source's address or citation. Kept apart from the main dataset, whose authority is "
        "the brochure.",
        "Des énoncés sur le MC2CM et certaines de ses actions ciblées tirés de pages web "
        "publiques (pages de projet, actualités, sites des partenaires), un graphe nommé par "
        "source avec son adresse ou sa référence. Tenus à part du jeu principal, dont "
        "l'autorité est la brochure.",
        "معلومات عن مشروع الهجرة بين المدن المتوسطية وبعض برامجه مأخوذة من صفحات ويب عامة، "
        "مخطط مسمّى لكل مصدر مع عنوانه أو مرجعه، وهي منفصلة عن مجموعة البيانات الرئيسية التي "
        "مرجعها الكتيّب."))
    for predicate, value in ((DCTERMS.publisher, PUBLISHER), (DCAT.contactPoint, CONTACT),
                             (DCTERMS.rights, EXTERNAL_RIGHTS), (DCTERMS.relation, DATASET),
                             (DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC"))):
        graph.add((node, predicate, value))
    graph.add((node, DCTERMS.issued, Literal(release.FIRST_RELEASE_DATE, datatype=XSD.date)))
    graph.add((node, DCTERMS.modified, Literal(release.RELEASE_DATE, datatype=XSD.date)))
    _versions_and_homepage(graph, node)
    for lang, words in EXTERNAL_KEYWORDS.items():
        for word in words:
            graph.add((node, DCAT.keyword, Literal(word, lang=lang)))
    graph.add((EXTERNAL_RIGHTS, RDF.type, DCTERMS.RightsStatement))
    _add_texts(graph, EXTERNAL_RIGHTS, RDFS.label, _texts(
        "Facts compiled by the mc2cm-graph project from the public pages each named graph "
        "cites; the compilation is published under CC BY 4.0. The cited pages keep their own "
        "terms.",
        "Faits rassemblés par le projet mc2cm-graph à partir des pages publiques que cite "
        "chaque graphe nommé ; la compilation est publiée sous CC BY 4.0. Les pages citées "
        "gardent leurs propres conditions.",
        "معلومات جمعها مشروع mc2cm-graph من الصفحات العامة التي يذكرها كل مخطط مسمّى، وتُنشر "
        "هذه المجموعة بموجب ترخيص CC BY 4.0، وتبقى للصفحات المذكورة شروطها الخاصة."))


def catalog_graph(project, files: dict[str, tuple[int, str]], base_url: str,
                  counts: VoidCounts | None = None) -> Graph:
    """The catalogue, its one dataset (the release of ``project``, a ProjectStore, counted
    by SPARQL; ``counts``: its VoID statistics if counted already) and a distribution per
    published data file (``files``: name → (byte size, sha256)). A small graph, built with
    rdflib."""
    graph = bind_prefixes(Graph())
    for prefix, namespace in EXTRA_PREFIXES.items():
        graph.bind(prefix, namespace)
    _agents(graph)
    _rights(graph)
    _dataset(graph, project)
    _void(graph, counts or void_counts(project))
    if EXTERNAL_NAME in files:
        _external_dataset(graph)
    _coverage(graph, project)
    if EXTERNAL_NAME not in files:  # no external dataset: no coverage of it either
        graph.remove((EXTERNAL_DATASET, None, None))
    for name in sorted(files):
        _distribution(graph, name, files[name], base_url)
    graph.add((DATASET, DCAT.landingPage, URIRef(base_url + "site/index.html")))
    graph.add((URIRef(base_url + "site/index.html"), RDF.type, FOAF.Document))
    graph.add((CATALOG, RDF.type, DCAT.Catalog))
    _add_texts(graph, CATALOG, DCTERMS.title, _texts(
        "mc2cm-graph open-data catalogue", "Catalogue de données ouvertes mc2cm-graph",
        "فهرس البيانات المفتوحة لمشروع mc2cm-graph"))
    _add_texts(graph, CATALOG, DCTERMS.description, _texts(
        "The datasets published by the mc2cm-graph project.",
        "Les jeux de données publiés par le projet mc2cm-graph.",
        "مجموعات البيانات التي ينشرها مشروع mc2cm-graph."))
    graph.add((CATALOG, DCTERMS.publisher, PUBLISHER))
    graph.add((CATALOG, DCTERMS.license, LICENCE))
    graph.add((CATALOG, FOAF.homepage, URIRef(release.HOMEPAGE)))
    graph.add((URIRef(release.HOMEPAGE), RDF.type, FOAF.Document))
    graph.add((CATALOG, DCTERMS.issued, Literal(release.FIRST_RELEASE_DATE, datatype=XSD.date)))
    graph.add((CATALOG, DCTERMS.modified, Literal(release.RELEASE_DATE, datatype=XSD.date)))
    for dataset in sorted(graph.subjects(RDF.type, DCAT.Dataset)):
        graph.add((CATALOG, DCAT.dataset, dataset))
    for language in graph.objects(DATASET, DCTERMS.language):
        graph.add((CATALOG, DCTERMS.language, language))
    return graph


def export_catalog(project, out_dir: Path, written: list[Path], *,
                   base_url: str | None = None, counts: VoidCounts | None = None
                   ) -> list[Path]:
    """dist/catalog.ttl and dist/catalog.jsonld (its context embedded, for harvesters), and
    dist/catalog-dcat-ap-2.ttl (the same in DCAT-AP 2.1.1, export/dcat_ap2.py).
    ``counts``: the release's VoID statistics (void_counts), if counted already."""
    out_dir = Path(out_dir)
    base_url = base_url or release.DEFAULT_BASE_URL
    if not base_url.endswith("/"):
        base_url += "/"
    described = [p for p in written if p.parent == out_dir and p.name in DISTRIBUTIONS]
    files = {p.name: file_facts(p) for p in described}
    graph = catalog_graph(project, files, base_url, counts)
    ttl = out_dir / "catalog.ttl"
    ttl.write_bytes(turtle_bytes(graph, EXTRA_PREFIXES))
    context = json.loads(CATALOG_CONTEXT_FILE.read_text(encoding="utf-8"))
    doc = jsonld.document(graph, jsonld.Context(context), context["@context"])
    target = out_dir / "catalog.jsonld"
    target.write_bytes(jsonld.dumps(doc))
    from mc2cm_graph.export.dcat_ap2 import export_dcat_ap2

    sha1 = {path.name: file_digest(path, "sha1") for path in described}
    return [ttl, target, export_dcat_ap2(graph, out_dir, sha1, EXTRA_PREFIXES)]
