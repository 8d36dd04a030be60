"""Findings of a line-by-line audit of the graph against the brochure (and the outside
sources): each test would have caught the slip it is named after."""

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.load import load_graph
from mc2cm_graph.graph.namespaces import ACTIVITY, GEO, MC2CM, ORG, PROGRAMME, SCHEMA
from mc2cm_graph.graph.source_text import mended_brochure_text
from tests.data.test_data_brochure import BROCHURE

PROGRAMME_SLUGS = sorted(BROCHURE)

EXTERNAL_FACTS = paths.DATA_DIR / "external" / "external-facts.trig"


@pytest.fixture(scope="module")
def data():
    return load_graph(paths.data_files())


@pytest.fixture(scope="module")
def external():
    dataset = Dataset(default_union=True)
    dataset.parse(EXTERNAL_FACTS, format="trig")
    return dataset


def texts(graph, node, prop):
    return {v.language: str(v) for v in graph.objects(node, prop)}


# --- Programme 3: title and subtitle ----------------------------------------------------------

def test_programme_3_title_is_governance_and_interculturality(data):
    programme = PROGRAMME["mediterranean-cities-diverse-cities"]
    assert texts(data, programme, RDFS.label)["ar"] == "الحوكمة وتعدّد الثقافات"
    assert texts(data, programme, MC2CM.subtitle)["ar"] == "مدن متوسطية؛ مدن متنوعة"


def test_programme_3_title_and_subtitle_read_as_the_outside_french_title(data, external):
    """« Gouvernance et Interculturalité : villes méditerranéennes, villes diverses »: the
    title before the colon, the subtitle after it."""
    programme = PROGRAMME["mediterranean-cities-diverse-cities"]
    outside = {str(v) for v in external.objects(programme, SCHEMA.alternateName)
               if v.language == "fr"}
    assert len(outside) == 1
    title, subtitle = (part.strip().lower() for part in outside.pop().split(":"))
    assert texts(data, programme, RDFS.label)["fr"].lower() == title
    assert texts(data, programme, MC2CM.subtitle)["fr"].lower() == subtitle


# --- Casablanca, activity 2: the counts the brochure states ------------------------------------

def test_casablanca_activity_2_states_two_counts_each_with_what_it_counts(data):
    """«دورة تدريبية … و3 دورات تدريبية …»: two quantity nodes, each with the brochure's
    words for what it counts; no plain value a SUM over trainingCourseCount could add."""
    activity = ACTIVITY["casablanca-migration-2"]
    nodes = list(data.objects(activity, MC2CM.hasStatedQuantity))
    found = sorted((data.value(n, SCHEMA.value).toPython(), str(data.value(n, SCHEMA.description)))
                   for n in nodes)
    assert [value for value, _ in found] == [1, 3]
    assert all(data.value(n, SCHEMA.propertyID) == MC2CM.trainingCourseCount for n in nodes)
    label = texts(data, activity, RDFS.label)["ar"]
    brochure = mended_brochure_text()
    for value, counts in found:
        assert counts in brochure and counts in label
        assert (f"3 {counts}" in label) == (value == 3)
    assert list(data.objects(activity, MC2CM.trainingCourseCount)) == []


# --- Dates and attributions outside the brochure: what the sources say, no stronger ------------

PROJECT = URIRef("https://w3id.org/mc2cm/id/project/mc2cm")
PHASE_2 = URIRef("https://w3id.org/mc2cm/id/project/mc2cm-phase-2")
DATES = (SCHEMA.startDate, SCHEMA.endDate, SCHEMA.foundingDate)


def test_phase_2_dates_are_on_phase_2_a_part_of_the_project(external):
    assert list(external.objects(PROJECT, SCHEMA.startDate)) == []
    assert list(external.objects(PROJECT, SCHEMA.endDate)) == []
    assert {str(external.value(PHASE_2, p)) for p in (SCHEMA.startDate, SCHEMA.endDate)} == {
        "2018-07-01", "2021-03-31"}
    assert (PHASE_2, DCTERMS.isPartOf, PROJECT) in external
    assert (PHASE_2, SCHEMA.isPartOf, PROJECT) in external


def test_no_programme_carries_a_date_or_name_that_is_another_resources(external):
    """A kick-off is not a start; the Beirut cell's name and launch are the cell's."""
    for programme in set(external.subjects()) & set(PROGRAMME[s] for s in PROGRAMME_SLUGS):
        for prop in DATES:
            assert list(external.objects(programme, prop)) == [], (programme, prop)
    beirut = PROGRAMME["beirut-social-protection"]
    assert "Beirut Municipal Social Cell" not in {
        str(v) for v in external.objects(beirut, SCHEMA.alternateName)}


def test_the_beirut_cell_is_its_own_resource_with_its_name_and_launch_date(external):
    cell = ORG["beirut-municipal-social-cell"]
    assert str(external.value(cell, SCHEMA.name)) == "Beirut Municipal Social Cell"
    assert str(external.value(cell, SCHEMA.foundingDate)) == "2021-03-02"
    assert (ACTIVITY["beirut-social-protection-1"], SCHEMA.result, cell) in external


def test_the_tangier_kick_off_is_an_event_about_the_programme(external):
    kick_off = URIRef("https://w3id.org/mc2cm/id/event/tangier-dar-kick-off")
    assert (kick_off, SCHEMA.about, PROGRAMME["tangier-dar"]) in external
    assert str(external.value(kick_off, SCHEMA.startDate)) == "2020-01-09"


def test_famsi_and_anmar_are_partners_not_implementers(external):
    programme = PROGRAMME["mediterranean-cities-diverse-cities"]
    assert list(external.objects(programme, MC2CM.implementedBy)) == []
    associated = set(external.objects(programme, PROV.wasAssociatedWith))
    assert {ORG.famsi, ORG.anmar} <= associated


EG = "https://w3id.org/mc2cm/id/graph/external/"


def test_outside_arabic_names_are_the_brochures_or_marked_ours():
    """An Arabic name in the outside facts sits in the graph sourced to the brochure (and is
    verbatim there) or in the graph of our own renderings; no source graph holds one."""
    dataset = Dataset()
    dataset.parse(EXTERNAL_FACTS, format="trig")
    brochure = mended_brochure_text()
    found = {}
    for s, _p, o, g in dataset.quads((None, None, None, None)):
        if getattr(o, "language", None) == "ar":
            found.setdefault(str(g.identifier if hasattr(g, "identifier") else g), []).append(
                (s, str(o)))
    assert set(found) == {EG + "brochure", EG + "ours"}
    assert all(name in brochure for _, name in found[EG + "brochure"])
    assert {name for _, name in found[EG + "ours"]} == {
        "المرحلة الثانية من مشروع الهجرة بين المدن المتوسطية", "الحسيمة"}
    assert "المتوسطيّة" not in EXTERNAL_FACTS.read_text(encoding="utf-8")
    graphs = {str(s) for s in dataset.subjects(RDF.type, PROV.Entity)}
    assert {EG + "brochure", EG + "ours"} <= graphs


def test_only_agents_are_associated_with_programmes(data, external):
    places = {p for cls in (MC2CM.Country, MC2CM.City, MC2CM.District, MC2CM.Region)
              for p in (set(data.subjects(RDF.type, cls)) | set(external.subjects(RDF.type, cls)))}
    agents = set(external.objects(None, PROV.wasAssociatedWith))
    assert agents and not agents & places
    assert all((agent, RDF.type, MC2CM.Organisation) in external for agent in agents)


def test_every_arabic_place_name_is_the_brochures_unless_marked_ours(data):
    brochure = mended_brochure_text()
    ours = set()
    for place in {p for cls in (MC2CM.Country, MC2CM.City, MC2CM.District, MC2CM.Region)
                  for p in data.subjects(RDF.type, cls)}:
        name = texts(data, place, SKOS.prefLabel)["ar"]
        marked = any(str(n).startswith("Arabic name ours")
                     for n in data.objects(place, SKOS.editorialNote))
        assert (name in brochure) != marked, (place, name)
        if marked:
            ours.add(name)
    assert ours == {"تونس", "الأردن", "فلسطين"}


# --- Translations, each against the Arabic -----------------------------------------------------

def _text(data, iri, prop, lang):
    return texts(data, URIRef("https://w3id.org/mc2cm/id/" + iri), prop)[lang]


@pytest.mark.parametrize("iri, prop, lang, says, not_says", [
    # «المجتمع المحلي» is the local community («المجتمع المضيف» is the host community)
    ("programme/zarqa-public-spaces", MC2CM.objective, "en", "local community", "host"),
    ("programme/zarqa-public-spaces", MC2CM.objective, "fr", "communauté locale", "accueil"),
    ("programme/amman-public-space", MC2CM.objective, "en", "local community", "host"),
    ("programme/amman-public-space", MC2CM.objective, "fr", "communauté locale", "accueil"),
    # «القيم» are values; no « intégration … intégrées »
    ("outcome/mediterranean-cities-diverse-cities-3", RDFS.label, "fr", "valeurs", "apports"),
    ("outcome/mediterranean-cities-diverse-cities-2", RDFS.label, "fr", "intégrées",
     "Intégration"),
    # «المسار الإيجابي» is a positive path or course
    ("outcome/nador-social-sustainable-1", RDFS.label, "en", "positive path", "narrative"),
    ("outcome/nador-social-sustainable-1", RDFS.label, "fr", "parcours positif", "récit"),
    # two attributes: positive values, and values shared between cultures; no « valeur des valeurs »
    ("outcome/nador-living-together-city-2", RDFS.label, "en",
     "Positive values, and values shared", "Positive values shared"),
    ("outcome/nador-living-together-city-2", RDFS.label, "fr", "valeurs communes",
     "Mise en valeur des valeurs"),
    # «التواصل الثقافي» is cultural communication
    ("programme/nador-living-together-city", MC2CM.subtitle, "en", "cultural communication",
     "intercultural"),
    ("programme/nador-living-together-city", MC2CM.subtitle, "fr", "communication culturelle",
     "interculturelle"),
    ("activity/nador-living-together-city-1", RDFS.label, "en", "cultural communication",
     "intercultural"),
    ("activity/nador-living-together-city-1", RDFS.label, "fr", "communication culturelle",
     "interculturelle"),
    ("outcome/nador-living-together-city-1", RDFS.label, "en", "cultural communication",
     "intercultural"),
    ("outcome/nador-living-together-city-1", RDFS.label, "fr", "communication culturelle",
     "interculturelle"),
    # «ومهارات حل المشكلات»: problem-solving skills
    ("activity/nador-living-together-city-2", RDFS.label, "fr", "compétences de résolution",
     "et la résolution"),
    # «والاستعداد لاستمرار الحوار»: readiness to continue the dialogue
    ("programme/zarqa-public-spaces", MC2CM.objective, "fr", "disposition à poursuivre le "
     "dialogue", "dialogue durable"),
    ("programme/amman-public-space", MC2CM.objective, "fr", "disposition à poursuivre le "
     "dialogue", "dialogue durable"),
    # «لإنشاء»: to set up
    ("outcome/casablanca-migration-3", RDFS.label, "en", "to set up a “Migration Management",
     "plan, for a"),
    # «الثقافات المتعددة»: the many cultures
    ("programme/raoued-la-marsa-imigr", MC2CM.objective, "en", "between the many cultures",
     "between cultures"),
    ("programme/raoued-la-marsa-imigr", MC2CM.objective, "fr", "entre les multiples cultures",
     "entre les cultures"),
    # «كعامل تنظيمي هيكلي»: an organising, structuring actor
    ("programme/tangier-dar", MC2CM.objective, "fr", "acteur organisateur et structurant",
     "acteur structurant de"),
    # two aims: solutions to vulnerabilities; identifying gaps in evidence collection
    ("activity/rabat-evidence-based-2", RDFS.label, "en", "and to identify gaps",
     "vulnerabilities and gaps"),
    # «صنع» السياسات: the making of policy
    ("programme/rabat-evidence-based", RDFS.label, "fr", "élaboration des politiques",
     "Vers des politiques"),
    # «من خلال إنشاء» through establishing; «قضايا» issues
    ("outcome/beirut-social-protection-1", RDFS.label, "en",
     "the issues of rural-to-urban migration through establishing", "through the"),
    ("outcome/beirut-social-protection-1", RDFS.label, "fr", "questions", "grâce à la « "),
    # «تحديد» is identify
    ("activity/beirut-social-protection-2", RDFS.label, "fr", "Identifier", "Désigner"),
])
def test_translation_follows_the_arabic(data, iri, prop, lang, says, not_says):
    text = _text(data, iri, prop, lang)
    assert says in text and not_says not in text


def test_the_tangier_name_is_a_recorded_form(data, external):
    """The English and French titles are the name as the outside sources write it."""
    recorded = {str(v) for v in external.objects(PROGRAMME["tangier-dar"],
                                                 SCHEMA.alternateName)}
    for lang in ("en", "fr"):
        assert texts(data, PROGRAMME["tangier-dar"], RDFS.label)[lang] in recorded
    kick_off = URIRef("https://w3id.org/mc2cm/id/event/tangier-dar-kick-off")
    assert all("TangerAccueil" in str(v) for v in external.objects(kick_off, RDFS.label))


@pytest.mark.parametrize("slug, lang, known, literal", [
    ("tangier-dar", "en", "TangerAccueil", "Tangier, home"),
    ("tangier-dar", "fr", "TangerAccueil", "Tanger, la maison"),
    ("north-morocco-living-together", "en", "Living Together", "Building living together"),
])
def test_known_names_label_and_literal_renderings_are_alternative_labels(data, slug, lang,
                                                                        known, literal):
    programme = PROGRAMME[slug]
    assert texts(data, programme, RDFS.label)[lang] == known
    assert Literal(literal, lang=lang) in set(data.objects(programme, SKOS.altLabel))


# --- Places the text names: linked, of the right kind, without uncited coordinates ------------

ID = "https://w3id.org/mc2cm/id/"


@pytest.mark.parametrize("place, kind, name, city, named_by", [
    ("region/andalusia", MC2CM.Region, "الأندلس", None,
     {"activity/north-morocco-living-together-4"}),
    ("district/al-majd", MC2CM.District, "مدينة المجد", "city/zarqa",
     {"programme/zarqa-public-spaces", "activity/zarqa-public-spaces-7",
      "outcome/zarqa-public-spaces-2"}),
    ("district/marka", MC2CM.District, "ماركا", "city/amman",
     {"activity/amman-public-space-7", "outcome/amman-public-space-2"}),
    ("district/fatima-al-zahra", MC2CM.District, "فاطمة الزهراء", "city/amman",
     {"programme/amman-public-space"}),
])
def test_places_the_text_names_are_linked_where_named(data, place, kind, name, city, named_by):
    node = URIRef(ID + place)
    assert (node, RDF.type, kind) in data
    assert texts(data, node, SKOS.prefLabel)["ar"] == name
    assert data.value(node, MC2CM.inCity) == (URIRef(ID + city) if city else None)
    linked = {str(s).removeprefix(ID) for s in data.subjects(MC2CM.involvesPlace, node)}
    assert linked == named_by
    for item in linked:  # each text that links the place names it
        text = " ".join(str(v) for v in data.objects(URIRef(ID + item), RDFS.label)) + " ".join(
            str(v) for v in data.objects(URIRef(ID + item), MC2CM.objective))
        assert name in text, item
    assert data.value(node, GEO.lat) is None and data.value(node, GEO.long) is None


@pytest.mark.parametrize("slug", ["andalusia", "al-majd", "marka", "fatima-al-zahra"])
def test_the_site_has_a_page_for_each_named_place_and_a_map(built_dist, slug):
    for lang in ("ar", "en", "fr"):
        page = built_dist / "site" / lang / "place" / f"{slug}.html"
        assert page.is_file()
    for kind in ("district", "region"):  # their IRIs' pages are the site's place pages
        assert not (built_dist / "site" / "en" / kind).exists()
    amman = (built_dist / "site" / "en" / "place" / "amman.html").read_text(encoding="utf-8")
    assert "marka.html" in amman and "fatima-al-zahra.html" in amman
    programme = (built_dist / "site" / "en" / "programme" / "amman-public-space.html").read_text(
        encoding="utf-8")
    assert "place/fatima-al-zahra.html" in programme and "place/marka.html" in programme


# --- Doubtful readings: decided and recorded (data/source-readings.csv) -------------------------

READINGS = paths.DATA_DIR / "source-readings.csv"


def _readings():
    import csv

    with open(READINGS, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("row", _readings(), ids=lambda r: r["printed"])
def test_each_doubtful_reading_is_in_the_brochure_as_often_as_recorded(row):
    import re

    from mc2cm_graph.graph.source_text import BROCHURE_FILE, normalise

    raw = normalise(BROCHURE_FILE.read_text(encoding="utf-8"))
    found = re.findall(re.escape(row["context"]) + r" " + re.escape(row["printed"]) + r"(?=\s)",
                       raw)
    assert len(found) == int(row["occurrences"]) and row["why"]


def test_the_leading_beh_is_kept_where_printed_and_only_there(data):
    wordings = {str(w) for w in data.objects(None, MC2CM.printedWording)}
    for row in _readings():
        if row["decision"] == "kept as printed":
            assert row["reading"] in wordings  # as printed
            assert row["reading"][1:] in wordings  # the other places print it without ب


def test_the_lost_yeh_mend_adds_the_letter_and_moves_no_mark(data):
    from mc2cm_graph.graph.source_text import read_mends

    mend = next(m for m in read_mends() if m.extracted == "المحلّ")
    assert mend.mended == mend.extracted + "ي" and mend.kind == "missing-letter"
    reading = next(r for r in _readings() if r["printed"] == "المحلّ")
    assert reading["reading"] == mend.mended
    arabic = " ".join(str(o) for o in data.objects() if getattr(o, "language", None) == "ar")
    assert "المستوى المحلّي" in arabic and "المستوى المحليّ " not in arabic
